from psycopg2 import IntegrityError

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestCustomerPrivacy(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        user_values = {"company_id": company.id, "company_ids": [Command.set(company.ids)]}
        cls.manager = new_test_user(
            cls.env,
            "c360_privacy_manager",
            groups="omni_channel_sync.group_manager,base.group_partner_manager",
            **user_values,
        )
        cls.omni_user = new_test_user(
            cls.env,
            "c360_privacy_user",
            groups="omni_channel_sync.group_user,base.group_partner_manager",
            **user_values,
        )
        cls.integrator = new_test_user(
            cls.env,
            "c360_privacy_integrator",
            groups="base.group_portal,omni_channel_sync.group_integrator",
            **user_values,
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Hoàng Thị Giang",
                "phone": "0912000111",
                "mobile": "0398000111",
                "email": "giang@example.vn",
                "street": "7 Bà Triệu",
                "street2": "Phường Lê Đại Hành",
                "city": "Quận Hai Bà Trưng",
                "zip": "100000",
                "vat": "0101234567",
                "website": "https://giang.example.vn",
                "comment": "Thích giao buổi sáng",
                "customer_rank": 1,
            }
        )
        cls.delivery = cls.env["res.partner"].create(
            {
                "name": "Mẹ của Giang",
                "parent_id": cls.customer.id,
                "type": "delivery",
                "phone": "0912000222",
                "street": "1 Hàng Bạc",
            }
        )
        cls.env["omni.customer.consent"].sudo().create(
            {"partner_id": cls.customer.id, "purpose": "marketing", "granted": True}
        )

    def test_forget_erases_personal_data_and_keeps_accounting(self):
        invoice = self.init_invoice("out_invoice", partner=self.customer, amounts=[500000], post=True)
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(self.customer.omni_identity_ids)

        self.assertTrue(self.customer.with_user(self.manager).action_omni_forget())

        for partner in (self.customer, self.delivery):
            self.assertEqual(partner.name, f"Forgotten customer #{partner.id}")
            self.assertTrue(partner.omni_forgotten)
            self.assertFalse(partner.active)
            for field in ("phone", "mobile", "email", "street", "street2", "city", "zip", "vat", "website"):
                self.assertFalse(partner[field], f"{field} of {partner.id} is erased")
            self.assertFalse(partner.comment)
        Identity = self.env["omni.customer.identity"].sudo()
        self.assertFalse(Identity.search([("partner_id", "in", (self.customer | self.delivery).ids)]))
        self.assertFalse(
            self.env["omni.customer.consent"].sudo().search([("partner_id", "=", self.customer.id)])
        )
        self.assertFalse(Identity.search([("value", "in", ("+84912000111", "giang@example.vn"))]))
        invoice.invalidate_recordset()
        self.assertTrue(invoice.exists())
        self.assertEqual((invoice.state, invoice.partner_id), ("posted", self.customer))

    def test_a_forgotten_customer_is_not_recognized_again(self):
        self.customer.with_user(self.manager).action_omni_forget()
        Partner = self.env["res.partner"].with_user(self.integrator)
        answer = Partner.api_resolve_customer({"phone": "0912000111"})
        self.assertTrue(answer["created"])
        self.assertNotEqual(answer["partner_id"], self.customer.id)
        with self.assertRaises(ValidationError):
            Partner.api_customer_profile(self.customer.id)

    def test_only_managers_forget(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.omni_user).action_omni_forget()
        self.assertFalse(self.customer.omni_forgotten)
        self.assertEqual(self.customer.email, "giang@example.vn")

    def test_one_consent_per_purpose_and_channel(self):
        Consent = self.env["omni.customer.consent"].with_user(self.omni_user)
        self.assertTrue(Consent.create({"partner_id": self.customer.id, "purpose": "analytics"}).date)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            Consent.create({"partner_id": self.customer.id, "purpose": "marketing", "granted": False})

    def test_forget_button_is_for_managers(self):
        arch = self.env["res.partner"].with_user(self.manager).get_views([(False, "form")])["views"]["form"]
        self.assertIn("action_omni_forget", arch["arch"])
        arch = self.env["res.partner"].with_user(self.omni_user).get_views([(False, "form")])["views"]["form"]
        self.assertNotIn("action_omni_forget", arch["arch"])
