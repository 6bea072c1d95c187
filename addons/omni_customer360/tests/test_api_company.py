import math

from odoo.addons.omni_channel_sync.tests.company_common import OmniTwoCompaniesCase
from odoo.exceptions import ValidationError
from odoo.tests import tagged

TEE = [{"line_id": "L1", "sku": "TEE-M", "quantity": 1, "unit_price": 150000}]


@tagged("post_install", "-at_install")
class TestCustomerApiCompany(OmniTwoCompaniesCase):
    """An integrator of company A finds no customer of company B, and sees nothing B knows of a
    customer both companies share."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shared = cls.env["res.partner"].create(
            {"name": "Khách chung", "phone": "0911111111", "customer_rank": 1}
        )
        b_api = cls.env["omni.channel"].with_user(cls.manager_b)
        buyers = (
            ("SO-B-1", {"buyer_id": "b-buyer-1", "name": "Khách chung", "phone": "0911111111"}),
            ("SO-B-2", {"buyer_id": "b-new", "name": "Người mua B", "phone": "0977777777"}),
        )
        for external_id, customer in buyers:
            (result,) = b_api.api_ingest_orders(
                "b_shop", [cls.order(external_id, status="ready_to_ship", customer=customer, lines=TEE)]
            )
            assert result["status"] == "created", result
        (result,) = (
            cls.env["omni.channel"]
            .with_user(cls.integrator)
            .api_ingest_orders(
                "partner_api",
                [
                    cls.order(
                        "SO-A-1",
                        status="ready_to_ship",
                        customer={"buyer_id": "a-buyer-1", "name": "Khách chung", "phone": "0911111111"},
                        lines=TEE,
                    )
                ],
            )
        )
        assert result["status"] == "created", result
        cls.sale_a = cls.env["sale.order"].browse(result["sale_order_id"])
        cls.buyer_b = cls.env["sale.order"].search([("omni_external_ref", "=", "SO-B-2")]).partner_id
        cls.env["res.partner"]._omni_compute_metrics(cls.shared | cls.buyer_b)
        cls.env["omni.customer.consent"].create(
            {
                "partner_id": cls.shared.id,
                "purpose": "marketing",
                "channel_id": cls.channel_b.id,
                "granted": True,
            }
        )
        cls.Partner = cls.env["res.partner"].with_user(cls.integrator)

    def test_channel_buyers_belong_to_the_channels_company(self):
        self.assertEqual(self.buyer_b.company_id, self.company_b)
        self.assertEqual(self.sale_a.partner_id, self.shared)

    def test_two_companies_customers_are_no_duplicates(self):
        """The same phone at two companies is two customers: the duplicate scan never pairs them."""
        answer = self.Partner.api_resolve_customer({"phone": "0977777777"})
        Candidate = self.env["omni.merge.candidate"]
        Candidate._scan_duplicates()
        ids = [self.buyer_b.id, answer["partner_id"]]
        self.assertFalse(Candidate.search([("partner_a_id", "in", ids), ("partner_b_id", "in", ids)]))

    def test_resolve_never_finds_another_companys_customer(self):
        for identifiers in (
            {"phone": "0987654321"},
            {"email": "khach.b@example.vn"},
            {"phone": "0977777777"},
            {"channel_code": "partner_api", "buyer_id": "b-new"},
        ):
            with self.subTest(identifiers=identifiers):
                answer = self.Partner.api_resolve_customer(identifiers)
                self.assertTrue(answer["created"], answer)
                partner = self.env["res.partner"].browse(answer["partner_id"])
                self.assertEqual(partner.company_id, self.company_a)
        with self.assertRaisesRegex(ValidationError, "No channel with code b_shop"):
            self.Partner.api_resolve_customer({"channel_code": "b_shop", "buyer_id": "b-new"})
        # A customer every company shares is found.
        answer = self.Partner.api_resolve_customer({"phone": "0911111111"})
        self.assertEqual((answer["partner_id"], answer["created"]), (self.shared.id, False))

    def test_profile_of_another_companys_customer_is_refused(self):
        for partner in (self.customer_b, self.buyer_b):
            with (
                self.subTest(partner=partner.name),
                self.assertRaisesRegex(ValidationError, "No active customer"),
            ):
                self.Partner.api_customer_profile(partner.id)

    def test_profile_of_a_shared_customer_shows_only_the_callers_data(self):
        profile = self.Partner.api_customer_profile(self.shared.id)
        self.assertEqual([channel["channel"] for channel in profile["channels"]], ["partner_api"])
        self.assertNotIn("b-buyer-1", [identity["value"] for identity in profile["identities"]])
        self.assertIn("a-buyer-1", [identity["value"] for identity in profile["identities"]])
        self.assertEqual(profile["consents"], [])
        metrics = profile["metrics"]
        self.assertEqual(metrics["order_count"], 1)
        self.assertEqual(metrics["revenue"], profile["channels"][0]["revenue"])
        self.assertEqual(metrics["preferred_channel"], "partner_api")
        self.assertFalse(metrics["segment"])
        # Both companies' orders are in the stored metrics, which B's manager would not see either.
        self.assertEqual(self.shared.omni_order_count, 2)

    def test_hostile_arguments_are_refused_cleanly(self):
        for identifiers in (
            None,
            ["0912345678"],
            {"phone": "09\x0012"},
            {"email": "\ud800@example.vn"},
            {"phone": ["0912345678"]},
            {"phone": 912345678},
            {"zalo": {"id": 1}},
            {"phone": "0912345678", "name": "x" * 100_000},
            {"phone": "0912345678", "name": "An\x00"},
            {"channel_code": 7, "buyer_id": "b"},
            {"buyer_id": "b"},
            {},
        ):
            with self.subTest(identifiers=str(identifiers)[:60]), self.assertRaises(ValidationError):
                self.Partner.api_resolve_customer(identifiers)
        for partner_id in (None, "1", 1.5, -1, 0, 2**31, 10**30, math.nan, [1], True):
            with self.subTest(partner_id=partner_id), self.assertRaises(ValidationError):
                self.Partner.api_customer_profile(partner_id)
