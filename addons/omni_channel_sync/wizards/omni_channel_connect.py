from odoo import api, fields, models
from odoo.exceptions import UserError

from ..connectors.registry import adapter_can, platform

CREDENTIALS = ("api_base_url", "api_key", "api_secret", "shop_id")


class OmniChannelConnect(models.TransientModel):
    """The credentials a platform gives a seller, an authorization code traded for tokens, a test."""

    _name = "omni.channel.connect"
    _description = "Connect a Sales Channel"

    channel_id = fields.Many2one("omni.channel", required=True, ondelete="cascade")
    channel_type = fields.Selection(related="channel_id.channel_type")
    uses_code = fields.Boolean(compute="_compute_platform")
    needs_url = fields.Boolean(compute="_compute_platform")
    api_base_url = fields.Char(string="API Base URL")
    api_key = fields.Char(string="App Key")
    api_secret = fields.Char(string="App Secret")
    shop_id = fields.Char(string="Shop ID")
    access_token = fields.Char(string="Admin API Access Token", help="Leave empty to keep the current one.")
    authorization_code = fields.Char(
        help="The code the platform hands back once the seller has authorized your app: traded at once "
        "for the access and refresh tokens.",
    )

    @api.depends("channel_type")
    def _compute_platform(self):
        for wizard in self:
            entry = platform(wizard.channel_type)
            wizard.uses_code = adapter_can(wizard.channel_type, "exchange_code")
            wizard.needs_url = not (entry and entry.default_host)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        channel = self.env["omni.channel"].browse(values.get("channel_id"))
        if channel:
            values.update({name: channel[name] for name in CREDENTIALS if name in fields_list})
        return values

    def action_connect(self):
        self.ensure_one()
        if self.needs_url and not self.api_base_url:
            raise UserError(self.env._("Give the store's address (its URL)."))
        return self.channel_id._omni_answer(
            self._connect, next_action={"type": "ir.actions.act_window_close"}
        )

    def _connect(self, channel):
        """Save the credentials on the channel, trade the code for tokens, then test the connection."""
        values = {name: self[name] or False for name in CREDENTIALS}
        # Tokens rotate: only a token the user typed replaces the channel's.
        if self.access_token:
            values["access_token"] = self.access_token.strip()
        channel.write(values)
        if self.uses_code and self.authorization_code:
            # A new authorization: the end the platform announced for the old one is past.
            channel.authorization_announced_end = False
            channel._call_adapter("exchange_code", self.authorization_code.strip())
        message = channel._test_connection()
        channel._omni_authorized_again()
        return "success", message
