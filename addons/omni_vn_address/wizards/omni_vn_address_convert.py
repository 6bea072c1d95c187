from odoo import api, fields, models


class OmniVnAddressConvert(models.TransientModel):
    """Converts contacts' Vietnamese addresses of the former map to the 2025 one, from the contacts list."""

    _name = "omni.vn.address.convert"
    _description = "Convert Addresses to the 2025 Map"

    scope = fields.Selection(
        [("selected", "Selected contacts"), ("all", "All Vietnamese contacts")],
        required=True,
        default="selected",
    )
    partner_ids = fields.Many2many("res.partner", "omni_vn_address_convert_partner_rel", string="Contacts")
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft", required=True)
    todo_count = fields.Integer(string="Addresses to Convert", readonly=True)
    converted_count = fields.Integer(string="Converted", readonly=True)
    failed_partner_ids = fields.Many2many(
        "res.partner",
        "omni_vn_address_convert_failed_rel",
        string="Not Converted",
        readonly=True,
        help="Their ward could not be found on the map: fix their address by hand (province and ward).",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "res.partner" and context.get("active_ids"):
            values["partner_ids"] = [fields.Command.set(context["active_ids"])]
        else:
            values["scope"] = "all"
        return values

    def action_convert(self):
        self.ensure_one()
        self._action_convert()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "views": [(False, "form")],
            "target": "new",
        }

    def action_open_failed(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Addresses to fix"),
            "res_model": "res.partner",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", self.failed_partner_ids.ids)],
        }

    def _action_convert(self):
        Partner = self.env["res.partner"]
        Partner.check_access("write")
        domain = [("country_id.code", "=", "VN"), ("omni_vn_ward_id", "=", False)]
        if self.scope == "selected":
            domain.append(("id", "in", self.partner_ids.ids))
        partners = Partner.search(domain)
        failed = partners._omni_vn_convert_address()
        self.write(
            {
                "state": "done",
                "todo_count": len(partners),
                "converted_count": len(partners) - len(failed),
                "failed_partner_ids": [fields.Command.set(failed.ids)],
            }
        )
