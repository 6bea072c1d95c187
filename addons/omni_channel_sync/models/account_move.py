from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    omni_return_ref = fields.Char(
        string="Channel Return",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The channel's return this credit note refunds.",
    )
