from odoo import models


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    def _push_prices(self):
        # The regular price: a campaign's price reaches the platform as its promotion, never as the
        # price (a platform refuses a promotion price that is not below the price).
        return super(OmniChannel, self.with_context(omni_campaign_regular_price=True))._push_prices()
