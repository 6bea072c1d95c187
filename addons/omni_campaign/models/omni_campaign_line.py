from odoo import api, fields, models


class OmniCampaignLine(models.Model):
    """A product of a campaign: its fixed campaign price or the discount, and the units kept for the
    campaign's channels during its window."""

    _name = "omni.campaign.line"
    _description = "Campaign Product"
    _order = "campaign_id, id"
    _check_company_auto = True

    campaign_id = fields.Many2one("omni.campaign", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="campaign_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="campaign_id.currency_id")
    product_id = fields.Many2one("product.product", required=True, check_company=True, index=True)
    fixed_price = fields.Monetary(
        string="Campaign Price",
        help="The product's price on every channel during the campaign; empty: the channel's regular "
        "price less the discount.",
    )
    reserved_qty = fields.Float(
        string="Reserved Quantity",
        digits="Product Unit of Measure",
        help="Units kept for the campaign's channels during its window.",
    )

    _sql_constraints = [
        ("product_uniq", "UNIQUE(campaign_id, product_id)", "A product is once in a campaign."),
        ("fixed_price_positive", "CHECK(fixed_price >= 0)", "A campaign price cannot be negative."),
        ("reserved_qty_positive", "CHECK(reserved_qty >= 0)", "A reserved quantity cannot be negative."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.campaign_id._omni_changed()
        return lines

    def write(self, vals):
        result = super().write(vals)
        if {"product_id", "fixed_price"} & set(vals):
            self.campaign_id._omni_changed()
        elif "reserved_qty" in vals:
            # A flash sale's campaign stock is the reserved quantity.
            campaigns = self.campaign_id.filtered(lambda campaign: campaign.state in ("scheduled", "running"))
            campaigns.channel_line_ids.filtered("flash_sale")._queue_sync()
        return result

    def unlink(self):
        campaigns = self.campaign_id
        result = super().unlink()
        campaigns.exists()._omni_changed()
        return result

    def _campaign_price(self, currency, regular, percent):
        """The campaign's price of the product where ``regular`` (in ``currency``) is the price, with
        ``percent`` off when the line has no fixed price; rounded in ``currency`` (VND: whole đồng)."""
        self.ensure_one()
        if self.fixed_price:
            campaign = self.campaign_id
            return campaign.currency_id._convert(
                self.fixed_price, currency, campaign.company_id, campaign.date_start.date()
            )
        return currency.round(regular * (1 - percent / 100))
