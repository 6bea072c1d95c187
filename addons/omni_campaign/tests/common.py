from datetime import timedelta, timezone

from odoo import Command, fields
from odoo.addons.omni_channel_sync.tests.common import SimulatorCase
from odoo.addons.queue_job.tests.common import trap_jobs


class CampaignCase(SimulatorCase):
    """A VND company whose Lazada shop and WooCommerce store are the simulator's (their listings
    imported), a pricelist for its stores, and a manager who runs campaigns."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.currency_id = cls.vnd
        sim, url = cls.simulator, cls.simulator_url
        lazada_tokens = sim.lazada.token_create({"code": sim.lazada.authorize()})
        common = {"pricelist_id": cls.pricelist.id, "sync_stock": False}
        cls.lazada, cls.woocommerce = cls.env["omni.channel"].create(
            [
                {
                    **common,
                    "name": "Lazada",
                    "code": "lazada_campaign",
                    "channel_type": "lazada",
                    "api_base_url": f"{url}/lazada/rest",
                    "api_key": sim.lazada.app_key,
                    "api_secret": sim.lazada.app_secret,
                    "access_token": lazada_tokens["access_token"],
                    "refresh_token": lazada_tokens["refresh_token"],
                },
                {
                    **common,
                    "name": "WooCommerce",
                    "code": "woocommerce_campaign",
                    "channel_type": "woocommerce",
                    "api_base_url": f"{url}/woocommerce",
                    "api_key": sim.woocommerce.consumer_key,
                    "api_secret": sim.woocommerce.consumer_secret,
                },
            ]
        )
        for channel in (cls.lazada, cls.woocommerce):
            channel._import_listings()
        cls.store_pricelist = cls.env["product.pricelist"].create(
            {"name": "Cửa hàng", "currency_id": cls.vnd.id}
        )
        products = cls.env["product.product"].search([("default_code", "in", ("TEE-L", "CAP-01", "BAG-01"))])
        cls.tee, cls.cap, cls.bag = (products.filtered(lambda p, sku=sku: p.default_code == sku)
                                     for sku in ("TEE-L", "CAP-01", "BAG-01"))  # fmt: skip
        cls.marketer = cls.env.ref("base.user_admin")
        cls.promoting = cls.lazada  # the channels the campaigns of these tests run on

    def campaign(self, start=-60, hours=2, channels=None, **values):
        """A draft campaign starting ``start`` seconds from now: 20% off the T-shirt and the cap, the
        bag at 99,000 đ, on ``channels`` (Lazada and WooCommerce) and the stores' pricelist."""
        begin = fields.Datetime.now().replace(microsecond=0) + timedelta(seconds=start)
        channels = self.promoting if channels is None else channels
        return self.env["omni.campaign"].create(
            {
                "name": "Sale 12.12",
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
        moment = (when or fields.Datetime.now()).replace(tzinfo=timezone.utc)
        return api.shop.buyer_price(sku, int(moment.timestamp()))
