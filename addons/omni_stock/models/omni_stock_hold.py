from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import float_compare, float_is_zero

# A hold that expires within this delay is "expiring soon".
EXPIRING_SOON = timedelta(hours=1)


class OmniStockHold(models.Model):
    """Stock promised to a channel's unpaid order or cart until it is paid, released or too late.

    An active hold lowers what every channel selling from its warehouses may offer. Confirming
    the order converts it: from then on the delivery's reservation counts, never both. Holds are
    all or nothing: every line is held, or none.
    """

    _name = "omni.stock.hold"
    _description = "Channel Stock Hold"
    _order = "id desc"
    _rec_name = "reference"
    _check_company_auto = True

    reference = fields.Char(
        required=True,
        readonly=True,
        index=True,
        help="The channel's order or cart reference; unique per channel.",
    )
    channel_id = fields.Many2one(
        "omni.channel", required=True, readonly=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(related="channel_id.company_id", store=True, index=True)
    sale_order_id = fields.Many2one(
        "sale.order", readonly=True, index="btree_not_null", ondelete="set null", check_company=True
    )
    expires_at = fields.Datetime(string="Expires", required=True, readonly=True, index=True)
    state = fields.Selection(
        [("active", "Active"), ("converted", "Converted"), ("released", "Released"), ("expired", "Expired")],
        required=True,
        default="active",
        readonly=True,
        index=True,
    )
    closed_at = fields.Datetime(string="Closed", readonly=True, help="When the hold stopped holding stock.")
    line_ids = fields.One2many("omni.stock.hold.line", "hold_id", string="Lines", readonly=True)
    quantity = fields.Float(compute="_compute_quantity", digits="Product Unit of Measure", string="Units")
    expiring_soon = fields.Boolean(
        compute="_compute_expiring_soon",
        search="_search_expiring_soon",
        help="Active and expires within an hour.",
    )

    _sql_constraints = [
        (
            "channel_reference_uniq",
            "UNIQUE(channel_id, reference)",
            "A hold reference is used once per channel.",
        ),
    ]

    @api.depends("line_ids.quantity")
    def _compute_quantity(self):
        for hold in self:
            hold.quantity = sum(hold.line_ids.mapped("quantity"))

    @api.depends("state", "expires_at")
    def _compute_expiring_soon(self):
        now = fields.Datetime.now()
        for hold in self:
            hold.expiring_soon = hold.state == "active" and hold.expires_at <= now + EXPIRING_SOON

    def _search_expiring_soon(self, operator, value):
        soon = [("state", "=", "active"), ("expires_at", "<=", fields.Datetime.now() + EXPIRING_SOON)]
        if (operator == "=") == bool(value):
            return soon
        return ["!", "&", *soon]

    # ------------------------------------------------------------------ actions

    def action_release(self):
        # Users may release the holds they see, not edit them: the write is the system's.
        self.check_access("read")
        self.sudo()._close("released")
        return True

    # ------------------------------------------------------------------ business methods

    @api.model
    def _omni_reserve(self, channel, reference, quantities, expires_at, warehouse=None, sale_order=None):
        """Hold ``quantities`` (``{product: quantity}`` in the products' units) for ``channel``.

        All or nothing, under the products' guard: the quantities are checked against what the
        channel may offer now (``_omni_ats_by_product``), including holds committed a moment ago.

        :return: ``(hold, shortages)``: the new hold, or an empty recordset and the
            ``[(product, asked, available)]`` that do not fit
        """
        self.env["omni.stock.hold.guard"]._lock([product.id for product in quantities])
        lines, shortages = self._omni_lines(channel, quantities, warehouse)
        if shortages:
            return self.browse(), shortages
        hold = self.create(
            {
                "reference": reference,
                "channel_id": channel.id,
                "sale_order_id": sale_order.id if sale_order else False,
                "expires_at": expires_at,
                "line_ids": [fields.Command.create(values) for values in lines],
            }
        )
        hold._mark_dirty()
        return hold, []

    def _omni_update(self, quantities, expires_at, sale_order):
        """Follow the order: new quantities are held all or nothing (the old ones stay when they
        do not fit); return the shortages like ``_omni_reserve``."""
        self.ensure_one()
        self.write({"expires_at": expires_at, "sale_order_id": sale_order.id})
        if self._quantities() == {product.id: quantity for product, quantity in quantities.items()}:
            return []
        products = self.line_ids.product_id
        self.env["omni.stock.hold.guard"]._lock(products.ids + [product.id for product in quantities])
        try:
            with self.env.cr.savepoint():
                # The hold's own lines go first: the new quantities replace them, not add to them.
                self.line_ids.unlink()
                lines, shortages = self._omni_lines(self.channel_id, quantities, None)
                if shortages:
                    raise _Short(shortages)
                self.write({"line_ids": [fields.Command.create(values) for values in lines]})
        except _Short as short:
            return short.shortages
        self.env["omni.stock.dirty"]._mark_on_commit((self.line_ids.product_id | products).ids)
        return []

    @api.model
    def _omni_lines(self, channel, quantities, warehouse):
        """Hold line values for ``quantities``, split over the warehouses that have the goods, or
        the shortages."""
        products = self.env["product.product"].concat(*quantities)
        allocations = channel._omni_allocations(products, warehouse)
        lines, shortages = [], []
        for product, quantity in quantities.items():
            allocation = allocations[product.id]
            if float_compare(quantity, allocation.ats, precision_rounding=product.uom_id.rounding) > 0:
                shortages.append((product, quantity, allocation.ats))
                continue
            split = self.env["omni.stock.allocation"]._split(
                quantity, tuple(allocation.stock_by_warehouse), allocation.stock_by_warehouse
            )
            lines += [
                {"product_id": product.id, "warehouse_id": warehouse_id, "quantity": part}
                for warehouse_id, part in split.items()
            ]
        return lines, shortages

    def _quantities(self):
        """``{product_id: quantity}`` of the hold."""
        self.ensure_one()
        quantities = {}
        for line in self.line_ids:
            quantities[line.product_id.id] = quantities.get(line.product_id.id, 0.0) + line.quantity
        return quantities

    def _omni_api_summary(self, skus=None):
        """The hold as the API answers it; ``skus``: {product_id: the SKU the caller used}."""
        self.ensure_one()
        skus = skus or {}
        return {
            "hold_id": self.id,
            "reference": self.reference,
            "state": self.state,
            "expires_at": fields.Datetime.to_string(self.expires_at),
            "lines": [
                {
                    "sku": skus.get(line.product_id.id) or line.product_id.default_code or False,
                    "product_id": line.product_id.id,
                    "quantity": line.quantity,
                    "warehouse": line.warehouse_id.code,
                }
                for line in self.line_ids
            ],
        }

    def _close(self, state):
        """Stop holding: ``converted``, ``released`` or ``expired``; closed holds stay as they are."""
        holds = self.filtered(lambda hold: hold.state == "active")
        if holds:
            holds.write({"state": state, "closed_at": fields.Datetime.now()})
            holds._mark_dirty()
        return holds

    def _close_expired(self):
        """Close those of the holds past their expiry now, without waiting for the scheduled action:
        they hold nothing already, and must not say ``active``."""
        now = fields.Datetime.now()
        self.filtered(lambda hold: hold.state == "active" and hold.expires_at <= now)._close("expired")
        return self

    def _mark_dirty(self):
        """What the channels may offer changed: their stock is pushed again."""
        self.env["omni.stock.dirty"]._mark_on_commit(self.line_ids.product_id.ids)

    @api.model
    def _omni_short_message(self, shortages, skus=None):
        """``Not enough stock for SKU (asked 3, available 1), ...``; ``skus``: {product_id: sku}."""
        skus = skus or {}
        return self.env._(
            "Not enough stock for %(lines)s.",
            lines=", ".join(
                self.env._(
                    "%(sku)s (asked %(asked)s, available %(available)s)",
                    sku=skus.get(product.id) or product.default_code or product.display_name,
                    asked=_number(quantity),
                    available=_number(available),
                )
                for product, quantity, available in shortages
            ),
        )

    @api.model
    def _cron_expire(self, limit=1000):
        """Close the holds past their expiry, oldest first, a batch per run."""
        holds = self.search(
            [("state", "=", "active"), ("expires_at", "<=", fields.Datetime.now())],
            limit=limit,
            order="expires_at",
        )
        holds._close("expired")
        self.env["ir.cron"]._notify_progress(done=len(holds), remaining=0 if len(holds) < limit else 1)


class _Short(Exception):
    def __init__(self, shortages):
        super().__init__()
        self.shortages = shortages


def _number(quantity):
    return int(quantity) if float_is_zero(quantity - int(quantity), precision_digits=6) else quantity
