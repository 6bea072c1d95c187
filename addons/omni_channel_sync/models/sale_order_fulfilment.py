from odoo import fields, models

from ..connectors.errors import ChannelError
from ..connectors.registry import adapter_can
from .advisory_locks import check_current, try_work_lock

SHIP_LOCK = "omni_sale_order_ship"


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
    omni_delivery_failed_state = fields.Selection(
        [("to_send", "To Send"), ("sent", "Sent"), ("failed", "Failed")],
        string="Failed Delivery to Channel",
        copy=False,
        readonly=True,
        tracking=True,
        help="Whether the channel was told that the parcel came back to the sender.",
    )

    def action_omni_ship_again(self):
        """Tell the channel about the shipment, in a job (arranging a shipment is several calls on some
        platforms), which tells the user the channel's answer. An order already sent is said so."""
        self.ensure_one()
        self.check_access("write")
        order = self.sudo()
        if order.omni_ship_state == "sent":
            return self.omni_channel_id._omni_answer(lambda channel: order._omni_already_sent())
        return self.omni_channel_id._omni_answer_queued(
            lambda channel: order._omni_ship_to_channel(),
            lambda channel: order._omni_queue_ship(notify=True) or channel._omni_queued(),
        )

    def _omni_queue_ship(self, notify=False):
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
            )._omni_ship_job(notify=notify)

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

    def _omni_ship_job(self, notify=False):
        # The job runs as the user who validated the delivery; the channel's credentials and this
        # order's channel fields are beyond a warehouse user: the queued delivery is the check.
        order = self.sudo()
        return order.omni_channel_id._omni_job(order._omni_ship_to_channel, notify=notify)

    def _omni_ship_to_channel(self):
        """Tell the channel the order shipped, with its tracking number; ``(kind, message)``.

        Idempotent: one transaction at a time sends an order's shipment (another one sending it now is
        left to do it), on an order as it is now, and an order already sent is not sent again. Nothing
        is locked while the channel answers but that work: the order can be imported meanwhile. A
        refusal is saved on the order and raised again.
        """
        self.ensure_one()
        if not try_work_lock(self.env.cr, SHIP_LOCK, self.id):
            return "info", self.env._("%(order)s is being sent to the channel now.", order=self.name)
        if not check_current(self.env.cr, "sale_order", self.id):
            raise ChannelError(
                self.env._("%(order)s is being changed: sent again shortly.", order=self.name), retryable=True
            )
        self.invalidate_recordset(["omni_ship_state"])
        if self.omni_ship_state == "sent":
            return self._omni_already_sent()
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

    def _omni_already_sent(self):
        return "info", self.env._(
            "%(order)s was already sent to the channel with tracking number %(tracking)s.",
            order=self.name,
            tracking=self.omni_tracking_sent,
        )

    def _omni_queue_delivery_failed(self):
        """Queue a job per channel order whose parcel came back to the sender, to tell its channel once;
        a channel that cannot be told gets a note on the order saying so."""
        for order in self.filtered(
            lambda order: order.omni_external_ref and order.omni_delivery_failed_state != "sent"
        ):
            if not adapter_can(order.omni_channel_id.channel_type, "delivery_failed"):
                order.message_post(
                    body=self.env._(
                        "%(channel)s was not told that the parcel came back: Odoo cannot tell this to "
                        "its platform.",
                        channel=order.omni_channel_id.name,
                    )
                )
                continue
            order.omni_delivery_failed_state = "to_send"
            order.with_delay(
                channel="root.omni", identity_key=f"omni_delivery_failed_{order.id}", max_retries=10
            )._omni_delivery_failed_job()

    def _omni_delivery_failed_job(self):
        # Run as the user whose push or button brought the parcel back, as the shipment's job is.
        order = self.sudo()
        return order.omni_channel_id._omni_job(order._omni_delivery_failed_to_channel)

    def _omni_delivery_failed_to_channel(self):
        """Tell the channel the parcel came back to the sender; ``(kind, message)``. An order already
        told is not told again; a refusal is saved on the order and raised again."""
        self.ensure_one()
        self.invalidate_recordset(["omni_delivery_failed_state"])
        if self.omni_delivery_failed_state == "sent":
            return "info", self.env._("%(channel)s was already told.", channel=self.omni_channel_id.name)
        note = self.env._(
            "The parcel %(tracking)s came back to the sender: the delivery failed.",
            tracking=self.omni_tracking_sent or "-",
        )
        try:
            self.omni_channel_id._call_adapter("delivery_failed", self.omni_external_ref, note)
        except ChannelError:
            self.omni_delivery_failed_state = "failed"
            raise
        self.omni_delivery_failed_state = "sent"
        message = self.env._(
            "%(channel)s was told that the parcel of %(order)s came back to the sender.",
            channel=self.omni_channel_id.name,
            order=self.name,
        )
        self.message_post(body=message)
        return "success", message
