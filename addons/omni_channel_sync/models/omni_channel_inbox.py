import hashlib
import logging
from collections import Counter
from datetime import timedelta

import psycopg2
from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.addons.queue_job.job import identity_exact
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, mute_logger, split_every

from ..connectors.normalized_order import OrderError, parse_order_json, validate_order
from .omni_order_importer import OrderBeingImported

_logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
JOB_BATCH = 100
# A scheduled run works in batches this size, each committed; a run is at most 10 batches (ir.cron),
# well inside the worker time limit: the jobs import most rows, the scheduled action only what they left.
CRON_BATCH = 10
PURGE_BATCH = 1000
# Errors of rows another transaction changed meanwhile: the row is tried again, never failed for it.
TRANSIENT_ERRORS = (
    pg_errors.SerializationFailure,
    pg_errors.DeadlockDetected,
    pg_errors.LockNotAvailable,
    pg_errors.UniqueViolation,
    OrderBeingImported,
)
# What storing a payload meets when another transaction stores the same one at the same moment.
STORE_CONFLICTS = (pg_errors.SerializationFailure, pg_errors.DeadlockDetected)
RETRY_SOON_SECONDS = 5
RETENTION_PARAM = "omni_channel_sync.inbox_retention_days"


class OmniChannelInbox(models.Model):
    """Every payload a channel sends, stored before anything is done with it.

    Nothing that reaches Odoo is lost: a payload that cannot be imported stays here, failed or
    waiting for attention, with the reason, until someone fixes the cause and reprocesses it.
    """

    _name = "omni.channel.inbox"
    _description = "Channel Inbox"
    _order = "id desc"
    _rec_name = "external_id"

    channel_id = fields.Many2one(
        "omni.channel", required=True, ondelete="restrict", index=True, readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    kind = fields.Selection(
        [("order", "Order"), ("order_status", "Order Status"), ("product", "Product"), ("return", "Return")],
        required=True,
        default="order",
        readonly=True,
    )
    source = fields.Selection(
        [("api", "API"), ("webhook", "Webhook"), ("poll", "Scheduled Pull"), ("file", "File Import")],
        required=True,
        readonly=True,
    )
    external_id = fields.Char(string="External ID", index=True, readonly=True)
    dedupe_key = fields.Char(required=True, readonly=True, copy=False)
    payload = fields.Text(readonly=True)
    topic = fields.Char(
        readonly=True,
        help="What the push is about, where the platform says it in a header and not in the body "
        "(Shopify's topic).",
    )
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("attention", "Needs Attention"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("ignored", "Ignored"),
        ],
        required=True,
        default="pending",
        index=True,
        readonly=True,
    )
    result = fields.Selection(
        [("created", "Created"), ("updated", "Updated"), ("unchanged", "Unchanged")], readonly=True
    )
    error = fields.Text(readonly=True)
    missing_skus = fields.Char(
        string="Unknown SKUs", readonly=True, help="SKUs no listing or product matches."
    )
    attempts = fields.Integer(readonly=True)
    next_retry_at = fields.Datetime(readonly=True)
    processed_at = fields.Datetime(readonly=True)
    sale_order_id = fields.Many2one("sale.order", readonly=True, index="btree_not_null")

    _sql_constraints = [
        ("dedupe_key_uniq", "UNIQUE(dedupe_key)", "This payload is already in the inbox."),
    ]

    # ------------------------------------------------------------------ actions

    def action_reprocess(self):
        """Process again, and say what happened."""
        records = self.filtered(lambda r: r.state != "done")
        if not records:
            raise UserError(self.env._("Only records that are not done can be processed again."))
        records.write({"state": "pending", "next_retry_at": False})
        records._process()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if set(records.mapped("state")) == {"done"} else "warning",
                "message": records._outcome_message(),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _outcome_message(self):
        if len(self) == 1:
            if self.state == "done":
                return self.env._("Imported.")
            if self.state == "attention":
                return self.env._("Still waiting for a listing of SKU(s) %(skus)s.", skus=self.missing_skus)
            if self.state == "failed":
                return self.env._("Failed: %(reason)s", reason=self.error)
            if self.state == "ignored":
                return self.env._("Ignored: %(reason)s", reason=self.error)
            return self.env._("Another process is importing it now; it will be done in a moment.")
        counts = Counter(self.mapped("state"))
        return self.env._(
            "%(done)s imported, %(waiting)s still waiting for a listing, %(failed)s failed, "
            "%(pending)s still being imported.",
            done=counts["done"],
            waiting=counts["attention"],
            failed=counts["failed"],
            pending=counts["pending"],
        )

    def action_ignore(self):
        self.filtered(lambda r: r.state != "done").write({"state": "ignored", "next_retry_at": False})
        return True

    def action_match_listings(self):
        """The matching wizard for the unknown SKUs of the selected waiting orders."""
        waiting = self.filtered(lambda r: r.state == "attention")
        if not waiting:
            raise UserError(self.env._("Select orders waiting for a listing (unknown SKUs)."))
        channel = waiting.channel_id
        if len(channel) != 1:
            raise UserError(self.env._("Match listings for one channel at a time."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Match Unknown SKUs"),
            "res_model": "omni.listing.match",
            "view_mode": "form",
            "target": "new",
            "context": {"default_channel_id": channel.id, "default_inbox_ids": waiting.ids},
        }

    def action_open_payload(self):
        """The stored payload, pretty-printed, in a popup; the raw text stays as received."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Payload"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(self.env.ref("omni_channel_sync.omni_channel_inbox_view_form_payload").id, "form")],
            "target": "new",
        }

    # ------------------------------------------------------------------ storing

    @api.model
    def _store(self, channel, kind, source, entries, keys=None):
        """Insert payloads, skipping those already stored; one short statement for the batch.

        :param entries: list of ``(external_id, raw_text)``
        :param keys: the entries' dedupe keys, when the caller tells them (a notification's event);
            else ``_dedupe_key`` of each
        :return: list of ``(inbox_id, is_new)`` in the order of ``entries``; ``inbox_id`` is None
            for a duplicate another transaction stored while this one runs
        """
        if not entries:
            return []
        keys = keys or [self._dedupe_key(channel, kind, external_id, raw) for external_id, raw in entries]
        now = fields.Datetime.now()
        values = [
            SQL(
                "(%s, %s, %s, %s, %s, %s, %s, 'pending', 0, %s, %s, %s, %s)",
                channel.id,
                channel.company_id.id,
                kind,
                source,
                external_id,
                key,
                raw,
                self.env.uid,
                now,
                self.env.uid,
                now,
            )
            # In the keys' order: two transactions storing the same payloads take their keys in the
            # same order, one waits for the other instead of both deadlocking.
            for key, (external_id, raw) in sorted(zip(keys, entries, strict=True), key=lambda pair: pair[0])
        ]
        try:
            inserted = self._insert(values)
        except STORE_CONFLICTS:
            # Another transaction stored some of these payloads after this one began: they are its
            # own to import, and answered here as duplicates.
            inserted = {}
            for value in values:
                try:
                    inserted.update(self._insert([value]))
                except STORE_CONFLICTS:
                    continue
        known = {}
        if len(inserted) < len(set(keys)):
            self.env.cr.execute(
                SQL(
                    "SELECT dedupe_key, id FROM omni_channel_inbox WHERE dedupe_key IN %s",
                    tuple(set(keys) - set(inserted)),
                )
            )
            known = dict(self.env.cr.fetchall())
        stored, seen = [], set()
        for key in keys:
            is_new = key in inserted and key not in seen
            seen.add(key)
            stored.append((inserted.get(key) or known.get(key), is_new))
        return stored

    @api.model
    def _insert(self, values):
        """{dedupe_key: id} of the rows inserted; raises one of ``STORE_CONFLICTS``, quietly, when
        another transaction committed one of the keys after this one began (or holds one)."""
        with self.env.cr.savepoint(flush=False):
            self.env.cr.execute(
                SQL(
                    """INSERT INTO omni_channel_inbox
                           (channel_id, company_id, kind, source, external_id, dedupe_key, payload, state,
                            attempts, create_uid, create_date, write_uid, write_date)
                       VALUES %s
                       ON CONFLICT (dedupe_key) DO NOTHING
                       RETURNING dedupe_key, id""",
                    SQL(", ").join(values),
                ),
                log_exceptions=False,
            )
            return dict(self.env.cr.fetchall())

    @api.model
    def _dedupe_key(self, channel, kind, external_id, raw):
        """Same channel, kind and content: the same key, so a resent payload is stored once."""
        digest = hashlib.sha256(raw.encode()).hexdigest()
        return f"{channel.id}:{kind}:{external_id or ''}:{digest}"

    # ------------------------------------------------------------------ processing

    def _enqueue(self):
        """Process in background jobs, a batch per job; the same batch is never queued twice."""
        for batch in split_every(JOB_BATCH, self.ids, self.browse):
            batch.with_delay(channel="root.omni", identity_key=identity_exact)._process_job()

    def _process_job(self):
        """Job: import the records still pending. Those another transaction holds at this moment (the
        scheduled action, another job) get a job of their own a little later: if that transaction
        fails, they are not left pending without one."""
        pending = self.filtered(lambda r: r.state == "pending")
        (pending - pending._process())._retry_soon()

    def _retry_soon(self):
        """A job imports the records again in a few seconds; they stay pending until then."""
        if self:
            self.with_delay(
                channel="root.omni", eta=RETRY_SOON_SECONDS, identity_key=identity_exact
            )._process_job()

    def _process(self, payloads=None):
        """Import the records: new orders in one batch, the rest one by one, each in its own
        savepoint so one bad payload never blocks the others. Return the records processed: those
        another transaction holds are left to it.

        :param payloads: {record id: payload} of records this transaction stored from a payload it
            checked (``check_payload``): validated from it, their stored text is not read again
        """
        records = self._lock_for_processing()
        for channel, batch in records.grouped("channel_id").items():
            orders = batch._parse_orders(payloads or {})
            importer = self.env["omni.order.importer"].with_company(channel.company_id)
            skus = {line.sku for order in orders.values() for line in order.lines}
            products = importer._products_by_sku(channel, skus)
            new = self._new_complete_orders(channel, orders, products)
            if new and self._create_in_one_batch(importer, channel, new, products):
                orders = {record: order for record, order in orders.items() if record not in new}
            for record, order in orders.items():
                record._import_order(importer, channel, order, products)
        records._supersede_waiting()
        return records

    def _supersede_waiting(self):
        """An order waits in one row: once a newer update of it is processed, its older rows still
        waiting for a listing are ignored, with the reason. They stay, so nothing received is lost."""
        # A newer payload that cannot be read replaces nothing.
        orders = self.filtered(
            lambda r: r.kind == "order" and r.external_id and r.state in ("attention", "done")
        )
        if not orders:
            return
        newest = {}
        for record in orders:
            key = (record.channel_id.id, record.external_id)
            newest[key] = max(newest.get(key, 0), record.id)
        older = self.search(
            [
                ("state", "=", "attention"),
                ("kind", "=", "order"),
                ("channel_id", "in", orders.channel_id.ids),
                ("external_id", "in", list({external_id for _channel, external_id in newest})),
            ]
        ).filtered(lambda r: r.id < newest.get((r.channel_id.id, r.external_id), 0))
        older._lock_for_processing(("attention",)).write(
            {
                "state": "ignored",
                "error": self.env._("Replaced by a newer update of this order."),
                "next_retry_at": False,
                "processed_at": fields.Datetime.now(),
            }
        )

    @api.model
    def _new_complete_orders(self, channel, orders, products):
        """{record: order} of orders seen once in the batch, not in Odoo yet, every SKU known."""
        seen = Counter(order.external_id for order in orders.values())
        existing = {
            sale_order.omni_external_ref
            for sale_order in self.env["sale.order"].search(
                [("omni_channel_id", "=", channel.id), ("omni_external_ref", "in", list(seen))]
            )
        }
        return {
            record: order
            for record, order in orders.items()
            if seen[order.external_id] == 1
            and order.external_id not in existing
            and all(line.sku in products for line in order.lines)
        }

    @api.model
    def _create_in_one_batch(self, importer, channel, new, products):
        """True when every new order was created; else nothing was, and they go one by one."""
        try:
            # The database's refusal is not logged here: the one-by-one path below meets it again and
            # says what it is.
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                sale_orders = importer._create_orders(channel, list(new.values()), products)
        except Exception:  # the one-by-one path below tells which order failed, and why
            _logger.info("Batch import of %s orders failed; importing them one by one", len(new))
            return False
        for record, sale_order in zip(new, sale_orders, strict=True):
            record._mark_done("created", sale_order)
        return True

    def _lock_for_processing(self, states=("pending",)):
        """The records in ``states`` no other transaction holds now, locked; the others are left to
        that transaction. So are those another transaction changed since this one began (Odoo's
        repeatable read refuses to lock them): what they are now is not what this one sees."""
        if not self:
            return self
        self.flush_recordset(["state"])
        try:
            return self._lock_rows(states)
        except TRANSIENT_ERRORS:
            return self.browse().concat(*(record._lock_rows(states) for record in self))

    def _lock_rows(self, states):
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        """SELECT id FROM omni_channel_inbox
                            WHERE id IN %s AND state IN %s
                              FOR UPDATE SKIP LOCKED""",
                        tuple(self.ids),
                        tuple(states),
                    ),
                    log_exceptions=False,
                )
                return self.browse(row[0] for row in self.env.cr.fetchall())
        except TRANSIENT_ERRORS:
            if len(self) > 1:
                raise
            return self.browse()

    def _parse_orders(self, payloads):
        """{record: Order} of the records whose payload is a valid normalized order; fails the others.
        ``payloads``: see ``_process``."""
        orders = {}
        for record in self:
            try:
                if record.id in payloads:
                    orders[record] = validate_order(payloads[record.id])
                else:
                    orders[record] = parse_order_json(record.payload)
            except OrderError as error:
                problems = "; ".join(error.problems)
                record._mark_failed(self.env._("Invalid order: %(problems)s", problems=problems))
        return orders

    def _import_order(self, importer, channel, order, products):
        self.ensure_one()
        missing = sorted({line.sku for line in order.lines} - set(products))
        if missing:
            self._mark_attention(missing)
            return
        try:
            # A refusal is said below, as what it is: a transient one (a buyer's card another worker
            # made a moment ago) is a retry, not an error; any other is logged with its details.
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                result, sale_order = importer._import_order(channel, order, products)
        except TRANSIENT_ERRORS:
            # Another transaction changed the same order, stock or customer since this one began (or
            # imported this order a moment ago): not a failure of the payload, a job tries again.
            self._retry_transient()
        except (UserError, ValidationError) as error:
            self._mark_failed(str(error))
        except psycopg2.Error:
            _logger.exception("Importing inbox record %s failed", self.id)
            self._mark_failed(
                self.env._("The database refused the order; the server log has the details."), retry=True
            )
        except Exception as error:
            _logger.exception("Importing inbox record %s failed", self.id)
            self._mark_failed(
                self.env._(
                    "The import stopped on an error (%(error_type)s); the server log has the details.",
                    error_type=type(error).__name__,
                ),
                retry=True,
            )
        else:
            self._mark_done(result, sale_order)

    def _retry_transient(self):
        attempts = self.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            self._mark_failed(
                self.env._(
                    "Other operations kept changing the same order, stock or customer; process it again."
                )
            )
            return
        self.write({"attempts": attempts})
        self._retry_soon()

    def _mark_done(self, result, sale_order):
        self.write(
            {
                "state": "done",
                "result": result,
                "sale_order_id": sale_order.id,
                "error": False,
                "missing_skus": False,
                "next_retry_at": False,
                "processed_at": fields.Datetime.now(),
            }
        )

    def _mark_failed(self, error, retry=False):
        attempts = self.attempts + 1
        self.write(
            {
                "state": "failed",
                "error": error,
                "attempts": attempts,
                "next_retry_at": self._backoff(attempts) if retry and attempts < MAX_ATTEMPTS else False,
                "processed_at": fields.Datetime.now(),
            }
        )

    def _mark_attention(self, missing_skus):
        attempts = self.attempts + 1
        self.write(
            {
                "state": "attention",
                "missing_skus": ", ".join(missing_skus),
                "error": self.env._(
                    "Unknown SKU(s): %(skus)s. Match them to products and the order is imported.",
                    skus=", ".join(missing_skus),
                ),
                "attempts": attempts,
                "next_retry_at": self._backoff(attempts) if attempts < MAX_ATTEMPTS else False,
                "processed_at": fields.Datetime.now(),
            }
        )

    @api.model
    def _backoff(self, attempts):
        return fields.Datetime.now() + timedelta(minutes=min(5 * 2 ** (attempts - 1), 24 * 60))

    # ------------------------------------------------------------------ API answers

    def _api_result(self):
        status = {
            "pending": "queued",
            "attention": "needs_attention",
            "failed": "failed",
            "ignored": "failed",
            "done": {"created": "created", "updated": "updated"}.get(self.result, "duplicate"),
        }[self.state]
        return {
            "status": status,
            "inbox_id": self.id,
            "sale_order_id": self.sale_order_id.id or False,
            "error": self.error or False,
        }

    def _api_duplicate_result(self):
        return {
            "status": "duplicate",
            "inbox_id": self.id or False,
            "sale_order_id": self.sale_order_id.id or False,
        }

    # ------------------------------------------------------------------ scheduled actions

    @api.model
    def _cron_process_pending(self, limit=CRON_BATCH):
        """A batch of the pending records due, oldest first; the scheduler commits it and calls again
        while some remain. Those a job is processing now are left to it."""
        domain = [
            ("state", "=", "pending"),
            "|",
            ("next_retry_at", "=", False),
            ("next_retry_at", "<=", fields.Datetime.now()),
        ]
        records = self.search(domain, limit=limit, order="id")
        records._process()
        self.env["ir.cron"]._notify_progress(done=len(records), remaining=0 if len(records) < limit else 1)

    @api.model
    def _cron_retry_failed(self, limit=CRON_BATCH):
        """Retry what may now succeed: transient failures and orders waiting for a listing."""
        # Failures with no retry time (the payload itself is wrong) wait for a person.
        domain = [("state", "in", ("failed", "attention")), ("next_retry_at", "<=", fields.Datetime.now())]
        found = self.search(domain, limit=limit, order="next_retry_at")
        records = found._lock_for_processing(("failed", "attention"))
        records.write({"state": "pending"})
        records._process()
        self.env["ir.cron"]._notify_progress(done=len(found), remaining=0 if len(found) < limit else 1)

    @api.model
    def _cron_purge(self, limit=PURGE_BATCH):
        days = int(self.env["ir.config_parameter"].sudo().get_param(RETENTION_PARAM, 30))
        before = fields.Datetime.now() - timedelta(days=days)
        old = self.search([("state", "in", ("done", "ignored")), ("processed_at", "<", before)], limit=limit)
        old.unlink()
        self.env["ir.cron"]._notify_progress(done=len(old), remaining=0 if len(old) < limit else 1)
