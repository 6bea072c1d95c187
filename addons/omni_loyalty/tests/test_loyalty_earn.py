from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .loyalty_earn_common import LoyaltyEarnCase


@tagged("post_install", "-at_install")
class TestLoyaltyEarnRules(LoyaltyEarnCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rule = cls.env["omni.loyalty.earn.rule"]
        cls.every_channel = Rule.create({"program_id": cls.program.id, "rate": 2})
        cls.shopee_rule = Rule.create(
            {
                "program_id": cls.program.id,
                "channel_id": cls.shopee.id,
                "rate": 3,
                "multiplier": 3,
                "minimum_amount": 100000,
                "multiplier_ids": [(0, 0, {"categ_id": cls.fashion.id, "multiplier": 2})],
            }
        )

    def test_channel_rule_rate_and_minimum(self):
        earn = self.program._omni_earn_points
        self.assertEqual(earn(self.shopee, [(99999, False)]), (0.0, 99999))
        self.assertEqual(earn(self.shopee, [(100000, False)]), (300.0, 100000))
        self.assertEqual(earn(self.channel, [(100000, False)]), (200.0, 100000), "the every-channel rule")
        self.assertEqual(earn(self.shopee, [(100000, False)], multiplier=1.5), (450.0, 100000))
        self.every_channel.unlink()
        self.assertEqual(earn(self.channel, [(100000, False)]), (100.0, 100000), "the program's own rate")

    def test_category_multiplier_covers_sub_categories(self):
        earn = self.program._omni_earn_points
        self.assertEqual(earn(self.shopee, [(100000, self.shirts), (50000, False)])[0], 750.0)
        self.shopee_rule.multiplier_ids = [(0, 0, {"categ_id": self.shirts.id, "multiplier": 4})]
        self.assertEqual(earn(self.shopee, [(100000, self.shirts)])[0], 1200.0, "the closest category wins")

    def test_layer_on_the_program_rules_points(self):
        """Orders bring the points the program's rules gave them: the channel multiplier, the
        categories' share, the minimum and the tier apply on top; no rule, nothing changes."""
        earn = self.program._omni_earn_points
        self.assertEqual(earn(self.shopee, [(100000, False)], points=50), (150.0, 100000))
        self.assertEqual(earn(self.shopee, [(99999, False)], points=50), (0.0, 99999))
        # A third of the spend in fashion (x 2): the points weigh 4/3, times the channel's 3.
        self.assertEqual(earn(self.shopee, [(100000, self.shirts), (200000, False)], points=30)[0], 120.0)
        self.assertEqual(earn(self.shopee, [(100000, False)], points=50, multiplier=1.5)[0], 225.0)
        self.assertEqual(earn(self.channel, [(100000, False)], points=50)[0], 50.0, "the every-channel rule")
        self.every_channel.unlink()
        self.assertEqual(
            earn(self.channel, [(0, False)], points=7.77), (7.77, 0), "Odoo's points as they are"
        )

    def test_one_rule_per_channel(self):
        with self.assertRaises(ValidationError):
            self.env["omni.loyalty.earn.rule"].create(
                {"program_id": self.program.id, "channel_id": self.shopee.id}
            )

    def test_order_earns_net_of_discounts_without_shipping(self):
        self.every_channel.unlink()
        self.ingest(self.order(status="ready_to_ship"))
        order = self.sale_orders()
        move = self.earn_of(order)
        # 2 x 150,000 + 60,000 - 20,000 (seller) - 10,000 (platform); shipping 30,000 left out
        self.assertEqual(move.amount, 330000)
        self.assertEqual(move.points, 330)
        self.assertEqual((move.state, move.move_type, move.channel_id), ("posted", "earn", self.channel))
        self.assertEqual(move.reference, "SO-1001")
        self.assertEqual(move.card_id.points, 330)

    def test_order_category_multiplier_on_its_share_of_discounts(self):
        self.ingest_on(self.shopee, self.order(status="ready_to_ship"))
        order = self.sale_order(self.shopee)
        move = self.earn_of(order)
        self.assertEqual(order.coupon_point_ids.points, 330, "the program's rule: 1 point per 1,000")
        # The discounts spread over the goods: tee 300,000 → 275,000 (x2), mug 60,000 → 55,000;
        # the rule's 330 points weigh as the goods do, times the channel's 3.
        self.assertEqual(move.amount, 330000)
        self.assertEqual(move.points, 330 * (275000 * 2 + 55000) / 330000 * 3)
        self.assertEqual(move.state, "pending", "marketplace points wait for the return window")

    def test_api_earn_and_orders_share_the_rules(self):
        Card = self.Card.with_user(self.integrator)
        partner = self.env["res.partner"].create({"name": "Lê Thu"})
        below = Card.api_loyalty_earn("loy_shopee", partner.id, 50000, "API-1")
        self.assertEqual((below["move_id"], below["points"]), (False, 0.0))
        earned = Card.api_loyalty_earn("loy_shopee", partner.id, 200000, "API-2")
        self.assertEqual(earned["points"], 600)
        self.assertEqual(self.Move.browse(earned["move_id"]).amount, 200000)

    def test_tier_multiplier_applies_to_earns(self):
        partner = self.env["res.partner"].create({"name": "Hoàng Yến"})
        tier = self.env["omni.loyalty.tier"].create(
            {"program_id": self.program.id, "name": "Vàng", "threshold": 10**9, "earn_multiplier": 1.5}
        )
        card = self.Card.create({"partner_id": partner.id, "program_id": self.program.id})
        card.sudo().omni_tier_id = tier
        earned = self.Card.with_user(self.integrator).api_loyalty_earn(
            "partner_api", partner.id, 100000, "T-1"
        )
        self.assertEqual(earned["points"], 300)
