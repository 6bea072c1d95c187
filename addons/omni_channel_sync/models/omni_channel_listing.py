from odoo import fields, models


class OmniChannelListing(models.Model):
    """A product as one channel sells it: its item, variation and SKU there."""

    _name = "omni.channel.listing"
    _description = "Channel Listing"
    _order = "channel_id, external_sku"
    _rec_name = "external_sku"
    _check_company_auto = True

    channel_id = fields.Many2one("omni.channel", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="channel_id.company_id", store=True, index=True)
    product_id = fields.Many2one("product.product", check_company=True, index=True, ondelete="restrict")
    product_tmpl_id = fields.Many2one(related="product_id.product_tmpl_id", string="Product Template")
    external_sku = fields.Char(string="Channel SKU", required=True)
    external_item_id = fields.Char(string="Channel Item ID")
    external_model_id = fields.Char(string="Channel Variation ID")
    name = fields.Char(string="Channel Title")
    active = fields.Boolean(default=True)
    last_pushed_qty = fields.Float(string="Last Pushed Quantity", readonly=True, copy=False)
    last_pushed_price = fields.Float(string="Last Pushed Price", readonly=True, copy=False)
    last_pushed_at = fields.Datetime(string="Last Pushed", readonly=True, copy=False)
    channel_price = fields.Float(
        string="Price on the Channel",
        readonly=True,
        copy=False,
        help="The price a buyer paid on the channel when its listings were last imported (a "
        "promotion's price while one ran).",
    )
    push_state = fields.Selection(
        [("ok", "Accepted"), ("failed", "Refused")],
        string="Last Push",
        readonly=True,
        copy=False,
        index=True,
        help="What the channel answered to the last price or stock sent for this listing.",
    )
    push_error = fields.Text(string="Push Error", readonly=True, copy=False)

    _sql_constraints = [
        ("channel_sku_uniq", "UNIQUE(channel_id, external_sku)", "A SKU is listed once per channel."),
        (
            "channel_item_uniq",
            "UNIQUE(channel_id, external_item_id, external_model_id)",
            "A channel item variation is listed once per channel.",
        ),
    ]

    def _push_entry(self, **values):
        """What a push sends the channel for this listing: its identifiers there and ``values``
        (``price`` or ``quantity``)."""
        return {
            "sku": self.external_sku,
            "item_id": self.external_item_id or "",
            "model_id": self.external_model_id or "",
            **values,
        }

    def _omni_record_push(self, results, field, values):
        """Save what the channel answered to a push of these listings, for any kind of push.

        Prices (``omni_channel_sync``) and stock (``omni_stock``) are both recorded here, so that the
        listing shows one push state whatever was sent last.

        :param results: the adapter's answer, ``[{"sku", "ok", "error"}]`` (``push_prices``,
            ``push_stock``)
        :param field: the listing field that keeps the value sent, e.g. ``"last_pushed_price"`` or
            ``"last_pushed_qty"``
        :param values: ``{sku: value sent}``; an accepted SKU gets its value in ``field`` and the
            time in ``last_pushed_at``, a refused one keeps its last value and gets the error
        """
        by_sku = {listing.external_sku: listing for listing in self}
        now = fields.Datetime.now()
        answers = {}  # one write per distinct answer, not per listing
        for result in results:
            listing = by_sku.get(result["sku"])
            if not listing:
                continue
            if result["ok"]:
                answer = (field, values[result["sku"]], False)
            else:
                answer = ("push_error", result["error"] or self.env._("Refused"), True)
            answers.setdefault(answer, []).append(listing.id)
        for (name, value, failed), ids in answers.items():
            write = {name: value, "push_state": "failed" if failed else "ok"}
            if not failed:
                write.update(push_error=False, last_pushed_at=now)
            self.browse(ids).write(write)
