from odoo import fields, models


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    omni_is_default = fields.Boolean(
        string="Default Omnichannel Program",
        help="The loyalty program every channel earns and spends points in through the API.",
    )
    omni_earn_rate = fields.Float(
        string="Points per 1,000 Spent",
        default=1.0,
        help="Points a customer earns for every 1,000 of the company currency spent.",
    )
    omni_points_validity_months = fields.Integer(
        string="Points Validity (Months)",
        default=12,
        help="Months after which earned points expire; 0 means they never expire.",
    )

    _sql_constraints = [
        ("omni_earn_rate_positive", "CHECK(omni_earn_rate >= 0)", "The earn rate cannot be negative."),
        (
            "omni_points_validity_positive",
            "CHECK(omni_points_validity_months >= 0)",
            "The points validity cannot be negative.",
        ),
    ]
