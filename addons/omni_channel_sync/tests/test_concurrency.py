import threading

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger

from .common import registry_lock_released


@tagged("post_install", "-at_install")
class TestConcurrentIngest(BaseCase):
    """Two requests with the same order at the same moment, each on its own database cursor.

    The data must be committed for other cursors to see it, so this test holds no transaction of
    its own (a TransactionCase's would lock rows the requests need), commits its data and removes
    it afterwards.
    """

    ORDER = {
        "external_id": "RACE-1",
        "status": "unpaid",
        "currency": "USD",
        "lines": [{"sku": "RACE-SKU", "quantity": 1, "unit_price": 10}],
    }

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
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
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["sale.order"].search([("omni_channel_id", "=", self.channel_id)])
            partners = orders.partner_id
            orders.with_context(disable_cancel_warning=True).action_cancel()
            orders.unlink()
            env["omni.channel.inbox"].search([("channel_id", "=", self.channel_id)]).unlink()
            env["omni.channel"].browse(self.channel_id).unlink()
            env["product.product"].browse(self.product_id).unlink()
            env["product.pricelist"].browse(self.pricelist_id).unlink()
            partners.unlink()

    def _ingest_from_own_cursor(self, barrier, results):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            barrier.wait()
            # The way Odoo runs an RPC call: replayed with a fresh snapshot on a serialization failure.
            (result,) = retrying(lambda: env["omni.channel"].api_ingest_orders("race", [self.ORDER]), env)
            results.append(result)

    def test_same_order_from_two_cursors_is_one_sale_order(self):
        barrier, results = threading.Barrier(2), []
        threads = [
            threading.Thread(target=self._ingest_from_own_cursor, args=(barrier, results)) for _ in range(2)
        ]
        # mute: the loser's serialization failure is logged before retrying() replays it
        with registry_lock_released(), mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
        self.assertEqual(sorted(r["status"] for r in results), ["created", "duplicate"], results)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertEqual(env["sale.order"].search_count([("omni_channel_id", "=", self.channel_id)]), 1)
            self.assertEqual(
                env["omni.channel.inbox"].search_count([("channel_id", "=", self.channel_id)]), 1
            )
