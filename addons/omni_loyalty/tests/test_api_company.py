import math

from odoo.addons.omni_channel_sync.tests.company_common import OmniTwoCompaniesCase
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .loyalty_common import create_default_program


@tagged("post_install", "-at_install")
class TestLoyaltyApiCompany(OmniTwoCompaniesCase):
    """An integrator of company A reads and moves no points of company B's programs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program_a = create_default_program(cls.env, "Thành viên A", omni_earn_rate=1)
        cls.program_b = create_default_program(
            cls.env_b, "Thành viên B", exclusive=False, omni_earn_rate=1, company_id=cls.company_b.id
        )
        cls.shared = cls.env["res.partner"].create({"name": "Khách chung", "phone": "0911111111"})
        b_card = cls.env["loyalty.card"].with_user(cls.manager_b)
        for customer in (cls.customer_b, cls.shared):
            b_card.api_loyalty_earn("b_shop", customer.id, 500000, f"B-{customer.id}")
        cls.cards_b = cls.env["loyalty.card"].search([("program_id", "=", cls.program_b.id)])
        assert len(cls.cards_b) == 2 and all(card.points > 0 for card in cls.cards_b), cls.cards_b
        cls.Card = cls.env["loyalty.card"].with_user(cls.integrator)

    def assert_b_unchanged(self):
        self.assertEqual(self.cards_b.mapped("points"), [500.0, 500.0])
        self.assertEqual(len(self.env["loyalty.card"].search([("program_id", "=", self.program_b.id)])), 2)

    def test_balance_reads_only_the_callers_program(self):
        with self.assertRaisesRegex(ValidationError, "No customer with id"):
            self.Card.api_loyalty_balance(self.customer_b.id)
        balance = self.Card.api_loyalty_balance(self.shared.id)
        self.assertEqual(
            (balance["program_id"], balance["card_id"], balance["available"]), (self.program_a.id, False, 0)
        )
        # B's customer's phone names a new customer of A, with no points.
        balance = self.Card.api_loyalty_balance({"phone": "0987654321"})
        self.assertNotEqual(balance["partner_id"], self.customer_b.id)
        self.assertEqual(balance["available"], 0)

    def test_earn_never_credits_another_companys_card(self):
        with self.assertRaisesRegex(ValidationError, "No channel with code b_shop"):
            self.Card.api_loyalty_earn("b_shop", self.shared.id, 100000, "E-1")
        with self.assertRaisesRegex(ValidationError, "No customer with id"):
            self.Card.api_loyalty_earn("partner_api", self.customer_b.id, 100000, "E-1")
        earned = self.Card.api_loyalty_earn("partner_api", self.shared.id, 100000, "E-1")
        card = self.env["loyalty.card"].search(
            [("partner_id", "=", self.shared.id), ("program_id", "=", self.program_a.id)]
        )
        self.assertEqual((earned["points"], earned["balance"], card.points), (100, 100, 100))
        self.assert_b_unchanged()

    def test_redeem_never_spends_another_companys_points(self):
        with self.assertRaisesRegex(ValidationError, "No channel with code b_shop"):
            self.Card.api_loyalty_redeem("b_shop", self.shared.id, 10, "R-1")
        with self.assertRaisesRegex(ValidationError, "No customer with id"):
            self.Card.api_loyalty_redeem("partner_api", self.customer_b.id, 10, "R-1")
        with self.assertRaisesRegex(UserError, "Not enough points"):
            self.Card.api_loyalty_redeem("partner_api", self.shared.id, 10, "R-1")
        self.assert_b_unchanged()

    def test_hostile_arguments_are_refused_cleanly(self):
        customer = self.shared.id
        calls = [
            ("api_loyalty_balance", (None,)),
            ("api_loyalty_balance", ("1",)),
            ("api_loyalty_balance", (-1,)),
            ("api_loyalty_balance", (10**30,)),
            ("api_loyalty_balance", ([customer],)),
            ("api_loyalty_balance", ({"phone": "09\x0011"},)),
            ("api_loyalty_balance", ({"email": "\ud800@example.vn"},)),
            ("api_loyalty_earn", ("partner_api", customer, math.nan, "E-1")),
            ("api_loyalty_earn", ("partner_api", customer, math.inf, "E-1")),
            ("api_loyalty_earn", ("partner_api", customer, -1, "E-1")),
            ("api_loyalty_earn", ("partner_api", customer, 10**30, "E-1")),
            ("api_loyalty_earn", ("partner_api", customer, "100", "E-1")),
            ("api_loyalty_earn", ("partner_api", customer, None, "E-1")),
            ("api_loyalty_earn", ("partner_api", customer, 100, None)),
            ("api_loyalty_earn", ("partner_api", customer, 100, "E\x00")),
            ("api_loyalty_earn", ("partner_api", customer, 100, "\udc00")),
            ("api_loyalty_earn", ("partner_api", customer, 100, "E" * 100_000)),
            ("api_loyalty_earn", ("partner_api", 2**31, 100, "E-1")),
            ("api_loyalty_redeem", ("partner_api", customer, 0, "R-1")),
            ("api_loyalty_redeem", ("partner_api", customer, math.nan, "R-1")),
            ("api_loyalty_redeem", ("partner_api", customer, -math.inf, "R-1")),
            ("api_loyalty_redeem", ("partner_api", customer, 10**30, "R-1")),
            ("api_loyalty_redeem", ("partner_api", customer, 10, ["R-1"])),
            ("api_loyalty_redeem", ("partner_api", True, 10, "R-1")),
        ]
        for method, args in calls:
            with self.subTest(method=method, args=str(args)[:80]), self.assertRaises(ValidationError):
                getattr(self.Card, method)(*args)
