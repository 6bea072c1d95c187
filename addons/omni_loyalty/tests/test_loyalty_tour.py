from odoo.tests import HttpCase, new_test_user, tagged

from .loyalty_common import create_channel, create_default_program


@tagged("post_install", "-at_install", "omni_tour")
class TestLoyaltyTierTour(HttpCase):
    def test_manager_configures_a_tier_and_a_rule_then_sees_the_customer(self):
        new_test_user(
            self.env,
            "omni_loyalty_tour_manager",
            groups="omni_channel_sync.group_manager,sales_team.group_sale_manager,base.group_partner_manager",
        )
        program = create_default_program(self.env, "Thành viên Tour")
        channel = create_channel(self.env, "Tour Shopee", "tour_shopee", channel_type="shopee")
        customer = self.env["res.partner"].create({"name": "Khách Tour"})
        card = self.env["loyalty.card"].create({"partner_id": customer.id, "program_id": program.id})
        # A marketplace order whose return window is still open.
        card._omni_post("earn", 120, "tour-pending", channel=channel, state="pending", reference="TOUR-SHP-1")
        self.start_tour(
            "/odoo/action-omni_loyalty.omni_loyalty_program_action",
            "omni_loyalty_tier_tour",
            login="omni_loyalty_tour_manager",
        )
        tier = program.omni_tier_ids
        self.assertEqual((tier.name, tier.threshold, tier.earn_multiplier), ("Vàng", 1000000, 2))
        self.assertEqual(program.omni_earn_rule_ids.channel_id, channel)
        self.assertEqual(card.omni_tier_id, tier)
        self.assertEqual(card.points, 4500)
