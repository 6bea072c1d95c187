"""Scale-out: what a second HTTP worker and a second job channel buy, against stock Odoo doing the
same work on the same servers.

Odoo runs as production does (``common.ProductionServer``), first with one HTTP worker and
queue_job's ``root.omni`` channel at capacity 1, then with two workers and capacity 2. Against
each, ``CLIENTS`` programs send the ingest benchmark's orders (bench_ingest.py: a new buyer and
two lines each) over XML-RPC, in calls of ``BATCH``:

- stock Odoo: the admin creates the customers, creates the sale orders and confirms them (three
  calls a batch);
- ours: an integrator sends the same orders to ``api_ingest_orders`` (one call a batch): stored,
  imported and confirmed in the call;
- ours through the jobs: the same with ``{"async": True}``: stored and queued in the call; the
  jobs import and confirm them (timed until the last order is confirmed).

The ratio two workers / one worker is printed for each (goal ≥ 1.5 for ours, on a 2-core machine),
and ours / stock Odoo on each server.
"""

import os
import queue
import threading
import time
import xmlrpc.client
from pathlib import Path

from bench_ingest import IngestBench
from common import ProductionServer, verdict

ORDERS = int(os.environ.get("SCALE_OUT_ORDERS", 200))  # per phase and server
BATCH = 20
CATALOG = 1000
CLIENTS = 4
DRAIN_TIMEOUT = 600
SCALE_TARGET = 1.5
# (HTTP workers, queue_job channels) of the two servers.
SERVERS = ((1, "root:1,root.omni:1"), (2, "root:2,root.omni:2"))
INTEGRATOR_PASSWORD = "bench-integrator"


class ScaleOutBench(IngestBench):
    def _setup(self):
        super()._setup()
        # The orders spread over a catalog, as a shop's day does: two calls at once rarely want the
        # same product, so that what is measured is the workers, not two imports waiting for each
        # other's stock (the flash sale measures that case).
        more = self.env["product.product"].create(
            [
                {
                    "name": f"Bench product {index:04d}",
                    "default_code": f"BENCH-{self.tag}-{index:04d}",
                    "is_storable": True,
                    "list_price": 50000 + 100 * index,
                }
                for index in range(len(self.products), CATALOG)
            ]
        )
        for product in more:
            self.env["stock.quant"]._update_available_quantity(product, self.warehouse.lot_stock_id, 1000)
        self.products |= more
        # The integrator signs in over XML-RPC as a partner's program does.
        self.api_env.user.sudo().password = INTEGRATOR_PASSWORD
        self.env.cr.commit()

    def _lines(self, number):
        """Two lines, two units of one product and one of another, anywhere in the catalog."""
        first = self.products[number * 7 % CATALOG]
        second = self.products[(number * 7 + 3) % CATALOG]
        return [(first, 2, first.list_price), (second, 1, second.list_price)]

    def run(self):
        results = {}
        self.load = {workers: [] for workers, _channels in SERVERS}  # the machine's, at each phase
        for workers, channels in SERVERS:
            log = Path(self.options["config"]).parent / f"scale_out_{workers}.log"
            server = ProductionServer(self.options, workers, log, job_channels=channels)
            server.start()
            try:
                results[workers] = {
                    "stock Odoo: create + confirm": self._phase(server, self._stock_batch, self._stock_call),
                    "api_ingest_orders → confirmed": self._phase(
                        server, self._api_batch, self._api_call, f"API{workers}"
                    ),
                    "async → jobs → confirmed": self._phase(
                        server, self._api_batch, self._api_call, f"JOBS{workers}", {"async": True}
                    ),
                }
            finally:
                server.stop()
        return self._report(results)

    # ------------------------------------------------------------------ the calls

    def _phase(self, server, batch, call, prefix=None, options=None):
        """``(orders/s, ERROR lines, retried requests)`` of ``ORDERS`` new orders sent by ``CLIENTS``
        programs at once, ``BATCH`` a call; ours is timed until its last order is confirmed (an order
        whose import met another's lock is queued and imported a moment later by a job). The calls'
        values are made beforehand, here: the programs share no cursor."""
        batches = queue.Queue()
        for start in range(0, ORDERS, BATCH):
            batches.put(batch(self._buyers(min(BATCH, ORDERS - start)), prefix))
        failures = []

        def client():
            proxy = xmlrpc.client.ServerProxy(f"{server.url}/xmlrpc/2/object", allow_none=True)
            while True:
                try:
                    values = batches.get_nowait()
                except queue.Empty:
                    return
                try:
                    call(proxy, values, options)
                except Exception as error:  # reported after the run, with the others
                    failures.append(error)

        self.load[server.workers].append(os.getloadavg()[0])
        log_start = len(server.log_lines())
        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failures:
            raise RuntimeError(f"{len(failures)} calls failed, the first: {failures[0]}")
        if prefix:
            self._wait_confirmed(prefix)
        return (ORDERS / (time.perf_counter() - started), *server.log_counts(log_start))

    def _wait_confirmed(self, prefix):
        deadline = time.monotonic() + DRAIN_TIMEOUT
        while time.monotonic() < deadline:
            with self.env.registry.cursor() as cr:
                cr.execute(
                    """SELECT COUNT(*) FROM sale_order
                       WHERE omni_channel_id = %s AND state = 'sale' AND omni_external_ref LIKE %s""",
                    (self.channel.id, f"{prefix}-%"),
                )
                if cr.fetchone()[0] >= ORDERS:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"{ORDERS} orders {prefix} were not confirmed within {DRAIN_TIMEOUT} s")

    def _stock_batch(self, buyers, _prefix):
        """The customers' values and the orders' (without their customer) of stock Odoo's side."""
        orders = [
            {
                "pricelist_id": self.pricelist.id,
                "warehouse_id": self.warehouse.id,
                "client_order_ref": f"STOCK-{self.tag}-{buyer['number']:05d}",
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": qty, "price_unit": price})
                    for product, qty, price in self._lines(buyer["number"])
                ],
            }
            for buyer in buyers
        ]
        return [self._partner_values(buyer) for buyer in buyers], orders

    def _stock_call(self, proxy, values, _options):
        db = self.options["db"]
        partners, orders = values
        partner_ids = proxy.execute_kw(db, 2, "admin", "res.partner", "create", [partners])
        orders = [
            dict(order, partner_id=partner_id) for order, partner_id in zip(orders, partner_ids, strict=True)
        ]
        order_ids = proxy.execute_kw(db, 2, "admin", "sale.order", "create", [orders])
        proxy.execute_kw(db, 2, "admin", "sale.order", "action_confirm", [order_ids])

    def _api_batch(self, buyers, prefix):
        return [self._normalized_order(buyer, prefix) for buyer in buyers]

    def _api_call(self, proxy, orders, options):
        answers = proxy.execute_kw(
            self.options["db"], self.api_env.uid, INTEGRATOR_PASSWORD, "omni.channel", "api_ingest_orders",
            [self.channel.code, orders, options],
        )  # fmt: skip
        refused = [answer for answer in answers if answer["status"] not in ("created", "queued")]
        if refused:
            raise RuntimeError(f"api_ingest_orders answered {refused[0]}")

    # ------------------------------------------------------------------ report

    def _report(self, results):
        one, two = results[1], results[2]
        print(f"{ORDERS} orders a phase; orders/s, then ERROR lines and retried requests in the server's log")
        headers = (("1 worker", 9), ("2 workers", 10), ("2 / 1", 6), ("ERROR 1/2", 10), ("retried 1/2", 12))
        print(f"{'phase':<31}" + "".join(f" {header:>{width}}" for header, width in headers))
        for phase, (rate1, errors1, retried1) in one.items():
            rate2, errors2, retried2 = two[phase]
            print(
                f"{phase:<31} {rate1:>9.1f} {rate2:>10.1f} {rate2 / rate1:>6.2f} "
                f"{f'{errors1}/{errors2}':>10} {f'{retried1}/{retried2}':>12}"
            )
        for workers, loads in self.load.items():
            figures = ", ".join(f"{load:.1f}" for load in loads)
            print(f"the machine's load average as each phase started, {workers} worker(s): {figures}")
        stock, api, jobs = one
        for phase in (api, jobs):
            print(
                f"ours / stock Odoo, {phase}: {one[phase][0] / one[stock][0]:.2f} (1 worker), "
                f"{two[phase][0] / two[stock][0]:.2f} (2 workers)"
            )
        print()
        scaled = verdict("2 workers / 1, ingest", two[api][0] / one[api][0], SCALE_TARGET, fmt="{:.2f}")
        verdict("2 workers / 1, jobs (goal)", two[jobs][0] / one[jobs][0], SCALE_TARGET, fmt="{:.2f}")
        # Stock Odoo's own confirmations log their serialization failures as ERROR; ours must not.
        ours_clean = not any(side[phase][1] for side in (one, two) for phase in (api, jobs))
        if not ours_clean:
            print("CHECK FAILED: ERROR lines in the server's log during our phases")
        return scaled and ours_clean


def run(env, options):
    bench = ScaleOutBench(env)
    bench.options = options
    return bench.run()
