from odoo import Command
from odoo.addons.omni_channel_sync.tests.common import OmniChannelCase

from .loyalty_common import create_default_program


class LoyaltyEarnCase(OmniChannelCase):
    """The channel case's API channel and products, a Shopee shop selling the same goods, and the
    company's default loyalty program: its rule gives 1 point per 1,000 spent on orders, the API
    earns as much, points valid 12 months."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = create_default_program(
            cls.env,
            "Thành viên",
            omni_earn_rate=1,
            omni_points_validity_months=12,
            trigger="auto",
            applies_on="both",
            rule_ids=[Command.create({"reward_point_mode": "money", "reward_point_amount": 0.001})],
        )
        (cls.tee | cls.cap | cls.mug).taxes_id = False
        Category = cls.env["product.category"]
        cls.fashion = Category.create({"name": "Thời trang"})
        cls.shirts = Category.create({"name": "Áo", "parent_id": cls.fashion.id})
        cls.tee.categ_id = cls.shirts
        cls.shopee = cls.env["omni.channel"].create(
            {
                "name": "Shopee VN",
                "code": "loy_shopee",
                "channel_type": "shopee",
                "pricelist_id": cls.pricelist.id,
                "return_window_days": 7,
            }
        )
        cls.env["omni.channel.listing"].create(
            {"channel_id": cls.shopee.id, "external_sku": "SHOP-MUG-01", "product_id": cls.mug.id}
        )
        cls.Card = cls.env["loyalty.card"]
        cls.Move = cls.env["omni.loyalty.move"]

    def ingest_on(self, channel, *orders):
        Channel = self.env["omni.channel"].with_user(self.integrator)
        return Channel.api_ingest_orders(channel.code, list(orders))

    def sale_order(self, channel, external_id="SO-1001"):
        return self.env["sale.order"].search(
            [("omni_channel_id", "=", channel.id), ("omni_external_ref", "=", external_id)]
        )

    def card_of(self, partner):
        return self.Card.search([("partner_id", "=", partner.id), ("program_id", "=", self.program.id)])

    def earn_of(self, order):
        return self.Move.search([("sale_order_id", "=", order.id), ("move_type", "=", "earn")])

    def reversals_of(self, move):
        return self.Move.search([("reversed_move_id", "=", move.id)])
