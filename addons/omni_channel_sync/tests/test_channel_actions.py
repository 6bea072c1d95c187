import time
from unittest.mock import patch

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.tests import new_test_user, tagged

from .common import OmniChannelCase
from .test_marketplace_mappers import SHOPEE_ORDER


def entry(sku, item_id, name="", barcode="", model_id="", price=100000.0):
    return {"item_id": item_id, "model_id": model_id, "sku": sku, "barcode": barcode, "name": name or sku,
            "price": price, "quantity": 5.0}  # fmt: skip


class MarketplaceCase(OmniChannelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shopee = cls.env["omni.channel"].create(
            {
                "name": "Shopee HCM",
                "code": "shopee_hcm",
                "channel_type": "shopee",
                "pricelist_id": cls.pricelist.id,
                # Nothing listens there: a call fails at once, as a platform that does not answer.
                "api_base_url": "http://127.0.0.1:9",
                "api_key": "2001887",
                "api_secret": "partner-key",
                "shop_id": "14701711",
            }
        )
        # References no other test data uses: a database may hold products from elsewhere.
        Product = cls.env["product.product"]
        cls.shirt = Product.create({"name": "Áo sơ mi", "default_code": "H3-SHIRT-M"})
        cls.hat = Product.create({"name": "Nón lá", "barcode": "8930000424242"})

    def listings(self):
        return self.env["omni.channel.listing"].search([("channel_id", "=", self.shopee.id)])

    def listing(self, sku):
        return self.listings().filtered(lambda listing: listing.external_sku == sku)


@tagged("post_install", "-at_install")
class TestListingImport(MarketplaceCase):
    def test_listings_match_by_sku_then_barcode_and_unmatched_are_kept(self):
        counts = self.shopee._import_listing_batch(
            [
                # The internal reference wins over a barcode naming another product.
                entry("H3-SHIRT-M", 1001, barcode=self.hat.barcode, model_id="2001"),
                entry("H3-HAT", 1002, barcode=self.hat.barcode),
                entry("SOCKS-01", 1003, barcode="8930000009999"),
            ]
        )
        self.assertEqual(counts, {"created": 3, "updated": 0, "matched": 2, "unmatched": 1})
        products = {listing.external_sku: listing.product_id for listing in self.listings()}
        self.assertEqual(
            products, {"H3-SHIRT-M": self.shirt, "H3-HAT": self.hat, "SOCKS-01": self.env["product.product"]}
        )
        shirt = self.listing("H3-SHIRT-M")
        self.assertEqual((shirt.external_item_id, shirt.external_model_id), ("1001", "2001"))

    def test_import_again_updates_and_keeps_what_a_user_matched(self):
        self.shopee._import_listing_batch([entry("SOCKS-01", 1003), entry("H3-SHIRT-M", 1001)])
        socks = self.listing("SOCKS-01")
        socks.product_id = self.mug  # matched by hand
        counts = self.shopee._import_listing_batch(
            [entry("SOCKS-01", 1003, name="Tất cổ cao"), entry("H3-SHIRT-M", 1001)]
        )
        self.assertEqual(counts, {"created": 0, "updated": 1, "matched": 2, "unmatched": 0})
        self.assertRecordValues(socks, [{"name": "Tất cổ cao", "product_id": self.mug.id}])

    def test_a_renamed_sku_keeps_its_listing(self):
        self.shopee._import_listing_batch([entry("H3-SHIRT-M", 1001)])
        shirt = self.listing("H3-SHIRT-M")
        counts = self.shopee._import_listing_batch([entry("H3-SHIRT-M-2025", 1001)])
        self.assertEqual((counts["created"], counts["updated"]), (0, 1))
        self.assertRecordValues(shirt, [{"external_sku": "H3-SHIRT-M-2025", "product_id": self.shirt.id}])

    def test_a_reference_two_products_share_is_left_to_the_user(self):
        self.env["product.product"].create({"name": "Áo sơ mi (cũ)", "default_code": "H3-SHIRT-M"})
        counts = self.shopee._import_listing_batch([entry("H3-SHIRT-M", 1001)])
        self.assertEqual(counts["unmatched"], 1)
        self.assertFalse(self.listing("H3-SHIRT-M").product_id)

    def test_another_companys_product_is_not_matched(self):
        other = self.env["res.company"].create({"name": "Công ty khác"})
        self.env["product.product"].create(
            {"name": "Foreign", "default_code": "FOREIGN-1", "company_id": other.id}
        )
        counts = self.shopee._import_listing_batch([entry("FOREIGN-1", 1009)])
        self.assertEqual(counts["unmatched"], 1)


@tagged("post_install", "-at_install")
class TestPushRecord(MarketplaceCase):
    def test_each_listing_keeps_its_own_answer(self):
        self.shopee._import_listing_batch(
            [entry("H3-SHIRT-M", 1001), entry("H3-HAT", 1002, barcode=self.hat.barcode)]
        )
        shirt, hat = self.listing("H3-SHIRT-M"), self.listing("H3-HAT")
        self.listings()._omni_record_push(
            [
                {"sku": "H3-SHIRT-M", "ok": True, "error": ""},
                {"sku": "H3-HAT", "ok": False, "error": "error_invalid_price: price too low"},
                {"sku": "NOT-LISTED", "ok": True, "error": ""},
            ],
            "last_pushed_price",
            {"H3-SHIRT-M": 155000.0, "H3-HAT": 1.0, "NOT-LISTED": 5.0},
        )
        self.assertRecordValues(
            shirt + hat,
            [
                {"push_state": "ok", "last_pushed_price": 155000.0, "push_error": False},
                {
                    "push_state": "failed",
                    "last_pushed_price": 0.0,
                    "push_error": "error_invalid_price: price too low",
                },
            ],
        )
        self.assertTrue(shirt.last_pushed_at)
        self.assertFalse(hat.last_pushed_at, "a refused value was never on the channel")
        # The next push of another kind, accepted, clears the error.
        hat._omni_record_push([{"sku": "H3-HAT", "ok": True, "error": ""}], "last_pushed_qty", {"H3-HAT": 7})
        self.assertRecordValues(hat, [{"push_state": "ok", "push_error": False, "last_pushed_qty": 7.0}])
        failed = self.env["omni.channel.listing"].search([("push_state", "=", "failed")])
        self.assertFalse(failed & (shirt + hat))


@tagged("post_install", "-at_install")
class TestFulfilment(MarketplaceCase):
    def deliver(self, channel, external_ref="250101ABCDEF", tracking="SPXVN0123456789", trap=True, user=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.env["res.partner"].create({"name": "Nguyễn Văn An"}).id,
                "omni_channel_id": channel and channel.id,
                "omni_external_ref": channel and external_ref,
                "order_line": [(0, 0, {"product_id": self.hat.id, "product_uom_qty": 2})],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.write({"quantity": 2, "picked": True})
        picking.carrier_tracking_ref = tracking
        picking = picking.with_user(user or self.env.user)
        if not trap:
            picking.button_validate()
            return order, None
        with trap_jobs() as jobs:
            picking.button_validate()
        self.assertEqual(picking.state, "done")
        return order, jobs

    def test_a_warehouse_user_without_omnichannel_rights_validates_the_delivery(self):
        worker = self.env["res.users"].create(
            {
                "name": "Thủ kho",
                "login": "h3_warehouse_worker",
                "groups_id": [(6, 0, [self.env.ref("stock.group_stock_user").id])],
            }
        )
        self.hat.invalidate_recordset()
        order, trap = self.deliver(self.shopee, user=worker)
        trap.assert_jobs_count(1, only=order._omni_ship_job)
        self.assertEqual(order.omni_ship_state, "to_send")

    def test_a_stock_manager_selling_own_orders_validates_another_sellers_delivery(self):
        """Sales rights on their own documents only do not keep a stock manager from validating the
        delivery of someone else's channel order, nor the channel from hearing of it."""
        manager = new_test_user(
            self.env,
            "h3_stock_manager",
            groups="stock.group_stock_manager,sales_team.group_sale_salesman",
        )
        self.hat.invalidate_recordset()
        order, trap = self.deliver(self.shopee, user=manager)
        self.assertNotEqual(order.user_id, manager)
        trap.assert_jobs_count(1, only=order._omni_ship_job)
        self.assertEqual(order.omni_ship_state, "to_send")

    def test_validating_a_channel_delivery_queues_one_shipment_job(self):
        order, trap = self.deliver(self.shopee)
        trap.assert_jobs_count(1, only=order._omni_ship_job)
        trap.assert_enqueued_job(
            order._omni_ship_job,
            kwargs={"notify": False},
            properties={"channel": "root.omni", "identity_key": f"omni_ship_{order.id}"},
        )
        self.assertEqual(order.omni_ship_state, "to_send")

    def test_other_orders_queue_nothing(self):
        for channel in (False, self.channel):  # no channel; a partner system without adapter
            order, trap = self.deliver(channel)
            trap.assert_jobs_count(0)
            self.assertFalse(order.omni_ship_state)

    def test_a_refusal_is_saved_on_the_order_and_the_channel(self):
        order, trap = self.deliver(self.shopee)
        trap.perform_enqueued_jobs()
        self.assertEqual(order.omni_ship_state, "failed")
        self.assertIn("did not answer", order.omni_ship_error)
        self.assertEqual(self.shopee.health, "warning")
        self.assertIn(order, self.env["sale.order"].search([("omni_ship_state", "=", "failed")]))

    def test_an_order_already_sent_is_not_sent_again(self):
        order, _trap = self.deliver(self.shopee)
        order.write({"omni_ship_state": "sent", "omni_tracking_sent": "SPXVN0123456789"})
        # No HTTP: the platform behind this channel does not answer, so a call would fail.
        result = order._omni_ship_job()
        self.assertIn("already sent", result)
        self.assertEqual(order.omni_ship_state, "sent")

    def test_a_platform_that_does_not_answer_is_tried_again_then_shown(self):
        order, _jobs = self.deliver(self.shopee, trap=False)
        stored = self.env["queue.job"].search([("identity_key", "=", f"omni_ship_{order.id}")])
        self.assertEqual(stored.max_retries, 10)
        with self.assertRaises(RetryableJobError):
            Job.load(self.env, stored.uuid).perform()
        # The retry rolls back (here by hand), yet the channel shows the trouble while the job waits.
        self.shopee.write({"health": "ok", "last_error": False})
        self.env.flush_all()
        self.registry.enter_test_mode(self.env.cr)
        self.addCleanup(self.registry.leave_test_mode)
        self.env.cr.postrollback.run()
        self.shopee.invalidate_recordset()
        self.assertEqual(self.shopee.health, "warning")
        self.assertIn("did not answer", self.shopee.last_error)
        stored.retry = 9  # the last try
        Job.load(self.env, stored.uuid).perform()
        self.assertEqual(order.omni_ship_state, "failed")
        self.assertIn("did not answer", order.omni_ship_error)


@tagged("post_install", "-at_install")
class TestConnectWizard(MarketplaceCase):
    def wizard(self, channel_type):
        self.shopee.channel_type = channel_type
        return self.env["omni.channel.connect"].with_context(default_channel_id=self.shopee.id).create({})

    def test_the_wizard_asks_what_the_platform_needs(self):
        shopee = self.wizard("shopee")
        self.assertRecordValues(
            shopee,
            [{"uses_code": True, "needs_url": False, "api_key": "2001887", "shop_id": "14701711"}],
        )
        self.assertRecordValues(self.wizard("tiki"), [{"uses_code": False, "needs_url": False}])
        self.assertRecordValues(self.wizard("shopify"), [{"uses_code": False, "needs_url": True}])

    def test_only_channels_with_a_connector_show_the_buttons(self):
        self.assertTrue(self.shopee.has_connector)
        self.assertFalse(self.channel.has_connector, "a partner system's channel has no connector")


@tagged("post_install", "-at_install")
class TestTokens(MarketplaceCase):
    def test_a_platform_that_does_not_answer_leaves_no_token_in_the_error(self):
        # Shopee's tokens and signature travel in the query string, which ``requests`` puts in its
        # own error message.
        self.shopee.write({"access_token": "tok-SECRET-ACCESS", "refresh_token": "tok-SECRET-REFRESH"})
        answer = self.shopee.action_test_connection()
        self.assertIn("did not answer", self.shopee.last_error)
        for shown in (answer["params"]["message"], self.shopee.last_error):
            self.assertNotIn("SECRET", shown)
            self.assertNotIn("sign=", shown)

    def fail_after_refresh(self, tokens):
        """Save ``tokens`` as a refresh does, then roll back as a job that fails after it."""
        self.shopee.write({"access_token": "old", "refresh_token": "used", "order_cursor": "queue:1"})
        self.env.flush_all()
        with self.assertRaises(RuntimeError), self.env.cr.savepoint():
            self.shopee._save_tokens(tokens)
            self.env.flush_all()
            raise RuntimeError("the import failed")
        self.shopee.invalidate_recordset()
        self.assertEqual(self.shopee.refresh_token, "used")

    def run_rollback_hooks(self):
        """What the transaction's rollback runs; its new cursor is the test's."""
        self.registry.enter_test_mode(self.env.cr)
        self.addCleanup(self.registry.leave_test_mode)
        self.env.cr.postrollback.run()
        self.shopee.invalidate_recordset()

    def test_a_rotated_refresh_token_outlives_a_rollback(self):
        self.fail_after_refresh(
            {"access_token": "new", "refresh_token": "fresh", "expires_at": 2000000000, "cursor": "queue:2"}
        )
        self.run_rollback_hooks()
        self.assertRecordValues(
            self.shopee, [{"access_token": "new", "refresh_token": "fresh", "order_cursor": "queue:1"}]
        )

    def test_tokens_another_transaction_saved_since_are_kept(self):
        self.fail_after_refresh({"access_token": "new", "refresh_token": "fresh", "expires_at": 2000000000})
        self.shopee.write({"access_token": "newer", "refresh_token": "newest"})
        self.env.flush_all()
        self.run_rollback_hooks()
        self.assertRecordValues(self.shopee, [{"access_token": "newer", "refresh_token": "newest"}])

    def test_only_an_authorization_that_ends_is_a_warning(self):
        # An access token that ends within the hour renews itself: no warning for it.
        self.shopee._save_tokens(
            {"access_token": "a", "refresh_token": "r", "expires_at": time.time() + 3600}
        )
        self.assertFalse(self.shopee.token_state)
        self.shopee._save_tokens(
            {
                "access_token": "b",
                "refresh_token": "s",
                "expires_at": time.time() + 3600,
                "refresh_expires_at": time.time() + 10.5 * 86400,
            }
        )
        self.assertEqual(self.shopee.token_days_left, 10)
        self.assertEqual(self.shopee.token_state, "Token days left: 10")


@tagged("post_install", "-at_install")
class TestPullRetry(MarketplaceCase):
    def test_a_failing_pull_keeps_one_pending_job_per_channel(self):
        def pending():
            jobs = self.env["queue.job"].search(
                [
                    ("model_name", "=", "omni.channel"),
                    ("method_name", "=", "_pull_job"),
                    ("state", "=", "pending"),
                ]
            )
            return len(jobs.filtered(lambda job: job.records == self.shopee))

        self.env["omni.channel"]._cron_pull_orders()
        self.assertEqual(pending(), 1)
        # A retry of an earlier pull runs while the cron's waits: the platform does not answer.
        self.assertIn("did not answer", self.shopee._pull_job())
        self.assertEqual(pending(), 1)


@tagged("post_install", "-at_install")
class TestPullUnreadableOrder(MarketplaceCase):
    def test_an_order_odoo_cannot_read_is_kept_failed_and_the_others_pass(self):
        broken = {"order_sn": "BROKEN-1", "item_list": [{}]}
        # The platform's answer: one order as the platform documents it, one without its item ids.
        fetched = [(SHOPEE_ORDER,), (broken,)]
        with patch.object(type(self.shopee), "_call_adapter", return_value=fetched):
            self.assertEqual(self.shopee._pull_orders(process=False), 2)
        self.assertTrue(self.shopee.order_checkpoint)
        inbox = self.env["omni.channel.inbox"].search([("channel_id", "=", self.shopee.id)])
        self.assertEqual(
            inbox.filtered(lambda record: record.state == "pending").external_id, "2404098R48U37H"
        )
        failed = inbox.filtered(lambda record: record.state == "failed")
        self.assertIn("BROKEN-1", failed.payload)
        self.assertIn("could not be read", failed.error)
