import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

from .omni_customer_channel_stat import ORIGINS

SEGMENTS = [
    ("champions", "Champions"),
    ("loyal", "Loyal"),
    ("potential", "Potential Loyalists"),
    ("new", "New Customers"),
    ("at_risk", "At Risk"),
    ("hibernating", "Hibernating"),
    ("lost", "Lost"),
]
# Sale orders that count: confirmed, not cancelled by the channel. POS orders: paid.
POS_DONE_STATES = ("paid", "done", "invoiced")
# Lifetime value: what the customer spent, plus one more year at their yearly pace if still active.
LTV_HORIZON_DAYS = 365
# The metrics this file writes with SQL; flushed before and invalidated after.
METRIC_FIELDS = (
    "omni_order_count",
    "omni_revenue",
    "omni_first_order_date",
    "omni_last_order_date",
    "omni_aov",
    "omni_ltv",
    "omni_preferred_channel_id",
    "omni_preferred_origin",
    "omni_metrics_date",
)
RFM_FIELDS = ("omni_rfm_recency", "omni_rfm_frequency", "omni_rfm_monetary", "omni_rfm_score", "omni_segment")
PENDING_KEY = "omni_customer360.metrics_partner_ids"
CONCURRENCY_ATTEMPTS = 3

_logger = logging.getLogger(__name__)


class ResPartner(models.Model):
    """Customer metrics across every channel's sale orders and the POS, net of returns and refunds.

    Plain stored fields, written in batch by ``_omni_compute_metrics`` with a few SQL queries: at
    night for every customer, and after the commit of a transaction that confirmed, cancelled or
    returned an order or paid a POS order, for that order's customer, in a transaction of its own.
    Amounts are untaxed, converted to the currency of each order's company. Metrics belong to the
    commercial partner: a company's orders include those of its contacts.
    """

    _inherit = "res.partner"

    omni_currency_id = fields.Many2one("res.currency", compute="_compute_omni_currency_id")
    omni_order_count = fields.Integer(
        string="Orders (All Channels)",
        readonly=True,
        copy=False,
        help="Confirmed sale orders of every channel and paid POS orders; cancelled ones do not count, "
        "returned ones count with no revenue.",
    )
    omni_revenue = fields.Monetary(
        string="Net Revenue",
        currency_field="omni_currency_id",
        readonly=True,
        copy=False,
        help="Untaxed revenue of the orders, net of returns and POS refunds, in the company's currency.",
    )
    omni_first_order_date = fields.Date(string="First Order", readonly=True, copy=False)
    omni_last_order_date = fields.Date(string="Last Order", readonly=True, copy=False)
    omni_aov = fields.Monetary(
        string="Average Order Value",
        currency_field="omni_currency_id",
        readonly=True,
        copy=False,
        help="Net revenue divided by the number of orders.",
    )
    omni_ltv = fields.Monetary(
        string="Lifetime Value",
        currency_field="omni_currency_id",
        readonly=True,
        copy=False,
        help="Net revenue so far, plus one more year at the customer's yearly spend (net revenue over "
        "the time since the first order, a year at least) when the last order is less than a year old.",
    )
    omni_rfm_recency = fields.Integer(
        string="Recency Score", readonly=True, copy=False, help="5: among the 20% who ordered last."
    )
    omni_rfm_frequency = fields.Integer(
        string="Frequency Score", readonly=True, copy=False, help="5: among the 20% who order most often."
    )
    omni_rfm_monetary = fields.Integer(
        string="Monetary Score", readonly=True, copy=False, help="5: among the 20% who spend most."
    )
    omni_rfm_score = fields.Char(
        string="RFM Score",
        readonly=True,
        copy=False,
        help="Recency, frequency and monetary scores, 1 to 5 each, by quintiles over all customers.",
    )
    omni_segment = fields.Selection(SEGMENTS, string="Segment", readonly=True, copy=False, index=True)
    omni_segment_reason = fields.Char(
        string="Why This Segment", compute="_compute_omni_segment_reason", compute_sudo=False
    )
    omni_preferred_channel_id = fields.Many2one(
        "omni.channel",
        string="Preferred Channel",
        readonly=True,
        copy=False,
        help="The channel the customer orders on most; POS orders count for the Point of Sale channel.",
    )
    omni_preferred_origin = fields.Selection(
        ORIGINS,
        string="Preferred Origin",
        readonly=True,
        copy=False,
        help="Point of Sale when the customer buys most in the shop and no channel stands for it.",
    )
    omni_metrics_date = fields.Date(string="Metrics Updated On", readonly=True, copy=False, index=True)
    omni_channel_stat_ids = fields.One2many(
        "omni.customer.channel.stat",
        "partner_id",
        string="Orders by Channel",
        readonly=True,
        groups="omni_channel_sync.group_user",
    )
    omni_touchpoint_ids = fields.One2many(
        "omni.customer.touchpoint",
        "partner_id",
        string="Timeline",
        readonly=True,
        groups="omni_channel_sync.group_user",
    )

    @api.depends_context("company")
    def _compute_omni_currency_id(self):
        self.omni_currency_id = self.env.company.currency_id

    @api.depends("omni_segment")
    def _compute_omni_segment_reason(self):
        # The rules of _omni_score_rfm, in the words of a shopkeeper.
        reasons = {
            "champions": self.env._("Bought recently, buys often and spends the most."),
            "loyal": self.env._("Bought recently and buys often."),
            "new": self.env._("Bought recently for the first times."),
            "potential": self.env._("Bought recently, not often yet."),
            "at_risk": self.env._("Used to buy often, but not lately."),
            "hibernating": self.env._("Last bought a while ago, not often."),
            "lost": self.env._("Has not bought for a long time."),
        }
        for partner in self:
            partner.omni_segment_reason = reasons.get(partner.omni_segment, False)

    # ------------------------------------------------------------------ actions

    def action_omni_open_channel_orders(self):
        """The customer's sale orders, grouped by sales channel."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action.update(
            domain=[("partner_id", "child_of", self.commercial_partner_id.id)],
            context={"group_by": ["omni_channel_id"], "create": False},
        )
        return action

    def action_omni_open_pos_orders(self):
        """The customer's POS orders, refunds included."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("point_of_sale.action_pos_pos_form")
        action.update(
            domain=[("partner_id", "child_of", self.commercial_partner_id.id)], context={"create": False}
        )
        return action

    # ------------------------------------------------------------------ metrics

    @api.model
    def _cron_compute_metrics(self, batch_size=2000):
        """Nightly: every customer whose metrics are older than today, a batch per call."""
        today = fields.Date.context_today(self)
        self.env.cr.execute(self._omni_stale_customers_query(today))
        stale = [row[0] for row in self.env.cr.fetchall()]
        batch = self.browse(stale[:batch_size])
        self._omni_compute_metrics(batch, score=False)
        remaining = max(len(stale) - batch_size, 0)
        if not remaining:
            # Quintiles over the whole population once every customer is up to date.
            self._omni_score_rfm()
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)

    @api.model
    def _omni_customers_query(self):
        """Commercial partners with counted orders, or with metrics that may need a reset."""
        return SQL(
            """SELECT c.commercial_partner_id
                 FROM sale_order so
                 JOIN res_partner c ON c.id = so.partner_id
                WHERE so.state = 'sale'
                UNION
               SELECT c.commercial_partner_id
                 FROM pos_order po
                 JOIN res_partner c ON c.id = po.partner_id
                WHERE po.state IN %(pos_states)s
                UNION
               SELECT q.id
                 FROM res_partner q
                WHERE q.omni_order_count <> 0 OR q.omni_revenue <> 0 OR q.omni_last_order_date IS NOT NULL""",
            pos_states=POS_DONE_STATES,
        )

    @api.model
    def _omni_stale_customers_query(self, today):
        """The customers whose metrics were not computed since ``today``."""
        return SQL(
            """SELECT p.id
                 FROM res_partner p
                WHERE (p.omni_metrics_date IS NULL OR p.omni_metrics_date < %(today)s)
                  AND p.id IN (%(customers)s)
             ORDER BY p.id""",
            today=today,
            customers=self._omni_customers_query(),
        )

    @api.model
    def _omni_schedule_metrics(self, partners):
        """Compute the metrics of these customers once, after the current transaction commits.

        Not at its flushes: a savepoint flushes too, and the order's transaction (a POS session
        closing, say) would see its cache invalidated and rows change midway.
        """
        postcommit = self.env.cr.postcommit
        if PENDING_KEY not in postcommit.data:
            postcommit.data[PENDING_KEY] = set()
            postcommit.add(self._omni_compute_pending_metrics)
        postcommit.data[PENDING_KEY].update(partners.commercial_partner_id.ids)

    @api.model
    def _omni_compute_pending_metrics(self):
        partner_ids = self.env.cr.postcommit.data.pop(PENDING_KEY, set())
        for attempt in range(1, CONCURRENCY_ATTEMPTS + 1):
            try:
                with self.env.registry.cursor() as cr:
                    # sudo: bookkeeping after an order event of anyone who may confirm or pay an order.
                    partners = self.env(cr=cr, su=True)["res.partner"].browse(partner_ids).exists()
                    if partners:
                        partners._omni_lock_metrics()
                        partners._omni_compute_metrics(partners)
                return
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                # Another transaction wrote the same customers, maybe from before this order: again.
                if attempt == CONCURRENCY_ATTEMPTS:
                    _logger.info("Customer metrics of %s left to the nightly computation", partner_ids)

    def _omni_lock_metrics(self):
        """Take the customers' rows before computing their metrics. Two workers computing one
        customer (two orders of one buyer at once) then wait for each other instead of the second
        failing at its update, and the refusal a late one meets here (the row changed since its
        transaction began) is retried by the caller, not logged as a failed query."""
        self.env.cr.execute(
            SQL("SELECT id FROM res_partner WHERE id IN %s ORDER BY id FOR NO KEY UPDATE", tuple(self.ids)),
            log_exceptions=False,
        )

    @api.model
    def _omni_compute_metrics(self, partners=None, score=True):
        """Compute and store the metrics and channel statistics of customers, in a few queries.

        :param partners: the customers (their commercial partners are computed), or None for all
        :param score: also score recency, frequency and monetary value against all customers
        """
        partner_model = self.sudo()
        today = fields.Date.context_today(self)
        self.env.flush_all()
        if partners is None:
            self.env.cr.execute(self._omni_customers_query())
            partner_ids = {row[0] for row in self.env.cr.fetchall()}
        else:
            partner_ids = set(partners.commercial_partner_id.ids)
        if not partner_ids:
            return
        rows = partner_model._omni_order_stats(partner_ids)
        stats = defaultdict(list)
        for row in rows:
            stats[row["partner_id"]].append(row)
        partner_model._omni_store_channel_stats(partner_ids, rows)
        partner_model._omni_store_metrics(
            {partner_id: self._omni_metrics_values(stats[partner_id], today) for partner_id in partner_ids},
            today,
        )
        if score:
            partner_model._omni_score_rfm(partner_ids if partners is not None else None)

    @api.model
    def _omni_order_stats(self, partner_ids):
        """Per customer, channel and origin: orders, net revenue, first and last order date.

        Sale orders count once confirmed, unless the channel cancelled them; a returned one counts
        with no revenue. A POS order counts once paid; a POS refund (a negative order) takes its
        amount off the revenue and is not an order. POS orders go to the company's first active
        channel of the Point of Sale type, if there is one.
        """
        query = SQL(
            """
            WITH orders AS (
                SELECT c.commercial_partner_id AS partner_id,
                       so.omni_channel_id AS channel_id,
                       CASE WHEN so.omni_channel_id IS NULL THEN 'direct' ELSE 'channel' END AS origin,
                       1 AS counted,
                       so.date_order AS order_date,
                       CASE WHEN so.omni_status = 'returned' THEN 0
                            ELSE so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1.0)
                       END AS revenue
                  FROM sale_order so
                  JOIN res_partner c ON c.id = so.partner_id
                 WHERE so.state = 'sale'
                   AND so.omni_status IS DISTINCT FROM 'cancelled'
                   AND c.commercial_partner_id IN %(partner_ids)s
                 UNION ALL
                SELECT pos.partner_id,
                       pos_channel.id,
                       CASE WHEN pos_channel.id IS NULL THEN 'pos' ELSE 'channel' END,
                       pos.counted,
                       pos.order_date,
                       pos.revenue
                  FROM (
                        SELECT c.commercial_partner_id AS partner_id,
                               po.company_id,
                               CASE WHEN po.amount_total < 0 THEN 0 ELSE 1 END AS counted,
                               CASE WHEN po.amount_total < 0 THEN NULL ELSE po.date_order END AS order_date,
                               (po.amount_total - po.amount_tax) / COALESCE(NULLIF(po.currency_rate, 0), 1.0)
                                   AS revenue
                          FROM pos_order po
                          JOIN res_partner c ON c.id = po.partner_id
                         WHERE po.state IN %(pos_states)s
                           AND c.commercial_partner_id IN %(partner_ids)s
                       ) pos
             LEFT JOIN LATERAL (
                        SELECT ch.id
                          FROM omni_channel ch
                         WHERE ch.channel_type = 'pos' AND ch.active AND ch.company_id = pos.company_id
                      ORDER BY ch.sequence, ch.id
                         LIMIT 1
                       ) pos_channel ON TRUE
            )
            SELECT partner_id, channel_id, origin,
                   SUM(counted) AS order_count,
                   SUM(revenue) AS revenue,
                   MIN(order_date)::date AS first_order_date,
                   MAX(order_date)::date AS last_order_date
              FROM orders
          GROUP BY partner_id, channel_id, origin
            """,
            partner_ids=tuple(partner_ids),
            pos_states=POS_DONE_STATES,
        )
        return self.env.execute_query_dict(query)

    @api.model
    def _omni_store_channel_stats(self, partner_ids, rows):
        Stat = self.env["omni.customer.channel.stat"].sudo()
        Stat.search([("partner_id", "in", list(partner_ids))]).unlink()
        Stat.create(
            [
                {
                    "partner_id": row["partner_id"],
                    "channel_id": row["channel_id"],
                    "origin": row["origin"],
                    "order_count": row["order_count"],
                    "revenue": row["revenue"] or 0.0,
                    "first_order_date": row["first_order_date"],
                    "last_order_date": row["last_order_date"],
                }
                for row in rows
            ]
        )

    @api.model
    def _omni_metrics_values(self, stats, today):
        """The partner's metrics from its channel statistics."""
        count = sum(stat["order_count"] for stat in stats)
        revenue = float(sum(stat["revenue"] or 0.0 for stat in stats))
        firsts = [stat["first_order_date"] for stat in stats if stat["first_order_date"]]
        lasts = [stat["last_order_date"] for stat in stats if stat["last_order_date"]]
        first, last = min(firsts, default=None), max(lasts, default=None)
        ltv = revenue
        if first and (today - last).days < LTV_HORIZON_DAYS:
            tenure = max((today - first).days, LTV_HORIZON_DAYS)
            ltv += max(revenue, 0.0) * LTV_HORIZON_DAYS / tenure
        preferred = max(
            (stat for stat in stats if stat["order_count"] > 0),
            key=lambda stat: (stat["order_count"], stat["revenue"] or 0.0, stat["last_order_date"]),
            default=None,
        )
        return {
            "count": count,
            "revenue": revenue,
            "first": first,
            "last": last,
            "aov": revenue / count if count else 0.0,
            "ltv": ltv,
            "channel": preferred and preferred["channel_id"],
            "origin": preferred and preferred["origin"],
        }

    @api.model
    def _omni_store_metrics(self, values_by_partner, today):
        self.flush_model(METRIC_FIELDS + RFM_FIELDS)
        rows = SQL(", ").join(
            SQL(
                "(%s, %s, %s, %s::date, %s::date, %s, %s, %s::integer, %s)",
                partner_id,
                values["count"],
                values["revenue"],
                values["first"],
                values["last"],
                values["aov"],
                values["ltv"],
                values["channel"] or None,
                values["origin"] or None,
            )
            for partner_id, values in values_by_partner.items()
        )
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner p
                      SET omni_order_count = v.order_count,
                          omni_revenue = v.revenue,
                          omni_first_order_date = v.first_date,
                          omni_last_order_date = v.last_date,
                          omni_aov = v.aov,
                          omni_ltv = v.ltv,
                          omni_preferred_channel_id = v.channel_id,
                          omni_preferred_origin = v.origin,
                          omni_metrics_date = %(today)s,
                          omni_rfm_recency = NULL,
                          omni_rfm_frequency = NULL,
                          omni_rfm_monetary = NULL,
                          omni_rfm_score = NULL,
                          omni_segment = NULL
                     FROM (VALUES %(rows)s)
                          AS v(id, order_count, revenue, first_date, last_date, aov, ltv, channel_id, origin)
                    WHERE p.id = v.id""",
                rows=rows,
                today=today,
            )
        )
        self.invalidate_model(METRIC_FIELDS + RFM_FIELDS)

    @api.model
    def _omni_score_rfm(self, partner_ids=None):
        """RFM scores 1-5 by quintiles over every customer with orders, and the segment they give.

        The quintile limits come from all customers; only ``partner_ids`` (all customers if None)
        are scored, so that an order event rescores its customer alone. Recency is the days since the
        last order: fewer is better.
        """
        self.flush_model(METRIC_FIELDS + RFM_FIELDS)
        today = fields.Date.context_today(self)
        scope = SQL("AND p.id IN %s", tuple(partner_ids)) if partner_ids else SQL()
        self.env.cr.execute(
            SQL(
                """
                WITH bounds AS (
                    SELECT percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8])
                               WITHIN GROUP (ORDER BY %(today)s::date - omni_last_order_date) AS r,
                           percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8])
                               WITHIN GROUP (ORDER BY omni_order_count) AS f,
                           percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8])
                               WITHIN GROUP (ORDER BY omni_revenue) AS m
                      FROM res_partner
                     WHERE omni_order_count > 0 AND omni_last_order_date IS NOT NULL
                ),
                scores AS (
                    SELECT p.id,
                           5 - (SELECT count(*) FROM unnest(b.r) x
                                 WHERE x < %(today)s::date - p.omni_last_order_date) AS r,
                           1 + (SELECT count(*) FROM unnest(b.f) x WHERE x < p.omni_order_count) AS f,
                           1 + (SELECT count(*) FROM unnest(b.m) x WHERE x < p.omni_revenue) AS m
                      FROM res_partner p, bounds b
                     WHERE p.omni_order_count > 0 AND p.omni_last_order_date IS NOT NULL %(scope)s
                )
                UPDATE res_partner p
                   SET omni_rfm_recency = s.r,
                       omni_rfm_frequency = s.f,
                       omni_rfm_monetary = s.m,
                       omni_rfm_score = concat(s.r, s.f, s.m),
                       omni_segment = CASE
                           WHEN s.r >= 4 AND s.f >= 4 AND s.m >= 4 THEN 'champions'
                           WHEN s.r >= 3 AND s.f >= 3 THEN 'loyal'
                           WHEN s.r >= 4 AND s.f <= 1 THEN 'new'
                           WHEN s.r >= 3 THEN 'potential'
                           WHEN s.f >= 3 THEN 'at_risk'
                           WHEN s.r = 2 THEN 'hibernating'
                           ELSE 'lost'
                       END
                  FROM scores s
                 WHERE p.id = s.id
                """,
                today=today,
                scope=scope,
            )
        )
        self.invalidate_model(RFM_FIELDS)
