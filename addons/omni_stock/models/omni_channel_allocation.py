from odoo import fields, models

from .omni_stock_allocation import Demand


class OmniChannel(models.Model):
    _name = "omni.channel"
    _inherit = ["omni.channel", "omni.stock.policy.mixin"]

    hold_ttl_minutes = fields.Integer(
        string="Hold Time-to-Live (min)",
        default=60,
        help="How long a hold lasts when neither the order's pay-by time nor the API call says.",
    )
    hold_count = fields.Integer(
        compute="_compute_hold_count",
        string="Active Holds",
        groups="omni_channel_sync.group_user,stock.group_stock_user",
    )

    _sql_constraints = [
        ("hold_ttl_positive", "CHECK(hold_ttl_minutes > 0)", "A hold must last at least a minute."),
    ]

    def _compute_hold_count(self):
        counts = dict(
            self.env["omni.stock.hold"]._read_group(
                [("channel_id", "in", self.ids), ("state", "=", "active")], ["channel_id"], ["__count"]
            )
        )
        for channel in self:
            channel.hold_count = counts.get(channel, 0)

    def action_open_holds(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("omni_stock.omni_stock_hold_action")
        action["domain"] = [("channel_id", "=", self.id)]
        action["context"] = {"search_default_active": 1}
        return action

    def action_open_allocation_preview(self):
        return self.env["omni.stock.allocation.preview"]._open(self)

    def _omni_ats_by_product(self, products, warehouse=None):
        """``{product_id: quantity}`` this channel may offer of ``products`` now (one query for
        the stock, one for the holds, whatever the number of products).

        A product the channel lists follows its listing's policy (the first listing when several
        list it); another follows the channel's. ``warehouse`` (click and collect) replaces the
        channel's source warehouses.
        """
        self.ensure_one()
        return {
            key: allocation.ats for key, allocation in self._omni_allocations(products, warehouse).items()
        }

    def _omni_allocations(self, products, warehouse=None):
        """``{product_id: Allocation}`` of this channel for ``products`` (see ``_omni_ats_by_product``)."""
        self.ensure_one()
        Allocation = self.env["omni.stock.allocation"]
        demands = Allocation._listing_demands(products.ids)
        own = {}
        for demand in sorted(demands, key=lambda demand: demand.key, reverse=True):
            if demand.channel_id == self.id and demand.competes:
                own[demand.product_id] = demand
        channel_policy = Allocation._channel_policies(self.ids)[self.id]
        answers = []
        for product in products:
            demand = own.get(product.id) or Demand(None, self.id, product.id, *channel_policy, competes=False)
            if warehouse:
                demand = demand._replace(warehouse_ids=(warehouse.id,))
            answers.append(demand._replace(key=("product", product.id)))
        # The channel's own listings are answered through ``answers``: they compete from there.
        own_keys = {demand.key for demand in own.values()}
        others = [demand for demand in demands if demand.key not in own_keys]
        allocations = Allocation._allocate(others + answers)
        return {product.id: allocations["product", product.id] for product in products}
