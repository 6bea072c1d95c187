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
    # Computed once per stock change for all the channels (the dispatch); the pushes only send it.
    stock_target_qty = fields.Integer(
        string="Quantity to Push",
        readonly=True,
        copy=False,
        help="What the channel may offer, as computed at the last stock change; the push sends it.",
    )
    stock_target_at = fields.Datetime(
        string="Quantity Computed", readonly=True, copy=False, help="When the quantity to push was computed."
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
        if listings:
            self.env["omni.stock.hold"].flush_model()
            self.env["omni.stock.hold.line"].flush_model()
            self.env.cr.execute(
                SQL(
                    """SELECT held.channel_id, held.product_id, SUM(held.quantity)
                       FROM (%s) held WHERE held.channel_id = ANY(%s)
                       GROUP BY held.channel_id, held.product_id""",
                    self.env["omni.stock.hold.line"]._active_query(listings.product_id.ids),
                    listings.channel_id.ids,
                )
            )
            for channel_id, product_id, quantity in self.env.cr.fetchall():
                held[channel_id, product_id] = quantity
        for listing in self:
            listing.available_to_sell = quantities.get(listing.id, 0)
            listing.held_qty = held[listing.channel_id.id, listing.product_id.id]

    @api.model_create_multi
    def create(self, vals_list):
        listings = super().create(vals_list)
        # A new listing competes for its product and has a quantity to send: the dispatch computes it.
        self.env["omni.stock.dirty"]._mark(listings.product_id)
        return listings

    def write(self, vals):
        products = self.product_id
        result = super().write(vals)
        if "product_id" in vals or LISTING_POLICY_FIELDS.intersection(vals):
            # Who sells these products, or how, changed: every channel's share of them is computed again.
            self.env["omni.stock.dirty"]._mark(products | self.product_id)
        return result

    @api.model
    def _store_stock_targets(self, products):
        """Compute once, for all the channels, what the listings of ``products`` that push their
        stock may offer, store it as their target, flag those whose channel does not show it yet
        and queue these channels' pushes. The pushes send the stored targets."""
        self.env["omni.channel"].flush_model(["active", "sync_stock", "channel_type"])
        self.flush_model(["active", "product_id", "channel_id"])
        self.env.cr.execute(
            SQL(
                """SELECT listing.id FROM omni_channel_listing listing
                   JOIN omni_channel channel ON channel.id = listing.channel_id
                   WHERE channel.active AND channel.sync_stock AND channel.channel_type = ANY(%s)
                     AND listing.active AND listing.product_id = ANY(%s)
                   ORDER BY listing.id""",
                self.env["omni.channel"]._stock_push_types(),
                products.ids,
            )
        )
        listings = self.browse(row[0] for row in self.env.cr.fetchall())
        listings._write_stock_targets()
        listings.filtered("stock_push_pending").channel_id._schedule_stock_push()

    def _write_stock_targets(self):
        """Store what these listings may offer now (``_omni_compute_ats``) as their target; flag those
        the channel has not accepted, and those whose target moved (a push running now sends the
        one it read). One statement: a listing another transaction flagged meanwhile fails it with
        a serialization error, quietly, and the job is retried."""
        if not self:
            return
        targets = self._omni_compute_ats()
        self.env.cr.execute(
            SQL(
                """UPDATE omni_channel_listing listing
                   SET stock_push_pending = listing.stock_push_pending OR listing.stock_pushed_at IS NULL
                           OR listing.last_pushed_qty <> target.quantity
                           OR listing.stock_target_qty IS DISTINCT FROM target.quantity,
                       stock_target_qty = target.quantity, stock_target_at = %s
                   FROM unnest(%s::int[], %s::int[]) AS target(id, quantity)
                   WHERE listing.id = target.id""",
                fields.Datetime.now(),
                list(targets),
                list(targets.values()),
            ),
            log_exceptions=False,
        )
        self.invalidate_recordset(["stock_push_pending", "stock_target_qty", "stock_target_at"])

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

    def _stock_changed(self):
        """The listings whose target is not the quantity the channel last accepted."""
        return self.filtered(
            lambda listing: not listing.stock_pushed_at or listing.last_pushed_qty != listing.stock_target_qty
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
