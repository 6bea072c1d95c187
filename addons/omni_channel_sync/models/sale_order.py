from odoo import api, fields, models

from ..connectors.normalized_order import STATUSES

# From these channel statuses on, the goods are promised: the order is confirmed.
CONFIRMED_STATUSES = ("ready_to_ship", "shipped", "completed")
STATUS_LABELS = {
    "unpaid": "Unpaid",
    "pending": "Pending",
    "ready_to_ship": "Ready to Ship",
    "shipped": "Shipped",
    "completed": "Completed",
    "cancelled": "Cancelled",
    "returned": "Returned",
}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_channel_id = fields.Many2one(
        "omni.channel", string="Sales Channel", index=True, copy=False, check_company=True, tracking=True
    )
    omni_channel_type = fields.Selection(related="omni_channel_id.channel_type", string="Channel Type")
    omni_external_ref = fields.Char(string="Channel Order ID", copy=False, index=True)
    omni_buyer_ref = fields.Char(string="Channel Buyer ID", copy=False)
    omni_status = fields.Selection(
        [(status, STATUS_LABELS[status]) for status in STATUSES],
        string="Channel Status",
        copy=False,
        tracking=True,
    )
    omni_updated_at = fields.Datetime(string="Channel Update Time", copy=False)
    omni_pay_by = fields.Datetime(
        string="Pay By", copy=False, help="The channel cancels the order if unpaid by then."
    )
    omni_is_cod = fields.Boolean(string="Cash on Delivery", copy=False)
    omni_shipping_fee = fields.Monetary(string="Shipping Fee", copy=False)
    omni_seller_discount = fields.Monetary(string="Seller Discount", copy=False)
    omni_platform_discount = fields.Monetary(
        string="Platform Discount", copy=False, help="Vouchers funded by the marketplace, not by the shop."
    )
    omni_marketplace_fee = fields.Monetary(string="Marketplace Fees", copy=False)
    omni_inbox_ids = fields.One2many(
        "omni.channel.inbox",
        "sale_order_id",
        string="Channel Payloads",
        groups="omni_channel_sync.group_user",
    )

    _sql_constraints = [
        (
            "omni_external_ref_uniq",
            "UNIQUE(omni_channel_id, omni_external_ref)",
            "This channel order is already in Odoo.",
        ),
    ]

    def _prepare_confirmation_values(self):
        values = super()._prepare_confirmation_values()
        # A channel order keeps the date the buyer ordered on the platform: confirming it when it is
        # imported (or paid) must not move it to another day or month in the reports.
        if self and all(self.mapped("omni_external_ref")):
            values.pop("date_order", None)
        return values

    def _omni_api_summary(self):
        self.ensure_one()
        return {
            "external_id": self.omni_external_ref,
            "sale_order_id": self.id,
            "name": self.name,
            "state": self.state,
            "channel_status": self.omni_status or False,
            "amount_untaxed": self.amount_untaxed,
            "amount_total": self.amount_total,
            "currency": self.currency_id.name,
            "lines": [
                {
                    "sku": line.omni_sku or line.product_id.default_code or False,
                    "product": line.product_id.display_name,
                    "quantity": line.product_uom_qty,
                    "unit_price": line.price_unit,
                    "subtotal": line.price_subtotal,
                }
                for line in self.order_line
            ],
        }

    @api.model
    def _omni_status_rank(self, status):
        return STATUSES.index(status) if status else -1

    def _omni_apply_status(self, status):
        """Follow the channel: confirm when ready to ship, cancel; never go back."""
        self.ensure_one()
        current = self.omni_status
        if current in ("cancelled", "returned") or self._omni_status_rank(status) < self._omni_status_rank(
            current
        ):
            if status != current:
                self.message_post(
                    body=self.env._(
                        "The channel reported %(new)s after %(old)s; the order keeps %(old)s.",
                        new=STATUS_LABELS[status],
                        old=STATUS_LABELS[current],
                    )
                )
            return
        self.omni_status = status
        self._omni_follow_status()

    def _omni_follow_status(self):
        """Bring the orders where their channel status says they are: confirmed, cancelled. Returns
        follow the channel's order (`_omni_follow_lifecycle`)."""
        self.filtered(
            lambda o: o.omni_status in CONFIRMED_STATUSES and o.state in ("draft", "sent")
        ).action_confirm()
        for order in self.filtered(lambda o: o.omni_status == "cancelled" and o.state != "cancel"):
            order._omni_cancel()

    def _omni_cancel(self):
        if any(picking.state == "done" for picking in self.picking_ids):
            self.message_post(
                body=self.env._("The channel cancelled this order after it shipped: receive the return.")
            )
            return
        self.with_context(disable_cancel_warning=True).action_cancel()
