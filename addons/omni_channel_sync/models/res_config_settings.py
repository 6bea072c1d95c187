from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    omni_inbox_retention_days = fields.Integer(
        string="Keep Processed Payloads (days)",
        config_parameter="omni_channel_sync.inbox_retention_days",
        default=30,
        help="Imported and ignored inbox records are deleted after this many days; failures are kept.",
    )
