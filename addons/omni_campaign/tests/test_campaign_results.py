from datetime import timedelta

from odoo import Command

from .common import CampaignCase, trap_jobs


class TestCampaignResults(CampaignCase):
    """A campaign's stock goes to its channels during its window; orders record the campaign that
    priced them, and Channel Performance reads by campaign."""

    catalog_stock = 10

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = cls.env["res.partner"].create({"name": "Nguyễn Thị Lan"})
        cls.other = cls.env["product.product"].search(
            [("default_code", "!=", False), ("id", "not in", (cls.tee | cls.cap | cls.bag).ids)], limit=1
        )

    def start(self, campaign):
        """Started, its channels' promotions pushed: their orders record it from then on."""
        self.run_jobs(campaign.action_start)

    def order(self, channel, product, quantity=1, date=None):
        CampaignCase.count += 1
        return self.env["sale.order"].create(
            {
                "partner_id": self.buyer.id,
                "omni_channel_id": channel.id,
                "omni_external_ref": f"RESULT-{CampaignCase.count}",
                "date_order": date or self.env.cr.now(),
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": quantity})],
            }
        )

    def ats(self, channel):
        return channel._omni_ats_by_product(self.tee)[self.tee.id]

    def test_reserved_units_go_to_the_campaign_channels_during_the_window(self):
        campaign = self.campaign(channels=self.lazada)
        campaign.line_ids.filtered(lambda line: line.product_id == self.tee).reserved_qty = 6
        lazada, tiktok = self.ats(self.lazada), self.ats(self.tiktok)
        self.start(campaign)
        self.env.cr.flush()  # the commit's precommit hooks, where the campaign's products are marked
        self.assertTrue(self.env["omni.stock.dirty"].search([("product_id", "=", self.tee.id)]))
        self.assertEqual(self.ats(self.lazada), lazada, "the campaign's channel is offered everything")
        self.assertEqual(self.ats(self.tiktok), tiktok - 6, "the others are not offered the reserved units")
        # The campaign's orders take from its reserved units: fewer are kept from the others.
        self.order(self.lazada, self.tee, 4).action_confirm()
        self.assertEqual(self.ats(self.tiktok), tiktok - 4 - 2)
        self.assertEqual(self.ats(self.lazada), lazada - 4)
        campaign.action_stop()
        self.assertEqual(self.ats(self.tiktok), tiktok - 4, "the end gives the rest back")

    def test_orders_record_the_campaign_that_priced_them(self):
        campaign = self.campaign(channels=self.lazada)
        with trap_jobs():  # the job pushing it to Lazada waits
            campaign.action_start()
        waiting = self.order(self.lazada, self.tee)
        self.assertFalse(waiting.omni_campaign_id, "placed before Lazada had the campaign")
        self.run_jobs(self.line(campaign, self.lazada)._queue_sync)
        priced = self.order(self.lazada, self.tee)
        self.assertEqual(priced.omni_campaign_id, campaign)
        self.assertFalse(self.order(self.tiktok, self.tee).omni_campaign_id, "not the campaign's channel")
        self.assertFalse(self.order(self.lazada, self.other).omni_campaign_id, "not the campaign's product")
        before = self.order(self.lazada, self.tee, date=campaign.date_start - timedelta(hours=1))
        self.assertFalse(before.omni_campaign_id, "placed before the campaign")
        self.line(campaign, self.lazada).platform_start = campaign.date_start + timedelta(hours=2)
        early = self.order(self.lazada, self.tee, date=campaign.date_start + timedelta(hours=1))
        self.assertFalse(early.omni_campaign_id, "placed before the platform started the campaign")
        self.line(campaign, self.lazada).platform_end = campaign.date_start + timedelta(hours=2, minutes=30)
        late = self.order(self.lazada, self.tee, date=campaign.date_start + timedelta(hours=2, minutes=40))
        self.assertFalse(late.omni_campaign_id, "placed after the platform ended it (a flash sale's slot)")
        # The stores' and back office's orders: the campaign's price rule priced them.
        store_order = self.env["sale.order"].create(
            {
                "partner_id": self.buyer.id,
                "pricelist_id": self.store_pricelist.id,
                "order_line": [Command.create({"product_id": self.tee.id})],
            }
        )
        self.assertEqual(store_order.omni_campaign_id, campaign)
        self.assertEqual(campaign.order_count, 2)
        performance = self.env["omni.channel.report"].search([("campaign_id", "=", campaign.id)])
        self.assertEqual(performance.order_id, priced, "Channel Performance: the channels' orders")
        self.assertEqual(campaign.action_open_performance()["domain"], [("campaign_id", "=", campaign.id)])
