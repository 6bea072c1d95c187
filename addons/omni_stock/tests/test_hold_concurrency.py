import threading

from odoo import SUPERUSER_ID, api, fields
from odoo.addons.omni_channel_sync.tests.common import registry_lock_released
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import SQL, mute_logger

THREADS = 8
UNITS = 3


@tagged("post_install", "-at_install")
class TestConcurrentHolds(BaseCase):
    """Eight holds of one unit each, at the same moment, on three units, each on its own cursor.

    The data must be committed for other cursors to see it, so this test holds no transaction of
    its own, commits its data and removes it afterwards.
    """

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
            self.pricelist_id = env["product.pricelist"].create({"name": "Race stock"}).id
            self.channel_id = (
                env["omni.channel"]
                .create(
                    {
                        "name": "Race stock",
                        "code": "race-stock",
                        "pricelist_id": self.pricelist_id,
                        "warehouse_ids": [fields.Command.set(warehouse.ids)],
                    }
                )
                .id
            )
            product = env["product.product"].create(
                {"name": "Race tee", "default_code": "RACE-TEE", "is_storable": True}
            )
            env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, UNITS)
            self.product_id = product.id
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["omni.stock.hold"].search([("channel_id", "=", self.channel_id)]).unlink()
            env["omni.channel"].browse(self.channel_id).unlink()
            env["product.pricelist"].browse(self.pricelist_id).unlink()
            # Quants, guards and pending pushes of the product go with it.
            cr.execute(SQL("DELETE FROM stock_quant WHERE product_id = %s", self.product_id))
            env["product.product"].browse(self.product_id).unlink()

    def _hold_from_own_cursor(self, barrier, index, results):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            barrier.wait()
            try:
                # The way Odoo runs an RPC call: replayed with a fresh snapshot on a serialization failure.
                result = retrying(
                    lambda: env["omni.channel"].api_hold_stock(
                        "race-stock", f"race-{index}", [{"sku": "RACE-TEE", "quantity": 1}]
                    ),
                    env,
                )
                results.append(result["state"])
            except UserError as error:
                results.append(str(error))

    def test_holds_never_exceed_the_stock(self):
        barrier, results = threading.Barrier(THREADS), []
        threads = [
            threading.Thread(target=self._hold_from_own_cursor, args=(barrier, index, results))
            for index in range(THREADS)
        ]
        # mute: the losers' serialization failures are logged before retrying() replays them
        with registry_lock_released(), mute_logger("odoo.sql_db", "odoo.service.model"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        self.assertEqual(len(results), THREADS, results)
        self.assertEqual(results.count("active"), UNITS, results)
        self.assertTrue(all("Not enough stock for RACE-TEE" in r for r in results if r != "active"), results)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            holds = env["omni.stock.hold"].search([("channel_id", "=", self.channel_id)])
            self.assertEqual(sum(holds.line_ids.mapped("quantity")), UNITS)
            channel = env["omni.channel"].browse(self.channel_id)
            self.assertEqual(
                channel._omni_ats_by_product(env["product.product"].browse(self.product_id)),
                {self.product_id: 0},
            )
