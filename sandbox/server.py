"""The simulator's HTTP server: one platform per path prefix, on loopback only.

    python3 -m sandbox [--port 8900] [--seed 1] [--orders 50]

``/shopee/api/v2/...`` answers as Shopee's API does, ``/lazada/rest/...`` as Lazada's gateway (and
its auth host), ``/tiktok/...`` as TikTok Shop's API and auth host, ``/tiki/...`` as Tiki's,
``/shopify/admin/api/...`` as a Shopify store's Admin API, ``/woocommerce/wp-json/...`` as a
WooCommerce store's REST API, ``/sinvoice/...`` as Viettel's SInvoice (its login and e-invoice API),
``/ghn/...`` and ``/ghtk/...`` as the carriers GHN and GHTK (``/_sandbox/ghn/...`` and
``/_sandbox/ghtk/...``: their callbacks, parcels moved on, COD statements; see ghn.py and ghtk.py).
``/_sandbox/<platform>/authorize`` stands in for the seller's consent page and returns an
authorization code (Shopify: the app installed again, its new Admin API access token).
``/_sandbox/<platform>/webhook`` registers the URL the platform pushes its webhooks to, as its
console does, and ``/_sandbox/<platform>/push`` sends one (see webhooks.py).
``/_sandbox/<platform>/promotions/pass_time`` (``{"seconds": n}``) moves the platform's promotions
(Shopee's discounts and flash sales, TikTok Shop's activities) n seconds into the past, as if that
time had gone by: a demo sees a promotion start without waiting out the platform's lead time.
"""

import argparse
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Lock, Thread
from urllib.parse import urlsplit

from .catalog import DEMO_BUYERS, Shop
from .ghn import GhnApi
from .ghtk import GhtkApi
from .lazada import LazadaApi
from .platform import Query
from .shopee import ShopeeApi
from .shopify import ShopifyApi
from .sinvoice import SinvoiceApi
from .tiki import TikiApi
from .tiktok import TiktokApi
from .webhooks import Webhooks
from .woocommerce import WooCommerceApi


class Simulator:
    def __init__(self, seed=1, orders=0, max_requests_per_second=None, demo=False):
        """Each platform limits calls as it documents (its ``RATE_LIMITS``); ``max_requests_per_second``
        caps every shop's calls besides."""
        start = int(time.time()) - 3600 if demo else 1_700_000_000
        # Every platform is a shop of its own: its catalog, stock, orders and (in the demo) buyers.
        shops = {
            platform: Shop(seed + n, start=start, buyers=DEMO_BUYERS[platform] if demo else None)
            for n, platform in enumerate(DEMO_BUYERS)
        }
        self.shop = shops["shopee"]
        self.shops = list(shops.values())
        for shop in self.shops:
            shop.play_history(shop.generate_orders(orders))
        self.shopee = ShopeeApi(shops["shopee"], max_requests_per_second=max_requests_per_second)
        self.lazada = LazadaApi(shops["lazada"], max_requests_per_second=max_requests_per_second)
        self.tiktok = TiktokApi(shops["tiktok"], max_requests_per_second=max_requests_per_second)
        self.tiki = TikiApi(shops["tiki"], max_requests_per_second=max_requests_per_second)
        self.shopify = ShopifyApi(shops["shopify"])
        self.woocommerce = WooCommerceApi(
            shops["woocommerce"], max_requests_per_second=max_requests_per_second
        )
        self.sinvoice = SinvoiceApi()  # the e-invoices of the demo company, and of sellers registered
        self.ghn, self.ghtk = GhnApi(), GhtkApi()  # the carriers of the retailer's own channels
        self.webhooks = Webhooks(self)
        # A Shopify app subscribes over GraphQL; the other platforms' URLs are set as in their consoles.
        self.shopify.graphql.on_subscribe = lambda url: self.webhooks.register("shopify", url)
        # WooCommerce pushes order.updated after an order or a refund written through its REST API.
        self.woocommerce.on_change = lambda order_id: self.webhooks.push_soon("woocommerce", order_id)
        self.lock = Lock()  # one request at a time: the simulated shop is plain Python state
        if demo:
            # The demo channels of `make run` are connected with these tokens from the start.
            apis = (("shopee", self.shopee), ("lazada", self.lazada), ("tiktok", self.tiktok))
            for name, api in (*apis, ("shopify", self.shopify)):
                api.access_tokens[f"demo-{name}-access"] = time.time() + 10 * 365 * 24 * 3600
                api.refresh_tokens.add(f"demo-{name}-refresh")

    def keep_selling(self, every):
        """Like a real shop: a new order now and then, and older ones moving on (paid, cancelled,
        picked up by the carrier with a tracking number, delivered, returned and refunded); the
        platforms notify the registered webhook URLs of each. Once, Shopee reminds the seller that the
        app's authorization ends in 7 days."""
        reminded = False
        while True:
            time.sleep(every)
            changed = []
            with self.lock:
                for shop in self.shops:
                    shop.now = int(time.time())
                    changed += [
                        (shop, order_id, None) for order_id in shop.generate_orders(1, spread_seconds=1)
                    ]
                    if shop.orders:  # a shop sold out from the start has none
                        order_id = shop.random.choice(list(shop.orders))
                        changed += [(shop, order_id, topic) for topic in self._live(shop, order_id)]
                self.ghn.tick()  # a parcel of each carrier moves on, told to its callback URL
                self.ghtk.tick()
            try:
                self.webhooks.push_all(changed)
                if not reminded and "shopee" in self.webhooks.urls:
                    reminded = True
                    self.webhooks.send_authorization("shopee", "expiring")
            except OSError as error:  # the receiver is down: the next pull brings the orders anyway
                print(f"Webhook not delivered: {error}", file=sys.stderr, flush=True)

    def _live(self, shop, order_id):
        """The order's next step; on Shopee, the seller now and then books a pickup on the platform
        itself, which the carrier may fail (``RETRY_SHIP``: the shipment is arranged again)."""
        if shop is self.shopee.shop:
            roll = shop.random.random()
            if roll < 0.2 and self.shopee.fail_pickup(order_id):
                return [None]
            if roll < 0.3 and self.shopee.arrange_shipment(order_id, carrier_later=True):
                return [None]
        return shop.live(order_id)

    def handle(self, method, url, body, headers=None):
        """``(status, JSON answer)``, or ``(status, answer, response headers)``: a ``bytes`` answer (a
        label's PDF, a CSV statement) is sent as it is, its ``Content-Type`` among the headers."""
        headers = {key.lower(): value for key, value in (headers or {}).items()}
        content_type = headers.get("content-type", "")
        parts = urlsplit(url)
        # A name given twice: the marketplaces' gateways read its first value, PHP (WooCommerce) and
        # Rails (Shopify) its last; each platform can ask for all of them (TikTok's ids=1&ids=2).
        query, first = Query(parts.query), Query(parts.query, keep_first=True)
        form = {}
        if "x-www-form-urlencoded" in content_type:
            form, payload = Query(body.decode()), {}
        else:
            try:
                payload = json.loads(body) if body else {}
            except ValueError:
                return 400, {"error": "error_param", "message": "Invalid JSON body."}
        if parts.path.startswith("/_sandbox/") and parts.path.endswith(("/webhook", "/push")):
            # Outside the lock: a push waits for the receiver, which may call the platform back.
            _root, _sandbox, platform, action = parts.path.split("/", 3)
            return self.webhooks.handle(method, platform, action, payload)
        with self.lock:
            if parts.path == "/_sandbox/shopee/authorize":
                return 200, {"code": self.shopee.authorize(), "shop_id": self.shopee.shop_id}
            if parts.path == "/_sandbox/lazada/authorize":
                return 200, {"code": self.lazada.authorize()}
            if parts.path == "/_sandbox/tiktok/authorize":
                return 200, {"code": self.tiktok.authorize()}
            if parts.path.endswith("/promotions/pass_time"):
                promotions = {
                    "/_sandbox/shopee": self.shopee,
                    "/_sandbox/tiktok": self.tiktok.activities,
                }
                found = promotions.get(parts.path.removesuffix("/promotions/pass_time"))
                if found and isinstance(payload.get("seconds"), int):
                    found.pass_time(payload["seconds"])
                    return 200, {}
            if parts.path == "/_sandbox/shopify/authorize":
                # A store installs the app again: its new Admin API access token.
                return 200, {"access_token": self.shopify.install()}
            if parts.path.startswith("/sinvoice/"):
                # SInvoice takes JSON, or a form (in the body, or in the query string as Odoo sends it).
                sinvoice_path = parts.path.removeprefix("/sinvoice")
                return self.sinvoice.handle(method, sinvoice_path, {**first, **form}, payload, headers)
            if parts.path.startswith("/_sandbox/sinvoice/"):
                action = parts.path.removeprefix("/_sandbox/sinvoice")
                return self.sinvoice.sandbox(method, action, first, payload)
            for carrier in ("ghn", "ghtk"):
                # The carriers: their API under /<carrier>, the simulator's own calls under /_sandbox.
                if parts.path.startswith(f"/{carrier}/"):
                    path = parts.path.removeprefix(f"/{carrier}")
                    return getattr(self, carrier).handle(method, path, first, form or payload, headers)
                if parts.path.startswith(f"/_sandbox/{carrier}/"):
                    action = parts.path.removeprefix(f"/_sandbox/{carrier}")
                    return getattr(self, carrier).sandbox(method, action, first, payload)
            if parts.path.startswith("/tiki/"):
                # Tiki takes a form for its token, JSON elsewhere.
                tiki_path = parts.path.removeprefix("/tiki")
                return self.tiki.handle(method, tiki_path, first, form or payload, headers)
            if parts.path.startswith("/tiktok/"):
                # TikTok signs the raw body as sent.
                return self.tiktok.handle(method, parts.path.removeprefix("/tiktok"), query, body, headers)
            if parts.path.startswith("/shopee/"):
                return self.shopee.handle(method, parts.path.removeprefix("/shopee"), first, payload)
            if parts.path.startswith("/shopify/"):
                shopify_path = parts.path.removeprefix("/shopify")
                return self.shopify.handle(method, shopify_path, query, payload, headers)
            if parts.path.startswith("/woocommerce/"):
                # WooCommerce's OAuth signature covers the query and form parameters.
                woo_path = parts.path.removeprefix("/woocommerce")
                return self.woocommerce.handle(method, woo_path, query, form, payload, headers)
            if parts.path.startswith("/lazada/rest/"):
                # Lazada signs the union of query and form parameters.
                return self.lazada.handle(method, parts.path.removeprefix("/lazada/rest"), {**first, **form})
        return 404, {"error": "not_found", "message": f"No simulated platform at {parts.path}"}


def make_server(simulator, port=0):
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, method):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, answer, *more = simulator.handle(method, self.path, body, dict(self.headers.items()))
            headers = {"Content-Type": "application/json", **(more[0] if more else {})}
            data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self._answer("GET")

        def do_POST(self):
            self._answer("POST")

        def do_PUT(self):
            self._answer("PUT")

        def do_DELETE(self):
            self._answer("DELETE")

        def log_message(self, *args):
            pass

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)


def serve_in_thread(simulator):
    """Serve ``simulator`` on a free loopback port from a thread of this process (tests, benches).
    Returns its URL and the function that stops it."""
    server = make_server(simulator)
    Thread(target=server.serve_forever, daemon=True).start()

    def stop():
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_address[1]}", stop


def main():
    parser = argparse.ArgumentParser(description="Marketplace simulator (loopback only)")
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--orders", type=int, default=50, help="orders the shop starts with")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="accept the demo channels' tokens; orders of the last hour, each platform's own buyers",
    )
    parser.add_argument("--order-every", type=float, default=0, help="seconds between new orders (0: none)")
    parser.add_argument(
        "--webhook-url-base",
        help="push a webhook for each new or changed order to <this URL>/<demo channel code>, "
        "e.g. http://127.0.0.1:8069/omni/webhook",
    )
    args = parser.parse_args()
    simulator = Simulator(seed=args.seed, orders=args.orders, demo=args.demo)
    if args.webhook_url_base:
        simulator.webhooks.register_demo(args.webhook_url_base)
    if args.order_every:
        Thread(target=simulator.keep_selling, args=(args.order_every,), daemon=True).start()
    server = make_server(simulator, args.port)
    print(
        f"Marketplace simulator on http://127.0.0.1:{server.server_address[1]} (Shopee at /shopee)",
        flush=True,
    )
    server.serve_forever()
