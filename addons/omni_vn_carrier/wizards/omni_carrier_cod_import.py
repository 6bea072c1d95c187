import base64

from odoo import fields, models
from odoo.exceptions import UserError

from ..connectors import ADAPTERS, CarrierError


class OmniCarrierCodImport(models.TransientModel):
    """Imports a carrier's COD statement ("đối soát"), the CSV file its portal exports."""

    _name = "omni.carrier.cod.import"
    _description = "Import a Carrier COD Statement"

    carrier_id = fields.Many2one(
        "delivery.carrier", string="Carrier", required=True, domain=[("delivery_type", "in", list(ADAPTERS))]
    )
    file = fields.Binary(string="Statement File", required=True)
    filename = fields.Char()

    def action_import(self):
        self.ensure_one()
        self.env["omni.carrier.cod.line"].check_access("create")
        adapter = ADAPTERS[self.carrier_id.delivery_type]
        try:
            lines = adapter.read_statement(base64.b64decode(self.file))
        except CarrierError as error:
            raise UserError(str(error)) from error
        imported = self.env["omni.carrier.cod.line"]._import(self.carrier_id, self.filename or "", lines)
        action = self.env["ir.actions.actions"]._for_xml_id("omni_vn_carrier.omni_carrier_cod_line_action")
        action["domain"] = [("id", "in", imported.ids)]
        action["context"] = {}
        return action
