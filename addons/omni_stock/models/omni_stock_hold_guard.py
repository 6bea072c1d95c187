from odoo import api, fields, models
from odoo.tools import SQL


class OmniStockHoldGuard(models.Model):
    """One row per product that holds were taken on: the row every hold on the product updates.

    Odoo's transactions read a snapshot taken when they start (repeatable read). Waiting for a
    plain lock is not enough: the waiter would still not see the hold the other transaction just
    committed. Updating this row instead makes the waiter fail with a serialization error when the
    other one commits, and Odoo replays the waiter's request with a fresh snapshot, which sees the
    hold. Holds on other products never wait.
    """

    _name = "omni.stock.hold.guard"
    _description = "Stock Hold Guard"
    _log_access = False

    product_id = fields.Many2one("product.product", required=True, ondelete="cascade", readonly=True)
    version = fields.Integer(readonly=True)

    _sql_constraints = [("product_uniq", "UNIQUE(product_id)", "One guard per product.")]

    @api.model
    def _lock(self, product_ids):
        """Serialize the holds on ``product_ids`` with every other transaction holding them (rows
        taken in id order, so two transactions never wait for each other in a circle)."""
        if not product_ids:
            return
        self.env.cr.execute(
            SQL(
                """INSERT INTO omni_stock_hold_guard (product_id, version)
                   SELECT id, 1 FROM unnest(%s::int[]) AS id ORDER BY id
                   ON CONFLICT (product_id) DO UPDATE SET version = omni_stock_hold_guard.version + 1""",
                sorted(set(product_ids)),
            ),
            # The serialization error is the design, not a fault: the request is tried again.
            log_exceptions=False,
        )
