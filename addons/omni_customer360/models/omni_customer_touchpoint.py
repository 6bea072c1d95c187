from odoo import fields, models, tools
from odoo.tools import SQL
from odoo.tools.sql import column_exists, table_exists

from .res_partner_metrics import POS_DONE_STATES

KINDS = [
    ("order", "Order"),
    ("cancel", "Cancelled Order"),
    ("return", "Return"),
    ("pos", "POS Order"),
    ("refund", "POS Refund"),
    ("merge", "Customer Merge"),
]
# Row ids: the source record's id times this, plus the kind of source.
ID_FACTOR = 8
MERGE_TABLE = "omni_customer_merge_audit"
MERGE_COLUMNS = ("dst_partner_id", "merge_date", "state", "source_partner_names")


class OmniCustomerTouchpoint(models.Model):
    """The customer's timeline: orders on every channel, returns, POS orders and refunds, merges.

    A SQL view. Merges appear when the merge audit table exists when this view is created (the
    module's update after the merge audit is installed).
    """

    _name = "omni.customer.touchpoint"
    _description = "Customer Touchpoint"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "reference"
    _depends = {
        "sale.order": [
            "partner_id",
            "date_order",
            "state",
            "omni_status",
            "omni_channel_id",
            "omni_external_ref",
            "omni_updated_at",
            "name",
            "amount_total",
            "currency_id",
            "company_id",
        ],
        "pos.order": [
            "partner_id",
            "date_order",
            "state",
            "name",
            "amount_total",
            "currency_rate",
            "company_id",
        ],
        "res.partner": ["commercial_partner_id"],
    }

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    date = fields.Datetime(readonly=True)
    kind = fields.Selection(KINDS, readonly=True)
    channel_id = fields.Many2one("omni.channel", string="Sales Channel", readonly=True)
    reference = fields.Char(readonly=True)
    amount = fields.Monetary(string="Total", readonly=True, currency_field="currency_id")
    currency_id = fields.Many2one("res.currency", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    sale_order_id = fields.Many2one("sale.order", string="Sale Order", readonly=True)
    pos_order_id = fields.Many2one("pos.order", string="POS Order", readonly=True)

    def action_open_document(self):
        """The order behind the touchpoint."""
        self.ensure_one()
        record = self.sale_order_id or self.pos_order_id
        if not record:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _query(self):
        parts = [
            SQL(
                """SELECT so.id * %(factor)s AS id,
                          c.commercial_partner_id AS partner_id,
                          so.date_order AS date,
                          CASE WHEN so.state = 'cancel' OR so.omni_status = 'cancelled'
                               THEN 'cancel' ELSE 'order' END AS kind,
                          so.omni_channel_id AS channel_id,
                          COALESCE(so.omni_external_ref, so.name) AS reference,
                          so.amount_total AS amount,
                          so.currency_id AS currency_id,
                          so.company_id AS company_id,
                          so.id AS sale_order_id,
                          NULL::integer AS pos_order_id
                     FROM sale_order so
                     JOIN res_partner c ON c.id = so.partner_id
                    WHERE so.state IN ('sale', 'cancel')""",
                factor=ID_FACTOR,
            ),
            SQL(
                """SELECT so.id * %(factor)s + 1,
                          c.commercial_partner_id,
                          COALESCE(so.omni_updated_at, so.write_date),
                          'return',
                          so.omni_channel_id,
                          COALESCE(so.omni_external_ref, so.name),
                          -so.amount_total,
                          so.currency_id,
                          so.company_id,
                          so.id,
                          NULL::integer
                     FROM sale_order so
                     JOIN res_partner c ON c.id = so.partner_id
                    WHERE so.omni_status = 'returned'""",
                factor=ID_FACTOR,
            ),
            SQL(
                """SELECT po.id * %(factor)s + 2,
                          c.commercial_partner_id,
                          po.date_order,
                          CASE WHEN po.amount_total < 0 THEN 'refund' ELSE 'pos' END,
                          NULL::integer,
                          po.name,
                          po.amount_total / COALESCE(NULLIF(po.currency_rate, 0), 1.0),
                          company.currency_id,
                          po.company_id,
                          NULL::integer,
                          po.id
                     FROM pos_order po
                     JOIN res_partner c ON c.id = po.partner_id
                     JOIN res_company company ON company.id = po.company_id
                    WHERE po.state IN %(states)s""",
                factor=ID_FACTOR,
                states=POS_DONE_STATES,
            ),
        ]
        if table_exists(self.env.cr, MERGE_TABLE) and all(
            column_exists(self.env.cr, MERGE_TABLE, column) for column in MERGE_COLUMNS
        ):
            parts.append(
                SQL(
                    """SELECT audit.id * %(factor)s + 3,
                              c.commercial_partner_id,
                              audit.merge_date,
                              'merge',
                              NULL::integer,
                              audit.source_partner_names,
                              NULL::numeric,
                              NULL::integer,
                              NULL::integer,
                              NULL::integer,
                              NULL::integer
                         FROM omni_customer_merge_audit audit
                         JOIN res_partner c ON c.id = audit.dst_partner_id
                        WHERE audit.state = 'merged'""",
                    factor=ID_FACTOR,
                )
            )
        return SQL(" UNION ALL ").join(parts)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
