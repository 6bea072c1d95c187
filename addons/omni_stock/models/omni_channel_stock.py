from functools import partial

from odoo import api, fields, models
from odoo.addons.omni_channel_sync.connectors.errors import ChannelError
from odoo.addons.omni_channel_sync.connectors.registry import PLATFORMS, adapter_can

from .omni_stock_dirty import STOCK_JOB_CHANNEL
from .omni_stock_policy_mixin import POLICY_FIELDS

# Listings sent to the adapter per call; the adapter splits further as its platform requires.
PUSH_BATCH = 200
# What a channel may offer of its products follows these: a change is pushed like a stock change.
STOCK_POLICY_FIELDS = {"active", "sync_stock", "warehouse_ids", *POLICY_FIELDS}


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    handling_hours = fields.Integer(
        string="Handling Time (hours)",
        default=24,
        help="Orders must leave the warehouse this long after they are confirmed, unless the channel "
        "gives its own ship-by deadline.",
    )

    _sql_constraints = [
        ("handling_hours_positive", "CHECK(handling_hours >= 0)", "The handling time cannot be negative."),
    ]

    def write(self, vals):
        result = super().write(vals)
        if STOCK_POLICY_FIELDS.intersection(vals):
            self.env["omni.stock.dirty"]._mark(self.listing_ids.product_id)
        return result

    def action_push_stock(self):
        """Push the stock of every listing, changed or not, in a job (batches are several calls),
        which tells the user what the channel accepted."""
        self.ensure_one()
        return self._omni_answer_queued(
            lambda channel: channel._push_stock_answer(full=True),
            lambda channel: channel._queue_job("_push_stock_job", full=True),
        )

    @api.model
    def _stock_push_types(self):
        """Channel types whose adapter can push stock."""
        return [kind for kind in PLATFORMS if adapter_can(kind, "push_stock")]

    def _schedule_stock_push(self):
        for channel in self.filtered_domain(
            [
                ("active", "=", True),
                ("sync_stock", "=", True),
                ("channel_type", "in", self._stock_push_types()),
            ]
        ):
            # One waiting push per channel: listings flagged before it starts ride along. No delay of
            # its own: the dispatch that queues it already folded the burst of stock changes.
            channel.with_delay(
                channel=STOCK_JOB_CHANNEL, identity_key=f"omni_push_stock_{channel.id}"
            )._push_stock_job()

    def _push_stock_job(self, full=False):
        """``full``: every listing, for the user who asked (told the result); else the flagged ones."""
        # Queued by whoever moved the stock; reading the credentials and the listings is the system's.
        channel = self.sudo()
        return channel._omni_job(partial(channel._push_stock_answer, full=full), notify=full)

    def _push_stock_answer(self, full=False):
        if not (self.active and self.sync_stock):
            return "warning", self.env._("Stock push is off for %(channel)s.", channel=self.name)
        pushed, refused = self._push_stock(full=full)
        message = self.env._(
            "%(pushed)s stock quantity(ies) sent to %(channel)s, %(refused)s refused "
            "(filter Push Failed in Listings).",
            pushed=pushed,
            refused=refused,
            channel=self.name,
        )
        return ("warning" if refused else "success"), message

    def _push_stock(self, full=False):
        """Send the quantity to push (``stock_target_qty``, computed by the dispatch for all the
        channels at once) of the channel's flagged listings; a listing whose target is the quantity
        the channel last accepted is not sent again. ``full``: every listing, its target computed
        again now and sent whatever the channel has (the user asked for it).

        Only the listings read here are unflagged: one flagged again meanwhile is pushed again.

        :return: ``(accepted, refused)`` counts
        """
        self.ensure_one()
        domain = [("channel_id", "=", self.id), ("product_id", "!=", False)]
        if not full:
            # Flagged before any target was computed (an older version): their product's next
            # stock change computes it; never send a quantity nobody computed.
            domain += [("stock_push_pending", "=", True), ("stock_target_at", "!=", False)]
        Listing = self.env["omni.channel.listing"]
        listings = Listing.search(domain, order="id")
        if full:
            listings._write_stock_targets()
        # Unflagged first, all at once: a listing flagged again while the push runs stays flagged,
        # and the push holds every row it will write before its first call to the channel.
        listings._set_stock_push_pending(False)
        accepted = refused = 0
        for start in range(0, len(listings), PUSH_BATCH):
            batch = listings[start : start + PUSH_BATCH]
            to_push = batch if full else batch._stock_changed()
            if not to_push:
                continue
            quantities = {listing.id: listing.stock_target_qty for listing in to_push}
            try:
                results = self._call_adapter(
                    "push_stock",
                    [listing._push_entry(quantity=quantities[listing.id]) for listing in to_push],
                )
            except ChannelError:
                (to_push | listings[start + PUSH_BATCH :])._set_stock_push_pending(True)
                raise
            to_push._record_stock_push(results, quantities)
            batch_refused = sum(1 for result in results if not result["ok"])
            accepted += len(results) - batch_refused
            refused += batch_refused
        return accepted, refused
