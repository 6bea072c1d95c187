from odoo import api, fields, models


class OmniChannelListing(models.Model):
    _inherit = "omni.channel.listing"

    stock_policy_override = fields.Boolean(
        string="Own Allocation Policy",
        help="Use the buffer, share, cap and priority below instead of the channel's.",
    )
    # Zero defaults: the allocation reads these columns in SQL, where a missing value would be NULL.
    stock_buffer = fields.Integer(string="Safety Buffer", default=0)
    stock_share = fields.Float(string="Share (%)", default=100.0)
    stock_cap = fields.Integer(string="Cap", default=0, help="0 means no cap.")
    stock_zero_below = fields.Integer(string="Send 0 Below", default=0)
    stock_priority = fields.Integer(string="Priority When Scarce", default=10)

    _sql_constraints = [
        (
            "stock_share_range",
            "CHECK(stock_share >= 0 AND stock_share <= 100)",
            "A share is between 0 and 100%.",
        ),
        (
            "stock_policy_positive",
            "CHECK(stock_buffer >= 0 AND stock_cap >= 0 AND stock_zero_below >= 0)",
            "Buffer, cap and 'send 0 below' cannot be negative.",
        ),
    ]

    @api.onchange("stock_policy_override")
    def _onchange_stock_policy_override(self):
        """Start a listing's own policy from its channel's."""
        for listing in self.filtered("stock_policy_override"):
            for name in ("stock_buffer", "stock_share", "stock_cap", "stock_zero_below", "stock_priority"):
                listing[name] = listing.channel_id[name]

    def _omni_compute_ats(self):
        """``{listing_id: quantity}``: what each listing may offer now, for listings of any channels.

        Batched: one query for the listings competing for the same products, one for the stock,
        one for the holds. A listing without a product offers 0.
        """
        Allocation = self.env["omni.stock.allocation"]
        demands = Allocation._listing_demands(set(self.product_id.ids), self.ids)
        allocations = Allocation._allocate(demands)
        return {
            listing_id: allocations[listing_id].ats if listing_id in allocations else 0
            for listing_id in self.ids
        }
