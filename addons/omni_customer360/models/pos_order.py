from odoo import api, models

from .res_partner_metrics import POS_DONE_STATES


class PosOrder(models.Model):
    _inherit = "pos.order"

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        paid = orders.filtered(lambda order: order.state in POS_DONE_STATES)
        if paid:
            self.env["res.partner"]._omni_schedule_metrics(paid.partner_id)
        return orders

    def write(self, vals):
        # Paying an order (action_pos_order_paid) writes its state; the cashier may set the customer late.
        triggered = "partner_id" in vals or vals.get("state") in POS_DONE_STATES
        before = self.partner_id if "partner_id" in vals else self.env["res.partner"]
        result = super().write(vals)
        if triggered:
            self.env["res.partner"]._omni_schedule_metrics(before | self.partner_id)
        return result
