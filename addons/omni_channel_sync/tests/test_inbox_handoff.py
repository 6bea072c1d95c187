from odoo import SUPERUSER_ID, api
from odoo.addons.queue_job.job import Job
from odoo.tests import tagged

from ..models.omni_channel_inbox import MAX_ATTEMPTS
from .common import CommittedDataCase, OmniChannelCase


@tagged("post_install", "-at_install")
class TestInboxHandoff(CommittedDataCase):
    """Rows, jobs and other transactions on cursors of their own: a pending row always has a job or
    a transaction that imports it, and an order another transaction holds is imported later."""

    def order(self, external_id, status="unpaid", updated_at="2026-11-20T07:00:00Z"):
        return {
            "external_id": external_id,
            "status": status,
            "updated_at": updated_at,
            "currency": "USD",
            "lines": [{"sku": "HANDOFF-SKU", "quantity": 1, "unit_price": 10}],
        }

    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            pricelist = env["product.pricelist"].create(
                {"name": "handoff", "currency_id": env.ref("base.USD").id}
            )
            channel = env["omni.channel"].create(
                {"name": "Handoff", "code": "handoff", "pricelist_id": pricelist.id}
            )
            product = env["product.product"].create({"name": "Handoff", "default_code": "HANDOFF-SKU"})
            self.channel_id, self.product_id, self.pricelist_id = channel.id, product.id, pricelist.id
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        with self.committed_env() as env:
            inbox = env["omni.channel.inbox"].search([("channel_id", "=", self.channel_id)])
            env["queue.job"].search([("model_name", "=", "omni.channel.inbox")]).filtered(
                lambda job: job.records & inbox
            ).unlink()
            orders = env["sale.order"].search([("omni_channel_id", "=", self.channel_id)])
            partners, pickings = orders.partner_id, orders.picking_ids
            orders.with_context(disable_cancel_warning=True).action_cancel()
            pickings.move_ids.unlink()
            pickings.unlink()
            orders.unlink()
            inbox.unlink()
            env["omni.channel"].browse(self.channel_id).unlink()
            env["product.product"].browse(self.product_id).unlink()
            env["product.pricelist"].browse(self.pricelist_id).unlink()
            partners.unlink()

    def ingest(self, env, *orders, **options):
        return env["omni.channel"].api_ingest_orders("handoff", list(orders), options or None)

    def jobs_of(self, env, inbox):
        return (
            env["queue.job"]
            .search([("method_name", "=", "_process_job"), ("state", "=", "pending")])
            .filtered(lambda job: inbox <= job.records)
        )

    def test_a_job_leaves_no_row_without_a_job(self):
        """The scheduled action holds the rows when their job starts, then fails: the job queued
        the rows again, so they do not wait for the next scheduled run."""
        with self.committed_env() as env:
            results = self.ingest(env, self.order("H-1"), self.order("H-2"), **{"async": True})
            ids = [result["inbox_id"] for result in results]
        with self.registry.cursor() as cron_cr:
            cron_cr.execute("SELECT id FROM omni_channel_inbox WHERE id IN %s FOR UPDATE", [tuple(ids)])
            with self.committed_env() as job_env:
                (queued,) = self.jobs_of(job_env, job_env["omni.channel.inbox"].browse(ids))
                job = Job.load(job_env, queued.uuid)
                job.set_started()  # as the job runner does
                job.store()
                job.perform()
            cron_cr.rollback()
        with self.committed_env() as env:
            inbox = env["omni.channel.inbox"].browse(ids)
            self.assertEqual(set(inbox.mapped("state")), {"pending"})
            (job,) = self.jobs_of(env, inbox).filtered("eta")
            Job.load(env, job.uuid).perform()
            self.assertEqual(set(inbox.mapped("state")), {"done"})

    def test_an_order_another_transaction_changed_is_imported_by_a_job(self):
        """Two updates of one order at once: the later transaction cannot change the order the other
        just committed (repeatable read). Its payload is not failed, nor answered with an error: a
        job imports it moments later; only an order that keeps being changed ends failed, with a
        sentence."""
        with self.committed_env() as env:
            (created,) = self.ingest(env, self.order("H-3"))
            self.assertEqual(created["status"], "created")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cr.execute("SELECT 1")  # this transaction's snapshot, taken now
            with self.committed_env() as other:
                other["sale.order"].browse(created["sale_order_id"]).note = "changed meanwhile"
            (result,) = self.ingest(
                env, self.order("H-3", status="ready_to_ship", updated_at="2026-11-20T09:00:00Z")
            )
            self.assertEqual(result["status"], "queued")
            inbox = env["omni.channel.inbox"].browse(result["inbox_id"])
            self.assertEqual((inbox.state, inbox.attempts, inbox.error), ("pending", 1, False))
            self.assertTrue(self.jobs_of(env, inbox))
        with self.committed_env() as env:
            inbox = env["omni.channel.inbox"].browse(result["inbox_id"])
            Job.load(env, self.jobs_of(env, inbox).uuid).perform()
            self.assertEqual(inbox.state, "done")
            self.assertEqual(inbox.sale_order_id.omni_status, "ready_to_ship")
            inbox.write({"state": "pending", "attempts": MAX_ATTEMPTS - 1})
            inbox.sale_order_id.omni_updated_at = False
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cr.execute("SELECT 1")
            with self.committed_env() as other:
                other["sale.order"].browse(created["sale_order_id"]).note = "changed again"
            env["omni.channel.inbox"].browse(result["inbox_id"])._process_job()
            inbox = env["omni.channel.inbox"].browse(result["inbox_id"])
            self.assertEqual(inbox.state, "failed")
            self.assertIn("kept changing", inbox.error)
            self.assertNotIn("serialize", inbox.error)


@tagged("post_install", "-at_install")
class TestInboxBatches(OmniChannelCase):
    """Scheduled actions work in batches: each call does a bounded part and tells the scheduler what
    remains (it commits the batch and calls again)."""

    def progress(self, xmlid):
        cron = self.env.ref(xmlid)
        return self.env["ir.cron.progress"].create({"cron_id": cron.id, "done": 0, "remaining": 0})

    def test_pending_records_are_imported_a_batch_per_call(self):
        results = self.ingest(*(self.order(f"B-{n}") for n in range(3)), **{"async": True})
        inbox = self.env["omni.channel.inbox"].browse([result["inbox_id"] for result in results])
        progress = self.progress("omni_channel_sync.ir_cron_inbox_process")
        Inbox = self.env["omni.channel.inbox"].with_context(ir_cron_progress_id=progress.id)
        Inbox._cron_process_pending(limit=2)
        self.assertEqual(inbox.mapped("state"), ["done", "done", "pending"])
        self.assertEqual((progress.done, progress.remaining), (2, 1))
        Inbox._cron_process_pending(limit=2)
        self.assertEqual(set(inbox.mapped("state")), {"done"})
        self.assertEqual((progress.done, progress.remaining), (1, 0))

    def test_purge_works_in_batches(self):
        results = self.ingest(*(self.order(f"P-{n}") for n in range(3)))
        inbox = self.env["omni.channel.inbox"].browse([result["inbox_id"] for result in results])
        inbox.write({"processed_at": "2020-01-01 00:00:00"})
        progress = self.progress("omni_channel_sync.ir_cron_inbox_purge")
        Inbox = self.env["omni.channel.inbox"].with_context(ir_cron_progress_id=progress.id)
        Inbox._cron_purge(limit=2)
        self.assertEqual(len(inbox.exists()), 1)
        self.assertEqual((progress.done, progress.remaining), (2, 1))
        Inbox._cron_purge(limit=2)
        self.assertFalse(inbox.exists())

    def test_retry_takes_only_what_may_now_succeed(self):
        """A payload that is wrong in itself waits for a person: the retry never spins on it."""
        (result,) = self.ingest(self.order(currency="XYZ"))
        inbox = self.env["omni.channel.inbox"].browse(result["inbox_id"])
        self.assertEqual((inbox.state, inbox.next_retry_at), ("failed", False))
        progress = self.progress("omni_channel_sync.ir_cron_inbox_retry")
        self.env["omni.channel.inbox"].with_context(ir_cron_progress_id=progress.id)._cron_retry_failed()
        self.assertEqual((inbox.state, inbox.attempts), ("failed", 1))
        self.assertEqual((progress.done, progress.remaining), (0, 0))
