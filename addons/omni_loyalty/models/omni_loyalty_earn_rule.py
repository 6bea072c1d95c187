from odoo import api, fields, models
from odoo.exceptions import ValidationError


class OmniLoyaltyEarnRule(models.Model):
    _name = "omni.loyalty.earn.rule"
    _description = "Loyalty Earn Rule"
    _order = "program_id, sequence, id"
    _check_company_auto = True

    program_id = fields.Many2one(
        "loyalty.program", string="Program", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="program_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    channel_id = fields.Many2one(
        "omni.channel",
        string="Channel",
        index=True,
        ondelete="cascade",
        check_company=True,
        help="Empty: every channel without a rule of its own, and orders taken in the back office.",
    )
    multiplier = fields.Float(
        string="Channel Multiplier",
        digits=(16, 2),
        default=1.0,
        help="The points the program's rules give an order of this channel are multiplied by this.",
    )
    rate = fields.Float(
        string="API Points per 1,000 Spent",
        digits=(16, 2),
        default=1.0,
        help="Points for every 1,000 spent that an integrator reports through the API, where there is"
        " no order for the program's rules to price; net of seller and platform discounts, shipping"
        " excluded.",
    )
    minimum_amount = fields.Float(
        string="Minimum Order Amount",
        digits=(16, 2),
        help="Orders spending less than this (net, shipping excluded) earn nothing.",
    )
    multiplier_ids = fields.One2many(
        "omni.loyalty.earn.multiplier", "rule_id", string="Category Multipliers", copy=True
    )

    _sql_constraints = [
        ("rate_positive", "CHECK(rate >= 0)", "The earn rate cannot be negative."),
        ("multiplier_positive", "CHECK(multiplier >= 0)", "A channel multiplier cannot be negative."),
        (
            "minimum_amount_positive",
            "CHECK(minimum_amount >= 0)",
            "The minimum order amount cannot be negative.",
        ),
    ]

    @api.constrains("program_id", "channel_id")
    def _check_one_rule_per_channel(self):
        groups = self._read_group(
            [("program_id", "in", self.program_id.ids)],
            ["program_id", "channel_id"],
            having=[("__count", ">", 1)],
        )
        if groups:
            raise ValidationError(
                self.env._("A program has one earn rule per channel, and one for every channel.")
            )

    def _multiplier(self, category):
        """The multiplier of the most specific category line covering ``category``; 1 without one."""
        if not category or not self.multiplier_ids:
            return 1.0
        ancestors = [int(part) for part in category.parent_path.split("/") if part]
        best, depth = 1.0, -1
        for line in self.multiplier_ids:
            if line.categ_id.id in ancestors and ancestors.index(line.categ_id.id) > depth:
                best, depth = line.multiplier, ancestors.index(line.categ_id.id)
        return best
