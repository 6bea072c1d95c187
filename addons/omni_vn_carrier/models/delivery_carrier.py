import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..connectors import ADAPTERS, CarrierError, Parcel

PROVIDERS = [("ghn", "GHN"), ("ghtk", "GHTK")]


class DeliveryCarrier(models.Model):
    """GHN and GHTK on Odoo's provider API: ``<type>_rate_shipment``, ``_send_shipping``,
    ``_cancel_shipment``, ``_get_tracking_link``; both share one implementation (``_omni_*``), each
    carrier's adapter speaks its API."""

    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(
        selection_add=PROVIDERS,
        ondelete={"ghn": "set default", "ghtk": "set default"},
    )
    omni_carrier_url = fields.Char(
        string="Service Address",
        compute="_compute_omni_carrier_url",
        store=True,
        readonly=False,
        groups="stock.group_stock_manager",
        help="The carrier's API address: its production address unless pointed at a test system.",
    )
    omni_carrier_token = fields.Char(
        string="API Token",
        copy=False,
        groups="stock.group_stock_manager",
        help="The shop's token from the carrier.",
    )
    omni_carrier_shop = fields.Char(
        string="Shop / Pickup Address",
        groups="stock.group_stock_manager",
        help="GHN: the ShopId the parcels leave from. GHTK: the id of the registered pickup address.",
    )
    omni_webhook_secret = fields.Char(
        string="Webhook Secret",
        copy=False,
        default=lambda self: secrets.token_urlsafe(24),
        groups="stock.group_stock_manager",
        help="The secret part of the status URL given to the carrier: a push without it is refused.",
    )
    omni_webhook_url = fields.Char(
        string="Status URL",
        compute="_compute_omni_webhook_url",
        groups="stock.group_stock_manager",
        help="Give this URL to the carrier (its portal's webhook / callback setting).",
    )
    omni_parcel_weight = fields.Integer(
        string="Default Weight (g)", default=500, help="Used when the products have no weight."
    )
    omni_parcel_length = fields.Integer(string="Length (cm)", default=20)
    omni_parcel_width = fields.Integer(string="Width (cm)", default=15)
    omni_parcel_height = fields.Integer(string="Height (cm)", default=10)
    omni_cod_policy = fields.Selection(
        [("due", "Collect the amount due"), ("none", "Never collect")],
        string="Cash on Delivery",
        default="due",
        required=True,
        help="Collect the amount due: the carrier collects what the buyer has not paid yet (nothing on a "
        "prepaid order).",
    )
    omni_cod_journal_id = fields.Many2one(
        "account.journal",
        string="COD Journal",
        check_company=True,
        domain="[('type', 'in', ('bank', 'cash'))]",
        help="Where the carrier's transfers of collected cash are registered as customer payments.",
    )

    @api.depends("delivery_type")
    def _compute_omni_carrier_url(self):
        productions = {adapter.PRODUCTION_URL for adapter in ADAPTERS.values()}
        for carrier in self:
            adapter = ADAPTERS.get(carrier.delivery_type)
            # A carrier's own address stays; another carrier's production address follows the provider.
            if adapter and (not carrier.omni_carrier_url or carrier.omni_carrier_url in productions):
                carrier.omni_carrier_url = adapter.PRODUCTION_URL

    @api.depends("delivery_type", "omni_webhook_secret")
    def _compute_omni_webhook_url(self):
        base = self.get_base_url()
        for carrier in self:
            carrier.omni_webhook_url = (
                f"{base}/omni_vn_carrier/webhook/{carrier.id}?hash={carrier.omni_webhook_secret}"
                if carrier.delivery_type in ADAPTERS and carrier.id
                else False
            )

    # ------------------------------------------------------------------ Odoo's provider API

    def ghn_rate_shipment(self, order):
        return self._omni_rate_shipment(order)

    def ghtk_rate_shipment(self, order):
        return self._omni_rate_shipment(order)

    def ghn_send_shipping(self, pickings):
        return self._omni_send_shipping(pickings)

    def ghtk_send_shipping(self, pickings):
        return self._omni_send_shipping(pickings)

    def ghn_cancel_shipment(self, pickings):
        return self._omni_cancel_shipment(pickings)

    def ghtk_cancel_shipment(self, pickings):
        return self._omni_cancel_shipment(pickings)

    def ghn_get_tracking_link(self, picking):
        return self._omni_tracking_link(picking)

    def ghtk_get_tracking_link(self, picking):
        return self._omni_tracking_link(picking)

    # ------------------------------------------------------------------ the shared implementation

    def _omni_rate_shipment(self, order):
        self.ensure_one()
        lines = order.order_line.filtered(
            lambda line: not line.is_delivery and line.product_id.type == "consu"
        )
        grams = sum(line.product_id.weight * line.product_uom_qty for line in lines) * 1000
        parcel = self._omni_parcel(
            order.partner_shipping_id, order.name, grams, cod=0, value=int(order.amount_untaxed)
        )
        try:
            price = self._omni_adapter().fee(parcel)
        except CarrierError as error:
            return {"success": False, "price": 0.0, "error_message": str(error), "warning_message": False}
        return {"success": True, "price": float(price), "error_message": False, "warning_message": False}

    def _omni_send_shipping(self, pickings):
        self.ensure_one()
        adapter, results = self._omni_adapter(), []
        for picking in pickings:
            cod = picking._omni_carrier_amount_due() if self.omni_cod_policy == "due" else 0
            parcel = self._omni_parcel(
                picking.partner_id,
                picking.name,
                picking.shipping_weight * 1000,
                cod=int(cod),
                value=int(picking.sale_id.amount_untaxed),
                items=[
                    (move.product_id.display_name, move.quantity, int(move.product_id.weight * 1000))
                    for move in picking.move_ids
                ],
                note=picking.sale_id.name or "",
            )
            try:
                booked = adapter.book(parcel)
                label = adapter.label(booked["waybill"])
            except CarrierError as error:
                raise UserError(
                    self.env._(
                        "%(carrier)s refused the delivery %(picking)s: %(error)s",
                        carrier=self.name,
                        picking=picking.name,
                        error=error,
                    )
                ) from error
            picking.write(
                {
                    "omni_carrier_status": "booked",
                    "omni_carrier_cod_amount": cod,
                }
            )
            picking.message_post(
                body=self.env._(
                    "Waybill %(waybill)s booked with %(carrier)s, cash to collect: %(cod)s",
                    waybill=booked["waybill"],
                    carrier=self.name,
                    cod=picking.company_id.currency_id.format(cod),
                ),
                attachments=[(f"{self._get_delivery_label_prefix()}-{booked['waybill']}.pdf", label)],
            )
            results.append({"exact_price": float(booked["fee"]), "tracking_number": booked["waybill"]})
        return results

    def _omni_cancel_shipment(self, pickings):
        adapter = self._omni_adapter()
        for picking in pickings:
            try:
                adapter.cancel(picking.carrier_tracking_ref)
            except CarrierError as error:
                raise UserError(
                    self.env._(
                        "%(carrier)s did not cancel %(waybill)s: %(error)s",
                        carrier=self.name,
                        waybill=picking.carrier_tracking_ref,
                        error=error,
                    )
                ) from error
        pickings.omni_carrier_status = "cancelled"

    def _omni_tracking_link(self, picking):
        return ADAPTERS[self.delivery_type].TRACKING_URL % picking.carrier_tracking_ref

    # ------------------------------------------------------------------ helpers

    def _omni_adapter(self):
        self.ensure_one()
        carrier = self.sudo()
        if not (carrier.omni_carrier_token and carrier.omni_carrier_shop and carrier.omni_carrier_url):
            raise UserError(
                self.env._(
                    "Set the API token and the shop / pickup address of %(carrier)s first.", carrier=self.name
                )
            )
        return ADAPTERS[self.delivery_type](
            carrier.omni_carrier_url, carrier.omni_carrier_token, carrier.omni_carrier_shop
        )

    def _omni_parcel(self, partner, reference, grams, cod=0, value=0, items=(), note=""):
        """The parcel for ``partner``'s address (2025 map) with the carrier's default size."""
        address = partner._omni_vn_address_lines()
        return Parcel(
            reference=reference,
            name=partner.name or "",
            phone=partner.phone or partner.mobile or "",
            street=address["street"],
            ward=address["ward"],
            ward_code=address["ward_code"],
            province=address["province"],
            weight=int(grams) or self.omni_parcel_weight,
            length=self.omni_parcel_length,
            width=self.omni_parcel_width,
            height=self.omni_parcel_height,
            cod=cod,
            value=value,
            note=note,
            items=list(items),
        )
