from odoo import api, fields, models

from .omni_stock_policy_mixin import POLICY_FIELDS


class OmniChannelListing(models.Model):
    _name = "omni.channel.listing"
    _inherit = ["omni.channel.listing", "omni.stock.policy.mixin"]

    stock_policy_override = fields.Boolean(
        string="Own Allocation Policy",
        help="Use the buffer, share, cap and priority below instead of the channel's.",
    )

    @api.onchange("stock_policy_override")
    def _onchange_stock_policy_override(self):
        """Start a listing's own policy from its channel's."""
        for listing in self.filtered("stock_policy_override"):
            for name in POLICY_FIELDS:
                listing[name] = listing.channel_id[name]

    def _omni_allocations(self):
        """``{listing_id: Allocation}`` of the listings that have a product (see ``_omni_compute_ats``)."""
        Allocation = self.env["omni.stock.allocation"]
        return Allocation._allocate(Allocation._listing_demands(set(self.product_id.ids), self.ids))

    def _omni_compute_ats(self):
        """``{listing_id: quantity}``: what each listing may offer now, for listings of any channels.

        Batched: one query for the listings competing for the same products, one for the stock,
        one for the holds. A listing without a product offers 0.
        """
        allocations = self._omni_allocations()
        return {
            listing_id: allocations[listing_id].ats if listing_id in allocations else 0
            for listing_id in self.ids
        }
