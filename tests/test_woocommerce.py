"""WooCommerce in the simulator: the official ``WooCommerce`` Python client talks to it over plain
HTTP (OAuth 1.0a signatures checked as WooCommerce checks them), and our adapter pulls every page,
imports products and variations, pushes stock and prices in batches with an answer per SKU, waits out
the host's rate limit and completes an order with its tracking number; an Odoo channel pulls its
orders."""

import json
import time
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from conftest import at_once
from connectors.errors import ChannelError
from connectors.registry import verify
from connectors.woocommerce.adapter import WooCommerceAdapter
from connectors.woocommerce.mapper import map_order
from woocommerce import API
from woocommerce.oauth import OAuth

from sandbox.platform import numeric_id


def client_for(simulator, secret=None):
    api = simulator.woocommerce
    url = f"{simulator.url}/woocommerce"
    return API(
        url=url, consumer_key=api.consumer_key, consumer_secret=secret or api.consumer_secret, timeout=10
    )


def adapter_for(simulator, **options):
    api = simulator.woocommerce
    return WooCommerceAdapter(
        f"{simulator.url}/woocommerce", api.consumer_key, api.consumer_secret, None, {}, None, **options
    )


def test_official_client_lists_orders_and_updates_a_product(simulator):
    simulator.woocommerce.shop.generate_orders(7)
    wcapi = client_for(simulator)
    first = wcapi.get("orders", params={"per_page": 5})
    assert first.status_code == 200, first.text
    assert (first.headers["X-WP-Total"], first.headers["X-WP-TotalPages"], len(first.json())) == ("7", "2", 5)
    assert len(wcapi.get("orders", params={"per_page": 5, "page": 2}).json()) == 2
    updated = wcapi.put("products/1002", {"regular_price": "95000", "stock_quantity": 4})
    assert updated.status_code == 200 and updated.json()["regular_price"] == "95000"
    assert (
        simulator.woocommerce.shop.items["CAP-01"]["price"],
        simulator.woocommerce.shop.available("CAP-01"),
    ) == (95000, 4)
    refused = client_for(simulator, secret="cs_not_the_secret").get("orders")
    assert refused.status_code == 401
    assert refused.json() == {
        "code": "woocommerce_rest_authentication_error",
        "message": "Invalid signature - provided signature does not match.",
        "data": {"status": 401},
    }


def test_stale_and_replayed_signatures_are_refused_and_basic_auth_needs_https(simulator):
    api, url = simulator.woocommerce, f"{simulator.url}/woocommerce/wp-json/wc/v3/orders"

    def signed(timestamp):
        return OAuth(url, api.consumer_key, api.consumer_secret, version="wc/v3", method="GET",
                     oauth_timestamp=timestamp).get_oauth_url()  # fmt: skip

    once = signed(int(time.time()))
    assert requests.get(once, timeout=10).status_code == 200
    replayed = requests.get(once, timeout=10).json()
    assert replayed["message"] == "Invalid nonce - nonce has already been used."
    stale = requests.get(signed(int(time.time()) - 3600), timeout=10)
    assert (stale.status_code, stale.json()["message"]) == (401, "Invalid timestamp.")
    signature = dict(parse_qsl(urlsplit(signed(int(time.time()))).query))["oauth_signature"]
    assert requests.get(url, params={"oauth_signature": signature}, timeout=10).json()["code"] == (
        "woocommerce_rest_authentication_missing_parameter"
    )
    credentials = (api.consumer_key, api.consumer_secret)
    plain = requests.get(url, auth=credentials, timeout=10)
    assert (plain.status_code, plain.json()["code"]) == (401, "woocommerce_rest_cannot_view")
    behind_tls = {"X-Forwarded-Proto": "https"}
    assert requests.get(url, auth=credentials, headers=behind_tls, timeout=10).status_code == 200
    wrong = requests.get(url, auth=(api.consumer_key, "nope"), headers=behind_tls, timeout=10)
    assert wrong.json()["message"] == "Consumer secret is invalid."


def test_adapter_pulls_every_page_even_while_orders_change(simulator):
    start = simulator.woocommerce.shop.now
    numbers = simulator.woocommerce.shop.generate_orders(250, spread_seconds=5 * 24 * 3600)
    until = simulator.woocommerce.shop.now
    adapter = adapter_for(simulator)
    pulled = adapter.fetch_orders(start, until)
    assert sorted(order["id"] for order, _ in pulled) == sorted(numeric_id(number) for number in numbers)
    mapped = map_order(pulled[0][0])
    assert mapped["external_id"] == str(pulled[0][0]["id"]) and mapped["lines"]

    # The first order of page 1 changes after page 1 is read: it leaves the window, and the rest of
    # the window moves up a place; a single walk would miss the first order of page 2. (The changed
    # order itself comes as it was when read; the next pull brings its change.)
    first = min(numbers, key=lambda number: simulator.woocommerce.shop.orders[number]["update_time"])

    def change_once(response, *args, **kwargs):
        if (
            "page=1&" in response.url + "&"
            and simulator.woocommerce.shop.orders[first]["update_time"] <= until
        ):
            simulator.woocommerce.shop.advance(first, "CANCELLED", seconds=3600)

    adapter.session.hooks["response"].append(change_once)
    pulled = adapter.fetch_orders(start, until)
    assert sorted(order["id"] for order, _ in pulled) == sorted(numeric_id(number) for number in numbers)


def test_host_rate_limit_is_waited_out_then_deferred(simulator):
    now, waits = [time.time()], []
    simulator.woocommerce.clock = lambda: now[0]
    simulator.woocommerce.set_limit("shop", 1)

    def sleep(seconds):
        waits.append(seconds)
        now[0] += seconds

    adapter = adapter_for(simulator, sleep=sleep)
    assert len(adapter.fetch_listings()) == len(simulator.woocommerce.shop.items), (
        "two calls, the second waited"
    )
    assert waits == [1.0]
    with pytest.raises(ChannelError) as refusal:
        adapter_for(simulator, sleep=waits.append).fetch_listings()
    assert refusal.value.retryable and len(waits) == 1 + WooCommerceAdapter.RATE_LIMIT_WAITS


def test_listings_stock_and_prices_in_batches(simulator):
    adapter, calls = adapter_for(simulator), []
    adapter.session.hooks["response"].append(lambda response, *args, **kwargs: calls.append(response.url))
    listings = {listing["sku"]: listing for listing in adapter.fetch_listings()}
    assert set(listings) == set(simulator.woocommerce.shop.items)
    tee, cap = listings["TEE-M"], listings["CAP-01"]
    assert (tee["item_id"], tee["model_id"], tee["name"]) == ("1000", "2000", "Áo thun cotton - M")
    assert (cap["model_id"], cap["barcode"]) == ("", simulator.woocommerce.shop.items["CAP-01"]["barcode"])
    stale = {"sku": "OLD-1", "item_id": "4242", "model_id": ""}
    unknown = {"sku": "NOPE-1", "item_id": "", "model_id": ""}
    entries = [
        {**tee, "quantity": 9},
        {**cap, "quantity": 4},
        {**stale, "quantity": 1},
        {**unknown, "quantity": 1},
    ]
    results = adapter.push_stock(entries)
    assert [(result["sku"], result["ok"]) for result in results] == [
        ("TEE-M", True), ("CAP-01", True), ("OLD-1", False), ("NOPE-1", False)
    ]  # fmt: skip
    assert results[2]["error"].startswith("woocommerce_rest_product_invalid_id")
    assert results[3]["error"] == "unknown SKU"
    assert (
        simulator.woocommerce.shop.available("TEE-M"),
        simulator.woocommerce.shop.available("CAP-01"),
    ) == (9, 4)

    calls.clear()
    many = [{**cap, "quantity": quantity} for quantity in range(150)]
    assert all(result["ok"] for result in adapter.push_stock(many))
    assert len(calls) == 2 and simulator.woocommerce.shop.available("CAP-01") == 149, "100 items a call"
    prices = adapter.push_prices([{**listings["TEE-L"], "price": 125000}, {**stale, "price": 1}])
    assert [result["ok"] for result in prices] == [True, False]
    assert simulator.woocommerce.shop.items["TEE-L"]["price"] == 125000
    too_many = client_for(simulator).post("products/batch", {"update": [{"id": 1002}] * 101})
    assert (too_many.status_code, too_many.json()["code"]) == (
        413,
        "woocommerce_rest_request_entity_too_large",
    )


def test_ship_order_completes_with_a_tracking_note(simulator):
    (number,) = simulator.woocommerce.shop.generate_orders(1)
    simulator.woocommerce.shop.advance(number, "READY_TO_SHIP")
    adapter, ref = adapter_for(simulator), str(numeric_id(number))
    for _twice in range(2):
        assert adapter.ship_order(ref, "GHN123456", "GHN") == {"tracking_number": "GHN123456"}
    assert simulator.woocommerce.shop.orders[number]["status"] == "COMPLETED"
    notes = client_for(simulator).get(f"orders/{ref}/notes").json()
    assert [(note["note"], note["customer_note"]) for note in notes] == [("GHN: GHN123456", True)]


def test_webhook_carries_the_order_signed(simulator):
    (number,) = simulator.woocommerce.shop.generate_orders(1)
    headers, body = simulator.woocommerce.webhook(number, "order.created")
    assert (headers["X-WC-Webhook-Topic"], headers["X-WC-Webhook-Event"]) == ("order.created", "created")
    assert verify("woocommerce", {"secret": simulator.woocommerce.consumer_secret}, body, headers)
    assert not verify("woocommerce", {"secret": "cs_other"}, body, headers)
    (entry,) = adapter_for(simulator).webhook_orders(json.loads(body))
    assert map_order(*entry)["external_id"] == str(numeric_id(number))
    assert adapter_for(simulator).webhook_orders({"id": 727}) == [], "order.deleted names no lines"


def test_odoo_channel_pulls_woocommerce_orders(pull_new_channel, simulator):
    simulator.woocommerce.shop.now = int(time.time()) - 600
    numbers = simulator.woocommerce.shop.generate_orders(3, spread_seconds=300)
    api = simulator.woocommerce
    imported = pull_new_channel(
        "woocommerce", api_base_url=f"{simulator.url}/woocommerce", api_key=api.consumer_key,
        api_secret=api.consumer_secret,
    )  # fmt: skip
    assert imported == {str(numeric_id(number)) for number in numbers}


def test_odoo_store_channel_without_address_says_so(admin, vnd_pricelist):
    channel_id = admin.env["omni.channel"].create(
        {"name": "Woo without URL", "code": f"woo-{time.time_ns()}", "channel_type": "woocommerce",
         "pricelist_id": vnd_pricelist, "api_key": "ck_x", "api_secret": "cs_x"}
    )  # fmt: skip
    answer = at_once(admin.env["omni.channel"].browse(channel_id)).action_pull_orders()
    assert answer["params"]["type"] == "danger"
    assert "API Base URL" in answer["params"]["message"]


def promotion_entry(listing, promotion_price):
    """A campaign's entry for one listing, as the campaign sends it."""
    keys = {key: listing[key] for key in ("sku", "item_id", "model_id", "price")}
    return {**keys, "promotion_price": promotion_price}


def test_promotion_is_a_sale_price_started_edited_and_ended_now(simulator):
    now = [1_794_366_000.0]  # 2026-11-11 10:00 in Vietnam
    simulator.woocommerce.clock = lambda: now[0]
    adapter = adapter_for(simulator, clock=lambda: now[0])
    assert {"push_promotion", "end_promotion"} <= adapter.CAPABILITIES and not adapter.PROMOTION_WINDOW
    listings = {entry["sku"]: entry for entry in adapter.fetch_listings()}
    assert listings["TEE-L"]["sale_price"] == listings["TEE-L"]["price"] == 150000
    stale = {**listings["CAP-01"], "sku": "OLD-1", "item_id": "999999", "model_id": ""}
    start = int(now[0]) + 5  # the job came a little early: the sale starts with the push all the same
    entries = [promotion_entry(listings["TEE-L"], 99000.0), promotion_entry(listings["CAP-01"], 70000.0),
               promotion_entry(stale, 1000.0)]  # fmt: skip
    promotion = {"name": "11.11", "ref": "", "start": start, "end": start + 3600, "entries": entries}
    answer = adapter.push_promotion(promotion)
    assert [(result["sku"], result["ok"]) for result in answer["results"]] == [
        ("TEE-L", True), ("CAP-01", True), ("OLD-1", False),
    ]  # fmt: skip
    assert answer["results"][2]["error"].startswith("woocommerce_rest_product_invalid_id")
    sale = {entry["sku"]: entry["sale_price"] for entry in adapter.fetch_listings()}
    assert (sale["TEE-L"], sale["CAP-01"], sale["TEE-M"]) == (99000, 70000, 150000)
    # Orders placed now are at the sale price.
    shop = simulator.woocommerce.shop
    shop.now = int(now[0])
    shop.generate_orders(12, spread_seconds=60)
    orders = adapter.fetch_orders(now[0] - 1, now[0] + 120)
    paid = {
        line["price"] for order, *_rest in orders for line in order["line_items"] if line["sku"] == "TEE-L"
    }
    assert paid == {99000}
    # Edited: the cap leaves the promotion and is back at its regular price at once.
    edited = {**promotion, "ref": answer["ref"], "entries": promotion["entries"][:1]}
    assert [result["ok"] for result in adapter.push_promotion(edited)["results"]] == [True]
    sale = {entry["sku"]: entry["sale_price"] for entry in adapter.fetch_listings()}
    assert (sale["TEE-L"], sale["CAP-01"]) == (99000, 90000)
    # Ended at the end time (twice: the second is no error).
    now[0] = start + 3600
    for _time in range(2):
        assert [result["ok"] for result in adapter.end_promotion({**edited, "ref": answer["ref"]})] == [True]
        assert {entry["sku"]: entry["sale_price"] for entry in adapter.fetch_listings()}["TEE-L"] == 150000
