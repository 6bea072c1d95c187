from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, tagged

from .loyalty_common import create_channel, create_reward_program


@tagged("post_install", "-at_install")
class TestLoyaltyLiability(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = create_reward_program(cls.env, "Thành viên nợ điểm", omni_points_validity_months=12)
        cls.gold = cls.env["omni.loyalty.tier"].create(
            {"program_id": cls.program.id, "name": "Vàng", "threshold": 1000}
        )
        cls.tiki = create_channel(cls.env, "Tiki nợ điểm", "loy-liab-tiki", channel_type="tiki")
        cls.Report = cls.env["omni.loyalty.liability.report"]

    def _card(self, name, tier=None):
        partner = self.env["res.partner"].create({"name": name})
        card = self.env["loyalty.card"].create({"partner_id": partner.id, "program_id": self.program.id})
        if tier:
            card.omni_tier_id = tier
        return card

    def _by(self, groupby):
        self.env.flush_all()
        rows = self.Report._read_group(
            [("program_id", "=", self.program.id)],
            [groupby],
            ["points:sum", "points_expiring_30:sum", "points_expiring_90:sum", "value:sum"],
        )
        return {group: values for group, *values in rows}

    def test_outstanding_points_by_tier_and_channel(self):
        gold_card, plain_card = self._card("Khách vàng", self.gold), self._card("Khách thường")
        # The view measures expiry from the database's own date.
        today = fields.Date.today()
        gold_card._omni_post("earn", 100, "liab-1", channel=self.tiki, expiry=today + timedelta(days=10))
        gold_card._omni_post("earn", 50, "liab-2", expiry=today + timedelta(days=75))
        plain_card._omni_post("earn", 40, "liab-3", channel=self.tiki, expiry=today + timedelta(days=365))
        gold_card._omni_post("redeem", -30, "liab-4")  # from the lot expiring first

        by_tier = self._by("tier_id")
        self.assertEqual(by_tier[self.gold][:3], [120, 70, 120])
        self.assertEqual(by_tier[self.env["omni.loyalty.tier"]][:3], [40, 0, 0])
        by_channel = self._by("channel_id")
        self.assertEqual(by_channel[self.tiki][0], 110)
        self.assertEqual(by_channel[self.env["omni.channel"]][0], 50)
        # The program's reward, 50 off the order for 100 points, values a point at 0.5.
        self.assertEqual(by_tier[self.gold][3], 120 * 0.5)
        # A reward of 500 off per point, the best, gives the points their value.
        self.program.reward_ids = [
            Command.create({"reward_type": "discount", "discount_mode": "per_point", "discount": 500})
        ]
        self.assertEqual(self._by("program_id")[self.program][3], 160 * 500)
