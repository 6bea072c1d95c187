from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

MAX_PARTNERS = 3  # Odoo's partner merge refuses more, for safety


class OmniCustomerMerge(models.TransientModel):
    """Merge two or three customers into one, with an audit record that allows an undo."""

    _name = "omni.customer.merge"
    _description = "Merge Customers"

    candidate_id = fields.Many2one("omni.merge.candidate", readonly=True)
    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    dst_partner_id = fields.Many2one(
        "res.partner",
        string="Keep",
        required=True,
        domain="[('id', 'in', partner_ids)]",
        help="The customer that stays; the others are archived into it.",
    )
    explanation = fields.Char(related="candidate_id.explanation")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        partners = self.env["res.partner"]
        if context.get("active_model") == "omni.merge.candidate" and context.get("active_id"):
            candidate = self.env["omni.merge.candidate"].browse(context["active_id"])
            values["candidate_id"] = candidate.id
            partners = candidate.partner_a_id | candidate.partner_b_id
        elif context.get("active_model") == "res.partner" and context.get("active_ids"):
            partners = partners.browse(context["active_ids"])
        if partners:
            values["partner_ids"] = [fields.Command.set(partners.ids)]
            # The oldest customer stays: the one most other records already point to.
            values["dst_partner_id"] = min(partners.ids)
        return values

    def action_merge(self):
        self.ensure_one()
        if not self.env.user.has_group("omni_channel_sync.group_manager"):
            raise AccessError(self.env._("Only Omnichannel managers may merge customers."))
        partners = self.partner_ids
        if not 2 <= len(partners) <= MAX_PARTNERS:
            raise UserError(self.env._("Select from 2 to %(count)s customers to merge.", count=MAX_PARTNERS))
        if self.dst_partner_id not in partners:
            raise UserError(self.env._("The customer to keep must be one of the customers merged."))
        if self.candidate_id and self.candidate_id.state != "new":
            raise UserError(self.env._("This candidate has already been decided."))
        # Omnichannel managers merge customers without being contact administrators (the merge
        # itself runs as superuser below); record rules still decide which customers they reach.
        partners.check_access("read")
        audit = self.env["omni.customer.merge.audit"]._merge_partners(
            self.dst_partner_id, partners - self.dst_partner_id, self.candidate_id
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "omni.customer.merge.audit",
            "res_id": audit.id,
            "view_mode": "form",
            "target": "current",
        }
