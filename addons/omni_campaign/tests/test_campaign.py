from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

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
            self.assertEqual(line.state, "live", line.message)
            self.assertEqual((line.accepted_count, line.refused_count), (3, 0), line.message)
            self.assertTrue(line.platform_start)
            self.assertEqual(self.buyer_price(channel, "TEE-L"), 120000)
            self.assertEqual(self.buyer_price(channel, "CAP-01"), 72000)
            self.assertEqual(self.buyer_price(channel, "BAG-01"), 99000)
            # Orders after the window pay the regular price again: the platform ends it by itself.
            self.assertEqual(
                self.buyer_price(channel, "TEE-L", campaign.date_end + timedelta(minutes=1)), 150000
            )

    def test_a_scheduled_campaign_starts_and_ends_on_time(self):
        campaign = self.campaign(start=3600)
        self.run_jobs(campaign.action_start)
        self.assertEqual(campaign.state, "scheduled")
        self.assertEqual(set(campaign.channel_line_ids.mapped("state")), {"scheduled"})
        self.assertEqual(self.store_pricelist._get_product_price(self.tee, 1.0), 150000)
        cron = self.env.ref("omni_campaign.ir_cron_campaign_schedule")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.assertTrue({campaign.date_start, campaign.date_end} <= set(triggers.mapped("call_at")))

        with freeze_time(campaign.date_start + timedelta(seconds=1)):
            self.run_jobs(self.env["omni.campaign"]._cron_run_schedule)
            self.assertEqual(self.store_pricelist._get_product_price(self.tee, 1.0), 120000)
        self.assertEqual(campaign.state, "running")
        self.assertEqual(set(campaign.channel_line_ids.mapped("state")), {"live"})
        self.assertEqual(
            self.buyer_price(self.lazada, "TEE-L", campaign.date_start + timedelta(minutes=1)), 120000
        )

        with freeze_time(campaign.date_end + timedelta(seconds=1)):
            self.run_jobs(self.env["omni.campaign"]._cron_run_schedule)
            self.assertEqual(self.store_pricelist._get_product_price(self.tee, 1.0), 150000)
        self.assertEqual(campaign.state, "ended")
        self.assertEqual(set(campaign.channel_line_ids.mapped("state")), {"ended"})

    def test_stop_ends_it_everywhere_now(self):
        campaign = self.campaign()
        self.run_jobs(campaign.action_start)
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
            later = fields.Datetime.now() + timedelta(seconds=2)
            self.assertEqual(self.buyer_price(channel, "TEE-L", later), 150000)
            self.assertEqual(self.buyer_price(channel, "BAG-01", later), 120000)

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
            self.assertEqual((line.state, line.accepted_count), ("live", 2), line.message)
            self.assertEqual(self.buyer_price(channel, "TEE-L"), 105000)
            self.assertEqual(
                self.buyer_price(channel, "BAG-01"), 120000, "a product removed: its price is back"
            )
            if refs[channel]:
                self.assertNotEqual(line.promotion_ref, False)
        # One channel's own discount.
        self.run_jobs(self.line(campaign, self.lazada).write, {"discount_percent": 10})
        self.assertEqual(self.buyer_price(self.lazada, "TEE-L"), 135000)
        for channel in self.promoting - self.lazada:
            self.assertEqual(self.buyer_price(channel, "TEE-L"), 105000)

    def test_a_refused_item_is_shown(self):
        campaign = self.campaign()
        # Above the regular price: the platforms refuse a "sale" that is no discount.
        campaign.line_ids.filtered("fixed_price").fixed_price = 130000
        self.run_jobs(campaign.action_start)
        line = self.line(campaign, self.lazada)
        self.assertEqual((line.state, line.accepted_count, line.refused_count), ("live", 2, 1))
        self.assertIn("BAG-01", line.message)

    def test_a_failed_channel_is_shown_and_retried_without_duplicating(self):
        campaign = self.campaign()
        self.run_jobs(campaign.action_start)
        line = self.line(campaign, self.lazada)
        ref = line.promotion_ref
        self.lazada.needs_authorization = True  # the seller withdrew the app: every call is refused
        self.run_jobs(campaign.write, {"discount_percent": 25})
        self.assertEqual(line.state, "failed")
        self.assertIn("authorization", line.message)
        self.assertEqual(campaign.failed_channel_count, 1)
        self.assertEqual(line.promotion_ref, ref, "the promotion is still the platform's one")
        self.lazada.needs_authorization = False
        self.run_jobs(campaign.action_retry_failed)
        self.assertEqual((line.state, line.accepted_count), ("live", 3), line.message)
        self.assertEqual(self.buyer_price(self.lazada, "TEE-L"), 112500)
        self.run_jobs(line.action_retry)  # once more: the same promotion updated, nothing added
        self.assertEqual((line.state, line.accepted_count), ("live", 3), line.message)
        self.assertEqual(self.buyer_price(self.lazada, "TEE-L"), 112500)

    def test_a_channel_without_promotions_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot take a campaign"):
            self.campaign(channels=self.channel)  # a partner system (API): Odoo does not call it

    def test_the_price_push_sends_the_regular_price_during_a_campaign(self):
        campaign = self.campaign(pricelist_ids=[Command.set(self.pricelist.ids)])
        self.run_jobs(campaign.action_start)
        self.assertEqual(self.pricelist._get_product_price(self.tee, 1.0), 120000)
        self.lazada._push_prices()
        listing = self.lazada.listing_ids.filtered(lambda listing: listing.external_sku == "TEE-L")
        self.assertEqual(listing.last_pushed_price, 150000)
        self.assertEqual(self.buyer_price(self.lazada, "TEE-L"), 120000)

    def test_price_parity_flags_a_difference(self):
        campaign = self.campaign()
        campaign.line_ids.filtered("fixed_price").fixed_price = 130000  # refused by the platforms
        self.run_jobs(campaign.action_start)
        self.run_jobs(campaign.action_check_prices)
        action = campaign.action_open_parity()
        rows = self.env["omni.campaign.parity"].search(action["domain"])
        self.assertEqual(
            len(rows), 3 * (1 + len(self.promoting)), "3 products on the pricelist and each channel"
        )
        by_key = {(row.product_id, row.channel_id or row.pricelist_id): row for row in rows}
        tee = by_key[self.tee, self.lazada]
        self.assertEqual((tee.campaign_price, tee.current_price, tee.differs), (120000, 120000, False))
        bag = by_key[self.bag, self.lazada]
        self.assertEqual((bag.campaign_price, bag.current_price, bag.differs), (130000, 120000, True))
        store = by_key[self.tee, self.store_pricelist]
        self.assertEqual((store.current_price, store.differs), (120000, False))
        self.assertEqual(rows.filtered("differs").mapped("product_id"), self.bag)
