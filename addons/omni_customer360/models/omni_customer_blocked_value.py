from odoo import api, fields, models
from odoo.tools import ormcache

from ..tools.identifiers import normalize
from .omni_customer_identity import KINDS


class OmniCustomerBlockedValue(models.Model):
    """Values that identify nobody: shared shop phones, test accounts, placeholders."""

    _name = "omni.customer.blocked.value"
    _description = "Blocked Identifier"
    _order = "kind, value"

    kind = fields.Selection(KINDS, required=True)
    value = fields.Char(required=True, help="As people write it: it is compared after normalization.")
    reason = fields.Char()

    _sql_constraints = [("kind_value_uniq", "UNIQUE(kind, value)", "This value is already blocked.")]

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    @api.model
    def _is_blocked(self, kind, normalized_value):
        return normalized_value in self._blocked_values().get(kind, ())

    @api.model
    @ormcache()
    def _blocked_values(self):
        values = {}
        for record in self.sudo().search([]):
            values.setdefault(record.kind, set()).add(normalize(record.kind, record.value) or record.value)
        return {kind: frozenset(found) for kind, found in values.items()}
