import uuid

from odoo import Command, fields
from odoo.tests import tagged

from .test_einvoice import TEMPLATE, EinvoiceCase

CASH_REGISTER_SYMBOL = "C26MAA"  # C: with the tax authority's code, M: generated from a cash register
PRICE = 100000


class PosEinvoiceCase(EinvoiceCase):
    """A store whose point of sale issues e-invoices under the cash-register symbol, its session open."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref("point_of_sale.group_pos_manager")
        Symbol = cls.env["l10n_vn_edi_viettel.sinvoice.symbol"]
        values = {"name": CASH_REGISTER_SYMBOL, "invoice_template_id": cls.symbol.invoice_template_id.id}
        cls.cash_register_symbol = Symbol.search([(key, "=", value) for key, value in values.items()])
        cls.cash_register_symbol = cls.cash_register_symbol or Symbol.create(values)
        cls.cash = cls.env["pos.payment.method"].create(
            {"name": "Tiền mặt", "journal_id": cls.company_data["default_journal_cash"].id}
        )
        cls.config = cls.env["pos.config"].create(
            {
                "name": "Cửa hàng Lê Lợi",
                "invoice_journal_id": cls.company_data["default_journal_sale"].id,
                "payment_method_ids": [Command.set(cls.cash.ids)],
                "omni_einvoice": True,
                "omni_einvoice_symbol_id": cls.cash_register_symbol.id,
            }
        )
        cls.product_a.available_in_pos = True
        cls.retail_buyer = cls.env.ref("omni_vn_einvoice.partner_retail_buyer")

    def setUp(self):
        super().setUp()
        self.config.open_ui()
        self.pos_session = self.config.current_session_id
        self.pos_session.set_opening_control(0, None)

    def sell(self, partner=None, quantity=2, to_invoice=False, refunding=None):
        """A paid receipt, as the till sends it; ``refunding``: an order whose products come back
        (``quantity`` of them) and the money paid back."""
        quantity = -quantity if refunding else quantity
        buyer = partner or (refunding.partner_id if refunding else self.env["res.partner"])
        taxes = self.product_a.taxes_id
        amounts = taxes.compute_all(PRICE, self.pos_session.currency_id, quantity, product=self.product_a)
        total, untaxed = amounts["total_included"], amounts["total_excluded"]
        ref = str(uuid.uuid4())
        data = {
            "amount_paid": total,
            "amount_return": 0,
            "amount_tax": total - untaxed,
            "amount_total": total,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "fiscal_position_id": False,
            "pricelist_id": self.config.pricelist_id.id,
            "name": f"Order {ref}",
            "last_order_preparation_change": "{}",
            "lines": [
                Command.create(
                    {
                        "product_id": self.product_a.id,
                        "qty": quantity,
                        "price_unit": PRICE,
                        "price_subtotal": untaxed,
                        "price_subtotal_incl": total,
                        "tax_ids": [Command.set(taxes.ids)],
                        "discount": 0,
                        "pack_lot_ids": [],
                        "refunded_orderline_id": refunding.lines.id if refunding else False,
                    }
                )
            ],
            "partner_id": buyer.id,
            "session_id": self.pos_session.id,
            "sequence_number": 1,
            "payment_ids": [
                Command.create(
                    {"amount": total, "name": fields.Datetime.now(), "payment_method_id": self.cash.id}
                )
            ],
            "uuid": ref,
            "user_id": self.env.uid,
            "to_invoice": to_invoice,
        }
        result = self.env["pos.order"].sync_from_ui([data])
        return self.env["pos.order"].browse(result["pos.order"][0]["id"])

    def run_pos_job(self):
        return self.env["pos.order"]._omni_einvoice_run()

    def close_session(self):
        self.pos_session.post_closing_cash_details(sum(self.pos_session.order_ids.mapped("amount_paid")))
        self.assertTrue(self.pos_session.close_session_from_ui()["successful"])
        self.assertEqual(self.pos_session.state, "closed")

    def assert_sales_booked_once(self, orders):
        """Revenue posted in the company (closing entry, invoices, reversals) is the orders' untaxed
        total, once; the closing entry is posted, hence balanced."""
        lines = self.env["account.move.line"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "in", ("income", "income_other")),
            ]
        )
        self.assertAlmostEqual(
            -sum(lines.mapped("balance")), sum(orders.mapped(lambda o: o.amount_total - o.amount_tax))
        )
        if self.pos_session.move_id:
            self.assertEqual(self.pos_session.move_id.state, "posted")


@tagged("post_install", "-at_install")
class TestPosEinvoice(PosEinvoiceCase):
    """A store's receipts get their e-invoices from the cash register, after the cashier is done."""

    def test_receipts_get_cash_register_e_invoices_once_the_cashier_is_done(self):
        consumer = self.sell()
        business = self.sell(self.business, to_invoice=True)
        self.assertFalse(consumer.account_move, "The till only records the sale.")
        self.assertEqual(business.omni_einvoice_state, "to_send")
        self.assertEqual(business.account_move.l10n_vn_edi_invoice_symbol, self.cash_register_symbol)
        self.assertFalse(self.issued(), "Not even an invoice asked for at the till waits on SInvoice.")
        self.assertTrue(
            self.env["ir.cron.trigger"].search(
                [("cron_id", "=", self.env.ref("omni_vn_einvoice.ir_cron_einvoice").id)]
            ),
            "The scheduled job runs in the background right after.",
        )

        self.assertEqual(
            self.run_pos_job(), {"invoiced": 1, "sent": 2, "failed": 0, "cancelled": 0, "paid": 0}
        )
        self.assertEqual(consumer.partner_id, self.retail_buyer)
        self.assertEqual(consumer.state, "invoiced")
        late = self.sell()
        self.close_session()
        self.assertEqual(
            late.omni_einvoice_state, "to_send", "Invoiced at closing, out of the closing entry."
        )
        self.assertEqual(len(self.issued()), 2, "Closing does not wait on SInvoice either.")
        self.assert_sales_booked_once(consumer | business | late)
        self.assertFalse(
            self.pos_session.move_id.line_ids.filtered(lambda line: line.account_id.account_type == "income"),
            "Every order is booked through its invoice.",
        )

        self.env["sale.order"]._cron_omni_einvoice()  # the scheduled job
        orders = consumer | business | late
        self.assertEqual(set(orders.mapped("omni_einvoice_state")), {"sent"})
        issued = {invoice["invoiceNo"]: invoice for invoice in self.issued()}
        self.assertEqual(len(issued), 3)
        for order in orders:
            invoice = order.account_move
            self.assertIn(invoice.l10n_vn_edi_invoice_state, ("sent", "payment_state_to_update"))
            self.assertEqual(order.omni_einvoice_number, invoice.l10n_vn_edi_invoice_number)
            sinvoice = issued[invoice.l10n_vn_edi_invoice_number]
            self.assertEqual(
                (sinvoice["templateCode"], sinvoice["invoiceSeries"]), (TEMPLATE, CASH_REGISTER_SYMBOL)
            )
        self.assertEqual(issued[consumer.omni_einvoice_number]["buyerName"], self.retail_buyer.name)
        self.assertEqual(issued[business.omni_einvoice_number]["buyerTaxCode"], "0100109106")
        self.assertEqual(
            business.action_omni_einvoice_download()["url"],
            f"/web/content/{business.account_move.l10n_vn_edi_sinvoice_pdf_file_id.id}?download=true",
        )
        self.assert_sales_booked_once(orders)

    def test_refund_at_the_till_adjusts_the_e_invoice(self):
        order = self.sell()
        self.run_pos_job()
        original = order.account_move
        refund = self.sell(refunding=order)
        counts = self.run_pos_job()
        self.assertEqual((counts["invoiced"], counts["sent"]), (1, 1))
        credit_note = refund.account_move
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.reversed_entry_id, original)
        self.assertEqual(credit_note.partner_id, self.retail_buyer)
        self.assertEqual(refund.omni_einvoice_state, "sent")
        self.assertEqual(original.l10n_vn_edi_invoice_state, "adjusted")
        issued = {invoice["invoiceNo"]: invoice for invoice in self.issued()}
        adjustment = issued[refund.omni_einvoice_number]
        self.assertEqual(adjustment["adjustmentType"], "5")
        self.assertEqual(adjustment["originalInvoiceId"], original.l10n_vn_edi_invoice_number)
        self.assertEqual(adjustment["invoiceSeries"], CASH_REGISTER_SYMBOL)
        self.close_session()
        self.assert_sales_booked_once(order | refund)

    def test_receipt_returned_whole_before_its_e_invoice_nets_out(self):
        order = self.sell()
        refund = self.sell(refunding=order)
        kept = self.sell(quantity=1)
        self.close_session()
        self.assertEqual((order.omni_einvoice_state, refund.omni_einvoice_state), ("refunded", "refunded"))
        self.assertFalse((order | refund).account_move)
        self.assertEqual(kept.omni_einvoice_state, "to_send")
        self.assertEqual(self.run_pos_job()["sent"], 1)
        self.assertEqual(len(self.issued()), 1, "Only the receipt kept gets an e-invoice.")
        self.assert_sales_booked_once(order | refund | kept)

    def test_refusal_is_visible_and_retried(self):
        self.business.street = False  # SInvoice wants a business buyer's address
        order = self.sell(self.business)
        counts = self.run_pos_job()
        self.assertEqual((counts["invoiced"], counts["sent"], counts["failed"]), (1, 0, 1))
        self.assertEqual(order.omni_einvoice_state, "failed")
        self.assertIn("buyerAddressLine", order.omni_einvoice_error)
        self.assertEqual(
            self.env["pos.order"].search([("omni_einvoice_state", "=", "failed"), ("id", "=", order.id)]),
            order,
            "The E-invoice failed filter finds it.",
        )
        self.business.street = "25 Nguyễn Huệ"
        self.assertEqual(self.run_pos_job()["sent"], 1, "The next run sends it again.")
        self.assertEqual(order.omni_einvoice_state, "sent")
        self.assertFalse(order.omni_einvoice_error)
        self.close_session()
        self.assert_sales_booked_once(order)

    def test_partial_return_before_closing_is_the_adjustment_of_its_e_invoice(self):
        order = self.sell()
        refund = self.sell(quantity=1, refunding=order)
        self.close_session()
        self.assertEqual(
            refund.account_move.reversed_entry_id, order.account_move, "Both invoiced at closing."
        )
        self.env["sale.order"]._cron_omni_einvoice()
        self.assertEqual((order.omni_einvoice_state, refund.omni_einvoice_state), ("sent", "sent"))
        adjustment = {invoice["invoiceNo"]: invoice for invoice in self.issued()}[refund.omni_einvoice_number]
        self.assertEqual(adjustment["originalInvoiceId"], order.omni_einvoice_number)
        self.assertEqual(adjustment["totalAmountWithTax"], -refund.account_move.amount_total, "One of two.")
        self.assert_sales_booked_once(order | refund)

    def test_order_invoiced_after_closing_is_reversed_out_of_the_closing_entry(self):
        journal = self.config.invoice_journal_id
        self.config.invoice_journal_id = self.company_data["default_journal_purchase"]  # no sale invoices
        order = self.sell()
        self.assertEqual(self.run_pos_job()["invoiced"], 0)
        self.assertEqual(order.omni_einvoice_state, "failed")
        refund = self.sell(quantity=1, refunding=order)
        self.close_session()
        self.assertEqual((order.state, order.omni_einvoice_state), ("done", "failed"))
        self.assertEqual(
            (refund.state, refund.omni_einvoice_state), ("done", False), "It waits for the order."
        )
        self.assertTrue(
            self.pos_session.move_id.line_ids.filtered(lambda line: line.account_id.account_type == "income")
        )
        self.config.invoice_journal_id = journal
        self.env["sale.order"]._cron_omni_einvoice()
        self.assertEqual((order.omni_einvoice_state, refund.omni_einvoice_state), ("sent", "sent"))
        self.assertEqual(refund.account_move.reversed_entry_id, order.account_move, "Its adjustment.")
        self.assertEqual(
            self.env["account.move"]
            .search([("reversed_pos_order_id", "in", (order | refund).ids), ("state", "=", "posted")])
            .reversed_pos_order_id,
            order | refund,
            "Odoo takes both out of the closing entry.",
        )
        self.assert_sales_booked_once(order | refund)
