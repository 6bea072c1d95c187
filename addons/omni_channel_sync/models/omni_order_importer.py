from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class OrderBeingImported(Exception):
    """Another transaction imported (or is importing) one of the orders since this one began."""


class OmniOrderImporter(models.AbstractModel):
    """Turns normalized orders into sale orders: create once, then follow the channel's status."""

    _name = "omni.order.importer"
    _description = "Channel Order Importer"

    @api.model
    def _products_by_sku(self, channel, skus):
        """{sku: product} through the channel's listings, then internal reference, then barcode."""
        skus = set(skus)
        if not skus:
            return {}
        listings = self.env["omni.channel.listing"].search(
            [("channel_id", "=", channel.id), ("external_sku", "in", list(skus)), ("product_id", "!=", False)]
        )
        found = {listing.external_sku: listing.product_id for listing in listings}
        for field in ("default_code", "barcode"):
            rest = skus - set(found)
            if not rest:
                break
            products = self.env["product.product"].search(
                [
                    (field, "in", list(rest)),
                    ("sale_ok", "=", True),
                    ("company_id", "in", (False, channel.company_id.id)),
                ]
            )
            for product in products:
                found.setdefault(product[field], product)
        return found

    @api.model
    def _import_order(self, channel, order, products):
        """Create or update the sale order of ``order``; return ``(result, sale_order)``.

        ``result`` is ``created``, ``updated`` or ``unchanged`` (an older or identical update).
        """
        sale_order = self.env["sale.order"].search(
            [("omni_channel_id", "=", channel.id), ("omni_external_ref", "=", order.external_id)], limit=1
        )
        if not sale_order:
            return "created", self._create_orders(channel, [order], products)
        self._order_currency(channel, order.currency)
        if self._is_stale(sale_order, order):
            return "unchanged", sale_order
        self._lock_order(sale_order)
        if sale_order.state == "draft":
            sale_order.write(self._line_values(channel, order, products, replace=True))
        sale_order.write(
            {
                "omni_updated_at": order.updated_at or sale_order.omni_updated_at,
                "omni_pay_by": order.pay_by or sale_order.omni_pay_by,
            }
        )
        sale_order._omni_apply_status(order.status)
        sale_order._omni_follow_lifecycle(order)
        return "updated", sale_order

    @api.model
    def _lock_order(self, sale_order):
        """Lock the order before changing it, quietly: when another transaction changed it since this
        one began (the same order sent twice at once), Odoo's repeatable read refuses here, before any
        work, and the inbox imports the update again a moment later."""
        self.env.cr.execute(
            SQL("SELECT id FROM sale_order WHERE id = %s FOR NO KEY UPDATE", sale_order.id),
            log_exceptions=False,
        )

    @api.model
    def _create_orders(self, channel, orders, products):
        """The sale orders of new orders, created and confirmed in one batch, in the orders' order."""
        self._claim_new_orders(channel, orders)
        currencies = {
            code: self._order_currency(channel, code) for code in {order.currency for order in orders}
        }
        partners = self.env["res.partner"]._omni_resolve_customers(channel, orders)
        sale_orders = self.env["sale.order"].create(
            [
                self._sale_order_values(channel, order, products, currencies[order.currency], *customer)
                for order, customer in zip(orders, partners, strict=True)
            ]
        )
        sale_orders._omni_follow_status()
        for sale_order, order in zip(sale_orders, orders, strict=True):
            sale_order._omni_follow_lifecycle(order)
        return sale_orders

    @api.model
    def _claim_new_orders(self, channel, orders):
        """Make sure no other transaction creates the same orders: each order's key is locked (in
        order, so two transactions never wait for each other in a circle) until this transaction
        ends, then a fresh look tells whether one committed them meanwhile, which this transaction's
        snapshot cannot see. Raises OrderBeingImported then, before Odoo's insert would fail on the
        unique order reference."""
        keys = sorted({f"omni.order:{channel.id}:{order.external_id}" for order in orders})
        self.env.cr.execute(
            SQL(
                "SELECT pg_advisory_xact_lock(hashtextextended(key, 0)) FROM unnest(%s::text[]) AS key",
                keys,
            ),
            log_exceptions=False,  # a deadlock with another import is a retry (see the inbox)
        )
        with self.env.registry.cursor() as fresh:
            fresh.execute(
                SQL(
                    """SELECT 1 FROM sale_order
                        WHERE omni_channel_id = %s AND omni_external_ref = ANY(%s) LIMIT 1""",
                    channel.id,
                    [order.external_id for order in orders],
                )
            )
            if fresh.fetchone():
                raise OrderBeingImported()

    @api.model
    def _is_stale(self, sale_order, order):
        if order.updated_at and sale_order.omni_updated_at and order.updated_at < sale_order.omni_updated_at:
            return True
        # The same update again; one that brings returns is applied (each return is followed once).
        return (
            order.status == sale_order.omni_status
            and order.updated_at == sale_order.omni_updated_at
            and order.cancel_requested == sale_order.omni_cancel_requested
            and order.cancel_request_id == (sale_order.omni_cancel_request_id or None)
            and not order.returns
            and not order.tracking_number
        )

    @api.model
    def _order_currency(self, channel, code):
        currency = self.env["res.currency"].with_context(active_test=False).search([("name", "=", code)])
        if not currency:
            raise UserError(self.env._("Unknown currency %(code)s.", code=code))
        if currency != channel.currency_id:
            raise UserError(
                self.env._(
                    "The order is in %(order)s but channel %(channel)s sells in %(channel_currency)s.",
                    order=currency.name,
                    channel=channel.name,
                    channel_currency=channel.currency_id.name,
                )
            )
        return currency

    @api.model
    def _sale_order_values(self, channel, order, products, currency, customer, delivery):
        values = {
            "partner_id": customer.id,
            "partner_invoice_id": customer.id,
            "partner_shipping_id": delivery.id,
            "company_id": channel.company_id.id,
            "pricelist_id": channel.pricelist_id.id,
            "currency_id": currency.id,
            "team_id": channel.team_id.id,
            "user_id": channel.user_id.id,
            "client_order_ref": order.external_id,
            "date_order": order.created_at or fields.Datetime.now(),
            "note": order.note,
            "omni_channel_id": channel.id,
            "omni_external_ref": order.external_id,
            "omni_buyer_ref": order.customer.buyer_id,
            "omni_status": order.status,
            "omni_updated_at": order.updated_at,
            "omni_pay_by": order.pay_by,
            "omni_is_cod": order.payment_method == "cod",
            "omni_cancel_requested": order.cancel_requested,
            "omni_cancel_request_id": order.cancel_request_id,
        }
        if channel.warehouse_ids:
            values["warehouse_id"] = channel.warehouse_ids[0].id
        values.update(self._line_values(channel, order, products))
        return values

    @api.model
    def _line_values(self, channel, order, products, replace=False):
        """Order lines, then shipping and discounts as lines of their own, so totals match the channel."""
        commands = [Command.clear()] if replace else []
        # Units the channel cancelled are not sold; a line cancelled whole is left out.
        for line in (line for line in order.lines if line.quantity > line.cancelled_quantity):
            commands.append(
                Command.create(
                    {
                        "product_id": products[line.sku].id,
                        "product_uom_qty": float(line.quantity - line.cancelled_quantity),
                        "price_unit": float(line.unit_price),
                        "omni_external_line_id": line.line_id,
                        "omni_sku": line.sku,
                    }
                )
            )
        seller_discount = sum(line.seller_discount for line in order.lines)
        platform_discount = sum(line.platform_discount for line in order.lines)
        for product, amount, sign in (
            (channel.shipping_product_id, order.shipping_fee, 1),
            (channel.seller_discount_product_id, seller_discount, -1),
            (channel.platform_discount_product_id, platform_discount, -1),
        ):
            if not amount:
                continue
            if not product:
                raise UserError(
                    self.env._(
                        "Channel %(channel)s has no product for shipping and discounts.", channel=channel.name
                    )
                )
            commands.append(
                Command.create(
                    {"product_id": product.id, "product_uom_qty": 1, "price_unit": sign * float(amount)}
                )
            )
        return {
            "order_line": commands,
            "omni_seller_discount": float(seller_discount),
            "omni_platform_discount": float(platform_discount),
            "omni_shipping_fee": float(order.shipping_fee),
        }
