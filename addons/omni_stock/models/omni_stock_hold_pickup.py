from odoo import api, models


class OmniStockHold(models.Model):
    _inherit = "omni.stock.hold"

    # A click-and-collect order holds the stock of the store it is collected from.

    @api.model
    def _omni_reserve(self, channel, reference, quantities, expires_at, warehouse=None, sale_order=None):
        if not warehouse and sale_order:
            warehouse = sale_order.omni_pickup_warehouse_id or None
        return super()._omni_reserve(channel, reference, quantities, expires_at, warehouse, sale_order)

    def _omni_lines(self, channel, quantities, warehouse):
        if not warehouse and len(self) == 1:
            warehouse = self.sale_order_id.omni_pickup_warehouse_id or None
        return super()._omni_lines(channel, quantities, warehouse)
