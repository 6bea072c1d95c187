from odoo.tests import tagged

from .common import CommittedDataCase, run_concurrently


@tagged("post_install", "-at_install")
class TestConcurrentIngest(CommittedDataCase):
    """Two requests with the same order at the same moment, each on its own database cursor."""

    ORDER = {
        "external_id": "RACE-1",
        "status": "unpaid",
        "currency": "USD",
        "lines": [{"sku": "RACE-SKU", "quantity": 1, "unit_price": 10}],
    }

    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            pricelist = env["product.pricelist"].create(
                {"name": "race", "currency_id": env.ref("base.USD").id}
            )
            self.channel_id = (
                env["omni.channel"].create({"name": "Race", "code": "race", "pricelist_id": pricelist.id}).id
            )
            self.product_id = env["product.product"].create({"name": "Race", "default_code": "RACE-SKU"}).id
            self.pricelist_id = pricelist.id
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        with self.committed_env() as env:
            orders = env["sale.order"].search([("omni_channel_id", "=", self.channel_id)])
            partners = orders.partner_id
            orders.with_context(disable_cancel_warning=True).action_cancel()
            orders.unlink()
            env["omni.channel.inbox"].search([("channel_id", "=", self.channel_id)]).unlink()
            env["omni.channel"].browse(self.channel_id).unlink()
            env["product.product"].browse(self.product_id).unlink()
            env["product.pricelist"].browse(self.pricelist_id).unlink()
            partners.unlink()

    def test_same_order_from_two_cursors_is_one_sale_order(self):
        def ingest(env):
            (result,) = env["omni.channel"].api_ingest_orders("race", [self.ORDER])
            return result

        results = run_concurrently(self.registry, [ingest] * 2)
        self.assertEqual(sorted(r["status"] for r in results), ["created", "duplicate"], results)
        with self.committed_env() as env:
            self.assertEqual(env["sale.order"].search_count([("omni_channel_id", "=", self.channel_id)]), 1)
            self.assertEqual(
                env["omni.channel.inbox"].search_count([("channel_id", "=", self.channel_id)]), 1
            )
