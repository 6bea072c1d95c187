import logging
import time

import psycopg2
from psycopg2.errors import LockNotAvailable, SerializationFailure

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .sinvoice_service import (
    DEFAULT_CALLS_PER_SECOND,
    RATE_PARAM,
    URL_PARAM,
    VIETTEL_ROOT,
    service,
)

_logger = logging.getLogger(__name__)

SENT_STATES = ("sent", "payment_state_to_update")
CANCEL_AGREEMENT = "NA"  # what Odoo's own wizards send when no agreement document is named


def take_rows(cr, table, column, value):
    """Lock the rows of ``table`` whose ``column`` is ``value`` for this transaction, unless another
    transaction is changing one of them or changed one since this one began: False then, and this
    transaction goes on (the lock is tried in a savepoint)."""
    try:
        with cr.savepoint(flush=False):
            cr.execute(
                SQL(
                    "SELECT 1 FROM %s WHERE %s = %s FOR NO KEY UPDATE NOWAIT",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    value,
                ),
                log_exceptions=False,
            )
    except (LockNotAvailable, SerializationFailure):
        return False
    return True


class AccountMove(models.Model):
    _inherit = "account.move"

    omni_einvoice_channel_id = fields.Many2one(
        "omni.channel",
        string="E-invoice Channel",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The sales channel whose e-invoice policy issued this invoice; the scheduled job sends it.",
    )
    omni_einvoice_pos_config_id = fields.Many2one(
        "pos.config",
        string="E-invoice Point of Sale",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The point of sale whose receipts get e-invoices from its cash register; the scheduled job "
        "sends it.",
    )
    omni_einvoice_error = fields.Text(
        string="E-invoice Error", copy=False, readonly=True, help="Why SInvoice did not take it yet."
    )
    omni_einvoice_cancel_reason = fields.Char(
        string="E-invoice Cancellation",
        copy=False,
        readonly=True,
        help="The order was cancelled: the scheduled job cancels its e-invoice on SInvoice.",
    )

    # ------------------------------------------------------------------ the module's calls

    def _omni_sinvoice_service(self):
        params = self.env["ir.config_parameter"].sudo()
        rate = int(params.get_param(RATE_PARAM, DEFAULT_CALLS_PER_SECOND) or DEFAULT_CALLS_PER_SECOND)
        return service(params.get_param(URL_PARAM) or VIETTEL_ROOT, rate)

    # Each method of Odoo's module that calls SInvoice runs inside the configured service (see
    # sinvoice_service.py): its own code unchanged, only where it sends to.
    def _l10n_vn_edi_get_access_token(self):
        with self._omni_sinvoice_service():
            return super()._l10n_vn_edi_get_access_token()

    def _l10n_vn_edi_lookup_invoice(self):
        with self._omni_sinvoice_service():
            return super()._l10n_vn_edi_lookup_invoice()

    def _l10n_vn_edi_send_invoice(self, invoice_json_data):
        with self._omni_sinvoice_service():
            return super()._l10n_vn_edi_send_invoice(invoice_json_data)

    def _l10n_vn_edi_try_fetch_invoice_file_data(self, file_format):
        with self._omni_sinvoice_service():
            return super()._l10n_vn_edi_try_fetch_invoice_file_data(file_format)

    def _l10n_vn_edi_cancel_invoice(self, reason, agreement_document_name, agreement_document_date):
        with self._omni_sinvoice_service():
            return super()._l10n_vn_edi_cancel_invoice(
                reason, agreement_document_name, agreement_document_date
            )

    def action_l10n_vn_edi_update_payment_status(self):
        with self._omni_sinvoice_service():
            return super().action_l10n_vn_edi_update_payment_status()

    # ------------------------------------------------------------------ batches

    @api.model
    def _omni_einvoice_sendable_domain(self):
        """Channel and point-of-sale invoices to send: posted and ready, a credit note once the
        invoice it adjusts is on SInvoice, nothing waiting to be cancelled."""
        return [
            "|",
            ("omni_einvoice_channel_id", "!=", False),
            ("omni_einvoice_pos_config_id", "!=", False),
            ("state", "=", "posted"),
            ("l10n_vn_edi_invoice_state", "=", "ready_to_send"),
            ("omni_einvoice_cancel_reason", "=", False),
            "|",
            ("move_type", "=", "out_invoice"),
            "&",
            ("move_type", "=", "out_refund"),
            ("reversed_entry_id.l10n_vn_edi_invoice_state", "in", (*SENT_STATES, "adjusted")),
        ]

    def _omni_einvoice_send(self, deadline=None):
        """Send each invoice through the module's own Send step (its JSON, the call, its PDF and XML
        attached to the invoice), without Odoo's PDF rendering. Each invoice on its own: one refusal
        leaves the others going; the module commits after each call outside tests. None after
        ``deadline`` (a ``time.monotonic()`` moment). An invoice another run is sending (the
        scheduled job and a user's *Send now*) is left to it: SInvoice would issue it twice.
        Returns the number sent."""
        Send = self.env["account.move.send"]
        sent = 0
        for invoice in self:
            if deadline and time.monotonic() > deadline:
                break
            if not take_rows(self.env.cr, "account_move", "id", invoice.id):
                continue
            # Found before a commit of this run (after each call): another run may have sent it since.
            invoice.invalidate_recordset(["l10n_vn_edi_invoice_state"])
            if invoice.l10n_vn_edi_invoice_state != "ready_to_send":
                continue
            invoice_data = {"extra_edis": {"vn_sinvoice_send"}, "invoice_edi_format": False}
            try:
                Send._call_web_service_before_invoice_pdf_render({invoice: invoice_data})
                if not invoice_data.get("error"):
                    Send._call_web_service_after_invoice_pdf_render({invoice: invoice_data})
            except psycopg2.Error:
                raise
            except Exception as error:  # an unexpected answer must not stop the batch
                _logger.exception("Sending %s to SInvoice failed", invoice.name)
                invoice_data["error"] = {"errors": [str(error)]}
            sent += invoice._omni_einvoice_record(invoice_data.get("error"))
        return sent

    def _omni_einvoice_record(self, error):
        """Keep the outcome on the invoice and its orders; 1 when it is on SInvoice."""
        self.ensure_one()
        if self.l10n_vn_edi_invoice_state in SENT_STATES:
            if self.move_type == "out_refund":
                # As the module's reversal does, the original is now adjusted.
                self.reversed_entry_id.l10n_vn_edi_invoice_state = "adjusted"
            self.omni_einvoice_error = False
            orders = self._omni_einvoice_orders().filtered(lambda o: o.omni_einvoice_state != "cancelled")
            # A cancelled order's adjustment is its cancellation on SInvoice.
            cancelled = orders.filtered(lambda o: o.state == "cancel" and self.move_type == "out_refund")
            cancelled.write({"omni_einvoice_state": "cancelled", "omni_einvoice_error": False})
            (orders - cancelled).write({"omni_einvoice_state": "sent", "omni_einvoice_error": False})
            self.pos_order_ids.write({"omni_einvoice_state": "sent", "omni_einvoice_error": False})
            return 1
        message = "\n".join(map(str, (error or {}).get("errors") or [])) or self.env._(
            "SInvoice did not issue the invoice."
        )
        self.omni_einvoice_error = message
        failed = {"omni_einvoice_state": "failed", "omni_einvoice_error": message}
        self._omni_einvoice_orders().write(failed)
        self.pos_order_ids.write(failed)
        return 0

    def _omni_einvoice_update_payment(self):
        """Tell SInvoice the invoices are paid (or no longer), with the module's own call. Returns
        the number updated."""
        done = 0
        for invoice in self:
            try:
                invoice.action_l10n_vn_edi_update_payment_status()
            except UserError as error:
                invoice.omni_einvoice_error = str(error)
                continue
            invoice.omni_einvoice_error = False
            done += 1
        return done

    def _omni_einvoice_adjustment_values(self):
        """The fields the module's reversal (adjustment) sets on a credit note of this e-invoice: it
        is sent to SInvoice as an adjustment of this one (adjustmentType 5), once this one is issued."""
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "reversed_entry_id": self.id,
            "omni_einvoice_channel_id": self.omni_einvoice_channel_id.id,
            "omni_einvoice_pos_config_id": self.omni_einvoice_pos_config_id.id,
            "l10n_vn_edi_invoice_symbol": self.l10n_vn_edi_invoice_symbol.id,
            "l10n_vn_edi_adjustment_type": "1",
            "l10n_vn_edi_agreement_document_name": CANCEL_AGREEMENT,
            "l10n_vn_edi_agreement_document_date": fields.Datetime.now(),
        }

    def _omni_einvoice_pdf_action(self):
        """Download the PDF SInvoice issued for the latest of these invoices."""
        pdf = self.sorted("id").l10n_vn_edi_sinvoice_pdf_file_id[-1:]
        if not pdf:
            return self.env["sale.order"]._omni_einvoice_notify(
                message=self.env._("The order has no e-invoice PDF yet.")
            )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{pdf.id}?download=true",
            "target": "download",
        }

    def _omni_einvoice_orders(self):
        return self.line_ids.sale_line_ids.order_id

    def _omni_einvoice_cancel(self):
        """Cancel the e-invoices of cancelled orders with the module's cancellation (an invoice not
        sent yet is simply cancelled in Odoo). Returns the number cancelled."""
        done = 0
        for invoice in self:
            try:
                if invoice.l10n_vn_edi_invoice_state in SENT_STATES:
                    invoice._l10n_vn_edi_cancel_invoice(
                        invoice.omni_einvoice_cancel_reason, CANCEL_AGREEMENT, fields.Datetime.now()
                    )
                else:
                    invoice.button_draft()
                    invoice.button_cancel()
            except psycopg2.Error:
                raise
            except Exception as error:  # one refusal must not stop the others
                invoice.omni_einvoice_error = str(error)
                invoice._omni_einvoice_orders().omni_einvoice_error = str(error)
                continue
            invoice.write({"omni_einvoice_cancel_reason": False, "omni_einvoice_error": False})
            invoice._omni_einvoice_orders().write(
                {"omni_einvoice_state": "cancelled", "omni_einvoice_error": False}
            )
            done += 1
        return done
