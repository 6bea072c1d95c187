from odoo import api, fields, models

# Where an order came from when it has no sales channel: the shop's POS, or a sale order typed in.
ORIGINS = [("channel", "Sales Channel"), ("pos", "Point of Sale"), ("direct", "Direct Sales")]


class OmniCustomerChannelStat(models.Model):
    """A customer's orders on one channel; rewritten in batch by ``res.partner._omni_compute_metrics``."""

    _name = "omni.customer.channel.stat"
    _description = "Customer Channel Statistics"
    _order = "partner_id, order_count desc, revenue desc, id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True, readonly=True
    )
    channel_id = fields.Many2one(
        "omni.channel",
        string="Sales Channel",
        ondelete="cascade",
        readonly=True,
        help="Empty for POS orders when no channel is of the Point of Sale type, and for sale orders "
        "typed in without a channel.",
    )
    origin = fields.Selection(ORIGINS, required=True, default="channel", readonly=True)
    order_count = fields.Integer(string="Orders", readonly=True)
    revenue = fields.Monetary(
        string="Net Revenue",
        currency_field="currency_id",
        readonly=True,
        help="Untaxed, in the company's currency, net of returns and refunds.",
    )
    first_order_date = fields.Date(readonly=True)
    last_order_date = fields.Date(readonly=True)
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")

    @api.depends_context("company")
    def _compute_currency_id(self):
        self.currency_id = self.env.company.currency_id

    @api.depends("channel_id", "origin")
    def _compute_display_name(self):
        labels = dict(self._fields["origin"]._description_selection(self.env))
        for stat in self:
            stat.display_name = stat.channel_id.display_name or labels.get(stat.origin, "")
