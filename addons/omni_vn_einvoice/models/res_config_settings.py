from odoo import fields, models

from .sinvoice_service import (
    BATCH_PARAM,
    DEFAULT_BATCH_SIZE,
    DEFAULT_CALLS_PER_SECOND,
    RATE_PARAM,
    URL_PARAM,
    VIETTEL_ROOT,
)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    omni_sinvoice_url = fields.Char(
        string="SInvoice Address",
        config_parameter=URL_PARAM,
        default=VIETTEL_ROOT,
        help="Where Odoo's SInvoice module sends its calls (its login and its API): Viettel's "
        "address, or a test service's.",
    )
    omni_einvoice_batch_size = fields.Integer(
        string="E-invoice Batch",
        config_parameter=BATCH_PARAM,
        default=DEFAULT_BATCH_SIZE,
        help="Orders invoiced and invoices sent by each pass of the scheduled job.",
    )
    pos_omni_einvoice = fields.Boolean(related="pos_config_id.omni_einvoice", readonly=False)
    pos_omni_einvoice_symbol_id = fields.Many2one(
        related="pos_config_id.omni_einvoice_symbol_id", readonly=False
    )
    omni_einvoice_calls_per_second = fields.Integer(
        string="SInvoice Calls per Second",
        config_parameter=RATE_PARAM,
        default=DEFAULT_CALLS_PER_SECOND,
        help="SInvoice limits the calls of each seller; sending one invoice makes three calls (the "
        "invoice, its XML, its PDF).",
    )
