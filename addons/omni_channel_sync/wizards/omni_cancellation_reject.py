from odoo import Command, api, fields, models


class OmniCancellationReject(models.TransientModel):
    """Rejects a buyer's cancellation request with a reason the channel offers for it. TikTok Shop
    refuses a rejection without one, and its reasons change with the request: they are asked anew."""

    _name = "omni.cancellation.reject"
    _description = "Reject a Cancellation Request"

    order_id = fields.Many2one("sale.order", required=True, readonly=True, ondelete="cascade")
    reason_ids = fields.One2many("omni.cancellation.reject.reason", "wizard_id", string="Reasons Offered")
    reason_id = fields.Many2one(
        "omni.cancellation.reject.reason",
        string="Reason",
        domain="[('wizard_id', '=', id)]",
        help="One of the reasons the channel offers for this request; the buyer is told it.",
    )

    @api.model
    def _open_for(self, order):
        """The wizard with the reasons the order's channel offers now (their texts in the user's
        language), the first one chosen; the channel's refusal, said, when it cannot tell them."""
        locale = (self.env.lang or "en_US").replace("_", "-")
        opened = self.browse()

        def ask(channel):
            nonlocal opened
            reasons = channel._call_adapter(
                "cancellation_reject_reasons", order.omni_external_ref, locale, **order._omni_cancel_request()
            )
            opened = self.create(
                {
                    "order_id": order.id,
                    "reason_ids": [
                        Command.create({"sequence": index, "code": reason["name"], "name": reason["text"]})
                        for index, reason in enumerate(reasons)
                    ],
                }
            )
            opened.reason_id = opened.reason_ids[:1]
            return "info", ""

        refused = order.omni_channel_id._omni_answer(ask)
        if not opened:
            return refused
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject the Cancellation of %(order)s", order=order.name),
            "res_model": self._name,
            "res_id": opened.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_reject(self):
        self.ensure_one()
        answer = self.order_id._omni_answer_cancellation(False, self.reason_id.code)
        # The notification closes the wizard; the order's form behind it is read again.
        answer["params"]["next"] = {"type": "ir.actions.act_window_close"}
        return answer


class OmniCancellationRejectReason(models.TransientModel):
    _name = "omni.cancellation.reject.reason"
    _description = "Reason Offered to Reject a Cancellation"
    _order = "sequence, id"

    wizard_id = fields.Many2one("omni.cancellation.reject", required=True, ondelete="cascade")
    sequence = fields.Integer()
    code = fields.Char(required=True, help="The channel's name of the reason, sent with the rejection.")
    name = fields.Char(string="Reason", required=True)
