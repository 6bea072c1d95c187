from odoo import fields, models


class OmniCampaignParity(models.TransientModel):
    """One product of a campaign where buyers see it (a channel or a pricelist): the price they
    should see and the price they see now, flagged when the two differ. Built when opened."""

    _name = "omni.campaign.parity"
    _description = "Campaign Price Parity"
    _order = "campaign_id, product_id, source"

    campaign_id = fields.Many2one("omni.campaign", required=True, ondelete="cascade", readonly=True)
    product_id = fields.Many2one("product.product", required=True, ondelete="cascade", readonly=True)
    channel_id = fields.Many2one("omni.channel", ondelete="cascade", readonly=True)
    pricelist_id = fields.Many2one("product.pricelist", ondelete="cascade", readonly=True)
    source = fields.Char(string="Where", required=True, readonly=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    regular_price = fields.Monetary(readonly=True)
    campaign_price = fields.Monetary(readonly=True)
    expected_price = fields.Monetary(
        string="Price Expected Now",
        readonly=True,
        help="The campaign price while the campaign runs there (on a channel: from when its platform "
        "starts it to when it ends it), the regular price otherwise.",
    )
    current_price = fields.Monetary(
        string="Price Now",
        readonly=True,
        help="What a buyer sees now: a channel's price as its listings were last read (Check Prices), "
        "a pricelist's price now.",
    )
    price_known = fields.Boolean(
        readonly=True, help="False: the channel's price was never read; use Check Prices."
    )
    differs = fields.Boolean(readonly=True, help="The price now is not the price expected now.")

    def _open(self, campaigns):
        """The parity of ``campaigns`` as a list."""
        rows = self.create(self._rows(campaigns))
        action = self.env["ir.actions.act_window"]._for_xml_id("omni_campaign.omni_campaign_parity_action")
        action["domain"] = [("id", "in", rows.ids)]
        return action

    def _rows(self, campaigns):
        rows = []
        for campaign in campaigns:
            lines = {line.product_id: line for line in campaign.line_ids}
            products = campaign.line_ids.product_id
            running = campaign.state == "running"
            for pricelist in campaign.pricelist_ids:
                regular = campaign._regular_prices(pricelist, products)
                now = pricelist._get_products_price(products, quantity=1.0)
                for product in products:
                    price = lines[product]._campaign_price(
                        pricelist.currency_id, regular[product.id], campaign.discount_percent
                    )
                    rows.append(
                        _row(campaign, product, pricelist.currency_id, regular[product.id], price,
                             pricelist.currency_id.round(now[product.id]), running,
                             pricelist_id=pricelist.id, source=pricelist.name)
                    )  # fmt: skip
            listings = self.env["omni.channel.listing"].search(
                [
                    ("channel_id", "in", campaign.channel_line_ids.channel_id.ids),
                    ("product_id", "in", products.ids),
                ]
            )
            now = fields.Datetime.now()
            for channel_line in campaign.channel_line_ids:
                channel = channel_line.channel_id
                start, end = channel_line._platform_window()
                live = running and start <= now < end
                currency = channel.pricelist_id.currency_id
                listed = listings.filtered(lambda listing, channel=channel: listing.channel_id == channel)
                regular = campaign._regular_prices(channel.pricelist_id, listed.product_id)
                for listing in listed:
                    product = listing.product_id
                    price = lines[product]._campaign_price(
                        currency, regular[product.id], channel_line._discount()
                    )
                    rows.append(
                        _row(campaign, product, currency, regular[product.id], price, listing.channel_price,
                             live, channel_id=channel.id, source=channel.name)
                    )  # fmt: skip
        return rows


def _row(campaign, product, currency, regular, price, current, running, **where):
    expected = price if running else regular
    known = bool(current)
    return {
        "campaign_id": campaign.id,
        "product_id": product.id,
        "currency_id": currency.id,
        "regular_price": regular,
        "campaign_price": price,
        "expected_price": expected,
        "current_price": current,
        "price_known": known,
        "differs": known and currency.compare_amounts(current, expected) != 0,
        **where,
    }
