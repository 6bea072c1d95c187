from odoo import fields, models

# The allocation policy a channel sets for its products and a listing may set for its own.
POLICY_FIELDS = ("stock_buffer", "stock_share", "stock_cap", "stock_zero_below", "stock_priority")


class OmniStockPolicyMixin(models.AbstractModel):
    _name = "omni.stock.policy.mixin"
    _description = "Stock Allocation Policy"

    # Zero defaults: the allocation reads these columns in SQL, where a missing value would be NULL.
    stock_buffer = fields.Integer(
        string="Safety Buffer", default=0, help="Units of each product never offered on this channel."
    )
    stock_share = fields.Float(
        string="Share (%)",
        default=100.0,
        help="Part of the available stock offered on this channel, after holds and the buffer.",
    )
    stock_cap = fields.Integer(
        string="Cap", default=0, help="Never offer more than this many units of a product; 0 means no cap."
    )
    stock_zero_below = fields.Integer(
        string="Send 0 Below",
        default=0,
        help="Offer 0 when fewer units than this would be offered, to keep the last ones for other channels.",
    )
    stock_priority = fields.Integer(
        string="Priority When Scarce",
        default=10,
        help="When the channels' shares together exceed the stock, higher priorities are served first: "
        "what they are offered is no longer offered to lower priorities. Equal priorities share.",
    )

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
