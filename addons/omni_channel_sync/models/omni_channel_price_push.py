from odoo import models


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    def action_push_prices(self):
        """Send the pricelist's prices of the matched listings in a job (batches are several calls),
        which tells the user what the channel accepted."""
        self.ensure_one()
        return self._omni_answer_queued(
            lambda channel: channel._push_prices_answer(),
            lambda channel: channel._queue_job("_push_prices_job"),
        )

    def _push_prices_job(self):
        channel = self.sudo()  # the credentials and listings are the system's, whoever asked
        return channel._omni_job(channel._push_prices_answer, notify=True)

    def _push_prices_answer(self):
        pushed, refused = self._push_prices()
        message = self.env._(
            "%(pushed)s price(s) sent to %(channel)s, %(refused)s refused (filter Push Failed in Listings).",
            pushed=pushed,
            refused=refused,
            channel=self.name,
        )
        return ("warning" if refused else "success"), message

    def _push_prices(self):
        """Price every active listing that has a product from the channel's pricelist and send them.

        :return: ``(accepted, refused)`` counts; each listing keeps its own answer
        """
        self.ensure_one()
        listings = self.env["omni.channel.listing"].search(
            [("channel_id", "=", self.id), ("product_id", "!=", False)]
        )
        if not listings:
            return 0, 0
        currency = self.pricelist_id.currency_id
        prices = self.pricelist_id._get_products_price(listings.product_id, quantity=1.0)
        values = {listing.external_sku: currency.round(prices[listing.product_id.id]) for listing in listings}
        entries = [listing._push_entry(price=values[listing.external_sku]) for listing in listings]
        results = self._call_adapter("push_prices", entries)
        listings._omni_record_push(results, "last_pushed_price", values)
        refused = sum(1 for result in results if not result["ok"])
        return len(results) - refused, refused
