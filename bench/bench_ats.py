"""Available-to-sell benchmark: 10,000 listings on each of 3 channels, beside stock Odoo's free_qty.

In one run, on the same database, in one transaction rolled back at the end:

- setup (not timed; SQL for the bulk rows): two warehouses, 10,000 storable products with stock in
  both, three channels with different policies (source warehouses, buffer, share, cap, "send 0
  below", priority), one listing per product per channel, 1,000 active holds;
- full: ``omni.channel.listing._omni_compute_ats()`` of the 30,000 listings, beside stock Odoo
  computing ``free_qty`` of the 10,000 products for each channel's warehouses (what a connector
  pushing plain free quantities reads); both from a cold ORM cache, best of 3;
- incremental: 100 stock moves (deliveries of 100 products, validated), then the available-to-sell
  of the listings of the products they touched, beside stock Odoo's ``free_qty`` of the same
  products for each channel's warehouses; best of 3 too.

Targets (shared/DESIGN.md §10): full ≤ 5 s; incremental ≤ 1 s.
"""

import time

from common import verdict

from odoo import Command
from odoo.tools import SQL

PRODUCTS = 10000
MOVES = 100
HOLDS = 1000
FULL_TARGET = 5.0
INCREMENTAL_TARGET = 1.0
RUNS = 3


class AtsBench:
    def __init__(self, env):
        self.env = env
        self.tag = str(int(time.time()))
        self._setup()

    def _setup(self):
        env, cr = self.env, self.env.cr
        company = env.company
        self.main = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        self.second = env["stock.warehouse"].create(
            {"name": f"Bench {self.tag}", "code": f"B{self.tag[-4:]}"}
        )
        templates = env["product.template"].create(
            [
                {"name": f"Bench ATS {index}", "default_code": f"ATS-{self.tag}-{index}", "is_storable": True}
                for index in range(PRODUCTS)
            ]
        )
        self.products = templates.product_variant_ids
        env.flush_all()
        ids = self.products.ids
        # Stock in both warehouses: 0 to 49 units, so that some products are scarce.
        for warehouse, shift in ((self.main, 0), (self.second, 17)):
            cr.execute(
                SQL(
                    """INSERT INTO stock_quant (product_id, location_id, company_id, quantity,
                                               reserved_quantity, in_date, create_date, write_date)
                       SELECT id, %s, %s, mod(id + %s, 50), 0, now(), now(), now()
                       FROM unnest(%s::int[]) AS id""",
                    warehouse.lot_stock_id.id,
                    company.id,
                    shift,
                    ids,
                )
            )
        pricelist = env["product.pricelist"].create({"name": f"Bench ATS {self.tag}"})
        policies = [
            ([self.main], {"stock_buffer": 2, "stock_priority": 20}),
            ([self.main, self.second], {"stock_share": 60, "stock_cap": 40}),
            ([self.second], {"stock_share": 50, "stock_zero_below": 3}),
        ]
        self.channels = env["omni.channel"].create(
            [
                {
                    "name": f"Bench ATS {index} {self.tag}",
                    "code": f"ats{index}_{self.tag}",
                    "pricelist_id": pricelist.id,
                    "warehouse_ids": [Command.set([w.id for w in warehouses])],
                    **policy,
                }
                for index, (warehouses, policy) in enumerate(policies)
            ]
        )
        env.flush_all()
        for channel in self.channels:
            cr.execute(
                SQL(
                    """INSERT INTO omni_channel_listing (channel_id, company_id, product_id, external_sku,
                                                         active, stock_share, stock_priority)
                       SELECT %s, %s, id, %s || id, TRUE, 100, 10 FROM unnest(%s::int[]) AS id""",
                    channel.id,
                    company.id,
                    f"{channel.code}-",
                    ids,
                )
            )
        # Holds: one line each, on the first channel's warehouse.
        cr.execute(
            SQL(
                """WITH hold AS (
                       INSERT INTO omni_stock_hold (reference, channel_id, company_id, expires_at, state)
                       SELECT 'bench-' || id, %s, %s, now() at time zone 'UTC' + interval '1 hour', 'active'
                       FROM unnest(%s::int[]) AS id RETURNING id, reference)
                   INSERT INTO omni_stock_hold_line (hold_id, company_id, product_id, warehouse_id, quantity)
                   SELECT hold.id, %s, substr(hold.reference, 7)::int, %s, 1 FROM hold""",
                self.channels[0].id,
                company.id,
                ids[:HOLDS],
                company.id,
                self.main.id,
            )
        )
        self.listings = env["omni.channel.listing"].search([("channel_id", "in", self.channels.ids)])
        env.invalidate_all()

    # ------------------------------------------------------------------ the two sides

    def ours(self, listings):
        self.env.invalidate_all()
        started = time.perf_counter()
        quantities = self.env["omni.channel.listing"].browse(listings.ids)._omni_compute_ats()
        return time.perf_counter() - started, quantities

    def stock(self, products):
        """Stock Odoo's free_qty of ``products`` for each channel's warehouses."""
        self.env.invalidate_all()
        started = time.perf_counter()
        for channel in self.channels:
            records = self.env["product.product"].browse(products.ids)
            records.with_context(warehouse_id=channel.warehouse_ids.ids).mapped("free_qty")
        return time.perf_counter() - started

    def move_stock(self):
        """Deliver one unit of ``MOVES`` products in stock (validated moves); the products touched."""
        env = self.env
        customers = env.ref("stock.stock_location_customers")
        self.env.cr.execute(
            SQL(
                "SELECT product_id FROM stock_quant WHERE product_id = ANY(%s) AND location_id = %s "
                "AND quantity > 5 ORDER BY product_id LIMIT %s",
                self.products.ids,
                self.main.lot_stock_id.id,
                MOVES,
            )
        )
        products = env["product.product"].browse(row[0] for row in self.env.cr.fetchall())
        moves = env["stock.move"].create(
            [
                {
                    "name": "Bench delivery",
                    "product_id": product.id,
                    "product_uom": product.uom_id.id,
                    "product_uom_qty": 1,
                    "location_id": self.main.lot_stock_id.id,
                    "location_dest_id": customers.id,
                }
                for product in products
            ]
        )
        moves._action_confirm()
        moves._action_assign()
        moves.picked = True
        moves._action_done()
        env.flush_all()
        return moves.product_id

    def run(self):
        full = min(self.ours(self.listings)[0] for _run in range(RUNS))
        _seconds, quantities = self.ours(self.listings)
        stock_full = min(self.stock(self.products) for _run in range(RUNS))
        before = quantities
        touched = self.move_stock()
        touched_listings = self.listings.filtered(lambda listing: listing.product_id in touched)
        incremental = min(self.ours(touched_listings)[0] for _run in range(RUNS))
        _seconds, after = self.ours(touched_listings)
        stock_incremental = min(self.stock(touched) for _run in range(RUNS))
        changed = sum(1 for listing_id, quantity in after.items() if before[listing_id] != quantity)

        print(f"{'phase':<44} {'listings':>9} {'seconds':>8} {'stock Odoo':>11} {'target':>7}")
        print(
            f"{'full ATS (3 channels x 10,000 listings)':<44} {len(self.listings):>9} {full:>8.2f} "
            f"{stock_full:>11.2f} {FULL_TARGET:>7.1f}"
        )
        print(
            f"{'incremental ATS after 100 stock moves':<44} {len(touched_listings):>9} {incremental:>8.3f} "
            f"{stock_incremental:>11.3f} {INCREMENTAL_TARGET:>7.1f}"
        )
        print(f"listings whose quantity changed after the moves: {changed}")
        print(
            f"ratio ours / stock Odoo free_qty: full {full / stock_full:.2f}, "
            f"incremental {incremental / stock_incremental:.2f}"
        )
        full_ok = verdict("full ATS seconds", full, FULL_TARGET, at_most=True, fmt="{:.3f}")
        incremental_ok = verdict(
            "incremental ATS seconds", incremental, INCREMENTAL_TARGET, at_most=True, fmt="{:.3f}"
        )
        problems = []
        if len(after) != len(touched_listings) or not changed:
            problems.append("the moves changed no available-to-sell quantity")
        for problem in problems:
            print(f"CHECK FAILED: {problem}")
        return full_ok and incremental_ok and not problems


def run(env, options):
    try:
        return AtsBench(env).run()
    finally:
        env.cr.rollback()
