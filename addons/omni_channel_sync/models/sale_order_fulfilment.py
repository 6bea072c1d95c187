from odoo import fields, models
from odoo.tools import SQL

from ..connectors.errors import ChannelError
from ..connectors.registry import adapter_can


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_ship_state = fields.Selection(
        [("to_send", "To Send"), ("sent", "Sent"), ("failed", "Failed")],
        string="Shipment to Channel",
        copy=False,
        readonly=True,
        index=True,
        tracking=True,
        help="Whether the channel was told that the order left the warehouse, with its tracking number.",
    )
    omni_ship_error = fields.Text(string="Channel Shipment Error", copy=False, readonly=True)
    omni_tracking_sent = fields.Char(string="Tracking Number Sent", copy=False, readonly=True)

    def action_omni_ship_again(self):
        """Tell the channel about the shipment now, while the user waits."""
        self.ensure_one()
        self.check_access("write")
        return self.omni_channel_id._omni_answer(lambda channel: self.sudo()._omni_ship_to_channel())

    def _omni_queue_ship(self):
        """Queue a job per order whose channel must hear of its shipment, once."""
        orders = self.filtered(
            lambda order: (
                order.omni_external_ref
                and order.omni_ship_state != "sent"
                and adapter_can(order.omni_channel_id.channel_type, "ship_order")
            )
        )
        orders.write({"omni_ship_state": "to_send", "omni_ship_error": False})
        for order in orders:
            order.with_delay(
                channel="root.omni", identity_key=f"omni_ship_{order.id}", max_retries=10
            )._omni_ship_job()

    def _omni_arrange_again(self):
        """The carrier could not pick the parcel up (Shopee's RETRY_SHIP): its tracking number is void,
        and the channel is told of the shipment again, once, which arranges it anew."""
        if self.omni_ship_state != "sent":
            return
        deliveries = self.picking_ids.filtered(
            lambda picking: picking.state == "done" and picking.picking_type_code == "outgoing"
        )
        void = ", ".join(filter(None, deliveries.mapped("carrier_tracking_ref"))) or "-"
        deliveries.carrier_tracking_ref = False
        self.omni_ship_state = "to_send"
        self.message_post(
            body=self.env._(
                "The carrier could not pick up %(order)s (tracking number %(tracking)s is void): the "
                "shipment is arranged with the channel again.",
                order=self.name,
                tracking=void,
            )
        )
        self._omni_queue_ship()

    def _omni_ship_job(self):
        # The job runs as the user who validated the delivery; the channel's credentials and this
        # order's channel fields are beyond a warehouse user: the queued delivery is the check.
        order = self.sudo()
        return order.omni_channel_id._omni_job(order._omni_ship_to_channel)

    def _omni_ship_to_channel(self):
        """Tell the channel the order shipped, with its tracking number; ``(kind, message)``.

        Idempotent: the order row is locked and an order already sent is not sent again. A refusal
        is saved on the order and raised again.
        """
        self.ensure_one()
        # The channel first, as a pull does before it writes orders: no deadlock between the two.
        self.omni_channel_id._omni_lock()
        # Not FOR UPDATE: rows naming the order (its lines, moves) stay free while the channel answers.
        self.env.cr.execute(SQL("SELECT id FROM sale_order WHERE id = %s FOR NO KEY UPDATE", self.id))
        self.invalidate_recordset(["omni_ship_state"])
        if self.omni_ship_state == "sent":
            return "info", self.env._(
                "%(order)s was already sent to the channel with tracking number %(tracking)s.",
                order=self.name,
                tracking=self.omni_tracking_sent,
            )
        deliveries = self.picking_ids.filtered(
            lambda picking: picking.state == "done" and picking.picking_type_code == "outgoing"
        )
        tracking, carrier = deliveries._omni_tracking()
        try:
            answer = self.omni_channel_id._call_adapter(
                "ship_order", self.omni_external_ref, tracking, carrier
            )
        except ChannelError as error:
            self.write({"omni_ship_state": "failed", "omni_ship_error": str(error)})
            raise
        sent = answer.get("tracking_number") or tracking
        self.write({"omni_ship_state": "sent", "omni_ship_error": False, "omni_tracking_sent": sent})
        self._omni_apply_status("shipped")
        message = self.env._(
            "%(channel)s was told %(order)s shipped, tracking number %(tracking)s.",
            channel=self.omni_channel_id.name,
            order=self.name,
            tracking=sent or "-",
        )
        self.message_post(body=message)
        return "success", message
