from odoo import api, fields, models


class OmniLoyaltyTier(models.Model):
    _name = "omni.loyalty.tier"
    _description = "Loyalty Tier"
    _order = "program_id, threshold, sequence, id"
    _check_company_auto = True

    program_id = fields.Many2one(
        "loyalty.program", string="Program", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="program_id.company_id", store=True)
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    threshold = fields.Float(
        required=True,
        digits=(16, 2),
        help="Net spend or points earned over the program's qualifying window that reach this tier.",
    )
    basis = fields.Selection(related="program_id.omni_tier_basis", string="Qualifies On")
    earn_multiplier = fields.Float(
        default=1.0, digits=(16, 2), help="Points earned by the tier's members are multiplied by this."
    )
    benefits = fields.Text(translate=True)
    card_count = fields.Integer(compute="_compute_card_count", string="Members")

    _sql_constraints = [
        ("threshold_positive", "CHECK(threshold >= 0)", "A tier's threshold cannot be negative."),
        (
            "earn_multiplier_positive",
            "CHECK(earn_multiplier > 0)",
            "A tier's earn multiplier must be above zero.",
        ),
        (
            "threshold_unique",
            "UNIQUE(program_id, threshold)",
            "Two tiers of a program cannot share a threshold.",
        ),
    ]

    def _compute_card_count(self):
        counts = dict(
            self.env["loyalty.card"]._read_group(
                [("omni_tier_id", "in", self.ids)], ["omni_tier_id"], ["__count"]
            )
        )
        for tier in self:
            tier.card_count = counts.get(tier, 0)

    @api.model
    def _omni_tier_for(self, program, qualification):
        """The highest tier of ``program`` whose threshold ``qualification`` reaches (or none)."""
        tiers = program.omni_tier_ids.filtered(lambda t: t.threshold <= qualification)
        return tiers.sorted("threshold")[-1:] if tiers else self.browse()
