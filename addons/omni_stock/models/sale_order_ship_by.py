from datetime import timedelta

from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_ship_by = fields.Datetime(
        string="Ship By",
        copy=False,
        index=True,
        tracking=True,
        help="When the goods must leave: the channel's deadline, or the confirmation plus the channel's "
        "handling time.",
    )

    def action_confirm(self):
        result = super().action_confirm()
        for order in self.filtered(lambda order: order.omni_channel_id and not order.omni_ship_by):
            order.omni_ship_by = order.date_order + timedelta(hours=order.omni_channel_id.handling_hours)
        return result
