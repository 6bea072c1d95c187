from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .loyalty_common import create_channel, create_reward_program, order_with_reward


@tagged("post_install", "-at_install", "omni_tour")
class TestLoyaltyRedeemTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(
            cls.env,
            "omni_loyalty_tour_manager",
            groups="omni_channel_sync.group_manager,sales_team.group_sale_manager",
        )
        cls.program = create_reward_program(cls.env, "Thành viên Tour")

    def test_manager_reads_the_liability_by_tier_and_channel(self):
        gold = self.env["omni.loyalty.tier"].create(
            {"program_id": self.program.id, "name": "Vàng Tour", "threshold": 1}
        )
        tiki = create_channel(self.env, "Tiki Tour", "loy-tour-tiki", channel_type="tiki")
        partner = self.env["res.partner"].create({"name": "Khách Vàng Tour"})
        card = self.env["loyalty.card"].create({"partner_id": partner.id, "program_id": self.program.id})
        card._omni_post(
            "earn", 120, "tour-liability", channel=tiki, expiry=fields.Date.today() + timedelta(days=20)
        )
        card.omni_tier_id = gold
        self.start_tour(
            "/odoo/action-omni_loyalty.omni_loyalty_liability_report_action",
            "omni_loyalty_liability_tour",
            login="omni_loyalty_tour_manager",
        )

    def test_confirmed_reward_shows_in_the_card_history(self):
        partner = self.env["res.partner"].create({"name": "Khách Tour"})
        product = self.env["product.product"].create({"name": "Tour Áo", "list_price": 200})
        card = self.env["loyalty.card"].create({"partner_id": partner.id, "program_id": self.program.id})
        card._omni_post("earn", 150, "tour-redeem-earn")
        order = order_with_reward(self.env, partner, product, card)
        self.start_tour(
            f"/odoo/action-sale.action_quotations/{order.id}",
            "omni_loyalty_confirm_reward_tour",
            login="omni_loyalty_tour_manager",
        )
        self.assertEqual(order.state, "sale")
        self.assertEqual(card.points, 50)
        self.start_tour(
            f"/odoo/loyalty.card/{card.id}",
            "omni_loyalty_card_history_tour",
            login="omni_loyalty_tour_manager",
        )
