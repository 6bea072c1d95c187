from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from .omni_stock_policy_mixin import POLICY_FIELDS

# A listing's own allocation policy: a change is pushed like a stock change.
LISTING_POLICY_FIELDS = {"active", "stock_policy_override", *POLICY_FIELDS}


class OmniChannelListing(models.Model):
    _inherit = "omni.channel.listing"

    stock_push_pending = fields.Boolean(
        readonly=True, copy=False, index=True, help="The product's stock changed since the last push."
    )
    stock_pushed_at = fields.Datetime(
        string="Stock Pushed", readonly=True, copy=False, help="When the channel last accepted a quantity."
    )

    available_to_sell = fields.Integer(
        compute="_compute_channel_stock",
        help="What the channel may offer now, after holds and its allocation.",
    )
    held_qty = fields.Float(
        string="Held",
        compute="_compute_channel_stock",
        digits="Product Unit of Measure",
        help="Active holds of the channel on the product.",
    )

    def _compute_channel_stock(self):
        listings = self.filtered("id")
        quantities = listings._omni_compute_ats() if listings else {}
        held = defaultdict(float)
        for line in self.env["omni.stock.hold.line"].search(
            [
                ("hold_id.state", "=", "active"),
                ("hold_id.expires_at", ">", fields.Datetime.now()),
                ("hold_id.channel_id", "in", self.channel_id.ids),
                ("product_id", "in", self.product_id.ids),
            ]
        ):
            held[line.hold_id.channel_id.id, line.product_id.id] += line.quantity
        for listing in self:
            listing.available_to_sell = quantities.get(listing.id, 0)
            listing.held_qty = held[listing.channel_id.id, listing.product_id.id]

    @api.model_create_multi
    def create(self, vals_list):
        listings = super().create(vals_list)
        listings.filtered("product_id")._flag_listings()
        return listings

    def write(self, vals):
        result = super().write(vals)
        if vals.get("product_id"):
            self._flag_listings()
        if LISTING_POLICY_FIELDS.intersection(vals):
            self.env["omni.stock.dirty"]._mark(self.product_id)
        return result

    @api.model
    def _flag_stock_push(self, products):
        """Flag the listings of ``products`` and queue their channels' pushes."""
        self.env["omni.channel"].flush_model(["active", "sync_stock", "channel_type"])
        self.flush_model(["active", "product_id", "channel_id"])
        self.env.cr.execute(
            SQL(
                """UPDATE omni_channel_listing listing SET stock_push_pending = TRUE
                   FROM omni_channel channel
                   WHERE channel.id = listing.channel_id AND channel.active AND channel.sync_stock
                     AND channel.channel_type = ANY(%s) AND listing.active AND listing.product_id = ANY(%s)
                   RETURNING listing.channel_id""",
                self.env["omni.channel"]._stock_push_types(),
                products.ids,
            ),
            # a listing flagged meanwhile by another transaction: the caller's job is retried
            log_exceptions=False,
        )
        channel_ids = {row[0] for row in self.env.cr.fetchall()}
        self.invalidate_model(["stock_push_pending"])
        self.env["omni.channel"].browse(channel_ids)._schedule_stock_push()

    def _set_stock_push_pending(self, pending):
        """Flag or unflag these listings for the stock push. One that another transaction flagged
        meanwhile fails this with a serialization error, quietly: the push job is retried."""
        self.env.cr.execute(
            SQL(
                "UPDATE omni_channel_listing SET stock_push_pending = %s WHERE id = ANY(%s)",
                pending,
                self.ids,
            ),
            log_exceptions=False,
        )
        self.invalidate_recordset(["stock_push_pending"])

    def _flag_listings(self):
        """A listing that gets a product is pushed: the channel's quantity is not ours yet."""
        push_types = self.env["omni.channel"]._stock_push_types()
        listings = self.filtered(
            lambda listing: listing.channel_id.sync_stock and listing.channel_id.channel_type in push_types
        )
        if listings:
            listings.write({"stock_push_pending": True})
            listings.channel_id._schedule_stock_push()

    def _stock_changed(self, quantities):
        """The listings whose quantity (``{listing_id: quantity}``) is not the one last accepted."""
        return self.filtered(
            lambda listing: not listing.stock_pushed_at or listing.last_pushed_qty != quantities[listing.id]
        )

    def _record_stock_push(self, results, quantities):
        """Save the channel's answer (``push_stock`` results) to the quantities sent, by listing id."""
        self._omni_record_push(
            results, "last_pushed_qty", {listing.external_sku: quantities[listing.id] for listing in self}
        )
        accepted = {result["sku"] for result in results if result["ok"]}
        self.filtered(lambda listing: listing.external_sku in accepted).write(
            {"stock_pushed_at": fields.Datetime.now()}
        )
