from odoo import api, fields, models
from odoo.modules.module import get_manifest

OMNI_MODULES = ("omni_channel_sync", "omni_customer360", "omni_loyalty")
API_VERSION = "1.0"


class OmniChannel(models.Model):
    _name = "omni.channel"
    _description = "Sales Channel"
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=False)
    code = fields.Char(
        required=True,
        help="Short unique code integrators use to name this channel in API calls and webhooks.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    channel_type = fields.Selection(
        [
            ("shopee", "Shopee"),
            ("lazada", "Lazada"),
            ("tiktok", "TikTok Shop"),
            ("tiki", "Tiki"),
            ("shopify", "Shopify"),
            ("woocommerce", "WooCommerce"),
            ("pos", "Point of Sale"),
            ("website", "Website"),
            ("social", "Social (Facebook/Zalo chats)"),
            ("api", "Partner system (API)"),
            ("file", "File import"),
        ],
        required=True,
        default="api",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)

    _sql_constraints = [
        ("code_company_uniq", "UNIQUE(code, company_id)", "A channel code must be unique per company."),
    ]

    @api.model
    def api_info(self):
        """Who the caller is and which omnichannel addons answer: the integrator's first call."""
        self.check_access("read")
        modules = (
            self.env["ir.module.module"]
            .sudo()
            .search([("name", "in", OMNI_MODULES), ("state", "=", "installed")])
        )
        return {
            "api_version": API_VERSION,
            "user": self.env.user.login,
            "company": self.env.company.name,
            "modules": {module.name: get_manifest(module.name).get("version", "") for module in modules},
        }
