from odoo import api, models

from .loyalty_card import ORDER_POSTING_KEY


class SaleOrderLine(models.Model):
    """Reward lines added, changed or removed on a confirmed order move its redemptions on the ledger
    (sale_loyalty changes the card's balance directly there)."""

    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super(SaleOrderLine, self.with_context(**{ORDER_POSTING_KEY: True})).create(vals_list)
        lines.filtered("coupon_id").order_id._omni_sync_confirmed_redemptions()
        return self.browse(lines.ids)

    def write(self, vals):
        res = super(SaleOrderLine, self.with_context(**{ORDER_POSTING_KEY: True})).write(vals)
        if "points_cost" in vals or "coupon_id" in vals:
            self.order_id._omni_sync_confirmed_redemptions()
        return res

    def unlink(self):
        orders = self.filtered("reward_id").order_id
        res = super(SaleOrderLine, self.with_context(**{ORDER_POSTING_KEY: True})).unlink()
        orders._omni_sync_confirmed_redemptions()
        return res
