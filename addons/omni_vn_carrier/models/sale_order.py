from odoo import api, fields, models

from .stock_picking import CARRIER_STATUSES


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_carrier_status = fields.Selection(
        CARRIER_STATUSES,
        string="Parcel Status",
        compute="_compute_omni_carrier_status",
        help="The status the carrier last pushed for the order's parcel.",
    )

    @api.depends("picking_ids.omni_carrier_status", "picking_ids.omni_carrier_status_at")
    def _compute_omni_carrier_status(self):
        for order in self:
            parcels = order.picking_ids.filtered("omni_carrier_status").sorted(
                lambda picking: (picking.omni_carrier_status_at or fields.Datetime.now(), picking.id)
            )
            order.omni_carrier_status = parcels[-1:].omni_carrier_status
