from odoo import fields, models
from odoo.osv import expression

from ..tools.names import name_key


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

    def _get_name_search_domain(self, name, operator):
        """A Vietnamese province is found however its name is typed: "ho chi minh", "TP HCM", "ha noi"."""
        domain = super()._get_name_search_domain(name, operator)
        key = operator == "ilike" and name_key(name)
        if not key:
            return domain
        # The keys of the ~100 Vietnamese provinces' names, as the address look-up knows them.
        keys = self.env["omni.vn.ward"]._omni_vn_index()["states_by_key"]
        ids = [state for state_key, states in keys.items() if key in state_key for state in states]
        return expression.OR([domain, [("id", "in", ids)]]) if ids else domain
