from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "omni_tour")
class TestChannelTour(HttpCase):
    def test_manager_sees_an_order_and_fixes_an_unknown_sku(self):
        new_test_user(
            self.env,
            "omni_tour_manager",
            groups="omni_channel_sync.group_manager,sales_team.group_sale_manager,stock.group_stock_user",
        )
        usd = self.env.ref("base.USD")
        self.env["product.pricelist"].create({"name": "Tour USD", "currency_id": usd.id, "sequence": 1})
        self.env["product.product"].create({"name": "Tour Tee", "default_code": "TOUR-TEE"})
        mug = self.env["product.product"].create({"name": "Tour Mug"})
        self.start_tour(
            "/odoo/action-omni_channel_sync.omni_channel_action",
            "omni_channel_inbox_tour",
            login="omni_tour_manager",
        )
        order = self.env["sale.order"].search([("omni_external_ref", "=", "TOUR-1")])
        self.assertEqual(order.omni_channel_id.code, "tour_api")
        self.assertIn(mug, order.order_line.product_id)
        listing = self.env["omni.channel.listing"].search([("external_sku", "=", "TOUR-NEW")])
        self.assertEqual(listing.product_id, mug)
