from odoo import api, fields, models
from odoo.tools import SQL

COD_RISK_LEVELS = [("low", "Low"), ("medium", "Medium"), ("high", "High")]
# The score is the share of bad outcomes among the customer's orders, counted as if they had
# RISK_PRIOR_ORDERS more good orders: one refusal of one order is 33 %, not 100 %.
RISK_PRIOR_ORDERS = 2
RISK_MEDIUM, RISK_HIGH = 20.0, 40.0
COD_RISK_FIELDS = (
    "omni_refused_count",
    "omni_buyer_cancel_count",
    "omni_return_count",
    "omni_cod_risk_score",
    "omni_cod_risk",
)


class ResPartner(models.Model):
    """The cash-on-delivery risk of a customer: what became of their orders on every channel.

    Written in batch with the other customer metrics (``_omni_compute_metrics``), for the commercial
    partner: the one customer that identity resolution makes of a buyer's channel accounts, phone
    and e-mail.
    """

    _inherit = "res.partner"

    omni_refused_count = fields.Integer(
        string="Parcels Refused",
        readonly=True,
        copy=False,
        help="Orders of every channel whose parcel the customer refused or that came back to the sender.",
    )
    omni_buyer_cancel_count = fields.Integer(
        string="Cancelled by the Buyer",
        readonly=True,
        copy=False,
        help="Orders the customer cancelled, on any channel.",
    )
    omni_return_count = fields.Integer(
        string="Orders Returned",
        readonly=True,
        copy=False,
        help="Orders the customer sent back, on any channel.",
    )
    omni_cod_risk_score = fields.Float(
        string="COD Risk Score",
        readonly=True,
        copy=False,
        digits=(5, 1),
        help="100 * (refused + cancelled by the buyer + returned) / (orders + 2), in percent: the "
        "customer's orders are those confirmed or cancelled by the buyer, each counted once; the two "
        "orders more are a prior, so that one refusal of one order scores 33, not 100. "
        "Low under 20, medium under 40, high from 40.",
    )
    omni_cod_risk = fields.Selection(
        COD_RISK_LEVELS,
        string="COD Risk",
        readonly=True,
        copy=False,
        index=True,
        help="Whether to ship this customer's cash-on-delivery orders without a second thought.",
    )

    @api.model
    def _omni_compute_metrics(self, partners=None, score=True):
        result = super()._omni_compute_metrics(partners, score)
        if partners is None:
            self.sudo()._omni_store_cod_risk(SQL("(%s)", self._omni_customers_query()))
        elif partners:
            self.sudo()._omni_store_cod_risk(SQL("%s", tuple(partners.commercial_partner_id.ids)))
        return result

    @api.model
    def _omni_store_cod_risk(self, customers):
        """Count the bad outcomes of the ``customers``' sale orders and score them, in one statement.

        :param customers: SQL of a parenthesized list or query of commercial partner ids
        """
        self.env["sale.order"].flush_model(
            ["partner_id", "state", "omni_status", "omni_delivery_refused", "omni_buyer_cancelled"]
        )
        self.flush_model(["commercial_partner_id", *COD_RISK_FIELDS])
        self.env.cr.execute(
            SQL(
                """
                WITH outcomes AS (
                    SELECT c.commercial_partner_id AS partner_id,
                           so.omni_delivery_refused IS TRUE AS refused,
                           so.omni_buyer_cancelled IS TRUE AS cancelled,
                           so.omni_status = 'returned' AS returned
                      FROM sale_order so
                      JOIN res_partner c ON c.id = so.partner_id
                     WHERE c.commercial_partner_id IN %(customers)s
                       AND (so.state = 'sale' OR so.omni_delivery_refused OR so.omni_buyer_cancelled)
                ),
                counts AS (
                    SELECT partner_id,
                           count(*) AS orders,
                           count(*) FILTER (WHERE refused) AS refused,
                           count(*) FILTER (WHERE cancelled AND NOT refused) AS cancelled,
                           count(*) FILTER (WHERE returned AND NOT refused AND NOT cancelled) AS returned
                      FROM outcomes
                  GROUP BY partner_id
                ),
                scores AS (
                    SELECT p.id,
                           COALESCE(c.refused, 0) AS refused,
                           COALESCE(c.cancelled, 0) AS cancelled,
                           COALESCE(c.returned, 0) AS returned,
                           c.orders,
                           round(100.0 * (c.refused + c.cancelled + c.returned) / (c.orders + %(prior)s), 1)
                               AS score
                      FROM res_partner p
                 LEFT JOIN counts c ON c.partner_id = p.id
                     WHERE p.id IN %(customers)s
                )
                UPDATE res_partner p
                   SET omni_refused_count = s.refused,
                       omni_buyer_cancel_count = s.cancelled,
                       omni_return_count = s.returned,
                       omni_cod_risk_score = COALESCE(s.score, 0),
                       omni_cod_risk = CASE
                           WHEN s.orders IS NULL THEN NULL
                           WHEN s.score >= %(high)s THEN 'high'
                           WHEN s.score >= %(medium)s THEN 'medium'
                           ELSE 'low'
                       END
                  FROM scores s
                 WHERE p.id = s.id
                """,
                customers=customers,
                prior=RISK_PRIOR_ORDERS,
                medium=RISK_MEDIUM,
                high=RISK_HIGH,
            )
        )
        self.invalidate_model(COD_RISK_FIELDS)

    def _omni_cod_risk_summary(self):
        """The customer's bad outcomes in one line, for a warning."""
        self.ensure_one()
        return self.env._(
            "%(refused)s refused, %(cancelled)s cancelled by the buyer, %(returned)s returned "
            "(risk %(score)s %%)",
            refused=self.omni_refused_count,
            cancelled=self.omni_buyer_cancel_count,
            returned=self.omni_return_count,
            score=self.omni_cod_risk_score,
        )
