from odoo import fields, models, tools
from odoo.tools import SQL

# Horizons of the "expiring within" measures, in days.
EXPIRY_HORIZONS = (30, 60, 90)


class OmniLoyaltyLiabilityReport(models.Model):
    """One row per open lot of points: what customers may still spend, by tier and by the channel
    the points were earned on, with what expires soon.

    The value of a point is the best its program's discount rewards give for one point: a discount
    per point, or a fixed discount on the order over the points it takes (50,000 ₫ for 5,000
    points: 10 ₫). Programs with neither report points only (value 0).
    """

    _name = "omni.loyalty.liability.report"
    _description = "Loyalty Points Liability Report"
    _auto = False
    _order = "expiry_date"

    lot_id = fields.Many2one("omni.loyalty.move", string="Lot", readonly=True)
    card_id = fields.Many2one("loyalty.card", string="Card", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    program_id = fields.Many2one("loyalty.program", string="Program", readonly=True)
    tier_id = fields.Many2one("omni.loyalty.tier", string="Tier", readonly=True)
    channel_id = fields.Many2one("omni.channel", string="Earned On", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)
    date = fields.Date(string="Earned", readonly=True)
    expiry_date = fields.Date(readonly=True)
    points = fields.Float(string="Outstanding Points", digits=(16, 2), readonly=True)
    points_expiring_30 = fields.Float(string="Expiring in 30 Days", digits=(16, 2), readonly=True)
    points_expiring_60 = fields.Float(string="Expiring in 60 Days", digits=(16, 2), readonly=True)
    points_expiring_90 = fields.Float(string="Expiring in 90 Days", digits=(16, 2), readonly=True)
    point_value = fields.Monetary(string="Value per Point", aggregator="max", readonly=True)
    value = fields.Monetary(string="Outstanding Value", readonly=True)
    value_expiring_90 = fields.Monetary(string="Value Expiring in 90 Days", readonly=True)

    def _query(self):
        expiring = SQL(", ").join(
            SQL(
                "CASE WHEN lot.expiry_date < CURRENT_DATE + %s THEN lot.remaining ELSE 0 END AS %s",
                days,
                SQL.identifier(f"points_expiring_{days}"),
            )
            for days in EXPIRY_HORIZONS
        )
        return SQL(
            """
            SELECT lot.id AS id,
                   lot.id AS lot_id,
                   lot.card_id AS card_id,
                   card.partner_id AS partner_id,
                   card.program_id AS program_id,
                   card.omni_tier_id AS tier_id,
                   lot.channel_id AS channel_id,
                   program.company_id AS company_id,
                   program.currency_id AS currency_id,
                   lot.date AS date,
                   lot.expiry_date AS expiry_date,
                   lot.remaining AS points,
                   %(expiring)s,
                   COALESCE(value.point_value, 0) AS point_value,
                   lot.remaining * COALESCE(value.point_value, 0) AS value,
                   CASE WHEN lot.expiry_date < CURRENT_DATE + 90
                        THEN lot.remaining * COALESCE(value.point_value, 0) ELSE 0 END AS value_expiring_90
              FROM omni_loyalty_move lot
              JOIN loyalty_card card ON card.id = lot.card_id
              JOIN loyalty_program program ON program.id = card.program_id
         LEFT JOIN (
                    SELECT program_id,
                           MAX(CASE WHEN discount_mode = 'per_point' THEN discount
                                    ELSE discount / required_points END) AS point_value
                      FROM loyalty_reward
                     WHERE active AND reward_type = 'discount'
                       AND (discount_mode = 'per_point'
                            OR (discount_mode = 'per_order' AND required_points > 0))
                  GROUP BY program_id
                   ) value ON value.program_id = card.program_id
             WHERE lot.state = 'posted' AND lot.remaining > 0
            """,
            expiring=expiring,
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
