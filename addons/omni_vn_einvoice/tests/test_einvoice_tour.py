from odoo.tests import HttpCase, new_test_user, tagged

from .test_einvoice import EinvoiceCase
from .test_einvoice_pos import PosEinvoiceCase


@tagged("post_install", "-at_install", "omni_tour")
class TestEinvoiceTour(EinvoiceCase, HttpCase):
    def test_accountant_sets_the_policy_sends_and_resends_a_failed_order(self):
        accountant = new_test_user(
            self.env,
            "omni_einvoice_accountant",
            groups="account.group_account_manager,omni_channel_sync.group_manager,sales_team.group_sale_manager",
            company_id=self.env.company.id,
            company_ids=[self.env.company.id],
        )
        self.channel.write({"einvoice_trigger": False, "einvoice_symbol_id": False})
        paid = self.order(self.business)
        paid.user_id = accountant  # among the accountant's orders, until the filter leaves the failed one
        self.start_tour(
            f"/odoo/action-omni_channel_sync.omni_channel_action/{self.channel.id}",
            "omni_vn_einvoice_policy_tour",
            login="omni_einvoice_accountant",
        )
        self.assertEqual(
            (self.channel.einvoice_trigger, self.channel.einvoice_symbol_id), ("payment", self.symbol)
        )
        self.assertEqual(paid.omni_einvoice_state, "sent")
        failed = self.order(self.business)
        failed.write(
            {
                "name": "SO-FAILED",
                "user_id": accountant.id,
                "omni_einvoice_state": "failed",
                "omni_einvoice_error": "Timeout",
            }
        )
        self.start_tour(
            "/odoo/action-sale.action_orders",
            "omni_vn_einvoice_failed_tour",
            login="omni_einvoice_accountant",
        )
        self.assertEqual(failed.omni_einvoice_state, "sent")
        self.assertEqual(len(self.issued()), 2, "each order's e-invoice once")
        pdf = failed.invoice_ids.l10n_vn_edi_sinvoice_pdf_file_id
        self.assertEqual(
            failed.action_omni_einvoice_download()["url"], f"/web/content/{pdf.id}?download=true"
        )


@tagged("post_install", "-at_install", "omni_tour")
class TestPosEinvoiceTour(PosEinvoiceCase, HttpCase):
    def test_store_manager_finds_the_refused_receipt_and_downloads_a_sent_one(self):
        new_test_user(
            self.env,
            "omni_store_manager",
            groups="point_of_sale.group_pos_manager,account.group_account_invoice",
            company_id=self.env.company.id,
            company_ids=[self.env.company.id],
        )
        self.business.street = False  # SInvoice wants a business buyer's address
        refused, sent = self.sell(self.business), self.sell()
        self.run_pos_job()
        refused.name, sent.name = "POS-REFUSED", "POS-SENT"
        self.start_tour("/odoo/pos-orders", "omni_vn_einvoice_pos_tour", login="omni_store_manager")
