from odoo import fields, models

from .res_partner_cod_risk import COD_RISK_LEVELS


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    cod_risk_threshold = fields.Selection(
        [level for level in COD_RISK_LEVELS if level[0] != "low"],
        string="COD Risk Threshold",
        help="A cash-on-delivery order of a customer whose COD risk is at this level or above is not "
        "shipped as usual; empty: no rule. Prepaid orders never are.",
    )
    cod_risk_action = fields.Selection(
        [("hold", "Hold the order"), ("prepayment", "Ask for prepayment")],
        string="Risky COD Orders",
        default="hold",
        help="Hold: the order stays a quotation, with an activity for the salesperson to call the "
        "buyer and confirm it. Ask for prepayment: the order goes on, marked as waiting for the buyer "
        "to pay first.",
    )
