from odoo import api, fields, models

# A change of these makes the customer's metrics change: confirmation, cancellation, a return.
METRIC_TRIGGERS = {"state", "omni_status", "partner_id", "omni_delivery_refused", "omni_buyer_cancelled"}
COUNTED_STATES = ("sale", "cancel")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_delivery_refused = fields.Boolean(
        string="Parcel Refused",
        copy=False,
        tracking=True,
        help="The buyer refused the parcel, or it came back to the sender undelivered.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        counted = orders.filtered(lambda order: order.state == "sale")
        if counted:
            self.env["res.partner"]._omni_schedule_metrics(counted.partner_id)
        return orders

    def write(self, vals):
        # Confirming (action_confirm) and cancelling (_action_cancel) write the state.
        if not METRIC_TRIGGERS & vals.keys():
            return super().write(vals)
        before = self.filtered(lambda order: order.state in COUNTED_STATES).partner_id
        result = super().write(vals)
        after = self.filtered(lambda order: order.state in COUNTED_STATES).partner_id
        if before or after:
            self.env["res.partner"]._omni_schedule_metrics(before | after)
        return result
