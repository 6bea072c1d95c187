from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "omni_tour")
class TestHoldTour(HttpCase):
    def test_manager_sets_a_buffer_previews_and_releases_a_hold(self):
        new_test_user(
            self.env, "omni_tour_allocation", groups="omni_channel_sync.group_manager,stock.group_stock_user"
        )
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        channel = self.env["omni.channel"].create(
            {
                "name": "Tour Hold Shop",
                "code": "tour_hold",
                "pricelist_id": self.env["product.pricelist"].create({"name": "Tour hold"}).id,
                "warehouse_ids": [fields.Command.set(warehouse.ids)],
            }
        )
        tee = self.env["product.product"].create({"name": "Tour Hold Tee", "is_storable": True})
        self.env["stock.quant"]._update_available_quantity(tee, warehouse.lot_stock_id, 10)
        self.env["omni.channel.listing"].create(
            {"channel_id": channel.id, "external_sku": "TOUR-HOLD-TEE", "product_id": tee.id}
        )
        hold, _shortages = self.env["omni.stock.hold"]._omni_reserve(
            channel, "TOUR-CART", {tee: 3}, fields.Datetime.now() + timedelta(hours=2)
        )
        self.start_tour(
            f"/odoo/action-omni_channel_sync.omni_channel_action/{channel.id}",
            "omni_stock_hold_tour",
            login="omni_tour_allocation",
        )
        self.assertEqual(channel.stock_buffer, 2)
        self.assertEqual(hold.state, "released")
