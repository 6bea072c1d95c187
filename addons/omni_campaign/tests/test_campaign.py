from datetime import timedelta, timezone

from freezegun import freeze_time

from odoo import Command, fields
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CampaignCase


@tagged("post_install", "-at_install")
class TestCampaign(CampaignCase):
    """A campaign started, edited, stopped and ended on time on the simulated Lazada shop and
    WooCommerce store and on the stores' pricelist; each channel's answer shown, the prices buyers see
    compared with the campaign's."""

    def test_start_gives_the_pricelists_and_each_channel_the_campaign(self):
        campaign = self.campaign()
        self.run_jobs(campaign.action_start)
        self.assertEqual(campaign.state, "running")
        # The stores: a rule per product, for the window; the T-shirt 20% off, the bag at its fixed price.
        items = campaign.pricelist_item_ids
        self.assertEqual(len(items), 3)
        self.assertEqual(set(items.mapped("date_end")), {campaign.date_end - timedelta(seconds=1)})
        self.assertEqual(self.store_pricelist._get_product_price(self.tee, 1.0), 120000)
        self.assertEqual(self.store_pricelist._get_product_price(self.bag, 1.0), 99000)
        for channel in self.promoting:
            line = self.line(campaign, channel)
            # Shopee starts a discount an hour after it is set at the soonest: it says when.
            started = line.platform_start <= fields.Datetime.now()
            expected = "live" if started else "scheduled"
            self.assertEqual(line.state, expected, f"{channel.name}: {line.message}")
            self.assertEqual((line.accepted_count, line.refused_count), (3, 0), line.message)
            during = self.during(line)
            self.assertEqual(self.buyer_price(channel, "TEE-L", during), 120000, channel.name)
            self.assertEqual(self.buyer_price(channel, "CAP-01", during), 72000, channel.name)
            self.assertEqual(self.buyer_price(channel, "BAG-01", during), 99000, channel.name)
            if line._promotion_window():  # the platform ends it by itself
                after = campaign.date_end + timedelta(minutes=1)
                self.assertEqual(self.buyer_price(channel, "TEE-L", after), 150000, channel.name)
        self.assertEqual(self.line(campaign, self.lazada).state, "live")
        self.assertEqual(self.line(campaign, self.shopee).state, "scheduled")

    def test_a_scheduled_campaign_starts_and_ends_on_time(self):
        campaign = self.campaign(start=7200)
        self.run_jobs(campaign.action_start)
        self.assertEqual(campaign.state, "scheduled")
        windowed = campaign.channel_line_ids.filtered(lambda line: line._promotion_window())
        others = campaign.channel_line_ids - windowed
        self.assertEqual(windowed.channel_id, self.shopee | self.lazada | self.tiktok)
        self.assertEqual(set(windowed.mapped("state")), {"scheduled"}, windowed.mapped("message"))
        self.assertEqual(set(others.mapped("state")), {"pending"}, "the stores wait for the start")
        self.assertEqual(self.buyer_price(self.tiki, "TEE-L"), 150000)
        self.assertEqual(self.buyer_price(self.shopify, "TEE-L"), 150000)
        self.assertEqual(self.store_pricelist._get_product_price(self.tee, 1.0), 150000)
        cron = self.env.ref("omni_campaign.ir_cron_campaign_schedule")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.assertTrue({campaign.date_start, campaign.date_end} <= set(triggers.mapped("call_at")))

        during = campaign.date_start + timedelta(minutes=1)
        with freeze_time(campaign.date_start + timedelta(seconds=1)), trap_jobs() as jobs:
            self.env["omni.campaign"]._cron_run_schedule()
            self.assertEqual(self.store_pricelist._get_product_price(self.tee, 1.0), 120000)
        jobs.perform_enqueued_jobs()
        self.assertEqual(campaign.state, "running")
        self.assertEqual(set(campaign.channel_line_ids.mapped("state")), {"live"}, others.mapped("message"))
        for channel in self.promoting:
            self.assertEqual(self.buyer_price(channel, "TEE-L", during), 120000, channel.name)

        after = campaign.date_end + timedelta(minutes=1)
        with freeze_time(campaign.date_end + timedelta(seconds=1)), trap_jobs() as jobs:
            self.env["omni.campaign"]._cron_run_schedule()
            self.assertEqual(self.store_pricelist._get_product_price(self.tee, 1.0), 150000)
        jobs.perform_enqueued_jobs()
        self.assertEqual(campaign.state, "ended")
        self.assertEqual(set(campaign.channel_line_ids.mapped("state")), {"ended"})
        for channel in self.promoting:
            self.assertEqual(self.buyer_price(channel, "TEE-L", after), 150000, channel.name)
        for channel in self.tiki | self.shopify:
            self.assertEqual(self.buyer_price(channel, "TEE-L"), 150000, f"{channel.name}: Odoo ended it")

    def test_stop_ends_it_everywhere_now(self):
        campaign = self.campaign()
        self.run_jobs(campaign.action_start)
        during = {line.channel_id: self.during(line) for line in campaign.channel_line_ids}
        self.run_jobs(campaign.action_stop)
        self.assertEqual(campaign.state, "ended")
        self.assertLessEqual(campaign.date_end, fields.Datetime.now())
        self.assertEqual(
            set(campaign.pricelist_item_ids.mapped("date_end")), {campaign.date_end - timedelta(seconds=1)}
        )
        self.assertEqual(self.store_pricelist._get_product_price(self.tee, 1.0), 150000)
        for channel in self.promoting:
            line = self.line(campaign, channel)
            self.assertEqual(line.state, "ended", line.message)
            self.assertEqual(self.buyer_price(channel, "TEE-L", during[channel]), 150000, channel.name)
            self.assertEqual(self.buyer_price(channel, "BAG-01", during[channel]), 120000, channel.name)

    def test_cancel_takes_a_scheduled_campaign_back_and_it_starts_again(self):
        campaign = self.campaign(start=7200)
        self.run_jobs(campaign.action_start)
        during = campaign.date_start + timedelta(minutes=1)
        self.assertEqual(
            self.buyer_price(self.shopee, "TEE-L", self.during(self.line(campaign, self.shopee))), 120000
        )
        self.run_jobs(campaign.action_cancel)
        self.assertEqual(campaign.state, "cancelled")
        self.assertFalse(campaign.pricelist_item_ids)
        self.assertFalse(campaign.channel_line_ids.filtered(lambda line: line._on_platform()))
        for channel in self.promoting:
            self.assertEqual(self.buyer_price(channel, "TEE-L", during), 150000, channel.name)
        campaign.action_draft()
        self.assertFalse(any(campaign.channel_line_ids.mapped("promotion_ref")))
        # Rescheduled (TikTok Shop keeps the titles of ended activities: the same one is refused).
        hour = timedelta(hours=1)
        campaign.write({"date_start": campaign.date_start + hour, "date_end": campaign.date_end + hour})
        self.run_jobs(campaign.action_start)
        self.assertEqual(len(campaign.pricelist_item_ids), 3)
        for channel in self.shopee | self.lazada | self.tiktok:
            line = self.line(campaign, channel)
            self.assertEqual(line.state, "scheduled", f"{channel.name}: {line.message}")
            self.assertEqual(self.buyer_price(channel, "TEE-L", self.during(line)), 120000, channel.name)

    def test_an_edit_is_pushed_again(self):
        campaign = self.campaign()
        self.run_jobs(campaign.action_start)
        refs = {line.channel_id: line.promotion_ref for line in campaign.channel_line_ids}
        self.run_jobs(
            campaign.write,
            {
                "discount_percent": 30,
                "line_ids": [Command.unlink(campaign.line_ids.filtered("fixed_price").id)],
            },
        )
        self.assertEqual(len(campaign.pricelist_item_ids), 2)
        self.assertEqual(self.store_pricelist._get_product_price(self.tee, 1.0), 105000)
        self.assertEqual(self.store_pricelist._get_product_price(self.bag, 1.0), 120000)
        for channel in self.promoting:
            line = self.line(campaign, channel)
            self.assertEqual(line.accepted_count, 2, f"{channel.name}: {line.message}")
            during = self.during(line)
            self.assertEqual(self.buyer_price(channel, "TEE-L", during), 105000, channel.name)
            self.assertEqual(self.buyer_price(channel, "BAG-01", during), 120000, f"{channel.name}: removed")
        for channel in self.shopee | self.tiktok:  # their promotions have ids: the same one, updated
            self.assertEqual(self.line(campaign, channel).promotion_ref, refs[channel])
        # One channel's own discount.
        self.run_jobs(self.line(campaign, self.lazada).write, {"discount_percent": 10})
        self.assertEqual(self.buyer_price(self.lazada, "TEE-L"), 135000)
        self.assertEqual(self.buyer_price(self.woocommerce, "TEE-L"), 105000)

    def test_a_refused_item_is_shown(self):
        campaign = self.campaign()
        # Above the regular price: the marketplaces refuse a "discount" that is none.
        campaign.line_ids.filtered("fixed_price").fixed_price = 130000
        self.run_jobs(campaign.action_start)
        for channel in self.shopee | self.lazada | self.tiktok:
            line = self.line(campaign, channel)
            self.assertEqual((line.accepted_count, line.refused_count), (2, 1), line.message)
            self.assertIn("BAG-01", line.message)
            self.assertNotEqual(line.state, "failed")

    def test_a_failed_channel_is_shown_and_retried_without_duplicating(self):
        campaign = self.campaign(channels=self.shopee)
        self.run_jobs(campaign.action_start)
        line = campaign.channel_line_ids
        ref = line.promotion_ref
        self.shopee.needs_authorization = True  # the seller withdrew the app: every call is refused
        self.run_jobs(campaign.write, {"discount_percent": 25})
        self.assertEqual(line.state, "failed")
        self.assertIn("authorization", line.message)
        self.assertEqual(campaign.failed_channel_count, 1)
        self.assertEqual(line.promotion_ref, ref, "the promotion is still the platform's one")
        self.shopee.needs_authorization = False
        self.run_jobs(campaign.action_retry_failed)
        self.assertEqual((line.state, line.accepted_count), ("scheduled", 3), line.message)
        self.assertEqual(self.buyer_price(self.shopee, "TEE-L", self.during(line)), 112500)
        self.run_jobs(line.action_retry)  # once more: the same discount updated, nothing added
        self.assertEqual((line.state, line.promotion_ref), ("scheduled", ref), line.message)
        discounts = [d for d in self.simulator.shopee.discounts.listed() if d.name == campaign.name]
        self.assertEqual(len(discounts), 1)

    def test_a_shopee_flash_sale_runs_in_its_time_slot_with_the_campaign_stock(self):
        """On Shopee the campaign may be the shop's flash sale: Shopee's first time slot within the
        window, each product's campaign stock its reserved units; edits go to the same flash sale,
        the cancel takes it back."""
        campaign = self.campaign(start=3600, hours=24, channels=self.shopee)
        campaign.line_ids.reserved_qty = 2
        line = campaign.channel_line_ids
        line.flash_sale = True
        self.run_jobs(campaign.action_start)
        self.assertEqual((line.state, line.accepted_count), ("scheduled", 3), line.message)
        self.assertTrue(campaign.date_start <= line.platform_start < line.platform_end <= campaign.date_end)
        sale = self.simulator.shopee.flash_sales.get(line.promotion_ref)
        self.assertEqual(sale.start, int(line.platform_start.replace(tzinfo=timezone.utc).timestamp()))
        self.assertEqual({deal["stock"] for deal in map(sale.deal, sale.skus())}, {2})
        during, after = self.during(line), line.platform_end + timedelta(minutes=1)
        self.assertEqual(self.buyer_price(self.shopee, "TEE-L", during), 120000)
        self.assertEqual(self.buyer_price(self.shopee, "BAG-01", during), 99000)
        self.assertEqual(self.buyer_price(self.shopee, "TEE-L", after), 150000, "its slot is over")
        with self.assertRaisesRegex(UserError, "flash sale"):
            line.flash_sale = False

        self.run_jobs(campaign.write, {"discount_percent": 30})
        tee = campaign.line_ids.filtered(lambda product_line: product_line.product_id == self.tee)
        self.run_jobs(tee.write, {"reserved_qty": 5})
        self.assertEqual(line.promotion_ref, sale.id, "the same flash sale")
        self.assertEqual(self.buyer_price(self.shopee, "TEE-L", during), 105000)
        self.assertEqual(sale.deal("TEE-L")["stock"], 5)

        with freeze_time(after):  # the slot is over, the campaign runs on
            self.env["omni.campaign"]._cron_run_schedule()
        self.assertEqual((campaign.state, line.state), ("running", "ended"), "Shopee ended it with its slot")

    def test_a_cancelled_flash_sale_is_taken_back(self):
        campaign = self.campaign(start=3600, hours=24, channels=self.shopee)
        campaign.channel_line_ids.flash_sale = True
        self.run_jobs(campaign.action_start)
        ref = campaign.channel_line_ids.promotion_ref
        self.assertTrue(self.simulator.shopee.flash_sales.get(ref))
        self.run_jobs(campaign.action_cancel)
        self.assertIsNone(self.simulator.shopee.flash_sales.get(ref), "an upcoming flash sale is deleted")
        self.assertFalse(campaign.channel_line_ids._on_platform())

    def test_a_flash_sale_is_shopees_only(self):
        campaign = self.campaign(channels=self.lazada)
        with self.assertRaisesRegex(ValidationError, "flash sales"):
            campaign.channel_line_ids.flash_sale = True

    def test_a_channel_without_promotions_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot take a campaign"):
            self.campaign(channels=self.channel)  # a partner system (API): Odoo does not call it

    def test_the_price_push_sends_the_regular_price_during_a_campaign(self):
        campaign = self.campaign(pricelist_ids=[Command.set(self.pricelist.ids)])
        self.run_jobs(campaign.action_start)
        self.assertEqual(
            self.pricelist._get_product_price(self.tee, 1.0), 120000, "the channels' pricelist too"
        )
        self.lazada._push_prices()
        listing = self.lazada.listing_ids.filtered(lambda listing: listing.external_sku == "TEE-L")
        self.assertEqual(listing.last_pushed_price, 150000)
        self.assertEqual(self.buyer_price(self.lazada, "TEE-L"), 120000)

    def test_price_parity_flags_a_difference(self):
        campaign = self.campaign(channels=self.lazada)
        campaign.line_ids.filtered("fixed_price").fixed_price = 130000  # refused by the platforms
        self.run_jobs(campaign.action_start)
        self.run_jobs(campaign.action_check_prices)
        action = campaign.action_open_parity()
        rows = self.env["omni.campaign.parity"].search(action["domain"])
        self.assertEqual(len(rows), 6, "3 products on the stores' pricelist and on Lazada")
        by_key = {(row.product_id, row.channel_id or row.pricelist_id): row for row in rows}
        tee = by_key[self.tee, self.lazada]
        self.assertEqual((tee.campaign_price, tee.current_price, tee.differs), (120000, 120000, False))
        bag = by_key[self.bag, self.lazada]
        self.assertEqual((bag.campaign_price, bag.current_price, bag.differs), (130000, 120000, True))
        store = by_key[self.tee, self.store_pricelist]
        self.assertEqual((store.current_price, store.differs), (120000, False))
        self.assertEqual(rows.filtered("differs").mapped("product_id"), self.bag)

    def test_price_parity_expects_the_campaign_price_from_the_platforms_start(self):
        campaign = self.campaign(channels=self.shopee)  # Shopee starts the discount an hour later
        self.run_jobs(campaign.action_start)
        self.run_jobs(campaign.action_check_prices)
        rows = self.env["omni.campaign.parity"].search(campaign.action_open_parity()["domain"])
        tee = rows.filtered(lambda row: row.channel_id == self.shopee and row.product_id == self.tee)
        self.assertEqual((tee.expected_price, tee.current_price, tee.differs), (150000, 150000, False))
        store = rows.filtered(lambda row: row.pricelist_id and row.product_id == self.tee)
        self.assertEqual((store.expected_price, store.differs), (120000, False), "the stores have it now")

    def test_users_read_campaigns_and_managers_run_them(self):
        campaign = self.campaign(channels=self.lazada)
        user = new_test_user(self.env, "omni_campaign_reader", groups="omni_channel_sync.group_user")
        as_user = campaign.with_user(user)
        self.assertEqual(as_user.channel_line_ids.channel_id, self.lazada)
        with self.assertRaises(AccessError):
            as_user.action_start()
        with self.assertRaises(AccessError):
            as_user.discount_percent = 50
        rows = self.env["omni.campaign.parity"].with_user(user).search(as_user.action_open_parity()["domain"])
        self.assertEqual(len(rows), 6)
        manager = new_test_user(self.env, "omni_campaign_manager", groups="omni_channel_sync.group_manager")
        self.run_jobs(campaign.with_user(manager).action_start)
        self.assertEqual(campaign.channel_line_ids.state, "live", campaign.channel_line_ids.message)
        self.assertEqual(self.store_pricelist._get_product_price(self.tee, 1.0), 120000)
