from odoo import api, fields, models


class PosOrder(models.Model):
    _inherit = "pos.order"

    omni_campaign_id = fields.Many2one(
        "omni.campaign",
        string="Omnichannel Campaign",
        compute="_compute_omni_campaign_id",
        store=True,
        index="btree_not_null",
        readonly=True,
        help="The campaign running on the receipt's pricelist when it was paid, with one of its products.",
    )

    @api.depends("pricelist_id", "date_order", "lines.product_id")
    def _compute_omni_campaign_id(self):
        campaigns = self.env["omni.campaign"]._omni_pricing_campaigns(self)
        for order in self:
            order.omni_campaign_id = campaigns.filtered(
                lambda campaign, order=order: (
                    order.pricelist_id in campaign.pricelist_ids
                    and campaign._omni_priced(order, order.lines.product_id)
                )
            )[:1]
