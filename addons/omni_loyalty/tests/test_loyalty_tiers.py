from freezegun import freeze_time

from odoo.tests import tagged

from .loyalty_earn_common import LoyaltyEarnCase


@tagged("post_install", "-at_install")
class TestLoyaltyTiers(LoyaltyEarnCase):
    """Silver from 2,000,000 spent over 12 months, Gold (points x 1.5) from 5,000,000."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Tier = cls.env["omni.loyalty.tier"]
        cls.silver = Tier.create({"program_id": cls.program.id, "name": "Bạc", "threshold": 2000000})
        cls.gold = Tier.create(
            {"program_id": cls.program.id, "name": "Vàng", "threshold": 5000000, "earn_multiplier": 1.5}
        )
        cls.partner = cls.env["res.partner"].create({"name": "Vũ Thị Mai"})
        cls.Api = cls.Card.with_user(cls.integrator)

    def earn(self, amount, reference):
        return self.Api.api_loyalty_earn("partner_api", self.partner.id, amount, reference)

    def test_upgrade_on_the_earn_that_crosses_a_threshold(self):
        self.earn(1500000, "A")
        card = self.card_of(self.partner)
        self.assertFalse(card.omni_tier_id)
        self.earn(1000000, "B")
        self.assertEqual(card.omni_tier_id, self.silver)
        self.earn(3000000, "C")
        self.assertEqual(card.omni_tier_id, self.gold, "straight up as the threshold is crossed")
        self.assertEqual(self.earn(100000, "D")["points"], 150, "Gold earns x 1.5")
        balance = self.Api.api_loyalty_balance(self.partner.id)
        self.assertEqual((balance["tier"], balance["tier_id"]), ("Vàng", self.gold.id))

    def test_downgrade_only_at_period_end(self):
        with freeze_time("2026-01-15"):
            self.earn(6000000, "OLD")
        card = self.card_of(self.partner)
        self.assertEqual(card.omni_tier_id, self.gold)
        with freeze_time("2026-06-20"):
            self.Api.api_loyalty_redeem("partner_api", self.partner.id, 5000, "R")
            self.Card._cron_review_tiers()
        self.assertEqual(card.omni_tier_id, self.gold, "redeeming points is no reason to fall")
        with freeze_time("2026-12-20"):
            self.earn(2500000, "NEW")
        with freeze_time("2027-01-20"):
            self.Card._cron_review_tiers()
            self.assertEqual(card.omni_tier_id, self.gold, "the window up to 2026-12-31 still holds OLD")
        with freeze_time("2027-01-31"):
            self.Card._cron_review_tiers()
            self.assertEqual(card.omni_tier_id, self.gold, "reviewed once a period: no fall mid-period")
        with freeze_time("2027-02-01"):
            self.Card._cron_review_tiers()
        self.assertEqual(card.omni_tier_id, self.silver, "OLD left the window at the period end")
        self.assertEqual(str(card.omni_tier_reviewed_on), "2027-02-01")

    def test_review_keeps_an_upgrade_earned_since_the_period_start(self):
        with freeze_time("2026-03-01 00:30:00"):
            self.earn(2500000, "EARLY")  # before the review of the new period has run
            card = self.card_of(self.partner)
            self.assertEqual(card.omni_tier_id, self.silver)
        with freeze_time("2026-03-01 03:00:00"):
            self.Card._cron_review_tiers()
        self.assertEqual(card.omni_tier_id, self.silver, "the window up to today reaches Silver")

    def test_a_return_does_not_downgrade_before_period_end(self):
        with freeze_time("2026-10-10"):
            order = self.env["sale.order"].create(
                {
                    "partner_id": self.partner.id,
                    "order_line": [
                        (0, 0, {"product_id": self.cap.id, "product_uom_qty": 1, "price_unit": 2500000})
                    ],
                }
            )
            order.action_confirm()
            card = self.card_of(self.partner)
            self.assertEqual(card.omni_tier_id, self.silver)
            order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(card.points, 0)
        self.assertEqual(card.omni_tier_id, self.silver)
        with freeze_time("2026-11-01"):
            self.Card._cron_review_tiers()
        self.assertFalse(card.omni_tier_id, "the review counts the reversal")

    def test_earned_points_basis_ignores_redemptions(self):
        self.program.omni_tier_basis = "points"
        self.silver.threshold, self.gold.threshold = 2000, 5000
        with freeze_time("2026-10-10"):
            self.earn(2500000, "A")
            self.Api.api_loyalty_redeem("partner_api", self.partner.id, 2500, "R")
        card = self.card_of(self.partner)
        self.assertEqual((card.omni_tier_id, card.points), (self.silver, 0))
        with freeze_time("2026-11-01"):
            self.Card._cron_review_tiers()
        self.assertEqual(card.omni_tier_id, self.silver)

    def test_vesting_is_an_event_that_upgrades(self):
        card = self.Card.create({"partner_id": self.partner.id, "program_id": self.program.id})
        move = card._omni_post("earn", 2500, "vest-up", state="pending", amount=2500000)
        self.assertFalse(card.omni_tier_id, "pending points do not qualify")
        card._omni_vest(move)
        self.assertEqual((card.omni_tier_id, card.points), (self.silver, 2500))
