from contextlib import contextmanager
from unittest.mock import patch

from odoo.addons.omni_channel_sync.connectors.errors import ChannelError
from odoo.addons.omni_channel_sync.connectors.registry import PLATFORMS, Platform
from odoo.addons.omni_channel_sync.models.advisory_locks import try_work_lock
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.tests import new_test_user, tagged

from .common import OmniStockCase


class FakeAdapter:
    """A marketplace that accepts every quantity but the SKUs in ``refused``."""

    CAPABILITIES = frozenset({"push_stock"})
    calls = []
    refused = set()
    during_push = []  # what happens elsewhere while the channel answers
    down = False

    def __init__(self, base_url, api_key, api_secret, shop_id, tokens, save_tokens, **options):
        pass

    def push_stock(self, entries):
        if self.down:
            raise ChannelError("Shop is closed", retryable=False)
        self.calls.append({entry["sku"]: entry["quantity"] for entry in entries})
        while self.during_push:
            self.during_push.pop()()
        return [
            {
                "sku": entry["sku"],
                "ok": entry["sku"] not in self.refused,
                "error": "refused" * (entry["sku"] in self.refused),
            }
            for entry in entries
        ]


@tagged("post_install", "-at_install")
class TestStockPush(OmniStockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The partner-system channels of the common case push through the fake marketplace.
        (cls.shopee | cls.lazada).api_base_url = "https://marketplace.test"
        cls.Dirty = cls.env["omni.stock.dirty"]

    def setUp(self):
        super().setUp()
        patcher = patch.dict(PLATFORMS, {"api": Platform(FakeAdapter, None)})
        patcher.start()
        self.addCleanup(patcher.stop)
        FakeAdapter.calls = []
        FakeAdapter.refused = set()
        FakeAdapter.during_push = []
        FakeAdapter.down = False
        self.commit_marks()
        self.env.cr.execute("DELETE FROM omni_stock_dirty")
        self.env.cr.execute("UPDATE omni_channel_listing SET stock_push_pending = FALSE")
        self.env.invalidate_all()

    def commit_marks(self):
        """What the commit does: run the precommit hooks, where stock updates mark their products."""
        self.env.cr.flush()

    def dirty_products(self):
        return self.Dirty.search([]).product_id

    @contextmanager
    def free_stock_reads(self):
        """The reads of the free stock (``omni.stock.allocation._free``) made meanwhile."""
        reads = []
        cursor = type(self.env.cr)
        execute = cursor.execute

        def spy(cr, query, *args, **kwargs):
            if "quant.quantity - quant.reserved_quantity" in getattr(query, "code", str(query)):
                reads.append(query)
            return execute(cr, query, *args, **kwargs)

        with patch.object(cursor, "execute", spy):
            yield reads

    def dispatch_and_push(self):
        """Run the dispatch job, then the push jobs it queued; return the pushes made."""
        with trap_jobs() as trap:
            self.Dirty._dispatch_job()
            trap.perform_enqueued_jobs()
        return FakeAdapter.calls

    # ------------------------------------------------------------------ marking

    def test_done_move_marks_its_product(self):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.warehouse.lot_stock_id.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Tee",
                            "product_id": self.tee.id,
                            "product_uom_qty": 5,
                            "location_id": self.env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": self.warehouse.lot_stock_id.id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        self.commit_marks()
        self.assertFalse(self.dirty_products(), "a receipt to come changes nothing yet")
        picking.move_ids.quantity = 5
        picking.button_validate()
        with trap_jobs() as trap:
            self.commit_marks()
            trap.assert_jobs_count(1, only=self.Dirty._dispatch_job)
        self.assertEqual(self.dirty_products(), self.tee)

    def test_inventory_adjustment_marks_its_product(self):
        quant = self.env["stock.quant"].search(
            [("product_id", "=", self.mug.id), ("location_id", "=", self.warehouse.lot_stock_id.id)]
        )
        quant.inventory_quantity = 1
        quant.action_apply_inventory()
        self.commit_marks()
        self.assertEqual(self.dirty_products(), self.mug)

    def test_marking_twice_keeps_each_mark_and_one_job(self):
        with trap_jobs() as trap:
            self.Dirty._mark(self.tee | self.mug)
            self.Dirty._mark(self.tee)
            trap.assert_jobs_count(1)
            trap.assert_enqueued_job(
                self.Dirty._dispatch_job, properties={"identity_key": "omni_stock_dirty_dispatch"}
            )
        # A row per mark: the dispatch that read the first may have computed without the second.
        self.assertEqual(len(self.Dirty.search([])), 3)

    def test_marks_no_dispatch_reads_are_dispatched_by_the_scheduled_action(self):
        # A mark committed after the dispatch it was folded into had read the table.
        self.env.cr.execute("INSERT INTO omni_stock_dirty (product_id) VALUES (%s)", [self.tee.id])
        with trap_jobs() as trap:
            self.Dirty._cron_dispatch()
            trap.assert_jobs_count(1, only=self.Dirty._dispatch_job)
        self.env.cr.execute("DELETE FROM omni_stock_dirty")
        with trap_jobs() as trap:
            self.Dirty._cron_dispatch()
            trap.assert_jobs_count(0)

    # ------------------------------------------------------------------ pushing

    def test_dispatch_queues_one_push_per_channel(self):
        self.Dirty._mark(self.tee)
        with trap_jobs() as trap:
            self.Dirty._dispatch_job()
            trap.assert_jobs_count(1, only=self.shopee._push_stock_job)
            trap.assert_jobs_count(1, only=self.lazada._push_stock_job)
            trap.assert_enqueued_job(
                self.shopee._push_stock_job, properties={"identity_key": f"omni_push_stock_{self.shopee.id}"}
            )
            # And itself once more, for marks committed while it ran: that run reads nothing, ends.
            trap.assert_jobs_count(1, only=self.Dirty._dispatch_job)
        self.assertFalse(self.dirty_products())
        self.assertTrue(self.shopee_tee.stock_push_pending and self.lazada_tee.stock_push_pending)
        self.assertFalse(self.shopee_mug.stock_push_pending)

    def test_one_dispatch_computes_every_channels_quantity_once(self):
        self.Dirty._mark(self.tee)
        with trap_jobs() as trap, self.free_stock_reads() as reads:
            self.Dirty._dispatch_job()
            self.assertEqual(len(reads), 1, "one computation for both channels")
            trap.assert_jobs_count(1, only=self.shopee._push_stock_job)
            trap.assert_jobs_count(1, only=self.lazada._push_stock_job)
        self.assertRecordValues(
            self.shopee_tee | self.lazada_tee,
            [{"stock_target_qty": 10, "stock_push_pending": True}] * 2,
        )
        self.assertTrue(self.shopee_tee.stock_target_at and self.lazada_tee.stock_target_at)

    def test_push_sends_the_stored_quantity_without_computing_it(self):
        self.Dirty._mark(self.tee)
        with trap_jobs() as trap:
            self.Dirty._dispatch_job()
            # A sale the dispatch has not seen (its own dispatch follows): the pushes do not see it.
            self.env.cr.execute(
                "UPDATE stock_quant SET quantity = 3 WHERE product_id = %s AND location_id = %s",
                [self.tee.id, self.warehouse.lot_stock_id.id],
            )
            self.env.invalidate_all()
            with self.free_stock_reads() as reads:
                trap.perform_enqueued_jobs()
        self.assertEqual(reads, [], "the pushes compute nothing")
        self.assertCountEqual(FakeAdapter.calls, [{"SP-TEE": 10}, {"LZ-TEE": 10}])
        self.assertRecordValues(
            self.shopee_tee | self.lazada_tee,
            [{"last_pushed_qty": 10, "stock_push_pending": False}] * 2,
        )

    def test_a_dispatch_while_another_runs_is_queued_again(self):
        self.Dirty._mark(self.tee)
        with self.env.registry.cursor() as other:
            self.assertTrue(try_work_lock(other, "omni_stock_dispatch", 0))  # a dispatch running
            with trap_jobs() as trap:
                self.Dirty._dispatch_job()
                trap.assert_jobs_count(1, only=self.Dirty._dispatch_job)
            other.rollback()
        self.assertEqual(self.dirty_products(), self.tee, "left to the dispatch queued again")
        self.assertFalse(self.shopee_tee.stock_target_at or self.shopee_tee.stock_push_pending)

    def test_push_sends_ats_in_batches_and_records_it(self):
        self.Dirty._mark(self.tee | self.mug)
        FakeAdapter.refused = {"SP-MUG"}
        with patch("odoo.addons.omni_stock.models.omni_channel_stock.PUSH_BATCH", 1):
            calls = self.dispatch_and_push()
        self.assertCountEqual(calls, [{"SP-TEE": 10}, {"SP-MUG": 4}, {"LZ-TEE": 10}])
        self.assertRecordValues(
            self.shopee_tee | self.shopee_mug | self.lazada_tee,
            [
                {"last_pushed_qty": 10, "push_state": "ok", "push_error": False, "stock_push_pending": False},
                {
                    "last_pushed_qty": 0,
                    "push_state": "failed",
                    "push_error": "refused",
                    "stock_push_pending": False,
                },
                {"last_pushed_qty": 10, "push_state": "ok", "push_error": False, "stock_push_pending": False},
            ],
        )
        self.assertTrue(self.shopee_tee.stock_pushed_at)
        self.assertFalse(self.shopee_mug.stock_pushed_at)

    def test_unchanged_quantity_is_not_pushed_again(self):
        self.Dirty._mark(self.tee)
        self.dispatch_and_push()
        FakeAdapter.calls = []
        self.Dirty._mark(self.tee)
        self.assertEqual(self.dispatch_and_push(), [])
        self.assertFalse(self.shopee_tee.stock_push_pending)
        self.hold(self.lazada, "cart-1", {self.tee: 3})
        self.commit_marks()
        self.assertCountEqual(self.dispatch_and_push(), [{"SP-TEE": 7}, {"LZ-TEE": 7}])

    def test_allocation_policy_changes_are_pushed(self):
        self.Dirty._mark(self.tee | self.mug)
        self.dispatch_and_push()
        FakeAdapter.calls = []
        self.shopee.stock_buffer = 1
        self.assertEqual(self.dispatch_and_push(), [{"SP-TEE": 9, "SP-MUG": 3}], "Lazada offers the same")
        FakeAdapter.calls = []
        self.lazada_tee.write(
            {
                "stock_policy_override": True,
                "stock_buffer": 0,
                "stock_share": 100,
                "stock_cap": 2,
                "stock_zero_below": 0,
                "stock_priority": 10,
            }
        )
        self.assertEqual(self.dispatch_and_push(), [{"LZ-TEE": 2}])

    def test_listing_flagged_during_the_push_is_pushed_again(self):
        self.Dirty._mark(self.tee)

        def sale_meanwhile():
            self.set_stock(self.tee, -4)
            self.env["omni.channel.listing"]._store_stock_targets(self.tee)

        FakeAdapter.during_push = [sale_meanwhile]
        with trap_jobs() as trap:
            self.Dirty._dispatch_job()
            self.shopee._push_stock_job()
            self.assertEqual(FakeAdapter.calls, [{"SP-TEE": 10}])
            self.assertTrue(self.shopee_tee.stock_push_pending, "flagged after it was read: still to push")
            trap.perform_enqueued_jobs()
        self.assertCountEqual(FakeAdapter.calls[1:], [{"SP-TEE": 6}, {"LZ-TEE": 6}])
        self.assertFalse(self.shopee_tee.stock_push_pending)
        self.assertEqual(self.shopee_tee.last_pushed_qty, 6)

    def test_a_refused_call_leaves_the_listings_to_push(self):
        self.Dirty._mark(self.tee | self.mug)
        FakeAdapter.down = True
        with patch("odoo.addons.omni_stock.models.omni_channel_stock.PUSH_BATCH", 1):
            self.dispatch_and_push()
        self.assertTrue(self.shopee_tee.stock_push_pending and self.shopee_mug.stock_push_pending)
        self.assertRecordValues(self.shopee, [{"health": "error", "last_error": "Shop is closed"}])
        FakeAdapter.down = False
        self.assertEqual(
            self.shopee.with_context(queue_job__no_delay=True).action_push_stock()["params"]["type"],
            "success",
        )
        self.assertFalse(self.shopee_tee.stock_push_pending or self.shopee_mug.stock_push_pending)

    def test_dispatch_takes_a_batch_and_leaves_the_rest(self):
        self.Dirty._mark(self.tee | self.mug)
        with (
            patch("odoo.addons.omni_stock.models.omni_stock_dirty.DISPATCH_BATCH", 1),
            trap_jobs() as trap,
        ):
            self.Dirty._dispatch_job()
            self.assertEqual(self.dirty_products(), self.mug, "the rows read are cleared, only them")
            trap.assert_jobs_count(1, only=self.Dirty._dispatch_job)

    def test_channel_without_stock_sync_is_not_pushed(self):
        self.lazada.sync_stock = False
        self.Dirty._mark(self.tee)
        self.dispatch_and_push()
        self.assertEqual(FakeAdapter.calls, [{"SP-TEE": 10}])
        self.assertFalse(self.lazada_tee.stock_push_pending)
        self.assertEqual(
            self.lazada.with_context(queue_job__no_delay=True).action_push_stock()["params"]["type"],
            "warning",
        )
        self.assertEqual(FakeAdapter.calls, [{"SP-TEE": 10}])

    def test_new_listing_is_pushed(self):
        cap = self.env["product.product"].create({"name": "Mũ", "is_storable": True})
        self.set_stock(cap, 2)
        with trap_jobs() as trap:
            listing = self.env["omni.channel.listing"].create(
                {"channel_id": self.shopee.id, "external_sku": "SP-CAP", "product_id": cap.id}
            )
            self.assertEqual(self.dirty_products(), cap)
            trap.perform_enqueued_jobs()  # the dispatch
            self.assertTrue(listing.stock_push_pending)
            trap.perform_enqueued_jobs()  # the push
        self.assertEqual(FakeAdapter.calls, [{"SP-CAP": 2}])

    def test_a_store_user_moving_stock_queues_jobs_that_run(self):
        cashier = new_test_user(self.env, "push_cashier", groups="stock.group_stock_user")
        with trap_jobs() as trap:
            self.Dirty.with_user(cashier)._mark(self.tee)
            trap.perform_enqueued_jobs()  # the dispatch, as the cashier
            trap.perform_enqueued_jobs()  # the pushes
        self.assertCountEqual(FakeAdapter.calls, [{"SP-TEE": 10}, {"LZ-TEE": 10}])

    def test_push_stock_now_sends_everything(self):
        self.Dirty._mark(self.tee)
        self.dispatch_and_push()
        FakeAdapter.calls = []
        answer = self.shopee.with_context(queue_job__no_delay=True).action_push_stock()
        self.assertEqual(answer["params"]["type"], "success")
        self.assertEqual(FakeAdapter.calls, [{"SP-TEE": 10, "SP-MUG": 4}])

    def test_push_stock_now_button(self):
        view = self.env.ref("omni_channel_sync.omni_channel_view_form")
        self.assertIn('name="action_push_stock"', self.shopee.get_view(view.id)["arch"])
