import logging
from collections import defaultdict

from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

DETECT_BATCH = 1000
DETECT_AFTER_PARAM = "omni_stock.oversell_detect_after"


class OmniStockOversell(models.Model):
    """A product the channels have committed more of than its warehouses hold."""

    _name = "omni.stock.oversell"
    _description = "Oversell Incident"
    _order = "state, detected_at desc, id desc"
    _rec_name = "product_id"
    _check_company_auto = True

    product_id = fields.Many2one(
        "product.product", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company, index=True
    )
    channel_ids = fields.Many2many(
        "omni.channel",
        string="Channels",
        readonly=True,
        help="Channels whose holds or orders want the product.",
    )
    demand = fields.Float(
        readonly=True,
        digits="Product Unit of Measure",
        help="Active holds plus the undelivered quantity of confirmed channel orders.",
    )
    available = fields.Float(
        readonly=True,
        digits="Product Unit of Measure",
        help="Free stock (on hand minus reserved) in the warehouses the demand ships from, plus what its "
        "orders reserved themselves.",
    )
    shortfall = fields.Float(
        compute="_compute_shortfall", store=True, digits="Product Unit of Measure", string="Short By"
    )
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved")], default="open", required=True, readonly=True, index=True
    )
    detected_at = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    resolved_at = fields.Datetime(readonly=True)

    def init(self):
        # One open incident per product and company; resolved ones stay as history.
        self.env.cr.execute(SQL("DROP INDEX IF EXISTS omni_stock_oversell_open_product_uniq"))
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS omni_stock_oversell_open_product_company_uniq "
                "ON omni_stock_oversell (product_id, company_id) WHERE state = 'open'"
            )
        )

    @api.depends("demand", "available")
    def _compute_shortfall(self):
        for incident in self:
            incident.shortfall = incident.demand - incident.available

    def action_resolve(self):
        # Users may resolve the incidents they see, not edit their figures: the write is the system's.
        self.check_access("read")
        self.sudo().filtered(lambda incident: incident.state == "open").write(
            {"state": "resolved", "resolved_at": fields.Datetime.now()}
        )
        return True

    @api.model
    def _cron_detect(self, limit=DETECT_BATCH):
        """Check every product with committed demand or an open incident, a batch per call in product
        order; the scheduler commits each batch and calls again while some remain."""
        self.env.flush_all()
        Param = self.env["ir.config_parameter"].sudo()
        after = int(Param.get_param(DETECT_AFTER_PARAM, 0))
        self.env.cr.execute(
            SQL(
                """SELECT product_id FROM (%s UNION SELECT product_id FROM omni_stock_oversell
                                                WHERE state = 'open') AS product
                    WHERE product_id > %s ORDER BY product_id LIMIT %s""",
                self._demand_products_query(),
                after,
                limit + 1,
            )
        )
        product_ids = [row[0] for row in self.env.cr.fetchall()]
        batch = self.env["product.product"].browse(product_ids[:limit])
        self._detect(batch)
        remaining = len(product_ids) > limit
        # Where the next call starts; the last one of a run starts the next run from the beginning.
        Param.set_param(DETECT_AFTER_PARAM, batch[-1:].id if remaining else 0)
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=int(remaining))

    @api.model
    def _detect(self, products):
        """Open (or refresh) an incident for each of ``products`` short of its demand in a company;
        resolve the open incidents of those no longer short."""
        if not products:
            return
        shortages = self._shortages(products)
        open_incidents = self.search([("product_id", "in", products.ids), ("state", "=", "open")])
        by_key = {(incident.product_id.id, incident.company_id.id): incident for incident in open_incidents}
        open_incidents.filtered(
            lambda incident: (incident.product_id.id, incident.company_id.id) not in shortages
        ).write({"state": "resolved", "resolved_at": fields.Datetime.now()})
        to_create = []
        for (product_id, company_id), (demand, available, channel_ids) in shortages.items():
            values = {
                "demand": demand,
                "available": available,
                "channel_ids": [fields.Command.set(channel_ids)],
            }
            incident = by_key.get((product_id, company_id))
            if incident:
                if (incident.demand, incident.available, incident.channel_ids.ids) != (
                    demand,
                    available,
                    channel_ids,
                ):
                    incident.write(values)
            else:
                to_create.append(dict(values, product_id=product_id, company_id=company_id))
        if to_create:
            try:
                with self.env.cr.savepoint():
                    self.create(to_create)
            except UniqueViolation:
                # Another check opened them meanwhile.
                _logger.info("Oversell incidents already opened by a concurrent check")

    @api.model
    def _shortages(self, products):
        """``{(product_id, company_id): (demand, available, channel_ids)}`` where the committed demand
        on a company's warehouses exceeds what it can take from the warehouses it ships from: their
        free stock (``omni.stock.allocation._free``, as the channels are offered it) plus what the
        orders of the demand reserved themselves. Stock reserved for anything else (a store's
        delivery, a transfer) covers none of it. Companies are apart: the stock of one never covers
        the orders of another."""
        self.env.flush_all()
        demand = defaultdict(float)
        available = defaultdict(float)
        channels = defaultdict(set)
        warehouses = defaultdict(set)
        self.env.cr.execute(self._demand_query(products))
        for product_id, company_id, warehouse_id, channel_id, quantity, reserved in self.env.cr.fetchall():
            demand[product_id, company_id] += quantity
            available[product_id, company_id] += reserved
            channels[product_id, company_id].add(channel_id)
            warehouses[product_id, company_id].add(warehouse_id)
        if not demand:
            return {}
        free = self.env["omni.stock.allocation"]._free(
            {product_id for product_id, _company_id in demand}, set().union(*warehouses.values())
        )
        for (product_id, company_id), company_warehouses in warehouses.items():
            available[product_id, company_id] += sum(free[product_id, w] for w in company_warehouses)
        return {
            key: (quantity, available[key], sorted(channels[key]))
            for key, quantity in demand.items()
            if quantity > available[key]
        }

    @api.model
    def _demand_query(self, products):
        """Rows (product, company, warehouse, channel, quantity, reserved) of committed demand: active
        holds and the undelivered moves of confirmed channel orders out of a warehouse (a dropship,
        from the vendor, takes nothing from the warehouses), with what those moves reserved in the
        warehouse's internal locations."""
        return SQL(
            """SELECT held.product_id, warehouse.company_id, held.warehouse_id, held.channel_id,
                      SUM(held.quantity), 0
               FROM (%(held)s) held
               JOIN stock_warehouse warehouse ON warehouse.id = held.warehouse_id
               GROUP BY held.product_id, warehouse.company_id, held.warehouse_id, held.channel_id
               UNION ALL
               SELECT move.product_id, warehouse.company_id, source.warehouse_id, sale.omni_channel_id,
                      SUM(move.product_qty), SUM(reserved.quantity)
               FROM stock_move move
               JOIN stock_location source ON source.id = move.location_id
               JOIN stock_warehouse warehouse ON warehouse.id = source.warehouse_id
               JOIN stock_location destination ON destination.id = move.location_dest_id
               JOIN sale_order_line sale_line ON sale_line.id = move.sale_line_id
               JOIN sale_order sale ON sale.id = sale_line.order_id
               CROSS JOIN LATERAL (
                   SELECT COALESCE(SUM(line.quantity_product_uom), 0) AS quantity
                   FROM stock_move_line line
                   JOIN stock_location line_location ON line_location.id = line.location_id
                   WHERE line.move_id = move.id AND line_location.usage = 'internal'
               ) reserved
               WHERE move.state NOT IN ('draft', 'done', 'cancel') AND destination.usage = 'customer'
                 AND sale.omni_channel_id IS NOT NULL AND move.product_id = ANY(%(products)s)
               GROUP BY move.product_id, warehouse.company_id, source.warehouse_id, sale.omni_channel_id""",
            products=products.ids,
            held=self.env["omni.stock.hold.line"]._active_query(products.ids),
        )

    @api.model
    def _demand_products_query(self):
        return SQL(
            """SELECT held.product_id FROM (%s) held
               UNION
               SELECT move.product_id FROM stock_move move
               JOIN stock_location destination ON destination.id = move.location_dest_id
               JOIN sale_order_line sale_line ON sale_line.id = move.sale_line_id
               JOIN sale_order sale ON sale.id = sale_line.order_id
               WHERE move.state NOT IN ('draft', 'done', 'cancel') AND destination.usage = 'customer'
                 AND sale.omni_channel_id IS NOT NULL""",
            self.env["omni.stock.hold.line"]._active_query(),
        )
