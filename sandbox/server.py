"""The simulator's HTTP server: one platform per path prefix, on loopback only.

    python -m sandbox [--port 8900] [--seed 1] [--orders 50]

``/shopee/api/v2/...`` answers as Shopee's API does; ``/_sandbox/shopee/authorize`` stands in for
the seller's consent page and returns an authorization code.
"""

import argparse
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Lock
from urllib.parse import parse_qsl, urlsplit

from .catalog import Shop
from .shopee import ShopeeApi


class Simulator:
    def __init__(self, seed=1, orders=0, **shopee_options):
        self.shop = Shop(seed)
        self.shop.generate_orders(orders)
        self.shopee = ShopeeApi(self.shop, **shopee_options)
        self.lock = Lock()  # one request at a time: the simulated shop is plain Python state

    def handle(self, method, url, body):
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        try:
            payload = json.loads(body) if body else {}
        except ValueError:
            return 400, {"error": "error_param", "message": "Invalid JSON body."}
        with self.lock:
            if parts.path == "/_sandbox/shopee/authorize":
                return 200, {"code": self.shopee.authorize(), "shop_id": self.shopee.shop_id}
            if parts.path.startswith("/shopee/"):
                return self.shopee.handle(method, parts.path.removeprefix("/shopee"), query, payload)
        return 404, {"error": "not_found", "message": f"No simulated platform at {parts.path}"}


def make_server(simulator, port=0):
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, method):
            length = int(self.headers.get("Content-Length") or 0)
            status, answer = simulator.handle(method, self.path, self.rfile.read(length) if length else b"")
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self._answer("GET")

        def do_POST(self):
            self._answer("POST")

        def log_message(self, *args):
            pass

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)


def main():
    parser = argparse.ArgumentParser(description="Marketplace simulator (loopback only)")
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--orders", type=int, default=50, help="orders the shop starts with")
    args = parser.parse_args()
    server = make_server(Simulator(seed=args.seed, orders=args.orders), args.port)
    print(
        f"Marketplace simulator on http://127.0.0.1:{server.server_address[1]} (Shopee at /shopee)",
        flush=True,
    )
    server.serve_forever()
