from odoo import fields, models


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    einvoice_trigger = fields.Selection(
        [
            ("delivery", "At Delivery"),
            ("completion", "At Completion"),
            ("payment", "At Payment"),
        ],
        string="Issue E-invoices",
        tracking=True,
        help="When an order of this channel gets its SInvoice e-invoice: once its goods are delivered, "
        "once the channel says it is completed, or once it is paid (prepaid orders when confirmed, "
        "cash on delivery when completed). Empty: the channel's orders are invoiced by hand.",
    )
    einvoice_consumer_mode = fields.Selection(
        [
            ("consolidated", "One Retail-Buyer Invoice per Run"),
            ("per_order", "One Invoice per Order"),
        ],
        string="Buyers Without Tax Code",
        default="consolidated",
        required=True,
        help="Orders of consumers (no tax code; on marketplaces often a masked name and address): "
        "together on one invoice to the retail buyer who takes no invoice, each time the scheduled "
        "job runs, or one invoice each. Businesses with a tax code always get one invoice per order.",
    )
    einvoice_symbol_id = fields.Many2one(
        "l10n_vn_edi_viettel.sinvoice.symbol",
        string="SInvoice Symbol",
        help="The template and symbol registered with the tax authority this channel's e-invoices are "
        "issued under (the symbol's 4th letter M: generated from a cash register).",
    )
    einvoice_template_id = fields.Many2one(
        related="einvoice_symbol_id.invoice_template_id", string="SInvoice Template"
    )

    def action_omni_einvoice_run(self):
        """Invoice and send this channel's orders due per its policy now (one batch)."""
        self.check_access("write")
        return self.env["sale.order"]._omni_einvoice_notify(
            self.env["sale.order"].sudo()._omni_einvoice_run(channels=self)
        )
