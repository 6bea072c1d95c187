from collections import defaultdict
from functools import partial

from odoo import Command, fields, models
from odoo.tools import float_compare

from ..connectors.errors import ChannelError
from ..connectors.normalized_order import Return, ReturnLine
from ..connectors.registry import adapter_can
from .advisory_locks import check_current, try_work_lock

CANCELLATION_LOCK = "omni_sale_order_cancellation"


class SaleOrder(models.Model):
    """What a channel does to an order after it is placed, followed once however often it is told:
    the buyer's cancellation request, items cancelled while the rest goes on, returns and refunds."""

    _inherit = "sale.order"

    omni_cancel_requested = fields.Boolean(
        string="Cancellation Requested",
        copy=False,
        readonly=True,
        tracking=True,
        help="The buyer asked the channel to cancel: accept or reject the request; the order goes on "
        "until then.",
    )
    omni_cancel_request_id = fields.Char(
        string="Cancellation Request ID",
        copy=False,
        readonly=True,
        help="The channel's id of the buyer's cancellation request, where the channel gives it with "
        "the order (TikTok Shop): the answer needs no search for the request.",
    )

    def action_omni_accept_cancellation(self):
        """Accept the buyer's cancellation on the channel: the order is cancelled there and here."""
        return self._omni_answer_cancellation(True)

    def action_omni_reject_cancellation(self):
        """Reject it: the order goes on, on the channel and here. A channel that wants a reason
        (TikTok Shop) offers its reasons first, for the manager to pick one."""
        self.ensure_one()
        self.check_access("write")
        wants_reason = adapter_can(self.omni_channel_id.channel_type, "cancellation_reject_reasons")
        if wants_reason and self.omni_cancel_requested:
            return self.env["omni.cancellation.reject"]._open_for(self)
        return self._omni_answer_cancellation(False)

    def _omni_answer_cancellation(self, accept, reason=None):
        """Answer in a job (TikTok Shop finds the request before it answers it), which tells the user
        the channel's answer. ``reason``: the channel's name of the reason a rejection gives, where it
        asks for one."""
        self.ensure_one()
        self.check_access("write")
        order = self.sudo()

        def queue(channel):
            order.with_delay(
                channel="root.omni", identity_key=f"omni_cancellation_{order.id}"
            )._omni_cancellation_job(accept, reason)
            return channel._omni_queued()

        if not order.omni_cancel_requested:
            return self.omni_channel_id._omni_answer(lambda channel: order._omni_no_cancellation())
        return self.omni_channel_id._omni_answer_queued(
            lambda channel: order._omni_answer_cancellation_now(accept, reason), queue
        )

    def _omni_cancellation_job(self, accept, reason=None):
        order = self.sudo()  # the channel's credentials are the system's, whoever asked
        return order.omni_channel_id._omni_job(
            partial(order._omni_answer_cancellation_now, accept, reason), notify=True
        )

    def _omni_answer_cancellation_now(self, accept, reason=None):
        """Answer the request on the channel, then follow the answer here; ``(kind, message)``.

        One answer per request: one transaction at a time answers it (another one answering it now
        is left to do it), on the order as it is now. Nothing is locked while the channel answers but
        that work."""
        if not try_work_lock(self.env.cr, CANCELLATION_LOCK, self.id):
            return "info", self.env._("The cancellation of %(order)s is being answered now.", order=self.name)
        if not check_current(self.env.cr, "sale_order", self.id):
            raise ChannelError(
                self.env._("%(order)s is being changed: answered again shortly.", order=self.name),
                retryable=True,
            )
        self.invalidate_recordset(["omni_cancel_requested"])
        if not self.omni_cancel_requested:
            return self._omni_no_cancellation()
        self.omni_channel_id._call_adapter(
            "answer_cancellation",
            self.omni_external_ref,
            accept,
            *filter(None, [reason]),
            **self._omni_cancel_request(),
        )
        self.write({"omni_cancel_requested": False, "omni_cancel_request_id": False})
        if accept:
            self._omni_apply_status("cancelled")
            return "success", self.env._("%(order)s is cancelled, as the buyer asked.", order=self.name)
        return "success", self.env._("The buyer's cancellation of %(order)s is rejected.", order=self.name)

    def _omni_cancel_request(self):
        """The adapter's argument naming the request, when the order brought its id."""
        return {"request_id": self.omni_cancel_request_id} if self.omni_cancel_request_id else {}

    def _omni_no_cancellation(self):
        return "info", self.env._("%(order)s has no cancellation request.", order=self.name)

    def _omni_follow_lifecycle(self, order):
        """Apply what the channel's normalized ``order`` says beyond its status; nothing changes when
        it says again what was applied already."""
        self.ensure_one()
        if self.omni_cancel_requested != order.cancel_requested:
            self.omni_cancel_requested = order.cancel_requested
        if (self.omni_cancel_request_id or None) != order.cancel_request_id:
            self.omni_cancel_request_id = order.cancel_request_id
        if self.state == "sale":
            self._omni_cancel_lines(order.lines)
        if order.tracking_number:
            self._omni_keep_tracking(order.tracking_number)
        if order.pickup_failed:
            self._omni_arrange_again()
        for entry in self._omni_returns(order):
            if entry.status != "cancelled":
                self._omni_return_goods(entry)
            if entry.status == "refunded":
                self._omni_refund(entry)

    def _omni_returns(self, order):
        """The returns of the channel's ``order``. A channel that only says the order is returned (no
        returns of its own) takes back all of it: one return, named after the order."""
        if order.status != "returned" or any(entry.status != "cancelled" for entry in order.returns):
            return order.returns
        kept = [
            ReturnLine(line_id=line.line_id, sku=line.sku, quantity=line.quantity - line.cancelled_quantity)
            for line in order.lines
            if line.quantity > line.cancelled_quantity
        ]
        whole = [Return(return_id=order.external_id, status="requested", lines=kept)] if kept else []
        return [*order.returns, *whole]

    def _omni_keep_tracking(self, tracking_number):
        """The carrier's tracking number, given after the pickup was booked, on the deliveries without one."""
        deliveries = self.picking_ids.filtered(
            lambda picking: (
                picking.picking_type_code == "outgoing"
                and picking.state != "cancel"
                and not picking.carrier_tracking_ref
            )
        )
        if deliveries:
            deliveries.carrier_tracking_ref = tracking_number
            self.message_post(
                body=self.env._("The carrier's tracking number is %(tracking)s.", tracking=tracking_number)
            )

    def _omni_cancel_lines(self, lines):
        """Lower the confirmed lines whose units the channel cancelled, and count them on the line:
        the delivery follows. The lines changed."""
        changed = []
        for line in lines:
            order_line = self._omni_order_line(line)
            kept = float(line.quantity - line.cancelled_quantity)
            rounding = order_line.product_uom.rounding if order_line else 0.01
            if (
                order_line
                and float_compare(order_line.product_uom_qty, kept, precision_rounding=rounding) > 0
            ):
                changed.append((order_line, kept))
        for order_line, kept in changed:
            self.message_post(
                body=self.env._(
                    "The channel cancelled %(quantity)s of %(product)s; the order keeps %(kept)s.",
                    quantity=order_line.product_uom_qty - kept,
                    product=order_line.product_id.display_name,
                    kept=kept,
                )
            )
            order_line.write(
                {
                    "omni_cancelled_qty": order_line.omni_cancelled_qty + order_line.product_uom_qty - kept,
                    "product_uom_qty": kept,
                }
            )
        return self.env["sale.order.line"].concat(*(order_line for order_line, _kept in changed))

    def _omni_order_line(self, line):
        """The order line of a channel line (or of a returned one): by the channel's line id, else by SKU."""
        lines = self.order_line.filtered("omni_sku")
        found = lines.filtered(
            lambda order_line: line.line_id and order_line.omni_external_line_id == line.line_id
        )
        return (found or lines.filtered(lambda order_line: order_line.omni_sku == line.sku))[:1]

    def _omni_return_quantities(self, entry):
        """``{order line: quantity}`` a return takes back."""
        quantities = defaultdict(float)
        for line in entry.lines:
            order_line = self._omni_order_line(line)
            if order_line:
                quantities[order_line] += float(line.quantity)
        return quantities

    def _omni_return_goods(self, entry):
        """A return picking for the goods of a return, once: from the deliveries they left with."""
        if self.picking_ids.filtered(lambda picking: picking.omni_return_ref == entry.return_id):
            return
        deliveries = self.picking_ids.filtered(
            lambda picking: picking.state == "done" and picking.picking_type_code == "outgoing"
        )
        if not deliveries:
            return  # nothing left the warehouse: a refund alone settles it
        wanted = self._omni_return_quantities(entry)
        for delivery in deliveries.sorted("date_done"):
            wizard = self.env["stock.return.picking"].create({"picking_id": delivery.id})
            for return_line in wizard.product_return_moves:
                move = return_line.move_id
                returned = sum(
                    move.returned_move_ids.filtered(lambda m: m.state != "cancel").mapped("product_uom_qty")
                )
                quantity = min(wanted.get(move.sale_line_id, 0.0), move.quantity - returned)
                if quantity > 0:
                    return_line.quantity = quantity
                    wanted[move.sale_line_id] -= quantity
            if not any(wizard.product_return_moves.mapped("quantity")):
                continue
            returned = wizard._create_return()
            returned.omni_return_ref = entry.return_id
            self.message_post(
                body=self.env._(
                    "The buyer returns goods (return %(reference)s): %(picking)s awaits them.",
                    reference=entry.return_id,
                    picking=returned.name,
                )
            )

    def _omni_refund(self, entry):
        """The credit note of a refunded return, once, posted: the channel paid the buyer back. It
        credits what the channel refunded, when it says how much; else the order's prices."""
        if self.invoice_ids.filtered(lambda move: move.omni_return_ref == entry.return_id):
            return
        quantities = self._omni_return_quantities(entry)
        if not quantities:
            return
        # The refund spread over the returned lines as their amounts share the order's (taxes
        # included: the channel refunds what the buyer paid).
        worth = {
            order_line: order_line.price_total / order_line.product_uom_qty * quantity
            for order_line, quantity in quantities.items()
            if order_line.product_uom_qty
        }
        ratio = (
            float(entry.refund_amount) / sum(worth.values())
            if entry.refund_amount and any(worth.values())
            else 1
        )
        lines = []
        for order_line, quantity in quantities.items():
            line = order_line._prepare_invoice_line(quantity=quantity)
            line["price_unit"] = order_line.price_unit * ratio
            lines.append(Command.create(line))
        values = self._prepare_invoice()
        values.update(
            move_type="out_refund",
            omni_return_ref=entry.return_id,
            ref=self.env._("Return %(reference)s", reference=entry.return_id),
            invoice_line_ids=lines,
        )
        refund = self.env["account.move"].sudo().with_company(self.company_id).create(values)
        refund.action_post()
        self.message_post(
            body=self.env._(
                "The channel refunded return %(reference)s: credit note %(refund)s.",
                reference=entry.return_id,
                refund=refund.name,
            )
        )
