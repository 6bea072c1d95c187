from odoo import fields, models


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
