"""Available-to-sell: how many units each channel may offer, computed for many products at once.

The rule, for one product and one channel (or one listing with its own policy):

1. stock = free quantity (on hand - reserved by pickings, in the internal locations of the
   channel's source warehouses: ``_free``) - active holds on those warehouses;
2. quantity = (stock - safety buffer) x share %, rounded down, then at most the cap (0: no cap);
3. priority when scarce: the channels selling the product are served from the highest priority
   down. What a priority level is offered is no longer offered to the levels below it, so a
   channel never gets more than (what the levels above it left in its warehouses - its buffer).
   Channels of the same priority do not limit one another: they offer the same units, and holds
   and orders settle who sells them. When the shares together fit in the stock, nobody is cut;
4. a quantity below "send 0 below" becomes 0; nothing is ever below 0.

Units set apart for some channels (``_set_apart``: a campaign's stock during its window) are not
offered to the others: their stock and what the levels above left are lowered by them.
"""

from collections import defaultdict, namedtuple
from itertools import groupby

from odoo import api, models
from odoo.tools import SQL, float_round

# What the allocation needs of one channel (or listing) selling one product.
# ``key`` names the answer; ``competes`` is False for a channel that does not list the product:
# it is answered, but takes nothing from lower priorities.
Demand = namedtuple(
    "Demand", "key channel_id product_id warehouse_ids buffer share cap zero_below priority competes"
)
# The answer, with the figures that led to it (the preview shows them).
Allocation = namedtuple(
    "Allocation", "free held buffer share cap zero_below priority ats stock_by_warehouse set_apart"
)


class OmniStockAllocation(models.AbstractModel):
    _name = "omni.stock.allocation"
    _description = "Channel Stock Allocation"

    @api.model
    def _allocate(self, demands):
        """``{demand.key: Allocation}`` for ``demands``: two queries, whatever their number."""
        product_ids = {demand.product_id for demand in demands}
        free, held = self._stock(
            product_ids, {warehouse for demand in demands for warehouse in demand.warehouse_ids}
        )
        set_apart = defaultdict(list)
        for product_id, channel_ids, quantity in self._set_apart(product_ids):
            set_apart[product_id].append((channel_ids, quantity))
        by_product = defaultdict(list)
        for demand in demands:
            by_product[demand.product_id].append(demand)
        result = {}
        for product_id, product_demands in by_product.items():
            available = defaultdict(float)
            for demand in product_demands:
                for warehouse in demand.warehouse_ids:
                    available[warehouse] = free[product_id, warehouse] - held[product_id, warehouse]
            left = dict(available)
            product_demands.sort(key=lambda demand: -demand.priority)
            for _priority, level in groupby(product_demands, key=lambda demand: demand.priority):
                level = list(level)
                # Everyone of a level sees what the levels above left; then all of them take.
                answers = []
                for demand in level:
                    kept = sum(
                        quantity
                        for channel_ids, quantity in set_apart[product_id]
                        if demand.channel_id not in channel_ids
                    )
                    answers.append((demand, kept, self._quantity(demand, available, left, kept)))
                for demand, kept, quantity in answers:
                    result[demand.key] = Allocation(
                        free=sum(free[product_id, w] for w in demand.warehouse_ids),
                        held=sum(held[product_id, w] for w in demand.warehouse_ids),
                        buffer=demand.buffer,
                        share=demand.share,
                        cap=demand.cap,
                        zero_below=demand.zero_below,
                        priority=demand.priority,
                        ats=quantity,
                        stock_by_warehouse={w: available[w] for w in demand.warehouse_ids},
                        set_apart=kept,
                    )
                    if demand.competes:
                        for warehouse, taken in self._split(quantity, demand.warehouse_ids, left).items():
                            left[warehouse] -= taken
        return result

    @api.model
    def _quantity(self, demand, available, left, kept=0.0):
        """Steps 2 to 4 of the rule: ``available`` is the stock before any channel took its part,
        ``left`` what the priority levels above this one left, ``kept`` the units set apart for
        other channels."""
        stock = sum(available[w] for w in demand.warehouse_ids) - demand.buffer - kept
        quantity = _floor(stock * demand.share / 100.0)
        if demand.cap:
            quantity = min(quantity, demand.cap)
        quantity = min(quantity, _floor(sum(left[w] for w in demand.warehouse_ids) - demand.buffer - kept))
        if quantity < max(demand.zero_below, 1):
            return 0
        return quantity

    @api.model
    def _split(self, quantity, warehouse_ids, stock):
        """``{warehouse_id: quantity}``: ``quantity`` taken from the warehouses in their order, each
        giving what it has (``stock``), the first one the rest."""
        taken, rest = {}, quantity
        for warehouse in warehouse_ids:
            part = min(max(stock.get(warehouse, 0.0), 0.0), rest)
            if part > 0:
                taken[warehouse] = part
                rest -= part
        if rest > 0 and warehouse_ids:
            taken[warehouse_ids[0]] = taken.get(warehouse_ids[0], 0.0) + rest
        return taken

    @api.model
    def _set_apart(self, product_ids):
        """``[(product_id, channel_ids, quantity)]``: units of ``product_ids`` kept now for the
        channels ``channel_ids`` (a frozenset) only. None here; a campaign keeps its stock so."""
        return []

    @api.model
    def _stock(self, product_ids, warehouse_ids):
        """``(free, held)``, both ``{(product_id, warehouse_id): quantity}`` (0 when absent): the
        free stock (``_free``) and the active holds (``omni.stock.hold.line._active_query``)."""
        held = defaultdict(float)
        free = self._free(product_ids, warehouse_ids)
        if not product_ids or not warehouse_ids:
            return free, held
        self.env.cr.execute(
            SQL(
                """SELECT held.product_id, held.warehouse_id, SUM(held.quantity)
                   FROM (%s) held WHERE held.warehouse_id = ANY(%s)
                   GROUP BY held.product_id, held.warehouse_id""",
                self.env["omni.stock.hold.line"]._active_query(product_ids),
                list(warehouse_ids),
            )
        )
        for product_id, warehouse_id, quantity in self.env.cr.fetchall():
            held[product_id, warehouse_id] = quantity
        return free, held

    @api.model
    def _free(self, product_ids, warehouse_ids):
        """The one reader of free stock, for the allocation, its preview, the oversell check and
        the product's channels tab: ``{(product_id, warehouse_id): quantity}`` (0 when absent).

        Free is on hand minus reserved in the warehouse's internal locations. Stock Odoo's
        ``free_qty`` counts every location under the warehouse; a quant in a location of another
        usage (an inventory loss or a production location filed under it) is nothing a delivery
        can reserve, so it is offered to no channel and covers no order.
        """
        free = defaultdict(float)
        if not product_ids or not warehouse_ids:
            return free
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT quant.product_id, location.warehouse_id,
                          SUM(quant.quantity - quant.reserved_quantity)
                   FROM stock_quant quant
                   JOIN stock_location location ON location.id = quant.location_id
                   WHERE location.usage = 'internal'
                     AND quant.product_id = ANY(%s) AND location.warehouse_id = ANY(%s)
                   GROUP BY quant.product_id, location.warehouse_id""",
                list(product_ids),
                list(warehouse_ids),
            )
        )
        for product_id, warehouse_id, quantity in self.env.cr.fetchall():
            free[product_id, warehouse_id] = quantity
        return free

    @api.model
    def _listing_demands(self, product_ids, listing_ids=()):
        """One demand per active listing of ``product_ids`` on an active channel (they compete for
        the stock), plus the listings ``listing_ids`` whatever their state (answered only)."""
        self.env["omni.channel.listing"].flush_model()
        self.env["omni.channel"].flush_model(["active"])
        self.env.cr.execute(
            SQL(
                """SELECT listing.id, listing.channel_id, listing.product_id,
                          listing.active AND channel.active, listing.stock_policy_override,
                          listing.stock_buffer, listing.stock_share, listing.stock_cap,
                          listing.stock_zero_below, listing.stock_priority
                   FROM omni_channel_listing listing
                   JOIN omni_channel channel ON channel.id = listing.channel_id
                   WHERE listing.product_id IS NOT NULL
                     AND ((listing.product_id = ANY(%s) AND listing.active AND channel.active)
                          OR listing.id = ANY(%s))""",
                list(product_ids),
                list(listing_ids),
            )
        )
        rows = self.env.cr.fetchall()
        policies = self._channel_policies({row[1] for row in rows})
        demands = []
        for listing_id, channel_id, product_id, competes, override, *own_policy in rows:
            channel_policy = policies[channel_id]
            policy = (*own_policy, competes) if override else (*channel_policy[1:], competes)
            demands.append(Demand(listing_id, channel_id, product_id, channel_policy[0], *policy))
        return demands

    @api.model
    def _channel_policies(self, channel_ids):
        """``{channel_id: (warehouse_ids, buffer, share, cap, zero_below, priority)}``; a channel
        without source warehouses sells from all the warehouses of its company.

        As superuser: the channels selling a product shared between companies compete for it, whoever
        asks; only the quantities are answered, nothing of the other companies' channels."""
        channels = self.env["omni.channel"].sudo().with_context(active_test=False).browse(channel_ids)
        company_warehouses = (
            self.env["stock.warehouse"]
            .sudo()
            .search([("company_id", "in", channels.filtered(lambda c: not c.warehouse_ids).company_id.ids)])
            .grouped("company_id")
        )
        return {
            channel.id: (
                tuple(
                    channel.warehouse_ids.ids
                    or company_warehouses.get(channel.company_id, self.env["stock.warehouse"]).ids
                ),
                channel.stock_buffer,
                channel.stock_share,
                channel.stock_cap,
                channel.stock_zero_below,
                channel.stock_priority,
            )
            for channel in channels
        }


def _floor(quantity):
    """Whole units, rounded down; a float sum a hair under a whole number still counts it."""
    return int(float_round(quantity, precision_rounding=1.0, rounding_method="DOWN"))
