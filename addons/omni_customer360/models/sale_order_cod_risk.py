from odoo import fields, models
from odoo.addons.omni_channel_sync.models.sale_order import CONFIRMED_STATUSES

RISK_RANK = {"low": 0, "medium": 1, "high": 2}


class SaleOrder(models.Model):
    """The buyer's cash-on-delivery risk on the order, and the channel's rule for risky COD orders."""

    _inherit = "sale.order"

    omni_buyer_cancelled = fields.Boolean(
        string="Cancelled by the Buyer",
        copy=False,
        readonly=True,
        help="The buyer cancelled the order: their request was granted, on the channel or here.",
    )
    omni_cod_risk_action = fields.Selection(
        [("hold", "Held"), ("prepayment", "Prepayment Required")],
        string="COD Risk Rule",
        copy=False,
        readonly=True,
        tracking=True,
        help="What the channel's rule did with this cash-on-delivery order of a risky customer.",
    )
    omni_cod_risk = fields.Selection(
        related="partner_id.commercial_partner_id.omni_cod_risk", string="Customer COD Risk"
    )
    omni_cod_risk_summary = fields.Char(
        string="Customer COD Record", compute="_compute_omni_cod_risk_summary"
    )

    def _compute_omni_cod_risk_summary(self):
        for order in self:
            customer = order.partner_id.commercial_partner_id
            order.omni_cod_risk_summary = customer.omni_cod_risk and customer._omni_cod_risk_summary()

    def action_omni_mark_buyer_cancelled(self):
        """Cancel the order as the buyer asked (on the phone, in a chat)."""
        self.omni_buyer_cancelled = True
        return self.action_cancel()

    def _omni_apply_status(self, status):
        # A cancellation the buyer asked for and the channel granted is the buyer's.
        requested = self.omni_cancel_requested
        result = super()._omni_apply_status(status)
        if requested and status == "cancelled" and self.omni_status == "cancelled":
            self.omni_buyer_cancelled = True
        return result

    def _omni_answer_cancellation_now(self, accept, reason=None):
        kind, message = super()._omni_answer_cancellation_now(accept, reason)
        if accept and kind == "success":
            self.omni_buyer_cancelled = True
        return kind, message

    def _omni_follow_lifecycle(self, order):
        result = super()._omni_follow_lifecycle(order)
        if order.cancelled_by_buyer and self.state == "cancel" and not self.omni_buyer_cancelled:
            self.omni_buyer_cancelled = True
        if order.delivery_failed and not self.omni_delivery_refused:
            self.omni_delivery_refused = True
        return result

    def _omni_follow_status(self):
        # The one place channel orders are confirmed: held ones are left as quotations.
        held = self._omni_apply_cod_risk_rule()
        return super(SaleOrder, self - held)._omni_follow_status()

    def _omni_apply_cod_risk_rule(self):
        """Apply their channel's rule to the cash-on-delivery orders about to be confirmed, once per
        order; return the orders held (newly or before)."""
        to_confirm = self.filtered(
            lambda order: order.omni_status in CONFIRMED_STATUSES and order.state in ("draft", "sent")
        )
        for order in to_confirm.filtered(lambda order: not order.omni_cod_risk_action):
            channel = order.omni_channel_id
            customer = order.partner_id.commercial_partner_id
            if (
                order.omni_is_cod
                and channel.cod_risk_threshold
                and customer.omni_cod_risk
                and RISK_RANK[customer.omni_cod_risk] >= RISK_RANK[channel.cod_risk_threshold]
            ):
                order._omni_flag_cod_risk(channel.cod_risk_action)
        return to_confirm.filtered(lambda order: order.omni_cod_risk_action == "hold")

    def _omni_flag_cod_risk(self, action):
        self.ensure_one()
        self.omni_cod_risk_action = action
        record = self.partner_id.commercial_partner_id._omni_cod_risk_summary()
        if action == "hold":
            body = self.env._(
                "Held: a cash-on-delivery order of a customer at risk of refusing it (%(record)s). Call "
                "the buyer, then confirm or cancel the order.",
                record=record,
            )
        else:
            body = self.env._(
                "Prepayment required: a cash-on-delivery order of a customer at risk of refusing it "
                "(%(record)s). Ask the buyer to pay before the order ships.",
                record=record,
            )
        self.message_post(body=body)
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Risky cash-on-delivery order"),
            note=body,
            user_id=(self.user_id or self.omni_channel_id.user_id or self.env.user).id,
        )
