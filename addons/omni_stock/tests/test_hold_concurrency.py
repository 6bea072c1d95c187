from odoo import fields
from odoo.addons.omni_channel_sync.tests.common import CommittedDataCase, run_concurrently
from odoo.tests import tagged
from odoo.tools import SQL

THREADS = 8
UNITS = 3


@tagged("post_install", "-at_install")
class TestConcurrentHolds(CommittedDataCase):
    """Eight holds of one unit each, at the same moment, on three units, each on its own cursor."""

    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
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
        with self.committed_env() as env:
            env["omni.stock.hold"].search([("channel_id", "=", self.channel_id)]).unlink()
            env["omni.channel"].browse(self.channel_id).unlink()
            env["product.pricelist"].browse(self.pricelist_id).unlink()
            # Quants, guards and pending pushes of the product go with it.
            env.cr.execute(SQL("DELETE FROM stock_quant WHERE product_id = %s", self.product_id))
            env["product.product"].browse(self.product_id).unlink()

    def test_holds_never_exceed_the_stock(self):
        def hold(index):
            return lambda env: env["omni.channel"].api_hold_stock(
                "race-stock", f"race-{index}", [{"sku": "RACE-TEE", "quantity": 1}]
            )["state"]

        results = run_concurrently(self.registry, [hold(index) for index in range(THREADS)], timeout=60)
        self.assertEqual(len(results), THREADS, results)
        self.assertEqual(results.count("active"), UNITS, results)
        self.assertTrue(all("Not enough stock for RACE-TEE" in r for r in results if r != "active"), results)
        with self.committed_env() as env:
            holds = env["omni.stock.hold"].search([("channel_id", "=", self.channel_id)])
            self.assertEqual(sum(holds.line_ids.mapped("quantity")), UNITS)
            channel = env["omni.channel"].browse(self.channel_id)
            self.assertEqual(
                channel._omni_ats_by_product(env["product.product"].browse(self.product_id)),
                {self.product_id: 0},
            )
