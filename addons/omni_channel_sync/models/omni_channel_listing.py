from odoo import fields, models


class OmniChannelListing(models.Model):
    """A product as one channel sells it: its item, variation and SKU there."""

    _name = "omni.channel.listing"
    _description = "Channel Listing"
    _order = "channel_id, external_sku"
    _rec_name = "external_sku"
    _check_company_auto = True

    channel_id = fields.Many2one("omni.channel", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="channel_id.company_id", store=True, index=True)
    product_id = fields.Many2one("product.product", check_company=True, index=True, ondelete="restrict")
    product_tmpl_id = fields.Many2one(related="product_id.product_tmpl_id", string="Product Template")
    external_sku = fields.Char(string="Channel SKU", required=True)
    external_item_id = fields.Char(string="Channel Item ID")
    external_model_id = fields.Char(string="Channel Variation ID")
    name = fields.Char(string="Channel Title")
    active = fields.Boolean(default=True)
    last_pushed_qty = fields.Float(string="Last Pushed Quantity", readonly=True, copy=False)
    last_pushed_price = fields.Float(string="Last Pushed Price", readonly=True, copy=False)
    last_pushed_at = fields.Datetime(string="Last Pushed", readonly=True, copy=False)

    _sql_constraints = [
        ("channel_sku_uniq", "UNIQUE(channel_id, external_sku)", "A SKU is listed once per channel."),
        (
            "channel_item_uniq",
            "UNIQUE(channel_id, external_item_id, external_model_id)",
            "A channel item variation is listed once per channel.",
        ),
    ]
