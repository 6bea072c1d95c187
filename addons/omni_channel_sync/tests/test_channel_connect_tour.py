import importlib.util
import sys
from datetime import timedelta
from pathlib import Path

from odoo import fields
from odoo.addons.queue_job.job import Job
from odoo.tests import HttpCase, new_test_user, tagged

from .common import simulator_connection

if importlib.util.find_spec("sandbox") is None:
    # The marketplace simulator lives at the repository's root, two levels above this addon, which
    # Odoo's test runner does not put on the import path.
    sys.path.append(str(Path(__file__).resolve().parents[3]))

from sandbox.catalog import PRODUCTS
from sandbox.server import Simulator, serve_in_thread


@tagged("post_install", "-at_install", "omni_tour")
class TestChannelConnectTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.simulator = Simulator(max_requests_per_second=1000)
        cls.simulator_url, stop = serve_in_thread(cls.simulator)
        cls.addClassCleanup(stop)

    def test_manager_tests_the_connection_and_imports_listings(self):
        new_test_user(
            self.env,
            "omni_connect_manager",
            groups="omni_channel_sync.group_manager,sales_team.group_sale_manager",
        )
        vnd = self.env.ref("base.VND")
        vnd.active = True
        # The catalog's products, known by internal reference (the XML-RPC tests may have made them).
        Product = self.env["product.product"]
        skus = [sku for sku, _name, _variation, _price in PRODUCTS]
        known = set(Product.search([("default_code", "in", skus)]).mapped("default_code"))
        Product.create(
            [
                {"name": name, "default_code": sku}
                for sku, name, _variation, _price in PRODUCTS
                if sku not in known
            ]
        )
        pricelist = self.env["product.pricelist"].create({"name": "VND", "currency_id": vnd.id})
        channel = self.env["omni.channel"].create(
            {
                "name": "Shopee tour",
                "code": "shopee_tour",
                "channel_type": "shopee",
                "pricelist_id": pricelist.id,
                **simulator_connection(self.simulator, self.simulator_url, "shopee"),
                "authorization_expires_at": fields.Datetime.now() + timedelta(days=20),
            }
        )
        self.start_tour(
            f"/odoo/action-omni_channel_sync.omni_channel_action/{channel.id}",
            "omni_channel_connect_tour",
            login="omni_connect_manager",
        )
        self.assertEqual(channel.health, "ok")
        (job,) = self.env["queue.job"].search(
            [("identity_key", "=", f"omni_import_listings_job_{channel.id}")]
        )
        self.assertIn("5 listing(s) created", Job.load(self.env, job.uuid).perform())
        self.assertEqual(len(channel.listing_ids.product_id), 5)
