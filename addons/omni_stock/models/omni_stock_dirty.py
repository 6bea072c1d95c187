from odoo import api, fields, models
from odoo.addons.omni_channel_sync.models.advisory_locks import try_work_lock
from odoo.tools import SQL

# A job channel of their own (``omni_stock``, beside ``omni``: queue_job's configuration gives it its
# capacity): a dispatch or a push runs in a tenth of a second, and at a flash sale it waited behind
# the order imports for seconds while the shops kept selling what was gone.
STOCK_JOB_CHANNEL = "root.omni_stock"
DISPATCH_BATCH = 5000


class OmniStockDirty(models.Model):
    """A product whose stock changed and whose listings are waiting to be pushed.

    Stock transactions only insert here, a row per mark (never HTTP, never an update of a shared
    row: two marks never wait for each other); one job computes the listings' quantities once for
    all the channels, stores them and queues one push job per channel that has a quantity to send.
    """

    _name = "omni.stock.dirty"
    _description = "Product Waiting for a Stock Push"
    _order = "id"
    _log_access = False

    product_id = fields.Many2one("product.product", required=True, ondelete="cascade", readonly=True)

    @api.model
    def _mark(self, products):
        """Mark ``products`` (a recordset or a list of ids) for a stock push and schedule it.

        One insert, no HTTP: safe inside any stock transaction. A row of its own even for a product
        marked already: the dispatch reading the older row may have computed from a snapshot
        without this change.
        """
        product_ids = sorted(set(products.ids if isinstance(products, models.BaseModel) else products))
        if not product_ids:
            return
        self.env.cr.execute(
            SQL("INSERT INTO omni_stock_dirty (product_id) SELECT unnest(%s::int[])", product_ids)
        )
        self._schedule_dispatch()

    @api.model
    def _mark_on_commit(self, product_ids):
        """Mark ``product_ids`` when the transaction commits, in one statement for the whole of it.

        For stock updates, which come one quant at a time, and holds. Marked just before the
        commit, the row is seen by the dispatch it schedules: one marked earlier in a long
        transaction could be folded into a dispatch that starts, and ends, before the commit.
        """
        pending = self.env.cr.precommit.data.setdefault("omni_stock.dirty", set())
        if not pending:
            self.env.cr.precommit.add(self._mark_pending)
        pending.update(product_ids)

    def _mark_pending(self):
        self._mark(list(self.env.cr.precommit.data.pop("omni_stock.dirty", ())))
        # Precommit hooks run after the last flush: the queued job must reach the database now.
        self.env.flush_all()

    @api.model
    def _schedule_dispatch(self):
        # The identity key folds every mark made before the job starts into one run: a burst of sales
        # is one computation, with no delay of its own.
        self.with_delay(channel=STOCK_JOB_CHANNEL, identity_key="omni_stock_dirty_dispatch")._dispatch_job()

    @api.model
    def _cron_dispatch(self):
        """Queue the dispatch for marks no dispatch will read (the dispatch's own follow-up is the
        first safety net: see ``_dispatch_job``)."""
        self.env.cr.execute(SQL("SELECT 1 FROM omni_stock_dirty LIMIT 1"))
        if self.env.cr.fetchone():
            self._schedule_dispatch()

    def _dispatch_job(self):
        """Job: store the quantity to push of the listings of the dirty products (for all the
        channels at once), queue a push per channel, check them for oversell, then clear the rows
        read (only them, and last: a stock transaction marking meanwhile never waits).

        One dispatch at a time: one that starts while another runs is queued again rather than
        computing from a snapshot that misses the other's work and failing on its rows. One that
        read rows queues another: a mark folded into this one but committed after it started is
        not in its snapshot; the next run reads it, and one that reads nothing ends the chain.

        It runs as whoever moved the stock (a cashier, a website buyer): the work is the system's.
        """
        env = self.sudo().env
        if not try_work_lock(env.cr, "omni_stock_dispatch", 0):
            self._schedule_dispatch()
            return
        env.cr.execute(
            SQL("SELECT id, product_id FROM omni_stock_dirty ORDER BY id LIMIT %s", DISPATCH_BATCH)
        )
        rows = env.cr.fetchall()
        if not rows:
            return
        products = env["product.product"].browse({product_id for _id, product_id in rows})
        env["omni.channel.listing"]._store_stock_targets(products)
        env["omni.stock.oversell"]._detect(products)
        env.cr.execute(
            SQL("DELETE FROM omni_stock_dirty WHERE id = ANY(%s)", [row_id for row_id, _product in rows])
        )
        self._schedule_dispatch()
