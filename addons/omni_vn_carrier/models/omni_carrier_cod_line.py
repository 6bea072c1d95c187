from odoo import api, fields, models
from odoo.exceptions import UserError

DIFFERENCES = [
    ("amount", "Amount Differs"),
    ("unknown", "Unknown Waybill"),
    ("no_invoice", "No Invoice to Pay"),
]


class OmniCarrierCodLine(models.Model):
    """One parcel of a carrier's COD statement: the cash it collected, matched to the order by waybill.

    A line whose amount is what the order was to collect pays the order's invoice (a customer payment
    in the carrier's COD journal); a parcel returned to the sender collected nothing; any other line is
    a difference to act on, and is matched again once its cause is fixed.
    """

    _name = "omni.carrier.cod.line"
    _description = "Carrier COD Statement Line"
    _order = "finished_on desc, id desc"
    _rec_name = "waybill"
    _check_company_auto = True

    carrier_id = fields.Many2one(
        "delivery.carrier", required=True, ondelete="restrict", index=True, readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    statement = fields.Char(readonly=True, help="The statement file the line came from.")
    waybill = fields.Char(required=True, readonly=True)
    reference = fields.Char(string="Shop Reference", readonly=True)
    finished_on = fields.Date(string="Finished On", readonly=True)
    carrier_status = fields.Char(string="Carrier's Status", readonly=True)
    collected = fields.Monetary(string="COD Collected", readonly=True)
    fees = fields.Monetary(string="Fees Deducted", readonly=True)
    transferred = fields.Monetary(readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Delivery", readonly=True, check_company=True)
    sale_id = fields.Many2one(related="picking_id.sale_id", string="Sales Order")
    expected = fields.Monetary(related="picking_id.omni_carrier_cod_amount", string="COD Expected")
    payment_id = fields.Many2one("account.payment", string="Payment", readonly=True)
    state = fields.Selection(
        [
            ("difference", "To Check"),
            ("paid", "Payment Registered"),
            ("returned", "Returned to Sender"),
            ("done", "Resolved"),
        ],
        required=True,
        default="difference",
        readonly=True,
        index=True,
    )
    difference = fields.Selection(DIFFERENCES, readonly=True)

    _sql_constraints = [
        (
            "waybill_unique",
            "UNIQUE(carrier_id, waybill)",
            "A waybill is on one line of the carrier's statements.",
        ),
    ]

    # ------------------------------------------------------------------ actions

    def action_match(self):
        """Matches the lines to check again (their cause fixed: an invoice posted, a waybill found)."""
        self.check_access("write")
        self.filtered(lambda line: line.state == "difference")._match()
        return True

    def action_resolve(self):
        self.check_access("write")
        self.filtered(lambda line: line.state == "difference").state = "done"
        return True

    # ------------------------------------------------------------------ business

    @api.model
    def _import(self, carrier, name, lines):
        """Lines of a statement of ``carrier`` (``StatementLine``); a waybill already imported is left as
        it is. Returns the new lines, matched."""
        known = set(
            self.search(
                [("carrier_id", "=", carrier.id), ("waybill", "in", [line.waybill for line in lines])]
            ).mapped("waybill")
        )
        new = self.create(
            [
                {
                    "carrier_id": carrier.id,
                    "company_id": (carrier.company_id or self.env.company).id,
                    "statement": name,
                    "waybill": line.waybill,
                    "reference": line.reference,
                    "finished_on": line.finished,
                    "carrier_status": line.carrier_status,
                    "collected": line.collected,
                    "fees": line.fees,
                    "transferred": line.transferred,
                }
                for line in lines
                if line.waybill not in known
            ]
        )
        new._match()
        return new

    def _match(self):
        pickings = self.env["stock.picking"].search(
            [
                ("carrier_tracking_ref", "in", self.mapped("waybill")),
                ("picking_type_code", "=", "outgoing"),
                ("carrier_id", "in", self.carrier_id.ids),
            ]
        )
        by_waybill = {(picking.carrier_id, picking.carrier_tracking_ref): picking for picking in pickings}
        for line in self:
            picking = by_waybill.get((line.carrier_id, line.waybill))
            line.picking_id = picking
            line._match_one()

    def _match_one(self):
        self.ensure_one()
        picking = self.picking_id
        if not picking:
            self.write({"state": "difference", "difference": "unknown"})
        elif picking.omni_carrier_status == "returned" and self.currency_id.is_zero(self.collected):
            self.write({"state": "returned", "difference": False})
        elif self.currency_id.compare_amounts(self.collected, picking.omni_carrier_cod_amount):
            self.write({"state": "difference", "difference": "amount"})
        elif self.currency_id.is_zero(self.collected):
            self.write({"state": "paid", "difference": False})
        else:
            invoices = picking.sale_id.invoice_ids.filtered(
                lambda move: (
                    move.state == "posted" and move.move_type == "out_invoice" and move.amount_residual
                )
            )
            if not invoices:
                self.write({"state": "difference", "difference": "no_invoice"})
                return
            payment = self._register_payment(invoices)
            self.write({"state": "paid", "difference": False, "payment_id": payment.id})

    def _register_payment(self, invoices):
        journal = self.carrier_id.omni_cod_journal_id or self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(self.company_id), ("type", "=", "bank")],
            limit=1,
        )
        if not journal:
            raise UserError(self.env._("Set the COD journal of %(carrier)s.", carrier=self.carrier_id.name))
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create(
                {
                    "amount": self.collected,
                    "journal_id": journal.id,
                    "payment_date": self.finished_on or fields.Date.context_today(self),
                    "communication": self.env._("COD %(waybill)s", waybill=self.waybill),
                    "group_payment": True,
                }
            )
        )
        return wizard._create_payments()[:1]
