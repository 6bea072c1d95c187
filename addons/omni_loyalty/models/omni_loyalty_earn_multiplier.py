from odoo import api, fields, models


class OmniLoyaltyEarnMultiplier(models.Model):
    _name = "omni.loyalty.earn.multiplier"
    _description = "Loyalty Earn Category Multiplier"
    _order = "rule_id, id"

    rule_id = fields.Many2one("omni.loyalty.earn.rule", required=True, index=True, ondelete="cascade")
    categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        required=True,
        ondelete="cascade",
        help="Products of this category and of its sub-categories.",
    )
    multiplier = fields.Float(digits=(16, 2), default=2.0, required=True)

    _sql_constraints = [
        ("multiplier_positive", "CHECK(multiplier >= 0)", "A category multiplier cannot be negative."),
        ("categ_unique", "UNIQUE(rule_id, categ_id)", "A rule has one multiplier per category."),
    ]

    @api.depends("categ_id", "multiplier")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.categ_id.name or ''} x{line.multiplier:g}"
