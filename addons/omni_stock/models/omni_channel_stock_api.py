from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_round

# One call may name this many SKUs (availability) or hold this many lines.
MAX_SKUS_PER_CALL = 1000
MAX_TTL_MINUTES = 7 * 24 * 60
# A hold line's quantity; more than any shop holds for one cart.
MAX_HOLD_QUANTITY = 1_000_000
# Unknown SKUs an error names; the rest are counted.
MAX_SKUS_NAMED = 20


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    @api.model
    def api_available_to_sell(self, channel_code, skus):
        """``{sku: quantity}`` the channel may sell now, after holds and its allocation policy.

        SKUs are the channel's listing SKUs, or the products' internal references or barcodes.
        """
        channel = self._api_channel(channel_code)
        if not isinstance(skus, list):
            raise ValidationError(self.env._("skus must be a list of SKUs (text)."))
        if len(skus) > MAX_SKUS_PER_CALL:
            raise ValidationError(
                self.env._("At most %(max)s SKUs per call: split the list.", max=MAX_SKUS_PER_CALL)
            )
        skus = [self._api_text(sku, "sku") for sku in skus]
        products = channel._omni_products_of_skus(skus)
        quantities = channel._omni_ats_by_product(self.env["product.product"].concat(*set(products.values())))
        return {sku: quantities[product.id] for sku, product in products.items()}

    @api.model
    def api_hold_stock(self, channel_code, reference, lines, ttl_minutes=None):
        """Hold stock for a cart or an unpaid order until it expires, all or nothing (docs/api.md).

        Calling again with the same reference and the same lines answers the same hold.

        :param lines: ``[{"sku": str, "quantity": number, "warehouse": optional warehouse code}]``
        :return: the hold as a dict (``_omni_api_summary``)
        """
        channel = self._api_channel(channel_code)
        reference = self._api_text(reference, "reference")
        if ttl_minutes is None or ttl_minutes is False:  # 0 is refused below, not defaulted
            ttl_minutes = channel.hold_ttl_minutes
        if (
            isinstance(ttl_minutes, bool)
            or not isinstance(ttl_minutes, int)
            or not 0 < ttl_minutes <= MAX_TTL_MINUTES
        ):
            raise ValidationError(
                self.env._("ttl_minutes must be a whole number from 1 to %(max)s.", max=MAX_TTL_MINUTES)
            )
        skus, quantities, warehouse = channel._omni_hold_request(lines)
        Hold = self.env["omni.stock.hold"].sudo()
        hold = Hold.search([("channel_id", "=", channel.id), ("reference", "=", reference)])._close_expired()
        if not hold:
            hold, shortages = Hold._omni_reserve(
                channel,
                reference,
                quantities,
                fields.Datetime.now() + timedelta(minutes=ttl_minutes),
                warehouse=warehouse,
            )
            if shortages:
                raise UserError(Hold._omni_short_message(shortages, skus))
        elif hold._quantities() != {product.id: quantity for product, quantity in quantities.items()}:
            raise ValidationError(
                self.env._(
                    "Hold %(reference)s already exists with other lines: release it and use a new reference.",
                    reference=reference,
                )
            )
        return hold._omni_api_summary(skus)

    @api.model
    def api_release_hold(self, channel_code, reference):
        """Release the hold ``reference``; releasing it again answers the same.

        :return: ``{"hold_id", "reference", "state"}``; a hold already converted into a confirmed
            order, or expired, stays as it is and says so in ``state``
        """
        channel = self._api_channel(channel_code)
        reference = self._api_text(reference, "reference")
        hold = (
            self.env["omni.stock.hold"]
            .sudo()
            .search([("channel_id", "=", channel.id), ("reference", "=", reference)])
            ._close_expired()
        )
        if not hold:
            raise ValidationError(
                self.env._(
                    "No hold %(reference)s on channel %(channel)s.", reference=reference, channel=channel_code
                )
            )
        hold._close("released")
        return {"hold_id": hold.id, "reference": hold.reference, "state": hold.state}

    def _omni_products_of_skus(self, skus):
        """``{sku: product}`` for ``skus``; names the unknown ones in the error."""
        self.ensure_one()
        products = self.env["omni.order.importer"]._products_by_sku(self, skus)
        unknown = sorted(set(skus) - set(products))
        if len(unknown) > MAX_SKUS_NAMED:
            raise ValidationError(
                self.env._(
                    "Unknown SKU(s): %(skus)s and %(count)s more.",
                    skus=", ".join(unknown[:MAX_SKUS_NAMED]),
                    count=len(unknown) - MAX_SKUS_NAMED,
                )
            )
        if unknown:
            raise ValidationError(self.env._("Unknown SKU(s): %(skus)s.", skus=", ".join(unknown)))
        return products

    def _omni_hold_request(self, lines):
        """Validated hold lines: ``({product_id: sku}, {product: quantity}, warehouse or None)``."""
        self.ensure_one()
        if not isinstance(lines, list) or not lines or len(lines) > MAX_SKUS_PER_CALL:
            raise ValidationError(
                self.env._("lines must be a list of 1 to %(max)s lines.", max=MAX_SKUS_PER_CALL)
            )
        invalid = ValidationError(
            self.env._("Each line needs a sku (text) and a quantity above 0; it may name a warehouse (code).")
        )
        if not all(isinstance(line, dict) for line in lines):
            raise invalid
        lines = [
            {
                "sku": self._api_text(line.get("sku"), "sku"),
                "quantity": self._api_number(
                    line.get("quantity"), "quantity", MAX_HOLD_QUANTITY, strict=True
                ),
                "warehouse": self._api_text(line.get("warehouse"), "warehouse", required=False),
            }
            for line in lines
        ]
        warehouse_codes = {line["warehouse"] or False for line in lines}
        if len(warehouse_codes) > 1:
            raise ValidationError(self.env._("All the lines of a hold come from the same warehouse."))
        warehouse = None
        (code,) = warehouse_codes
        if code:
            warehouse = self.env["stock.warehouse"].search(
                [("code", "=", code), ("company_id", "=", self.company_id.id)], limit=1
            )
            if not warehouse:
                raise ValidationError(self.env._("No warehouse with code %(code)s.", code=code))
        products = self._omni_products_of_skus([line["sku"] for line in lines])
        quantities, skus = {}, {}
        for line in lines:
            product = products[line["sku"]]
            # Rounded as the hold line stores it, so that a call sent again compares equal.
            quantity = float_round(line["quantity"], precision_rounding=product.uom_id.rounding)
            if quantity <= 0:
                raise invalid
            quantities[product] = quantities.get(product, 0.0) + quantity
            skus.setdefault(product.id, line["sku"])
        return skus, quantities, warehouse
