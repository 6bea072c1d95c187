from odoo import api, fields, models
from odoo.tools import SQL


class OmniStockHoldLine(models.Model):
    _name = "omni.stock.hold.line"
    _description = "Channel Stock Hold Line"
    _order = "hold_id, id"
    _check_company_auto = True

    hold_id = fields.Many2one("omni.stock.hold", required=True, ondelete="cascade", index=True, readonly=True)
    company_id = fields.Many2one(related="hold_id.company_id", store=True)
    state = fields.Selection(related="hold_id.state")
    product_id = fields.Many2one(
        "product.product", required=True, index=True, ondelete="restrict", readonly=True, check_company=True
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    warehouse_id = fields.Many2one(
        "stock.warehouse", required=True, ondelete="restrict", readonly=True, check_company=True
    )
    quantity = fields.Float(required=True, digits="Product Unit of Measure", readonly=True)

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "A hold line holds a positive quantity."),
    ]

    @api.model
    def _active_query(self, product_ids=None):
        """The one definition of the stock held now, for every reader of it: SQL rows
        ``(product_id, warehouse_id, channel_id, quantity)``, the lines of the holds that are active
        and not past their expiry (the scheduled action closes those a little later: from their
        expiry on they hold nothing). ``product_ids``: those products only; None: all.

        The caller flushes the holds first.
        """
        return SQL(
            """SELECT line.product_id, line.warehouse_id, hold.channel_id, line.quantity
               FROM omni_stock_hold_line line
               JOIN omni_stock_hold hold ON hold.id = line.hold_id
               WHERE hold.state = 'active' AND hold.expires_at > %s AND %s""",
            fields.Datetime.now(),
            SQL("TRUE") if product_ids is None else SQL("line.product_id = ANY(%s)", list(product_ids)),
        )
