from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_campaign_id = fields.Many2one(
        "omni.campaign",
        string="Omnichannel Campaign",
        compute="_compute_omni_campaign_id",
        store=True,
        index="btree_not_null",
        readonly=True,
        help="The campaign that priced the order: for a channel's order, a campaign of that channel "
        "running when it was placed, with one of its products; otherwise the campaign whose price "
        "rule priced one of its lines.",
    )

    @api.depends("omni_channel_id", "date_order", "order_line.product_id", "order_line.pricelist_item_id")
    def _compute_omni_campaign_id(self):
        campaigns = self.env["omni.campaign"]._omni_pricing_campaigns(self)
        for order in self:
            if not order.omni_channel_id:
                order.omni_campaign_id = order.order_line.pricelist_item_id.omni_campaign_id[:1]
                continue
            # Only once the platform took the campaign (before, its orders are at the regular price),
            # which may start it later than asked (Shopee: an hour ahead at the soonest) and end it
            # earlier (a Shopee flash sale: with its time slot).
            order.omni_campaign_id = next(
                (
                    line.campaign_id
                    for line in campaigns.channel_line_ids
                    if line.channel_id == order.omni_channel_id
                    and line.platform_start
                    and line.campaign_id._omni_priced(
                        order, order.order_line.product_id, line._platform_window()
                    )
                ),
                False,
            )
