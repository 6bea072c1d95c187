from odoo import fields, models, tools
from odoo.addons.sale.models.sale_order import SALE_ORDER_STATE
from odoo.tools import SQL


class OmniChannelReport(models.Model):
    """One row per sale order of a channel, to compare channels: revenue, AOV, cancellations, returns.

    Pivot and graph views only sum or average columns, so every rate is a per-order column whose
    average over a group is the rate of that group: ``cancel_rate`` is 100 for a cancelled order
    and 0 otherwise. Amounts are untaxed, in the currency of the order's company.
    """

    _name = "omni.channel.report"
    _description = "Channel Performance Report"
    _auto = False
    _rec_name = "name"
    _order = "date desc"

    name = fields.Char(string="Order Reference", readonly=True)
    order_id = fields.Many2one("sale.order", string="Order", readonly=True)
    date = fields.Datetime(string="Order Date", readonly=True)
    channel_id = fields.Many2one("omni.channel", string="Channel", readonly=True)
    channel_type = fields.Selection(selection="_selection_channel_type", string="Channel Type", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    state = fields.Selection(SALE_ORDER_STATE, string="Status", readonly=True)
    omni_status = fields.Selection(selection="_selection_omni_status", string="Channel Status", readonly=True)
    amount = fields.Monetary(string="Untaxed Amount", readonly=True)
    revenue = fields.Monetary(
        string="Net Revenue",
        readonly=True,
        help="Untaxed amount of the orders neither cancelled nor returned.",
    )
    aov = fields.Monetary(
        string="Average Order Value",
        aggregator="avg",
        readonly=True,
        help="Average untaxed amount of the orders neither cancelled nor returned.",
    )
    order_count = fields.Integer(string="Orders", readonly=True)
    cancelled_count = fields.Integer(string="Cancelled Orders", readonly=True)
    returned_count = fields.Integer(string="Returned Orders", readonly=True)
    cancel_rate = fields.Float(
        string="Cancellation Rate (%)",
        aggregator="avg",
        digits=(16, 2),
        readonly=True,
        help="Share of the orders cancelled, by the channel or in Odoo.",
    )
    return_rate = fields.Float(
        string="Return Rate (%)",
        aggregator="avg",
        digits=(16, 2),
        readonly=True,
        help="Share of the orders the buyer returned.",
    )

    def _selection_channel_type(self):
        return self.env["omni.channel"]._fields["channel_type"]._description_selection(self.env)

    def _selection_omni_status(self):
        return self.env["sale.order"]._fields["omni_status"]._description_selection(self.env)

    def _query(self):
        cancelled = SQL("(so.omni_status = 'cancelled' OR so.state = 'cancel')")
        returned = SQL("(so.omni_status = 'returned')")
        # sale.order.currency_rate: units of the order's currency per unit of the company's.
        amount = SQL("so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1.0)")
        return SQL(
            """
            SELECT so.id AS id,
                   so.id AS order_id,
                   so.name AS name,
                   so.date_order AS date,
                   so.omni_channel_id AS channel_id,
                   channel.channel_type AS channel_type,
                   so.company_id AS company_id,
                   company.currency_id AS currency_id,
                   so.partner_id AS partner_id,
                   so.team_id AS team_id,
                   so.user_id AS user_id,
                   so.state AS state,
                   so.omni_status AS omni_status,
                   %(amount)s AS amount,
                   CASE WHEN %(cancelled)s OR %(returned)s THEN 0 ELSE %(amount)s END AS revenue,
                   CASE WHEN %(cancelled)s OR %(returned)s THEN NULL ELSE %(amount)s END AS aov,
                   1 AS order_count,
                   CASE WHEN %(cancelled)s THEN 1 ELSE 0 END AS cancelled_count,
                   CASE WHEN %(returned)s THEN 1 ELSE 0 END AS returned_count,
                   CASE WHEN %(cancelled)s THEN 100.0 ELSE 0.0 END AS cancel_rate,
                   CASE WHEN %(returned)s THEN 100.0 ELSE 0.0 END AS return_rate
              FROM sale_order so
              JOIN omni_channel channel ON channel.id = so.omni_channel_id
              JOIN res_company company ON company.id = so.company_id
            """,
            amount=amount,
            cancelled=cancelled,
            returned=returned,
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
