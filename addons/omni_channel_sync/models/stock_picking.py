from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        result = super()._action_done()
        # The channel hears of the shipment from a job: no HTTP inside the stock transaction.
        self.filtered(lambda picking: picking.picking_type_code == "outgoing").sale_id._omni_queue_ship()
        return result

    def _omni_tracking(self):
        """``(tracking number, carrier name)`` of the last of these deliveries that has one."""
        for picking in self.sorted("date_done", reverse=True):
            if picking.carrier_tracking_ref:
                return picking.carrier_tracking_ref, picking.carrier_id.name or ""
        return "", ""
