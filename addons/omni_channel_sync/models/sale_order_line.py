from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    omni_external_line_id = fields.Char(string="Channel Line ID", copy=False)
    omni_sku = fields.Char(string="Channel SKU", copy=False)
    omni_cancelled_qty = fields.Float(
        string="Cancelled by Channel",
        digits="Product Unit of Measure",
        copy=False,
        readonly=True,
        help="Units the channel cancelled after the order was confirmed: the line sold this many more.",
    )
