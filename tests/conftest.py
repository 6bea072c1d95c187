"""Fixtures of the integration tests: a running Odoo server (started by `make test`), reached over
RPC as an integrator would reach it.

The admin works through odoorpc with a password. Integrators authenticate with API keys, which
Odoo 18 accepts on the XML-RPC/JSON-RPC services but not on the web session odoorpc logs in
through, so they use XML-RPC, as in docs/api.md.
"""

import json
import os
import threading
import urllib.request
import uuid
import xmlrpc.client
from urllib.parse import urlparse

import odoorpc
import pytest


def _setting(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run these tests through `make test`, which starts the server.")
    return value


@pytest.fixture(scope="session")
def server():
    return {"url": _setting("OMNI_URL"), "db": _setting("OMNI_DB")}


@pytest.fixture(scope="session")
def admin(server):
    url = urlparse(server["url"])
    client = odoorpc.ODOO(url.hostname, port=url.port, timeout=120)
    client.login(server["db"], "admin", "admin")
    return client


class XmlRpcClient:
    """What an integrator's program does: authenticate once, then execute_kw (over XML-RPC, or
    over JSON-RPC with ``call_json``)."""

    def __init__(self, url, db, login, key):
        self.url, self.db, self.key = url, db, key
        self.uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(db, login, key, {})
        self.models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, self.key, model, method, list(args), kwargs)

    def call_json(self, model, method, *args):
        """``execute_kw`` over JSON-RPC: the JSON-RPC answer, with its ``result`` or its ``error``
        (whose ``data.name`` is the exception's class)."""
        params = {"service": "object", "method": "execute_kw",
                  "args": [self.db, self.uid, self.key, model, method, list(args)]}  # fmt: skip
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
        request = urllib.request.Request(
            f"{self.url}/jsonrpc", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.load(response)


@pytest.fixture(scope="session")
def integrator(server, admin):
    """A new Integrator (API) user and the API key a manager issued for it."""
    login = f"integrator-{uuid.uuid4().hex[:8]}"
    groups = [admin.env.ref("base.group_portal").id, admin.env.ref("omni_channel_sync.group_integrator").id]
    user_id = admin.env["res.users"].create(
        {"name": "Partner system", "login": login, "groups_id": [(6, 0, groups)]}
    )
    wizard_id = admin.env["omni.api.key.issue"].create({"user_id": user_id, "name": "integration tests"})
    admin.env["omni.api.key.issue"].browse(wizard_id).action_issue()
    key = admin.env["omni.api.key.issue"].read([wizard_id], ["key"])[0]["key"]
    return XmlRpcClient(server["url"], server["db"], login, key)


@pytest.fixture(scope="session")
def vnd_pricelist(admin):
    """A VND pricelist, and the simulator's catalog as products (found by internal reference)."""
    from sandbox.catalog import PRODUCTS  # noqa: PLC0415 - only the channel tests need the simulator

    Product = admin.env["product.product"]
    skus = [sku for sku, _name, _variation, _price in PRODUCTS]
    known = {
        row["default_code"] for row in Product.search_read([("default_code", "in", skus)], ["default_code"])
    }
    missing = [
        {"name": name, "default_code": sku, "list_price": price}
        for sku, name, _variation, price in PRODUCTS
        if sku not in known
    ]
    if missing:
        Product.create(missing)
    return new_vnd_pricelist(admin, "Sandbox VND")


def new_vnd_pricelist(admin, name):
    """A new pricelist in VND (activated if need be), for a channel of the tests."""
    Currency = admin.env["res.currency"]
    (vnd,) = Currency.with_context(active_test=False).search([("name", "=", "VND")])
    Currency.browse(vnd).write({"active": True})
    return admin.env["product.pricelist"].create({"name": name, "currency_id": vnd})


@pytest.fixture
def simulator():
    """The marketplace simulator on a free loopback port (``simulator.url``), its shop empty."""
    from sandbox.server import Simulator, serve_in_thread  # noqa: PLC0415 - only the channel tests need it

    sim = Simulator(max_requests_per_second=1000)
    sim.url, stop = serve_in_thread(sim)
    yield sim
    stop()


@pytest.fixture
def receiver():
    """A loopback HTTP endpoint that takes every POST (HTTP 200): ``receiver.url``, and each post as
    ``(path with query, headers, body bytes)`` in arrival order, in ``receiver.posts`` (a queue, to
    wait for a push sent in the background) and in ``receiver.received`` (a list, for pushes sent
    before the call that made them answers)."""
    import queue  # noqa: PLC0415 - only the push tests need it
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: PLC0415

    posts, received = queue.Queue(), []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            post = (self.path, self.headers, body)  # headers read case-insensitively
            received.append(post)
            posts.put(post)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    http.url, http.posts, http.received = f"http://127.0.0.1:{http.server_address[1]}", posts, received
    yield http
    http.shutdown()


def at_once(record):
    """``record`` whose buttons run their work now rather than queue it (queue_job's
    ``queue_job__no_delay`` context, as a script would ask): the answer is the work's result."""
    return record.with_context(queue_job__no_delay=True)


@pytest.fixture
def pull_new_channel(admin, vnd_pricelist):
    """Create a marketplace channel with its connection, pull it once; the external ids imported."""

    def pull(channel_type, **connection):
        channel_id = admin.env["omni.channel"].create(
            {
                "name": f"{channel_type} sandbox",
                "code": f"{channel_type}-{uuid.uuid4().hex[:6]}",
                "channel_type": channel_type,
                "pricelist_id": vnd_pricelist,
                **connection,
            }
        )
        answer = at_once(admin.env["omni.channel"].browse(channel_id)).action_pull_orders()
        assert answer["params"]["type"] == "success", answer
        orders = admin.env["sale.order"].search_read(
            [("omni_channel_id", "=", channel_id)], ["omni_external_ref"]
        )
        return {order["omni_external_ref"] for order in orders}

    return pull


def assert_return_refunded(admin, order, return_ref):
    """The channel's return ``return_ref`` of ``order`` (read over XML-RPC) has its one return
    picking and its one posted credit note."""
    pickings = admin.env["stock.picking"].read(order["picking_ids"], ["omni_return_ref", "picking_type_code"])
    assert [(p["omni_return_ref"], p["picking_type_code"]) for p in pickings if p["omni_return_ref"]] == [
        (return_ref, "incoming"),
    ]  # fmt: skip
    (refund,) = admin.env["account.move"].read(
        order["invoice_ids"], ["move_type", "state", "omni_return_ref"]
    )
    assert (refund["move_type"], refund["state"], refund["omni_return_ref"]) == (
        "out_refund",
        "posted",
        return_ref,
    )
