import logging

from psycopg2.errors import LockNotAvailable, SerializationFailure

from odoo import api, fields, models
from odoo.osv import expression

from .account_move import take_rows
from .sale_order import ISSUED_STATES, _commit, _pick

_logger = logging.getLogger(__name__)

# The states of a paid order (and of a refund) in the point of sale.
PAID_STATES = ("paid", "done", "invoiced")


class PosOrder(models.Model):
    _inherit = "pos.order"

    omni_einvoice_state = fields.Selection(
        [
            ("to_send", "To Send"),
            ("sent", "Sent"),
            ("failed", "Failed"),
            ("refunded", "Refunded Before Issue"),
        ],
        string="E-invoice",
        copy=False,
        readonly=True,
        index=True,
        help="Where the order's SInvoice e-invoice is, when its point of sale issues e-invoices: a "
        "failure is tried again by the next run of the scheduled job. An order returned whole before "
        "its e-invoice was issued gets none, nor does its refund.",
    )
    omni_einvoice_error = fields.Text(string="E-invoice Error", copy=False, readonly=True)
    omni_einvoice_number = fields.Char(
        related="account_move.l10n_vn_edi_invoice_number", string="E-invoice Number"
    )

    def action_omni_einvoice_download(self):
        """The PDF SInvoice issued for the order."""
        self.ensure_one()
        return self.account_move._omni_einvoice_pdf_action()

    def action_pos_order_paid(self):
        result = super().action_pos_order_paid()
        if self.config_id.omni_einvoice:
            # The scheduled job issues its e-invoice in the background right after; the till goes on.
            self.env.ref("omni_vn_einvoice.ir_cron_einvoice").sudo()._trigger()
        return result

    # ------------------------------------------------------------------ Odoo's invoice of an order

    def _prepare_invoice_vals(self):
        values = super()._prepare_invoice_vals()
        config = self.config_id
        if not config.omni_einvoice:
            return values
        original = self.env["account.move"].browse(values.get("reversed_entry_id"))
        if original.l10n_vn_edi_invoice_state in ISSUED_STATES:
            # A refund of an e-invoiced order: the adjustment of its e-invoice, as for channels.
            values.update(original._omni_einvoice_adjustment_values())
        elif values["move_type"] == "out_refund":
            return values  # a credit note of no e-invoice (invoiced at the till): nothing to adjust
        else:
            values["l10n_vn_edi_invoice_symbol"] = config.omni_einvoice_symbol_id.id
        values["omni_einvoice_pos_config_id"] = config.id
        return values

    def _generate_pos_order_invoice(self):
        new = self.filtered(lambda order: order.config_id.omni_einvoice and not order.account_move)
        # Odoo's Send & Print would call SInvoice now, with the cashier waiting (an order the
        # customer wants invoiced at the till): the scheduled job sends it instead.
        orders = self.with_context(generate_pdf=False) if new else self
        result = super(PosOrder, orders)._generate_pos_order_invoice()
        new.filtered("account_move.omni_einvoice_pos_config_id").write(
            {"omni_einvoice_state": "to_send", "omni_einvoice_error": False}
        )
        return result

    # ------------------------------------------------------------------ the scheduled job

    @api.model
    def _omni_einvoice_due_domain(self):
        """Paid orders of points of sale issuing e-invoices, not invoiced yet: a sale, or a refund
        once the order it refunds is invoiced (its e-invoice's adjustment). Those of open sessions,
        those that failed and the refunds of e-invoiced orders (after closing too): a point of sale
        that starts issuing e-invoices does not invoice its past sessions."""
        return [
            ("config_id.omni_einvoice", "=", True),
            ("state", "in", ("paid", "done")),
            ("account_move", "=", False),
            ("omni_einvoice_state", "in", (False, "failed")),
            "|",
            "|",
            ("state", "=", "paid"),
            ("omni_einvoice_state", "=", "failed"),
            ("lines.refunded_orderline_id.order_id.omni_einvoice_state", "!=", False),
            "|",
            ("amount_total", ">", 0),
            "&",
            ("amount_total", "<", 0),
            ("lines.refunded_orderline_id.order_id.account_move", "!=", False),
        ]

    @api.model
    def _omni_einvoice_run(self, limit=None, deadline=None):
        """One batch for the stores: invoice the orders due, send the invoices ready (refused ones
        again) and the payment statuses, through the channels' own steps. ``deadline`` (a
        ``time.monotonic()`` moment): no invoice is sent after it."""
        Move = self.env["account.move"]
        limit = limit or self.env["sale.order"]._omni_einvoice_batch_size()
        fresh = [("omni_einvoice_state", "=", False)]
        invoiced = _pick(self, self._omni_einvoice_due_domain(), fresh, limit)._omni_einvoice_issue()
        if invoiced:
            _commit(self.env)
        moves = [("omni_einvoice_pos_config_id", "!=", False), ("state", "=", "posted")]
        sendable = expression.AND([moves, Move._omni_einvoice_sendable_domain()])
        to_send = _pick(Move, sendable, [("omni_einvoice_error", "=", False)], limit)
        sent = to_send._omni_einvoice_send(deadline)
        paid = Move.search(
            expression.AND([moves, [("l10n_vn_edi_invoice_state", "=", "payment_state_to_update")]]),
            limit=limit,
            order="id",
        )._omni_einvoice_update_payment()
        return {
            "invoiced": invoiced,
            "sent": sent,
            "failed": len(to_send.filtered("omni_einvoice_error")),
            "cancelled": 0,
            "paid": paid,
        }

    def _omni_einvoice_issue(self):
        """Invoice and post each order with Odoo's own invoicing of a POS order: before the session
        closes, its closing entry leaves the order out; after, Odoo reverses the order out of it. The
        sale is booked once either way. Each order in its own savepoint: one that cannot be
        invoiced is marked failed, the others go on; one another transaction is invoicing (the
        session's closing, a run of the job) is left to it. Returns the number of orders invoiced."""
        retail_buyer = self.env.ref("omni_vn_einvoice.partner_retail_buyer")
        invoiced = 0
        for order in self:
            if not take_rows(self.env.cr, "pos_order", "id", order.id):
                continue
            try:
                with self.env.cr.savepoint():
                    refunds = order.lines.refund_orderline_ids.order_id.filtered(
                        lambda refund: refund.state in PAID_STATES
                    )
                    if refunds and order.currency_id.is_zero(
                        order.amount_total + sum(refunds.mapped("amount_total"))
                    ):
                        # Returned whole before its e-invoice was issued: no sale is left to invoice,
                        # and an adjustment applies to an issued e-invoice only. Both stay in the
                        # session's entry, where they net out. (A partial return: the e-invoice of
                        # the sale, then its adjustment.)
                        (order | refunds).write(
                            {"omni_einvoice_state": "refunded", "omni_einvoice_error": False}
                        )
                        continue
                    if not order.partner_id:
                        # Odoo invoices an order to its customer: a consumer who gave none is the
                        # retail buyer who takes no invoice (a refund: the buyer of the e-invoice it adjusts).
                        order.partner_id = order.refunded_order_id.account_move.partner_id or retail_buyer
                    order.action_pos_order_invoice()
            except (LockNotAvailable, SerializationFailure):
                continue
            except Exception as error:  # rolled back to the savepoint, kept on the order
                _logger.info("Invoicing POS order %s failed: %s", order.name, error)
                order.write({"omni_einvoice_state": "failed", "omni_einvoice_error": str(error)})
                continue
            invoiced += 1
        return invoiced
