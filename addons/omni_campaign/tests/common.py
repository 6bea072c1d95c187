from datetime import timedelta, timezone

from odoo import Command, fields
from odoo.addons.omni_channel_sync.tests.common import SimulatorCase, simulator_connection
from odoo.addons.queue_job.tests.common import trap_jobs


class CampaignCase(SimulatorCase):
    """A VND company whose Shopee, Lazada, TikTok and Tiki shops and Shopify and WooCommerce stores are
    the simulator's (their listings imported), and a pricelist for its own stores."""

    count = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.currency_id = cls.vnd
        channels = cls.env["omni.channel"].create(
            [
                {
                    **simulator_connection(cls.simulator, cls.simulator_url, kind),
                    "name": dict(cls.env["omni.channel"]._fields["channel_type"].selection)[kind],
                    "code": f"{kind}_campaign",
                    "channel_type": kind,
                    "pricelist_id": cls.pricelist.id,
                    "sync_stock": False,
                }
                for kind in ("shopee", "lazada", "tiktok", "tiki", "shopify", "woocommerce")
            ]
        )
        for channel in channels:
            channel._import_listings()
        cls.shopee, cls.lazada, cls.tiktok, cls.tiki, cls.shopify, cls.woocommerce = channels
        cls.promoting = channels  # the channels the campaigns of these tests run on
        cls.store_pricelist = cls.env["product.pricelist"].create(
            {"name": "Cửa hàng", "currency_id": cls.vnd.id}
        )
        products = cls.env["product.product"].search([("default_code", "in", ("TEE-L", "CAP-01", "BAG-01"))])
        cls.tee, cls.cap, cls.bag = (products.filtered(lambda p, sku=sku: p.default_code == sku)
                                     for sku in ("TEE-L", "CAP-01", "BAG-01"))  # fmt: skip

    def campaign(self, start=-60, hours=3, channels=None, **values):
        """A draft campaign starting ``start`` seconds from now: 20% off the T-shirt and the cap, the
        bag at 99,000 đ, on ``channels`` (every platform's by default) and the stores' pricelist. Its
        promotions are ended after the test: the simulated shops outlive it."""
        begin = fields.Datetime.now().replace(microsecond=0) + timedelta(seconds=start)
        channels = self.promoting if channels is None else channels
        CampaignCase.count += 1  # a platform may want each promotion's title of its own
        campaign = self.env["omni.campaign"].create(
            {
                "name": f"Sale 12.12 #{CampaignCase.count}",
                "date_start": begin,
                "date_end": begin + timedelta(hours=hours),
                "discount_percent": 20,
                "pricelist_ids": [Command.set(self.store_pricelist.ids)],
                "line_ids": [
                    Command.create({"product_id": self.tee.id}),
                    Command.create({"product_id": self.cap.id}),
                    Command.create({"product_id": self.bag.id, "fixed_price": 99000}),
                ],
                "channel_line_ids": [Command.create({"channel_id": channel.id}) for channel in channels],
                **values,
            }
        )
        self.addCleanup(self.end_promotions, campaign)
        return campaign

    def end_promotions(self, campaign):
        # Ended in Odoo, a promotion whose end is after the real time (a test moved time on) is not.
        for line in campaign.channel_line_ids.filtered(lambda line: line.state != "pending"):
            line.channel_id.needs_authorization = False
            line.channel_id._call_adapter("end_promotion", line._promotion())

    def run_jobs(self, action, *args):
        """``action(*args)``, then the jobs it queued, as the job runner would run them."""
        with trap_jobs() as jobs:
            result = action(*args)
            jobs.perform_enqueued_jobs()
        return result

    def line(self, campaign, channel):
        return campaign.channel_line_ids.filtered(lambda line: line.channel_id == channel)

    def buyer_price(self, channel, sku, when=None):
        """What a buyer pays for ``sku`` on the simulated platform at ``when`` (now by default)."""
        api = getattr(self.simulator, channel.channel_type)
        moment = int((when or fields.Datetime.now()).replace(tzinfo=timezone.utc).timestamp())
        return api.shop.buyer_price(sku, moment)

    def during(self, line):
        """A moment inside the channel's promotion (which a platform may start later than asked)."""
        return max(line.platform_start, fields.Datetime.now()) + timedelta(minutes=1)
