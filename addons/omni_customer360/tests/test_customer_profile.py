from odoo.addons.omni_channel_sync.tests.common import OmniChannelCase
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .metrics_common import run_commit_hooks


@tagged("post_install", "-at_install")
class TestCustomerProfile(OmniChannelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"].with_user(cls.integrator)

    def profile(self, partner_id):
        return self.Partner.api_customer_profile(partner_id)

    def test_profile_of_a_channel_buyer(self):
        (result,) = self.ingest(self.order("PROF-1", status="ready_to_ship"))
        self.assertEqual(result["status"], "created", result)
        sale = self.env["sale.order"].browse(result["sale_order_id"])
        self.assertEqual(sale.state, "sale")
        run_commit_hooks(self)
        self.env["omni.customer.consent"].create(
            [
                {"partner_id": sale.partner_id.id, "purpose": "marketing", "granted": True, "source": "Zalo"},
                {
                    "partner_id": sale.partner_id.id,
                    "purpose": "analytics",
                    "channel_id": self.channel.id,
                    "granted": False,
                },
            ]
        )
        profile = self.profile(sale.partner_id.id)
        self.assertEqual(
            set(profile),
            {
                "partner_id",
                "name",
                "phone",
                "email",
                "identities",
                "channels",
                "metrics",
                "consents",
                "loyalty",
            },
        )
        self.assertEqual((profile["partner_id"], profile["name"]), (sale.partner_id.id, "Trần Thị Bình"))
        self.assertIn(
            {"kind": "buyer_id", "value": "buyer-77", "channel": "partner_api"}, profile["identities"]
        )
        self.assertIn({"kind": "phone", "value": "+84912345678", "channel": False}, profile["identities"])
        (channel,) = profile["channels"]
        self.assertEqual((channel["channel"], channel["order_count"]), ("partner_api", 1))
        self.assertGreater(channel["revenue"], 0)
        metrics = profile["metrics"]
        self.assertEqual(metrics["order_count"], 1)
        self.assertGreater(metrics["revenue"], 0)
        self.assertTrue(metrics["first_order_date"] and metrics["last_order_date"])
        self.assertIsInstance(metrics["last_order_date"], str, "dates travel as text over RPC")
        self.assertEqual(metrics["preferred_channel"], "partner_api")
        self.assertEqual(
            {(c["purpose"], c["channel"], c["granted"]) for c in profile["consents"]},
            {("marketing", False, True), ("analytics", "partner_api", False)},
        )
        self.assertIn("loyalty", profile)

    def test_profile_without_orders(self):
        resolved = self.Partner.api_resolve_customer({"email": "moi@example.vn", "name": "Khách mới"})
        profile = self.profile(resolved["partner_id"])
        self.assertEqual(profile["channels"], [])
        self.assertEqual((profile["metrics"]["order_count"], profile["metrics"]["revenue"]), (0, 0))
        self.assertEqual(profile["email"], "moi@example.vn")
        self.assertFalse(profile["phone"])

    def test_loyalty_hook_never_answers_none(self):
        partner = self.env["res.partner"].create({"name": "Khách", "customer_rank": 1})
        self.assertIsNotNone(partner._omni_profile_loyalty())

    def test_profile_checks_its_input(self):
        vendor = self.env["res.partner"].create({"name": "Nhà cung cấp", "supplier_rank": 1})
        archived = self.env["res.partner"].create({"name": "Cũ", "customer_rank": 1, "active": False})
        for bad in ("5", None, True, -1, 0, 10**9, vendor.id, archived.id, [1]):
            with self.subTest(partner_id=bad), self.assertRaises(ValidationError):
                self.profile(bad)

    def test_profile_needs_an_omnichannel_user_or_integrator(self):
        partner = self.env["res.partner"].create({"name": "Khách", "customer_rank": 1})
        outsider = new_test_user(self.env, "c360_profile_outsider", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(outsider).api_customer_profile(partner.id)
        omni_user = new_test_user(self.env, "c360_profile_user", groups="omni_channel_sync.group_user")
        self.assertEqual(
            self.env["res.partner"].with_user(omni_user).api_customer_profile(partner.id)["partner_id"],
            partner.id,
        )
