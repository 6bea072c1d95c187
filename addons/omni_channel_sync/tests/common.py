import importlib.util
import sys
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, TransactionCase, get_db_name, new_test_user
from odoo.tools import mute_logger

if importlib.util.find_spec("sandbox") is None:
    # The marketplace simulator lives at the repository's root, two levels above this addon.
    sys.path.append(str(Path(__file__).resolve().parents[3]))

from sandbox.catalog import PRODUCTS
from sandbox.server import Simulator, serve_in_thread


class OmniChannelCase(TransactionCase):
    """A VND channel for partner systems, products known by internal reference, and its users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vnd = cls.env.ref("base.VND")
        cls.vnd.active = True
        cls.pricelist = cls.env["product.pricelist"].create(
            {"name": "Bảng giá VND", "currency_id": cls.vnd.id}
        )
        cls.channel = cls.env["omni.channel"].create(
            {
                "name": "Đối tác API",
                "code": "partner_api",
                "channel_type": "api",
                "pricelist_id": cls.pricelist.id,
                "webhook_secret": "s3cret-key",
            }
        )
        Product = cls.env["product.product"]
        cls.tee = Product.create(
            {"name": "Áo thun", "default_code": "TEE-M", "is_storable": True, "list_price": 150000}
        )
        cls.cap = Product.create({"name": "Mũ lưỡi trai", "barcode": "8930000000017", "list_price": 90000})
        cls.mug = Product.create({"name": "Cốc sứ", "default_code": "MUG-INTERNAL", "list_price": 60000})
        cls.env["omni.channel.listing"].create(
            {"channel_id": cls.channel.id, "external_sku": "SHOP-MUG-01", "product_id": cls.mug.id}
        )
        cls.integrator = new_test_user(
            cls.env, "omni_integrator", groups="base.group_portal,omni_channel_sync.group_integrator"
        )
        cls.manager = new_test_user(
            cls.env, "omni_manager", groups="omni_channel_sync.group_manager,sales_team.group_sale_salesman"
        )

    @classmethod
    def order(cls, external_id="SO-1001", status="unpaid", **values):
        order = {
            "external_id": external_id,
            "status": status,
            "created_at": "2026-11-20T07:00:00Z",
            "updated_at": "2026-11-20T07:00:00Z",
            "currency": "VND",
            "customer": {"buyer_id": "buyer-77", "name": "Trần Thị Bình", "phone": "0912345678"},
            "shipping_address": {
                "name": "Trần Thị Bình",
                "phone": "0912345678",
                "street": "12 Lý Thường Kiệt",
                "ward": "Phường Hàng Bài",
                "district": "Quận Hoàn Kiếm",
                "province": "Hà Nội",
                "country": "VN",
            },
            "lines": [
                {
                    "line_id": "L1",
                    "sku": "TEE-M",
                    "quantity": 2,
                    "unit_price": 150000,
                    "seller_discount": 20000,
                },
                {
                    "line_id": "L2",
                    "sku": "SHOP-MUG-01",
                    "quantity": 1,
                    "unit_price": 60000,
                    "platform_discount": 10000,
                },
            ],
            "shipping_fee": 30000,
            "payment_method": "cod",
            "pay_by": "2026-11-21T07:00:00Z",
        }
        order.update(values)
        return order

    def ingest(self, *orders, user=None, **options):
        Channel = self.env["omni.channel"].with_user(user or self.integrator)
        return Channel.api_ingest_orders("partner_api", list(orders), options or None)

    def sale_orders(self, external_id="SO-1001"):
        return self.env["sale.order"].search(
            [("omni_channel_id", "=", self.channel.id), ("omni_external_ref", "=", external_id)]
        )


@contextmanager
def registry_lock_released():
    """The test runner holds the registry lock while tests run; a request in another thread
    needs it, as it would in a server, so let go of it for that while."""
    held = 0
    while Registry._lock._is_owned():
        Registry._lock.release()
        held += 1
    try:
        yield
    finally:
        for _ in range(held):
            Registry._lock.acquire()


class SimulatorCase(OmniChannelCase):
    """With the marketplace simulator on a loopback port (``simulator``, ``simulator_url``), its
    shops' clocks ten minutes back (the pulls' windows end now), and its catalog as products, with
    ``catalog_stock`` units each in the main warehouse."""

    catalog_stock = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.simulator = Simulator(max_requests_per_second=1000)
        cls.simulator_url, stop = serve_in_thread(cls.simulator)
        cls.addClassCleanup(stop)
        for shop in cls.simulator.shops:
            shop.now = int(time.time()) - 600
        Product = cls.env["product.product"]
        skus = [sku for sku, *_rest in PRODUCTS]
        known = set(Product.search([("default_code", "in", skus)]).mapped("default_code"))
        Product.create(
            [
                {"name": name, "default_code": sku, "is_storable": True, "list_price": price}
                for sku, name, _variation, price in PRODUCTS
                if sku not in known
            ]
        )
        if cls.catalog_stock:
            warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
            for product in Product.search([("default_code", "in", skus)]):
                cls.env["stock.quant"]._update_available_quantity(
                    product, warehouse.lot_stock_id, cls.catalog_stock
                )


def simulator_connection(simulator, url, kind):
    """The values that connect a channel of ``kind`` to the shop of ``simulator`` served at ``url``,
    with the tokens the simulated platform's authorization gives (Tiki's adapter asks for its own;
    Shopify's and WooCommerce's keys do not expire)."""
    if kind == "shopee":
        shopee = simulator.shopee
        tokens = shopee.token_get({}, {"code": shopee.authorize()})
        return {
            "api_base_url": f"{url}/shopee",
            "api_key": str(shopee.partner_id),
            "api_secret": shopee.partner_key,
            "shop_id": str(shopee.shop_id),
            "access_token": tokens["access_token"],
            "refresh_token": tokens["refresh_token"],
            "token_expires_at": fields.Datetime.now() + timedelta(seconds=tokens["expire_in"]),
        }
    if kind == "lazada":
        lazada = simulator.lazada
        tokens = lazada.token_create({"code": lazada.authorize()})
        return {
            "api_base_url": f"{url}/lazada/rest",
            "api_key": lazada.app_key,
            "api_secret": lazada.app_secret,
            "access_token": tokens["access_token"],
            "refresh_token": tokens["refresh_token"],
        }
    if kind == "tiktok":
        tiktok = simulator.tiktok
        tokens = tiktok._token(
            "/api/v2/token/get",
            {"app_key": tiktok.app_key, "app_secret": tiktok.app_secret, "auth_code": tiktok.authorize()},
        )
        return {
            "api_base_url": f"{url}/tiktok",
            "api_key": tiktok.app_key,
            "api_secret": tiktok.app_secret,
            "shop_id": tiktok.cipher,
            "access_token": tokens["access_token"],
            "refresh_token": tokens["refresh_token"],
        }
    if kind == "tiki":
        return {
            "api_base_url": f"{url}/tiki",
            "api_key": simulator.tiki.app_id,
            "api_secret": simulator.tiki.app_secret,
        }
    if kind == "shopify":
        return {
            "api_base_url": f"{url}/shopify",
            "api_secret": simulator.shopify.client_secret,
            "access_token": simulator.shopify.access_token,
        }
    if kind == "woocommerce":
        return {
            "api_base_url": f"{url}/woocommerce",
            "api_key": simulator.woocommerce.consumer_key,
            "api_secret": simulator.woocommerce.consumer_secret,
        }
    raise ValueError(f"The simulator has no {kind} shop")


class CommittedDataCase(BaseCase):
    """A test whose data other database cursors must see: it holds no transaction of its own (a
    TransactionCase's would lock rows the other cursors need), commits its data and removes it
    afterwards."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())

    @contextmanager
    def committed_env(self):
        """A superuser environment on a cursor of its own, committed at the end of the block."""
        with self.registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})


def run_concurrently(registry, calls, timeout=120):
    """Start ``calls`` at the same moment, each in a thread of its own with a database cursor of its
    own, and run each the way Odoo runs an RPC call: replayed with a fresh snapshot on a
    serialization failure, committed at the end.

    Each call is given an environment (superuser) on its cursor. The answer has one entry per call,
    in order: what the call returned, or the message of the UserError it raised. The data the calls
    need must be committed for their cursors to see it.
    """
    barrier = threading.Barrier(len(calls))
    unfinished = object()
    results = [unfinished] * len(calls)

    def run(index, call):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            barrier.wait()
            try:
                results[index] = retrying(lambda: call(env), env)
            except UserError as error:
                results[index] = str(error)

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    # mute: the losers' serialization failures are logged before retrying() replays them
    with registry_lock_released(), mute_logger("odoo.sql_db", "odoo.service.model"):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=timeout)
    missing = [index for index, result in enumerate(results) if result is unfinished]
    if missing:
        raise AssertionError(f"Calls {missing} raised or did not finish within {timeout}s")
    return results
