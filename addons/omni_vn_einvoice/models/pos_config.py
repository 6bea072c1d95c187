from odoo import fields, models


class PosConfig(models.Model):
    _inherit = "pos.config"

    omni_einvoice = fields.Boolean(
        string="SInvoice E-invoices",
        help="Each paid order of this point of sale gets an SInvoice e-invoice generated from the cash "
        "register (Decree 70/2025): one per receipt, to the retail buyer who takes no invoice when the "
        "customer gave none. The scheduled job and the closing of the session issue them; the cashier "
        "never waits on SInvoice.",
    )
    omni_einvoice_symbol_id = fields.Many2one(
        "l10n_vn_edi_viettel.sinvoice.symbol",
        string="Cash-register Symbol",
        help="The template and symbol registered with the tax authority for e-invoices generated from "
        "cash registers (the symbol's 4th letter M).",
    )
