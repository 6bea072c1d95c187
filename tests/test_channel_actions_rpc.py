"""A manager connects a Shopee shop (the simulator on loopback), imports its listings, pushes prices,
and the shop hears when Odoo ships one of its orders."""

import time
import uuid

import pytest
from conftest import at_once

from sandbox.catalog import PRODUCTS


def create_channel(admin, sim, pricelist, **values):
    api = sim.shopee
    channel_id = admin.env["omni.channel"].create(
        {
            "name": "Shopee sandbox",
            "code": f"shopee-{uuid.uuid4().hex[:6]}",
            "channel_type": "shopee",
            "pricelist_id": pricelist,
            "api_base_url": f"{sim.url}/shopee",
            "api_key": str(api.partner_id),
            "api_secret": api.partner_key,
            "shop_id": str(api.shop_id),
            **values,
        }
    )
    return admin.env["omni.channel"].browse(channel_id)


@pytest.fixture
def shopee(admin, vnd_pricelist, simulator):
    """A Shopee channel connected to the simulator's shop."""
    tokens = simulator.shopee.token_get({}, {"code": simulator.shopee.authorize()})
    channel = create_channel(
        admin,
        simulator,
        vnd_pricelist,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
    )
    return simulator, channel


def channel_state(admin, channel):
    return admin.env["omni.channel"].read([channel.id], ["health", "last_error", "token_expires_at"])[0]


def listings(admin, channel):
    fields = [
        "external_sku",
        "external_item_id",
        "product_id",
        "last_pushed_price",
        "push_state",
        "push_error",
    ]
    rows = admin.env["omni.channel.listing"].search_read([("channel_id", "=", channel.id)], fields)
    return {row["external_sku"]: row for row in rows}


def test_connection_names_the_shop(admin, shopee):
    _sim, channel = shopee
    answer = channel.action_test_connection()
    assert answer["params"]["type"] == "success", answer
    assert "Omni Sandbox Shop" in answer["params"]["message"]
    assert channel_state(admin, channel)["health"] == "ok"


def test_refused_connection_shows_on_the_channel(admin, shopee):
    _sim, channel = shopee
    admin.env["omni.channel"].write([channel.id], {"api_secret": "not-the-partner-key"})
    answer = channel.action_test_connection()
    assert answer["params"]["type"] == "danger" and "error_sign" in answer["params"]["message"], answer
    state = channel_state(admin, channel)
    assert state["health"] == "error" and "error_sign" in state["last_error"]


def test_connect_trades_the_authorization_code_for_tokens(admin, vnd_pricelist, simulator):
    channel = create_channel(admin, simulator, vnd_pricelist, api_key=False, api_secret=False)
    api = simulator.shopee
    Connect = admin.env["omni.channel.connect"]
    wizard_id = Connect.create(
        {
            "channel_id": channel.id,
            "api_base_url": f"{simulator.url}/shopee",
            "api_key": str(api.partner_id),
            "api_secret": api.partner_key,
            "shop_id": str(api.shop_id),
            "authorization_code": api.authorize(),
        }
    )
    answer = Connect.browse(wizard_id).action_connect()
    assert answer["params"]["type"] == "success", answer
    assert "Omni Sandbox Shop" in answer["params"]["message"]
    (saved,) = admin.env["omni.channel"].read(
        [channel.id], ["access_token", "refresh_token", "token_expires_at"]
    )
    assert saved["access_token"] in api.access_tokens and saved["refresh_token"] and saved["token_expires_at"]
    # A code is single use: trading it again is refused, and the refusal is answered.
    Connect.write([wizard_id], {"authorization_code": "used-or-wrong"})
    answer = Connect.browse(wizard_id).action_connect()
    assert answer["params"]["type"] == "danger" and "Invalid code" in answer["params"]["message"], answer


def test_import_listings_matches_the_catalog_to_products(admin, shopee):
    _sim, channel = shopee
    # The manager does not wait for the catalog's pages: the server's job runner reads them.
    answer = channel.action_import_listings()
    assert answer["params"]["type"] == "info" and "queued" in answer["params"]["message"], answer
    job = wait_for_job(admin, f"omni_import_listings_job_{channel.id}")
    assert job["state"] == "done" and "5 listing(s) created" in job["result"], job
    found = listings(admin, channel)
    assert set(found) == {sku for sku, *_rest in PRODUCTS}
    assert {sku: row["product_id"][0] for sku, row in found.items()} == product_ids(admin, list(found))
    answer = at_once(channel).action_import_listings()  # again: nothing doubles
    assert answer["params"]["type"] == "success", answer
    assert len(listings(admin, channel)) == len(PRODUCTS)


def test_push_prices_changes_the_shop_and_keeps_refusals(admin, shopee, vnd_pricelist):
    sim, channel = shopee
    codes = product_ids(admin, ["TEE-M", "CAP-01"])
    Pricelist = admin.env["product.pricelist"]
    vnd = Pricelist.read([vnd_pricelist], ["currency_id"])[0]["currency_id"][0]
    rules = [
        (0, 0, {"applied_on": "0_product_variant", "product_id": codes["TEE-M"], "compute_price": "fixed",
                "fixed_price": 139000}),
        # Shopee refuses a price of 0.
        (0, 0, {"applied_on": "0_product_variant", "product_id": codes["CAP-01"], "compute_price": "fixed",
                "fixed_price": 0}),
    ]  # fmt: skip
    pricelist = Pricelist.create({"name": "Shopee sale", "currency_id": vnd, "item_ids": rules})
    admin.env["omni.channel"].write([channel.id], {"pricelist_id": pricelist})
    at_once(channel).action_import_listings()
    answer = at_once(channel).action_push_prices()
    assert answer["params"]["type"] == "warning", answer
    assert sim.shop.items["TEE-M"]["price"] == 139000
    assert sim.shop.items["CAP-01"]["price"] == 90000, "the refused price did not reach the shop"
    found = listings(admin, channel)
    assert (found["TEE-M"]["push_state"], found["TEE-M"]["last_pushed_price"]) == ("ok", 139000)
    assert found["CAP-01"]["push_state"] == "failed" and found["CAP-01"]["push_error"]
    assert found["MUG-01"]["push_state"] == "ok"


def test_shipping_in_odoo_tells_the_shop(admin, shopee):
    sim, channel = shopee
    sim.shop.now = int(time.time()) - 3600
    (number,) = sim.shop.generate_orders(1, spread_seconds=60)
    sim.shop.advance(number, "READY_TO_SHIP")
    at_once(channel).action_pull_orders()
    SaleOrder = admin.env["sale.order"]
    (order_id,) = SaleOrder.search([("omni_channel_id", "=", channel.id), ("omni_external_ref", "=", number)])
    (picking_id,) = admin.env["stock.picking"].search(
        [("sale_id", "=", order_id), ("picking_type_code", "=", "outgoing")]
    )
    moves = admin.env["stock.move"].search_read([("picking_id", "=", picking_id)], ["product_uom_qty"])
    for move in moves:
        admin.env["stock.move"].write([move["id"]], {"quantity": move["product_uom_qty"], "picked": True})
    admin.env["stock.picking"].write([picking_id], {"carrier_tracking_ref": "SPXVN0042424242"})
    admin.env["stock.picking"].browse(picking_id).button_validate()

    # The queue job runner of the server sends the shipment.
    job = wait_for_job(admin, f"omni_ship_{order_id}")
    assert job["state"] == "done", job
    (order,) = SaleOrder.read([order_id], ["omni_ship_state", "omni_tracking_sent", "omni_status"])
    assert (order["omni_ship_state"], order["omni_tracking_sent"]) == ("sent", "SPXVN0042424242"), order
    assert order["omni_status"] == "shipped"
    shop_order = sim.shop.orders[number]
    assert (shop_order["status"], shop_order["tracking_number"]) == ("PROCESSED", "SPXVN0042424242")

    # Sending again does not ship twice (the shop would refuse a second shipment).
    answer = SaleOrder.browse(order_id).action_omni_ship_again()
    assert answer["params"]["type"] == "info" and "already sent" in answer["params"]["message"], answer


def wait_for_job(admin, identity_key, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        jobs = admin.env["queue.job"].search_read(
            [("identity_key", "=", identity_key)], ["state", "result", "exc_info"]
        )
        if jobs and jobs[0]["state"] in ("done", "failed"):
            return jobs[0]
        time.sleep(0.5)
    pytest.fail(
        f"No queue job {identity_key} ran within {timeout}s: the server runs jobs only with queue_job "
        "in server_wide_modules and a [queue_job] channels setting."
    )


def product_ids(admin, skus):
    products = admin.env["product.product"].search_read([("default_code", "in", skus)], ["default_code"])
    return {product["default_code"]: product["id"] for product in products}
