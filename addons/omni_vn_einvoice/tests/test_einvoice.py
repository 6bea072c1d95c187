import importlib.util
import itertools
import sys
from pathlib import Path

import requests

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.omni_channel_sync.connectors.normalized_order import Line, Return, ReturnLine
from odoo.tests import tagged

if importlib.util.find_spec("sandbox") is None:
    # The simulator lives at the repository's root, two levels above this addon.
    sys.path.append(str(Path(__file__).resolve().parents[3]))

from sandbox.server import Simulator, serve_in_thread
from sandbox.sinvoice import SANDBOX_SELLER

TEMPLATE, SYMBOL = "1/001", "K26TAA"


class EinvoiceCase(AccountTestInvoicingCommon):
    """A Vietnamese company, the simulator's SInvoice, a channel issuing e-invoices at payment."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("vn")
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= (
            cls.env.ref("omni_channel_sync.group_manager")
            | cls.env.ref("sales_team.group_sale_manager")
            | cls.env.ref("stock.group_stock_manager")
        )
        cls.simulator = Simulator()
        cls.url, stop = serve_in_thread(cls.simulator)
        cls.addClassCleanup(stop)
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("omni_vn_einvoice.sinvoice_url", f"{cls.url}/sinvoice/")
        params.set_param("omni_vn_einvoice.calls_per_second", 15)
        cls.env.company.write(
            {
                "vat": SANDBOX_SELLER["tax_code"],
                "street": "65 Lê Lợi",
                "state_id": cls.env.ref("base.state_vn_VN-SG").id,
                "country_id": cls.env.ref("base.vn").id,
                "phone": "028 3823 4567",
                "l10n_vn_edi_username": SANDBOX_SELLER["username"],
                "l10n_vn_edi_password": SANDBOX_SELLER["password"],
            }
        )
        Template = cls.env["l10n_vn_edi_viettel.sinvoice.template"]
        template = Template.search([("name", "=", TEMPLATE)]) or Template.create(
            {"name": TEMPLATE, "template_invoice_type": "1"}
        )
        Symbol = cls.env["l10n_vn_edi_viettel.sinvoice.symbol"]
        cls.symbol = Symbol.search([("name", "=", SYMBOL), ("invoice_template_id", "=", template.id)])
        cls.symbol = cls.symbol or Symbol.create({"name": SYMBOL, "invoice_template_id": template.id})
        cls.channel = cls.env["omni.channel"].create(
            {
                "name": "Shopee hóa đơn",
                "code": "shopee_einvoice",
                "channel_type": "api",
                "pricelist_id": cls.env["product.pricelist"]
                .create({"name": "VND", "currency_id": cls.env.company.currency_id.id})
                .id,
                "einvoice_trigger": "payment",
                "einvoice_consumer_mode": "consolidated",
                "einvoice_symbol_id": cls.symbol.id,
            }
        )
        cls.product_a.default_code = "TEE-M"
        Partner = cls.env["res.partner"]
        cls.consumers = Partner.create(
            [{"name": f"N****n {n}", "street": "******", "phone": "******89"} for n in range(3)]
        )
        cls.business = Partner.create(
            {
                "name": "Công ty TNHH Cà Phê Sài Gòn",
                "is_company": True,
                "vat": "0100109106",
                "street": "25 Nguyễn Huệ",
                "country_id": cls.env.ref("base.vn").id,
            }
        )
        cls.refs = itertools.count(1)

    def order(self, partner, status="ready_to_ship", channel=None, cod=False, product=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "omni_channel_id": (channel or self.channel).id,
                "omni_external_ref": f"SO-{next(self.refs)}",
                "omni_status": status,
                "omni_is_cod": cod,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product_a.id,
                            "product_uom_qty": 2,
                            "price_unit": 100000,
                            "omni_sku": "TEE-M",
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    def setUp(self):
        super().setUp()
        self.issued_before = len(self.issued(since=0))

    def issued(self, since=None):
        """What the simulator issued during this test."""
        answer = requests.get(f"{self.url}/_sandbox/sinvoice/invoices", timeout=10).json()
        return answer["invoices"][self.issued_before if since is None else since :]

    def run_job(self, **kwargs):
        return self.env["sale.order"]._omni_einvoice_run(**kwargs)


@tagged("post_install", "-at_install")
class TestEinvoice(EinvoiceCase):
    """Channel orders get their SInvoice e-invoices from the simulator, as Odoo's module sends them."""

    def test_policy_says_which_orders_are_due(self):
        due = self.env["sale.order"]._omni_einvoice_due_domain()
        prepaid, cod = self.order(self.consumers[0]), self.order(self.consumers[1], cod=True)
        completed_cod = self.order(self.consumers[2], status="completed", cod=True)
        self.assertEqual(
            self.env["sale.order"].search([*due, ("id", "in", (prepaid | cod | completed_cod).ids)]),
            prepaid | completed_cod,
            "At payment: a prepaid order once confirmed, cash on delivery once completed.",
        )
        self.channel.einvoice_trigger = "completion"
        self.assertEqual(
            self.env["sale.order"].search([*due, ("id", "in", (prepaid | cod).ids)]), prepaid.browse()
        )
        self.channel.einvoice_trigger = "delivery"
        self.assertFalse(self.env["sale.order"].search([*due, ("id", "=", prepaid.id)]))
        picking = prepaid.picking_ids
        picking.move_ids.quantity = 2
        picking.button_validate()
        self.assertEqual(self.env["sale.order"].search([*due, ("id", "=", prepaid.id)]), prepaid)
        self.channel.einvoice_trigger = False
        self.assertFalse(self.env["sale.order"].search([*due, ("id", "=", prepaid.id)]))

    def test_batch_one_retail_buyer_invoice_and_one_per_business(self):
        consumers = (
            self.order(self.consumers[0]) | self.order(self.consumers[1]) | self.order(self.consumers[2])
        )
        business = self.order(self.business)
        counts = self.run_job()
        self.assertEqual(counts, {"invoiced": 4, "sent": 2, "failed": 0, "cancelled": 0, "paid": 0})
        retail = consumers.invoice_ids
        self.assertEqual(len(retail), 1, "The consumers' orders share one consolidated invoice.")
        self.assertEqual(retail.partner_id, self.env.ref("omni_vn_einvoice.partner_retail_buyer"))
        self.assertEqual(retail.l10n_vn_edi_invoice_symbol, self.symbol)
        self.assertEqual(retail.invoice_line_ids.sale_line_ids.order_id, consumers)
        self.assertEqual(len(business.invoice_ids), 1)
        self.assertEqual(set((consumers | business).mapped("omni_einvoice_state")), {"sent"})
        issued = {invoice["invoiceNo"]: invoice for invoice in self.issued()}
        for invoice in retail | business.invoice_ids:
            self.assertEqual(invoice.l10n_vn_edi_invoice_state, "sent")
            self.assertIn(invoice.l10n_vn_edi_invoice_number, issued)
            self.assertTrue(
                invoice.l10n_vn_edi_sinvoice_pdf_file_id, "The PDF is attached by the module's flow."
            )
            self.assertTrue(invoice.l10n_vn_edi_sinvoice_xml_file_id)
        self.assertEqual(
            issued[retail.l10n_vn_edi_invoice_number]["buyerName"], "Người mua không lấy hóa đơn"
        )
        self.assertEqual(
            issued[business.invoice_ids.l10n_vn_edi_invoice_number]["buyerTaxCode"], "0100109106"
        )
        download = business.action_omni_einvoice_download()
        self.assertEqual(
            download["url"],
            f"/web/content/{business.invoice_ids.l10n_vn_edi_sinvoice_pdf_file_id.id}?download=true",
        )
        self.assertEqual(business.omni_einvoice_count, 1)

    def test_refusal_is_visible_and_retried(self):
        self.business.street = False  # SInvoice wants a business buyer's address
        refused, other = self.order(self.business), self.order(self.consumers[0])
        counts = self.run_job()
        self.assertEqual((counts["sent"], counts["failed"]), (1, 1), "One refusal does not stop the batch.")
        self.assertEqual(other.omni_einvoice_state, "sent")
        self.assertEqual(refused.omni_einvoice_state, "failed")
        self.assertIn("buyerAddressLine", refused.omni_einvoice_error)
        self.assertIn("buyerAddressLine", refused.invoice_ids.omni_einvoice_error)
        self.assertEqual(
            self.env["sale.order"].search(
                [("omni_einvoice_state", "=", "failed"), ("id", "in", (refused | other).ids)]
            ),
            refused,
            "The E-invoice failed filter finds it.",
        )
        self.business.street = "25 Nguyễn Huệ"
        self.assertEqual(self.run_job()["sent"], 1, "The next run sends it again.")
        self.assertEqual(refused.omni_einvoice_state, "sent")
        self.assertFalse(refused.omni_einvoice_error or refused.invoice_ids.omni_einvoice_error)
        self.assertEqual(len(self.issued()), 2)

    def test_an_order_that_cannot_be_invoiced_holds_back_no_other(self):
        good, bad = self.order(self.business), self.order(self.consumers[0])
        bad.journal_id = self.company_data["default_journal_purchase"]  # no journal for a sale
        self.channel.einvoice_consumer_mode = "per_order"
        counts = self.run_job()
        self.assertEqual((counts["invoiced"], counts["sent"]), (1, 1))
        self.assertEqual(good.omni_einvoice_state, "sent")
        self.assertEqual((bad.omni_einvoice_state, bad.invoice_ids), ("failed", bad.invoice_ids.browse()))
        self.assertIn("journal", bad.omni_einvoice_error)
        bad.journal_id = False
        self.assertEqual(self.run_job()["invoiced"], 1, "The next run invoices it.")
        self.assertEqual(bad.omni_einvoice_state, "sent")

    def test_rerun_never_sends_twice(self):
        order = self.order(self.business)
        self.env["sale.order"]._cron_omni_einvoice()  # the scheduled job
        self.assertEqual(order.omni_einvoice_state, "sent")
        self.assertEqual(self.run_job(), {"invoiced": 0, "sent": 0, "failed": 0, "cancelled": 0, "paid": 0})
        invoice = order.invoice_ids
        number = invoice.l10n_vn_edi_invoice_number
        # SInvoice issued it but Odoo lost the answer: the retry finds it by its transaction uuid.
        invoice.l10n_vn_edi_invoice_state = "ready_to_send"
        self.assertEqual(self.run_job()["sent"], 1)
        self.assertEqual(invoice.l10n_vn_edi_invoice_number, number)
        self.assertEqual(len(self.issued()), 1)

    def test_an_invoice_another_run_sent_meanwhile_is_left_alone(self):
        """The scheduled job and a user's *Send now* may find the same invoice ready: the one that
        takes it second finds it sent and calls SInvoice no more."""
        order = self.order(self.business)
        self.assertEqual(order._omni_einvoice_issue(), 1)
        found_by_both = order.invoice_ids
        self.assertEqual(found_by_both._omni_einvoice_send(), 1)
        self.assertEqual(found_by_both._omni_einvoice_send(), 0)
        self.assertEqual(len(self.issued()), 1)

    def test_payment_status_follows_the_invoice(self):
        order = self.order(self.business)
        self.run_job()
        invoice = order.invoice_ids
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.assertEqual(invoice.l10n_vn_edi_invoice_state, "payment_state_to_update")
        self.assertEqual(self.run_job()["paid"], 1)
        self.assertEqual(invoice.l10n_vn_edi_invoice_state, "sent")
        self.assertTrue(self.issued()[0]["paymentStatus"])

    def test_channel_refund_is_an_adjustment_of_the_e_invoice(self):
        order = self.order(self.business)
        self.run_job()
        original = order.invoice_ids
        order._omni_refund(
            Return(
                return_id="RT-1",
                status="refunded",
                lines=[ReturnLine(sku="TEE-M", quantity=1)],
                refund_amount=110000,
            )
        )
        refund = order.invoice_ids.filtered(lambda move: move.move_type == "out_refund")
        self.assertEqual(refund.reversed_entry_id, original)
        self.assertEqual(refund.state, "posted")
        self.assertEqual(self.run_job()["sent"], 1)
        self.assertEqual(refund.l10n_vn_edi_invoice_state, "sent")
        self.assertEqual(original.l10n_vn_edi_invoice_state, "adjusted")
        issued = {invoice["invoiceNo"]: invoice for invoice in self.issued()}
        adjustment = issued[refund.l10n_vn_edi_invoice_number]
        self.assertEqual(adjustment["adjustmentType"], "5")
        self.assertEqual(adjustment["originalInvoiceId"], original.l10n_vn_edi_invoice_number)
        self.assertEqual(issued[original.l10n_vn_edi_invoice_number]["status"], "adjusted")

    def test_cancelled_order_cancels_its_e_invoice(self):
        order = self.order(self.business)
        self.run_job()
        invoice = order.invoice_ids
        order._omni_apply_status("cancelled")
        self.assertEqual(order.state, "cancel")
        self.assertEqual(order.omni_einvoice_state, "to_cancel")
        self.assertEqual(self.run_job()["cancelled"], 1)
        self.assertEqual(invoice.l10n_vn_edi_invoice_state, "canceled")
        self.assertEqual(order.omni_einvoice_state, "cancelled")
        issued = {invoice["invoiceNo"]: invoice for invoice in self.issued()}
        self.assertEqual(issued[invoice.l10n_vn_edi_invoice_number]["status"], "cancelled")

    def test_cancelled_order_of_a_consolidated_e_invoice_is_adjusted_out(self):
        kept, cancelled = self.order(self.consumers[0]), self.order(self.consumers[1])
        self.run_job()
        invoice = kept.invoice_ids
        self.assertEqual(cancelled.invoice_ids, invoice)
        cancelled._omni_apply_status("cancelled")
        refund = cancelled.invoice_ids.filtered(lambda move: move.move_type == "out_refund")
        self.assertEqual(refund.reversed_entry_id, invoice)
        self.assertEqual(refund.amount_total, cancelled.amount_total)
        self.assertEqual(self.run_job()["sent"], 1)
        self.assertEqual(invoice.l10n_vn_edi_invoice_state, "adjusted")
        self.assertEqual((kept.omni_einvoice_state, cancelled.omni_einvoice_state), ("sent", "cancelled"))
        issued = {invoice["invoiceNo"]: invoice for invoice in self.issued()}
        self.assertEqual(
            issued[refund.l10n_vn_edi_invoice_number]["originalInvoiceId"], invoice.l10n_vn_edi_invoice_number
        )

    def test_units_cancelled_after_the_e_invoice_are_adjusted_out_once(self):
        order = self.order(self.business)
        self.run_job()
        original = order.invoice_ids
        cancelled = [Line(sku="TEE-M", quantity=2, unit_price=100000, cancelled_quantity=1)]
        for _again in range(2):  # the channel says the same cancellation twice
            order._omni_cancel_lines(cancelled)
        self.assertEqual(order.order_line.product_uom_qty, 1)
        refund = order.invoice_ids.filtered(lambda move: move.move_type == "out_refund")
        self.assertEqual(len(refund), 1)
        self.assertEqual((refund.state, refund.reversed_entry_id), ("posted", original))
        self.assertEqual(refund.invoice_line_ids.quantity, 1)
        self.assertEqual(refund.amount_total, original.amount_total / 2)
        self.assertEqual(order.order_line.qty_invoiced, 1)
        self.assertEqual(order.omni_einvoice_state, "to_send")
        self.assertEqual(self.run_job()["sent"], 1)
        self.assertEqual(
            (refund.l10n_vn_edi_invoice_state, original.l10n_vn_edi_invoice_state), ("sent", "adjusted")
        )
        self.assertEqual(order.omni_einvoice_state, "sent")
        issued = {invoice["invoiceNo"]: invoice for invoice in self.issued()}
        adjustment = issued[refund.l10n_vn_edi_invoice_number]
        self.assertEqual(adjustment["adjustmentType"], "5")
        self.assertEqual(adjustment["originalInvoiceId"], original.l10n_vn_edi_invoice_number)
        self.assertEqual(len(issued), 2)
