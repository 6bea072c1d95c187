from odoo import api, fields, models


class OmniStockAllocationPreview(models.TransientModel):
    """What each channel would be sent now, per product, and why, before anything is pushed."""

    _name = "omni.stock.allocation.preview"
    _description = "Stock Allocation Preview"

    channel_ids = fields.Many2many(
        "omni.channel", string="Channels", default=lambda self: self._default_channels()
    )
    product_ids = fields.Many2many(
        "product.product", string="Products", help="Leave empty for every listed product."
    )
    line_ids = fields.One2many(
        "omni.stock.allocation.preview.line", "preview_id", string="Allocation", readonly=True
    )

    @api.model
    def _default_channels(self):
        """Every channel that lists a product, whether or not its stock is pushed yet."""
        return self.env["omni.channel.listing"].search([("product_id", "!=", False)]).channel_id

    @api.depends("channel_ids")
    def _compute_display_name(self):
        for preview in self:
            preview.display_name = self.env._("Allocation Preview")

    @api.model
    def action_open(self):
        """The menu's entry: the preview of every listed channel, already computed."""
        return self._open(self._default_channels())

    @api.model
    def _open(self, channels):
        preview = self.create({"channel_ids": [fields.Command.set(channels.ids)]})
        preview._compute_lines()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Allocation Preview"),
            "res_model": self._name,
            "res_id": preview.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_compute(self):
        self.ensure_one()
        self._compute_lines()
        return True

    def _compute_lines(self):
        domain = [("channel_id", "in", self.channel_ids.ids), ("product_id", "!=", False)]
        if self.product_ids:
            domain.append(("product_id", "in", self.product_ids.ids))
        listings = self.env["omni.channel.listing"].search(domain)
        allocations = listings._omni_allocations()
        self.line_ids.unlink()
        self.env["omni.stock.allocation.preview.line"].create(
            [
                {
                    "preview_id": self.id,
                    "listing_id": listing.id,
                    "free_qty": allocations[listing.id].free,
                    "held_qty": allocations[listing.id].held,
                    "set_apart_qty": allocations[listing.id].set_apart,
                    "buffer": allocations[listing.id].buffer,
                    "share": allocations[listing.id].share,
                    "cap": allocations[listing.id].cap,
                    "zero_below": allocations[listing.id].zero_below,
                    "priority": allocations[listing.id].priority,
                    "ats": allocations[listing.id].ats,
                }
                for listing in listings
            ]
        )


class OmniStockAllocationPreviewLine(models.TransientModel):
    _name = "omni.stock.allocation.preview.line"
    _description = "Stock Allocation Preview Line"
    _order = "product_id, priority desc, channel_id"

    preview_id = fields.Many2one(
        "omni.stock.allocation.preview", required=True, ondelete="cascade", index=True
    )
    listing_id = fields.Many2one("omni.channel.listing", required=True, ondelete="cascade")
    channel_id = fields.Many2one(related="listing_id.channel_id", store=True)
    product_id = fields.Many2one(related="listing_id.product_id", store=True)
    external_sku = fields.Char(related="listing_id.external_sku")
    free_qty = fields.Float(
        string="Free",
        digits="Product Unit of Measure",
        help="On hand minus reserved, in the channel's warehouses.",
    )
    held_qty = fields.Float(
        string="Held", digits="Product Unit of Measure", help="Active holds on those warehouses."
    )
    set_apart_qty = fields.Float(
        string="Set Apart",
        digits="Product Unit of Measure",
        help="Units kept for other channels now (a campaign's stock during its window).",
    )
    buffer = fields.Integer(string="Buffer")
    share = fields.Float(string="Share (%)")
    cap = fields.Integer()
    zero_below = fields.Integer(string="Send 0 Below")
    priority = fields.Integer()
    ats = fields.Integer(string="Available to Sell")
    last_pushed_qty = fields.Float(related="listing_id.last_pushed_qty")
    difference = fields.Integer(
        compute="_compute_difference", help="Available to sell minus the last pushed quantity."
    )

    @api.depends("ats", "last_pushed_qty")
    def _compute_difference(self):
        for line in self:
            line.difference = line.ats - int(line.last_pushed_qty)
