from datetime import timedelta

from odoo import fields, models
from odoo.addons.omni_channel_sync.models.sale_order import CONFIRMED_STATUSES

# Channel statuses of orders taken but not paid yet: their goods are held until paid.
HOLD_STATUSES = ("unpaid", "pending")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_hold_ids = fields.One2many(
        "omni.stock.hold",
        "sale_order_id",
        string="Stock Holds",
        readonly=True,
        groups="omni_channel_sync.group_user,stock.group_stock_user",
    )

    def action_confirm(self):
        result = super().action_confirm()
        # The delivery's reservation counts from now on, not the hold: never both.
        self._omni_holds()._close("converted")
        return result

    def _action_cancel(self):
        result = super()._action_cancel()
        self._omni_holds()._close("released")
        return result

    def _omni_follow_status(self):
        self._omni_lock_quants()
        result = super()._omni_follow_status()
        self.filtered(
            lambda order: order.state in ("draft", "sent") and order.omni_status in HOLD_STATUSES
        )._omni_hold_stock()
        return result

    def _omni_lock_quants(self):
        """Lock the quants that confirming or cancelling the orders reserves or frees (see
        ``stock.quant._omni_lock``): such an order is imported again a moment later (the inbox's
        retry) instead of failing deep inside the reservation."""
        orders = self.filtered(
            lambda o: (
                (o.omni_status in CONFIRMED_STATUSES and o.state in ("draft", "sent"))
                or (o.omni_status == "cancelled" and o.state != "cancel")
            )
        )
        self.env["stock.quant"]._omni_lock(orders.order_line.product_id, orders.warehouse_id)

    def _omni_hold_stock(self):
        """Hold the goods of unpaid channel orders until the pay-by time (or the channel's hold
        time-to-live). An order whose goods are short is imported all the same, without a hold,
        and says so in its chatter."""
        # sudo: whoever imports the order holds its goods, holds rights or not.
        Hold = self.env["omni.stock.hold"].sudo()
        holds_by_order = {(hold.channel_id, hold.reference): hold for hold in self._omni_holds()}
        now = fields.Datetime.now()
        for order in self:
            channel = order.omni_channel_id
            hold = holds_by_order.get((channel, order.omni_external_ref))
            quantities = order._omni_hold_quantities()
            if not quantities or (hold and hold.state != "active"):
                continue
            if hold:
                shortages = hold._omni_update(quantities, order.omni_pay_by or hold.expires_at, order)
            else:
                expires_at = order.omni_pay_by or now + timedelta(minutes=channel.hold_ttl_minutes)
                if expires_at <= now:
                    continue
                hold, shortages = Hold._omni_reserve(
                    channel, order.omni_external_ref, quantities, expires_at, sale_order=order
                )
            if shortages:
                order.message_post(body=Hold._omni_short_message(shortages))

    def _omni_hold_quantities(self):
        """``{product: quantity}`` of the order's stored goods, in the products' units."""
        self.ensure_one()
        quantities = {}
        for line in self.order_line.filtered(lambda line: line.product_id.is_storable):
            quantity = line.product_uom._compute_quantity(line.product_uom_qty, line.product_id.uom_id)
            quantities[line.product_id] = quantities.get(line.product_id, 0.0) + quantity
        return quantities

    def _omni_holds(self):
        """The holds of the orders, as superuser: whoever may confirm or cancel an order may end its
        holds, holds rights or not. A hold taken through the API for a cart under the order's channel
        reference is the order's, whether or not the order was imported unpaid (and linked) first."""
        orders = self.filtered("omni_channel_id")
        holds = (
            self.env["omni.stock.hold"]
            .sudo()
            .search(
                [
                    ("channel_id", "in", orders.omni_channel_id.ids),
                    ("reference", "in", orders.mapped("omni_external_ref")),
                ]
            )
        )
        keys = {(order.omni_channel_id, order.omni_external_ref) for order in orders}
        holds = holds.filtered(lambda hold: (hold.channel_id, hold.reference) in keys)
        return holds | self.sudo().omni_hold_ids
