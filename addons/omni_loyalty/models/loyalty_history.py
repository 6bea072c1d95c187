from odoo import api, models
from odoo.tools import float_is_zero

from .omni_loyalty_move import ENGINE_KEY


class LoyaltyHistory(models.Model):
    _inherit = "loyalty.history"

    @api.model_create_multi
    def create(self, vals_list):
        # A ledger card's history is written from its posted moves, one row each: the rows Odoo's
        # orders and balance wizard would add beside them would count the same points twice.
        if not self.env.context.get(ENGINE_KEY):
            cards = self.env["loyalty.card"].browse(vals["card_id"] for vals in vals_list)
            vals_list = [
                vals for vals, card in zip(vals_list, cards, strict=True) if not card.sudo().omni_ledger
            ]
        return super().create(vals_list)

    def write(self, vals):
        # Likewise, an order's later change of points is posted as moves, not edited into a row.
        if not self.env.context.get(ENGINE_KEY) and {"issued", "used"} & set(vals):
            rest = self.filtered(lambda row: not row.card_id.sudo().omni_ledger)
            ledger_vals = {name: value for name, value in vals.items() if name not in ("issued", "used")}
            if ledger_vals:
                super(LoyaltyHistory, self - rest).write(ledger_vals)
            return super(LoyaltyHistory, rest).write(vals)
        return super().write(vals)

    def unlink(self):
        # Odoo drops a cancelled order's row: a ledger card keeps it while the order's moves still
        # add up to points (points spent before the cancellation are not taken back).
        if self.env.context.get(ENGINE_KEY):
            return super().unlink()
        kept = self.filtered(lambda row: row.card_id.sudo().omni_ledger and not row._omni_order_settled())
        return super(LoyaltyHistory, self - kept).unlink()

    def _omni_order_settled(self):
        """Whether this row is an order's whose moves on the card add up to nothing."""
        if not self.order_model or not self.order_id:
            return False
        issued, used = self.card_id.sudo()._omni_order_totals(
            self.env[self.order_model].browse(self.order_id)
        )
        return float_is_zero(issued - used, precision_digits=2)
