from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        # A credit note takes back the points of what it refunds.
        refunds = posted.filtered(lambda move: move.move_type == "out_refund")
        refunds.invoice_line_ids.sale_line_ids.order_id._omni_loyalty_reverse()
        return posted
