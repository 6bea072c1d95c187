from odoo import fields, models


class ProductPricelistItem(models.Model):
    _inherit = "product.pricelist.item"

    omni_campaign_id = fields.Many2one(
        "omni.campaign",
        string="Campaign",
        ondelete="cascade",
        index="btree_not_null",
        readonly=True,
        help="The campaign whose price this rule gives during its window; the campaign keeps it.",
    )
