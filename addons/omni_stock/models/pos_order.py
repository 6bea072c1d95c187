from odoo import models


class PosOrder(models.Model):
    _inherit = "pos.order"

    def _create_order_picking(self):
        # A till sale delivers from quants the channels' orders reserve at the same moment: taken
        # first, a conflict replays the sale's request instead of failing inside stock Odoo.
        if not self.shipping_date and self._should_create_picking_real_time():
            self.env["stock.quant"]._omni_lock(
                self.lines.product_id, self.config_id.picking_type_id.warehouse_id
            )
        return super()._create_order_picking()
