from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    omni_external_line_id = fields.Char(string="Channel Line ID", copy=False)
    omni_sku = fields.Char(string="Channel SKU", copy=False)
