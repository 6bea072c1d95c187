from odoo import models
from odoo.tools import float_is_zero


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    def _omni_refunded_ratio(self):
        """The share of the line's quantity that paid refunds gave back."""
        self.ensure_one()
        if float_is_zero(self.qty, precision_rounding=self.product_uom_id.rounding):
            return 0.0
        refunds = self.refund_orderline_ids.filtered(
            lambda line: line.order_id.state in ("paid", "done", "invoiced")
        )
        return min(-sum(refunds.mapped("qty")) / self.qty, 1.0)
