from odoo import models


class ProductPricelist(models.Model):
    _inherit = "product.pricelist"

    def _get_applicable_rules_domain(self, products, date, **kwargs):
        domain = super()._get_applicable_rules_domain(products, date, **kwargs)
        if self.env.context.get("omni_campaign_regular_price"):
            # The price without any campaign: what the campaign's discount applies to.
            domain = [*domain, ("omni_campaign_id", "=", False)]
        return domain
