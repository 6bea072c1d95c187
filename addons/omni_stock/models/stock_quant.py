from odoo import api, models


class StockQuant(models.Model):
    _inherit = "stock.quant"

    # Every change of what is on hand or reserved goes through these two: done moves, inventory
    # adjustments, reservations. The channels' quantities are pushed again after the commit.

    @api.model
    def _update_available_quantity(self, product_id, location_id, *args, **kwargs):
        result = super()._update_available_quantity(product_id, location_id, *args, **kwargs)
        self.env["omni.stock.dirty"]._mark_on_commit(product_id.ids)
        return result

    @api.model
    def _update_reserved_quantity(self, product_id, location_id, *args, **kwargs):
        result = super()._update_reserved_quantity(product_id, location_id, *args, **kwargs)
        self.env["omni.stock.dirty"]._mark_on_commit(product_id.ids)
        return result
