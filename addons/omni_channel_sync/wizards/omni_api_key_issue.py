from odoo import _, api, fields, models
from odoo.exceptions import UserError


class OmniApiKeyIssue(models.TransientModel):
    """Lets a manager give a partner system its API key, since an API account has no preferences screen."""

    _name = "omni.api.key.issue"
    _description = "Issue an Integrator API Key"

    user_id = fields.Many2one(
        "res.users",
        string="Integrator",
        domain=lambda self: [("groups_id", "in", self.env.ref("omni_channel_sync.group_integrator").ids)],
        help="An existing API account; leave empty to create one below.",
    )
    new_user_name = fields.Char(string="Partner System", help="Name of a new API account.")
    new_user_login = fields.Char(string="Login", help="Login of a new API account.")
    name = fields.Char(string="Key name", required=True, default=lambda self: _("Omnichannel API"))
    expiration_date = fields.Date(help="Leave empty for a key that does not expire.")
    key = fields.Char(readonly=True, copy=False)

    @api.constrains("user_id")
    def _check_integrator(self):
        for wizard in self.filtered("user_id"):
            if not wizard.user_id.has_group("omni_channel_sync.group_integrator"):
                raise UserError(_("%(user)s is not an Integrator (API) user.", user=wizard.user_id.name))

    def action_issue(self):
        self.ensure_one()
        if not self.env.user.has_group("base.group_erp_manager"):
            raise UserError(_("Only an access-rights administrator can issue API keys."))
        if self.key:
            raise UserError(_("This key was already issued; start a new one."))
        if not self.user_id:
            self.user_id = self._create_integrator()
        # sudo: the key belongs to the integrator, who cannot open a session to make it.
        self.key = (
            self.env["res.users.apikeys"]
            .with_user(self.user_id)
            .sudo()
            ._generate(None, self.name, self.expiration_date)
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("API Key of %(user)s", user=self.user_id.name),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _create_integrator(self):
        """A portal account in the Integrator (API) group: it signs in with its key and opens nothing
        but the API."""
        if not (self.new_user_name and self.new_user_login):
            raise UserError(_("Choose an integrator, or give the new one a name and a login."))
        groups = self.env.ref("base.group_portal") | self.env.ref("omni_channel_sync.group_integrator")
        return (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": self.new_user_name,
                    "login": self.new_user_login,
                    "groups_id": [fields.Command.set(groups.ids)],
                }
            )
        )
