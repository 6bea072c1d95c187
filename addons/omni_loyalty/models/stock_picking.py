from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        # Goods back from the customer take back the points they earned.
        returns = self.move_ids.filtered(
            lambda m: m.state == "done" and m.origin_returned_move_id and m.sale_line_id
        )
        returns.sale_line_id.order_id._omni_loyalty_reverse()
        return res
