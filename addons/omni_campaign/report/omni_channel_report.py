from odoo import fields, models
from odoo.tools import SQL


class OmniChannelReport(models.Model):
    _inherit = "omni.channel.report"

    campaign_id = fields.Many2one("omni.campaign", string="Campaign", readonly=True)

    def _query(self):
        return SQL(
            "SELECT report.*, so.omni_campaign_id AS campaign_id FROM (%s) report "
            "JOIN sale_order so ON so.id = report.order_id",
            super()._query(),
        )
