from odoo import models
from odoo.tools import float_is_zero


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _omni_earn_role(self):
        """How the line counts for loyalty earning: ``goods``, a ``discount`` spread over the goods,
        or False (shipping, down payments, notes, gift cards and eWallets paying for the order)."""
        self.ensure_one()
        channel = self.order_id.omni_channel_id
        if self.display_type or self.is_downpayment or not self.product_id:
            return False
        if self.product_id == channel.shipping_product_id or (
            "is_delivery" in self._fields and self.is_delivery
        ):
            return False
        if self.reward_id:
            return False if self.reward_id.program_id.is_payment_program else "discount"
        discounts = channel.seller_discount_product_id | channel.platform_discount_product_id
        if self.product_id in discounts or self.price_total < 0:
            return "discount"
        return "goods"

    def _omni_earned_amount(self, amount):
        """What the line weighed when it earned, ``amount`` being what it weighs now: the units its
        channel cancelled since weighed too."""
        self.ensure_one()
        if not self.omni_cancelled_qty:
            return amount
        if float_is_zero(self.product_uom_qty, precision_rounding=self.product_uom.rounding):
            return self.price_unit * self.omni_cancelled_qty
        return amount * (self.product_uom_qty + self.omni_cancelled_qty) / self.product_uom_qty

    def _omni_returned_ratio(self):
        """The share of the line's quantity returned (done return pickings) or refunded (posted
        credit notes), whichever is more: both usually record the same goods. Units the channel
        cancelled after the order earned count as taken back."""
        self.ensure_one()
        sold = self.product_uom_qty + self.omni_cancelled_qty
        if float_is_zero(sold, precision_rounding=self.product_uom.rounding):
            return 0.0
        returned = sum(
            move.product_uom._compute_quantity(move.quantity, self.product_uom)
            for move in self.move_ids
            if move.state == "done"
            and move.origin_returned_move_id
            and move.location_dest_id.usage != "customer"
        )
        refunded = sum(
            line.product_uom_id._compute_quantity(line.quantity, self.product_uom)
            for line in self.invoice_lines
            if line.move_id.move_type == "out_refund" and line.move_id.state == "posted"
        )
        return min((max(returned, refunded) + self.omni_cancelled_qty) / sold, 1.0)
