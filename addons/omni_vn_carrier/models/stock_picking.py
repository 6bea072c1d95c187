import base64
import logging
import time
from datetime import timedelta

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.pdf import merge_pdf

from ..connectors import ADAPTERS, CarrierError

_logger = logging.getLogger(__name__)

# Our statuses of a parcel, in the order they follow each other: a push older than the picking's
# status (same time, lower rank) is kept but does not move the status back.
CARRIER_STATUSES = [
    ("booked", "Booked"),
    ("picked_up", "Picked Up"),
    ("in_transit", "In Transit"),
    ("failed_attempt", "Failed Attempt"),
    ("returning", "Returning"),
    ("delivered", "Delivered"),
    ("returned", "Returned to Sender"),
    ("cancelled", "Cancelled"),
]
RANK = {status: rank for rank, (status, _label) in enumerate(CARRIER_STATUSES)}
# Parcels still on their way, whose status the carrier is asked for when no push came for a while.
MOVING = ("booked", "picked_up", "in_transit", "failed_attempt", "returning")
POLL_AFTER_HOURS = 6
POLL_BATCH = 200
# The seconds a poll asks carriers for, well inside a cron worker's time limit; the rest at once after.
POLL_SECONDS = 60


class StockPicking(models.Model):
    _inherit = "stock.picking"

    omni_carrier_status = fields.Selection(
        CARRIER_STATUSES, string="Parcel Status", copy=False, readonly=True, tracking=True, index=True
    )
    omni_carrier_status_at = fields.Datetime(string="Parcel Status Time", copy=False, readonly=True)
    omni_carrier_cod_amount = fields.Monetary(
        string="Cash to Collect",
        currency_field="omni_carrier_currency_id",
        copy=False,
        readonly=True,
        help="The amount the carrier collects from the buyer at delivery (COD).",
    )
    omni_carrier_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    omni_carrier_handover_date = fields.Datetime(
        string="Handed Over",
        copy=False,
        readonly=True,
        help="When the parcel was handed over to the carrier.",
    )
    # The updates are the warehouse's to read (salespeople open deliveries from their orders too).
    omni_carrier_event_ids = fields.One2many(
        "omni.carrier.event", "picking_id", string="Carrier Updates", groups="stock.group_stock_user"
    )
    omni_carrier_return_id = fields.Many2one(
        "stock.picking",
        string="Parcel Return",
        copy=False,
        readonly=True,
        help="The receipt of the returned parcel.",
    )

    # ------------------------------------------------------------------ actions

    def action_omni_carrier_print_labels(self):
        """The labels of the selected deliveries as one PDF, downloaded."""
        labels = self._omni_carrier_labels()
        if not labels:
            raise UserError(self.env._("None of the selected deliveries has a carrier label."))
        merged = merge_pdf([base64.b64decode(label.datas) for label in labels])
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._("Labels %(date)s.pdf", date=fields.Date.context_today(self)),
                "raw": merged,
                "mimetype": "application/pdf",
                "res_model": "stock.picking",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    def action_omni_carrier_hand_over(self):
        """The selected booked parcels, handed over to the carrier's driver."""
        parcels = self.filtered(
            lambda picking: picking.carrier_tracking_ref and not picking.omni_carrier_handover_date
        )
        if not parcels:
            raise UserError(self.env._("None of the selected deliveries has a waybill left to hand over."))
        parcels.omni_carrier_handover_date = fields.Datetime.now()
        for picking in parcels:
            picking.message_post(
                body=self.env._(
                    "Parcel %(waybill)s handed over to %(carrier)s.",
                    waybill=picking.carrier_tracking_ref,
                    carrier=picking.carrier_id.name,
                )
            )
        return True

    # ------------------------------------------------------------------ business

    def _omni_carrier_amount_due(self):
        """What the buyer still owes on the order: nothing on a channel's prepaid order, else its posted
        invoices' residual, else its total less what was paid online."""
        self.ensure_one()
        order = self.sale_id
        if not order or (order.omni_channel_id and not order.omni_is_cod):
            return 0.0  # a channel's order not paid on delivery was paid on the channel
        invoices = order.invoice_ids.filtered(
            lambda move: move.state == "posted" and move.move_type == "out_invoice"
        )
        if invoices:
            return sum(invoices.mapped("amount_residual"))
        paid = sum(
            order.transaction_ids.filtered(lambda tx: tx.state in ("authorized", "done")).mapped("amount")
        )
        return max(0.0, order.amount_total - paid)

    def _omni_carrier_apply(self, event):
        """Applies a status push to the parcel: its status (unless older than the current one), a line
        in the chatter, and what a return to the sender brings along."""
        self.ensure_one()
        current = (
            self.omni_carrier_status_at or fields.Datetime.to_datetime("1970-01-01"),
            RANK.get(self.omni_carrier_status, -1),
        )
        if (event.event_time, RANK[event.status]) <= current:
            return False
        self.write({"omni_carrier_status": event.status, "omni_carrier_status_at": event.event_time})
        label = dict(CARRIER_STATUSES)[event.status]
        body = self.env._("%(carrier)s: %(status)s", carrier=event.carrier_id.name, status=label)
        if event.reason:
            body = Markup("%s<br/>%s") % (body, event.reason)
        self.message_post(body=body)
        if event.status == "returned":
            self._omni_carrier_returned()
        return True

    @api.model
    def _cron_omni_carrier_poll(self, limit=POLL_BATCH):
        """Asks the carriers for the status of the parcels on their way without news for
        ``POLL_AFTER_HOURS`` (a push lost), oldest news first, and applies each answer as a push. Each
        parcel in its own savepoint: a carrier not answering for one leaves the others; each answer
        committed, outside tests: the parcels' rows are never held while a carrier is slow, and a
        worker stopped at its time limit loses nothing done. Past ``POLL_SECONDS`` the cron is called
        again at once for the rest."""
        quiet_since = fields.Datetime.now() - timedelta(hours=POLL_AFTER_HOURS)
        parcels = self.search(
            [
                ("omni_carrier_status", "in", MOVING),
                ("carrier_tracking_ref", "!=", False),
                ("carrier_id.delivery_type", "in", list(ADAPTERS)),
                "|",
                ("omni_carrier_status_at", "<", quiet_since),
                "&",
                ("omni_carrier_status_at", "=", False),
                ("date_done", "<", quiet_since),
            ],
            order="omni_carrier_status_at asc nulls first, id",
            limit=limit,
        )
        # As the pushes are: stored and applied by the system, in the carrier's company.
        events, adapters = self.env(user=SUPERUSER_ID)["omni.carrier.event"], {}
        deadline = time.monotonic() + POLL_SECONDS
        for parcel in parcels:
            if time.monotonic() > deadline:
                self.env.ref("omni_vn_carrier.ir_cron_omni_carrier_poll")._trigger()
                return
            carrier = parcel.carrier_id
            try:
                with self.env.cr.savepoint():
                    if carrier not in adapters:
                        adapters[carrier] = carrier._omni_adapter()
                    push, payload = adapters[carrier].track(parcel.carrier_tracking_ref)
                    events.with_company(carrier.company_id)._store(carrier, push, payload)
            except (CarrierError, UserError) as error:
                _logger.warning(
                    "No status of %s from %s: %s", parcel.carrier_tracking_ref, carrier.name, error
                )
            if self.env["account.move"]._can_commit():
                self.env.cr.commit()  # pylint: disable=invalid-commit

    def _omni_carrier_returned(self):
        """A parcel back to the sender: received into stock (one return, whatever the pushes), the
        order marked refused (the buyer's COD risk), the points it earned taken back with the return."""
        self.ensure_one()
        if self.state != "done" or self.omni_carrier_return_id:
            return
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=self.id, active_model="stock.picking")
            .create({})
        )
        action = wizard.action_create_returns_all()
        receipt = self.browse(action["res_id"])
        for move in receipt.move_ids:
            move.quantity = move.product_uom_qty
        receipt.move_ids.picked = True
        receipt.with_context(skip_backorder=True, skip_sms=True).button_validate()
        self.omni_carrier_return_id = receipt
        order = self.sale_id
        if order:
            order.omni_delivery_refused = True
            order.message_post(
                body=self.env._(
                    "The parcel %(waybill)s came back to the sender: received in %(receipt)s, "
                    "the order marked as refused.",
                    waybill=self.carrier_tracking_ref,
                    receipt=receipt.name,
                )
            )
            if order.omni_channel_id:
                order._omni_queue_delivery_failed()

    def _omni_carrier_labels(self):
        """The latest label attachment of each picking (by the provider's label prefix)."""
        labels = self.env["ir.attachment"]
        attachments = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "stock.picking"),
                ("res_id", "in", self.ids),
                ("name", "=like", "LabelShipping-%"),
            ],
            order="id desc",
        )
        for picking in self:
            label = attachments.filtered(lambda a, picking=picking: a.res_id == picking.id)[:1]
            labels |= label
        return labels
