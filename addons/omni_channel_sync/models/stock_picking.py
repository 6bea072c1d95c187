from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    omni_return_ref = fields.Char(
        string="Channel Return",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The channel's return whose goods this picking brings back.",
    )

    def _action_done(self):
        result = super()._action_done()
        # The channel hears of the shipment from a job: no HTTP inside the stock transaction. Who
        # may validate a delivery may not read its order (a salesperson's own documents only): the
        # validated delivery is the check, the order's channel fields are read as superuser.
        deliveries = self.filtered(lambda picking: picking.picking_type_code == "outgoing")
        deliveries.sale_id.sudo()._omni_queue_ship()
        return result

    def _omni_tracking(self):
        """``(tracking number, carrier name)`` of the last of these deliveries that has one."""
        for picking in self.sorted("date_done", reverse=True):
            if picking.carrier_tracking_ref:
                return picking.carrier_tracking_ref, picking.carrier_id.name or ""
        return "", ""
