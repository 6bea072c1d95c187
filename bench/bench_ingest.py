"""Ingest benchmark: channel orders through the public API against stock Odoo doing the same work.

In one run, on the same database, alternating batches so that neither side profits from a warmer
cache or smaller tables:

- stock Odoo: for each batch of 100 orders, ``res.partner.create`` of one customer per order,
  ``sale.order.create`` of the two-line orders, ``action_confirm()`` of the batch, commit; run as
  the admin user (no superuser mode), as a salesperson's import script would;
- ours: the same orders, as normalized orders with status ``ready_to_ship``, sent by an integrator
  user (groups Portal + Omnichannel / Integrator) through ``omni.channel.api_ingest_orders`` in
  calls of 100, commit: stored in the inbox, validated, customers matched then created, sale
  orders created and confirmed (pickings reserved);
- inbox accept: 1,000 more orders through the same API with ``options={"async": True}``: stored
  and queued as jobs, not imported.

Targets (shared/DESIGN.md §10): ours ≥ 1.0 x stock Odoo in orders/s; inbox accept ≥ 500 orders/s.
"""

import cProfile
import io
import pstats
import time
from collections import Counter
from datetime import datetime, timezone

from common import Bench, integrator_env, verdict

from odoo import Command

ORDERS = 1000
BATCH = 100
WARMUP = 20
PRODUCTS = 20
STOCK_PER_PRODUCT = 100000
RATIO_TARGET = 1.0
ACCEPT_TARGET = 500.0


class IngestBench(Bench):
    def __init__(self, env, profile=False):
        self.profiler = cProfile.Profile() if profile else None
        super().__init__(env)

    # ------------------------------------------------------------------ setup

    def _setup(self):
        env = self.env
        vnd = env.ref("base.VND")
        vnd.active = True
        self.pricelist = env["product.pricelist"].create(
            {"name": f"Bench VND {self.tag}", "currency_id": vnd.id}
        )
        self.warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        self.products = env["product.product"].create(
            [
                {
                    "name": f"Bench product {index:02d}",
                    "default_code": f"BENCH-{self.tag}-{index:02d}",
                    "is_storable": True,
                    "list_price": 50000 + 10000 * index,
                }
                for index in range(PRODUCTS)
            ]
        )
        for product in self.products:
            env["stock.quant"]._update_available_quantity(
                product, self.warehouse.lot_stock_id, STOCK_PER_PRODUCT
            )
        self.channel = env["omni.channel"].create(
            {
                "name": f"Bench API {self.tag}",
                "code": f"bench_{self.tag}",
                "channel_type": "api",
                "pricelist_id": self.pricelist.id,
                "warehouse_ids": [Command.set(self.warehouse.ids)],
            }
        )
        self.country = env.ref("base.vn")
        self.state = env["res.country.state"].search(
            [("country_id", "=", self.country.id), ("name", "=ilike", "Hà Nội")], limit=1
        )
        self.stock_env = env(user=env.ref("base.user_admin").id)
        self.api_env = integrator_env(env, f"bench_integrator_{self.tag}")
        env.cr.commit()

    # ------------------------------------------------------------------ the same orders, twice

    def _buyer(self, number):
        """A distinct buyer (e-mail, phone): one new customer per order on both sides."""
        return {
            "number": number,
            "name": f"Khách hàng {number:05d}",
            "phone": f"09{number:08d}",
            "email": f"buyer{number:05d}.{self.tag}@example.vn",
            "street": f"{number} Lý Thường Kiệt",
            "ward": "Phường Hàng Bài",
            "district": "Quận Hoàn Kiếm",
            "province": "Hà Nội",
        }

    def _lines(self, number):
        """Two lines: two units of one product, one of another."""
        first = self.products[number % PRODUCTS]
        second = self.products[(number + 7) % PRODUCTS]
        return [(first, 2, first.list_price), (second, 1, second.list_price)]

    def _normalized_order(self, buyer, prefix):
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {
            "external_id": f"{prefix}-{self.tag}-{buyer['number']:05d}",
            "status": "ready_to_ship",
            "created_at": now,
            "updated_at": now,
            "currency": "VND",
            "customer": {
                "buyer_id": f"buyer-{buyer['number']}",
                "name": buyer["name"],
                "phone": buyer["phone"],
                "email": buyer["email"],
            },
            "shipping_address": {
                "name": buyer["name"],
                "phone": buyer["phone"],
                "street": buyer["street"],
                "ward": buyer["ward"],
                "district": buyer["district"],
                "province": buyer["province"],
                "country": "VN",
            },
            "lines": [
                {"line_id": f"L{index}", "sku": product.default_code, "quantity": qty, "unit_price": price}
                for index, (product, qty, price) in enumerate(self._lines(buyer["number"]), 1)
            ],
            "payment_method": "cod",
        }

    def _partner_values(self, buyer):
        return {
            "name": buyer["name"],
            "phone": buyer["phone"],
            "email": buyer["email"],
            "customer_rank": 1,
            "comment": f"Created from channel {self.channel.name}.",
            "street": buyer["street"],
            "street2": buyer["ward"],
            "city": buyer["district"],
            "country_id": self.country.id,
            "state_id": self.state.id,
        }

    # ------------------------------------------------------------------ the two sides

    def _stock_batch(self, buyers):
        """Stock Odoo: customers, two-line sale orders, confirmation, commit; returns (orders, s, queries)."""
        env = self.stock_env
        env.invalidate_all()
        cr = env.cr
        queries = cr.sql_log_count
        started = time.perf_counter()
        partners = env["res.partner"].create([self._partner_values(buyer) for buyer in buyers])
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "pricelist_id": self.pricelist.id,
                    "warehouse_id": self.warehouse.id,
                    "client_order_ref": f"STOCK-{self.tag}-{buyer['number']:05d}",
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_uom_qty": qty, "price_unit": price}
                        )
                        for product, qty, price in self._lines(buyer["number"])
                    ],
                }
                for buyer, partner in zip(buyers, partners, strict=True)
            ]
        )
        orders.action_confirm()
        cr.commit()
        elapsed = time.perf_counter() - started
        return orders.ids, elapsed, cr.sql_log_count - queries

    def _api_batch(self, buyers, prefix, options=None, profile=False):
        """Ours: one API call as the integrator, commit; returns (API results, s, queries)."""
        env = self.api_env
        env.invalidate_all()
        cr = env.cr
        orders = [self._normalized_order(buyer, prefix) for buyer in buyers]
        queries = cr.sql_log_count
        if profile and self.profiler:
            self.profiler.enable()
        started = time.perf_counter()
        results = env["omni.channel"].api_ingest_orders(self.channel.code, orders, options)
        cr.commit()
        elapsed = time.perf_counter() - started
        if profile and self.profiler:
            self.profiler.disable()
        return results, elapsed, cr.sql_log_count - queries

    # ------------------------------------------------------------------ the run

    def run(self):
        # Warm-up, not counted: the first call of each path fills Odoo's caches (ormcache, views).
        self._stock_batch(self._buyers(WARMUP))
        self._api_batch(self._buyers(WARMUP), "WARM")
        self._api_batch(self._buyers(WARMUP), "WARMQ", {"async": True})

        stock = {"ids": [], "seconds": 0.0, "queries": 0}
        ours = {"ids": [], "seconds": 0.0, "queries": 0, "statuses": Counter(), "errors": []}
        for round_ in range(ORDERS // BATCH):
            sides = [lambda: self._run_stock(stock), lambda: self._run_ours(ours)]
            for side in sides if round_ % 2 == 0 else reversed(sides):
                side()

        accept = {"seconds": 0.0, "queries": 0, "statuses": Counter()}
        for _round in range(ORDERS // BATCH):
            results, elapsed, queries = self._api_batch(self._buyers(BATCH), "ASYNC", {"async": True})
            accept["seconds"] += elapsed
            accept["queries"] += queries
            accept["statuses"].update(result["status"] for result in results)
        return self._report(stock, ours, accept)

    def _run_stock(self, stock):
        ids, elapsed, queries = self._stock_batch(self._buyers(BATCH))
        stock["ids"] += ids
        stock["seconds"] += elapsed
        stock["queries"] += queries

    def _run_ours(self, ours):
        results, elapsed, queries = self._api_batch(self._buyers(BATCH), "API", profile=True)
        ours["ids"] += [result["sale_order_id"] for result in results if result["sale_order_id"]]
        ours["seconds"] += elapsed
        ours["queries"] += queries
        ours["statuses"].update(result["status"] for result in results)
        ours["errors"] += [result for result in results if result["status"] != "created"]

    # ------------------------------------------------------------------ checks and report

    def _check_confirmed(self, label, ids, problems):
        SaleOrder = self.env["sale.order"]
        confirmed = SaleOrder.search_count([("id", "in", ids), ("state", "=", "sale")])
        if len(set(ids)) != ORDERS or confirmed != ORDERS:
            problems.append(f"{label}: {confirmed} of {ORDERS} orders confirmed ({len(set(ids))} created)")
        unreserved = self.env["stock.picking"].search_count(
            [("sale_id", "in", ids), ("state", "!=", "assigned")]
        )
        pickings = self.env["stock.picking"].search_count([("sale_id", "in", ids)])
        if pickings != ORDERS or unreserved:
            problems.append(f"{label}: {pickings} pickings, {unreserved} of them not reserved")
        lines = self.env["sale.order.line"].search_count([("order_id", "in", ids)])
        if lines != 2 * ORDERS:
            problems.append(f"{label}: {lines} order lines, expected {2 * ORDERS}")

    def _report(self, stock, ours, accept):
        problems = []
        self._check_confirmed("stock Odoo", stock["ids"], problems)
        self._check_confirmed("api_ingest_orders", ours["ids"], problems)
        if ours["statuses"] != {"created": ORDERS}:
            problems.append(f"api_ingest_orders answered {dict(ours['statuses'])}: {ours['errors'][:3]}")
        if accept["statuses"] != {"queued": ORDERS}:
            problems.append(f"inbox accept answered {dict(accept['statuses'])}")

        def rate(side):
            return ORDERS / side["seconds"]

        ratio = rate(ours) / rate(stock)
        rows = [
            ("stock Odoo: create + confirm", stock),
            ("api_ingest_orders → confirmed", ours),
            ("api_ingest_orders async (inbox)", accept),
        ]
        print(f"{'phase':<34} {'orders':>7} {'seconds':>9} {'orders/s':>9} {'queries/order':>14}")
        for label, side in rows:
            print(
                f"{label:<34} {ORDERS:>7} {side['seconds']:>9.2f} {rate(side):>9.1f} "
                f"{side['queries'] / ORDERS:>14.1f}"
            )
        print()
        ratio_ok = verdict("ingest ratio ours/stock", ratio, RATIO_TARGET, fmt="{:.2f}")
        accept_ok = verdict("inbox accept (orders/s)", rate(accept), ACCEPT_TARGET, fmt="{:.0f}")
        for problem in problems:
            print(f"CHECK FAILED: {problem}")
        if self.profiler:
            self._print_profile()
        return ratio_ok and accept_ok and not problems

    def _print_profile(self):
        for sort in ("cumulative", "tottime"):
            out = io.StringIO()
            stats = pstats.Stats(self.profiler, stream=out)
            stats.sort_stats(sort).print_stats(40)
            print(f"\n--- profile of api_ingest_orders → confirmed, by {sort} ---")
            print(out.getvalue())


def run(env, options):
    return IngestBench(env, profile=options.get("profile")).run()
