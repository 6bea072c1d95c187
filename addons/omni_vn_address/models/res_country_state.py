from odoo import fields, models


class ResCountryState(models.Model):
    _inherit = "res.country.state"

    omni_vn_code = fields.Char(
        string="Administrative Code",
        help="The statistics office's code of a Vietnamese province (two digits); a former province keeps "
        "its former code.",
    )
    omni_vn_replaced_by_id = fields.Many2one(
        "res.country.state",
        string="Replaced By",
        index="btree_not_null",
        help="The province of Vietnam's 2025 map this former province joined. A replaced province stays on "
        "the addresses that have it, but is not offered for new ones.",
    )
