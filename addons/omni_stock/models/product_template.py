from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    omni_listing_ids = fields.One2many(
        "omni.channel.listing",
        compute="_compute_omni_listing_ids",
        string="Channel Listings",
        groups="omni_channel_sync.group_user,stock.group_stock_user",
    )

    def _compute_omni_listing_ids(self):
        listings = self.env["omni.channel.listing"].search(
            [("product_id.product_tmpl_id", "in", self._origin.ids)]
        )
        by_template = listings.grouped(lambda listing: listing.product_id.product_tmpl_id)
        for template in self:
            template.omni_listing_ids = by_template.get(template._origin, listings.browse())
