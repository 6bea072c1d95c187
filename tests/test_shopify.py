"""Shopify in the simulator: Shopify's own Python client talks to it (the proof it speaks the Admin
REST API, whose leaky bucket answers 429), and our adapter, over the GraphQL Admin API, pulls every
page, imports listings, pushes stock and prices SKU by SKU, waits out the query cost throttle,
fulfils with a tracking number, reads refunds and reads the order a webhook names; an Odoo channel
pulls its orders."""

import json
import time
import uuid

import pytest
import requests
import shopify
from conftest import assert_return_refunded, at_once
from connectors.errors import ChannelError
from connectors.registry import verify
from connectors.shopify.adapter import WEBHOOK_TOPICS, ShopifyAdapter
from connectors.shopify.mapper import map_order
from pyactiveresource.connection import UnauthorizedAccess
from test_channel_actions_rpc import wait_for_job
from test_webhook_storm import connection, processed_notifications

from sandbox.platform import numeric_id

DAY = 24 * 3600


@pytest.fixture
def shopify_client(simulator):
    """The ShopifyAPI package's resources, pointed at the simulated store with its app's token."""
    shopify.ShopifyResource.site = f"{simulator.url}/shopify/admin/api/2024-07"
    shopify.ShopifyResource.version = "2024-07"
    shopify.ShopifyResource.headers["X-Shopify-Access-Token"] = simulator.shopify.access_token
    yield shopify
    shopify.ShopifyResource.clear_session()


def frozen_clock(simulator):
    """The simulated store's clock, standing still until the adapter sleeps: ``(sleep, waits)``."""
    now, waits = [1_000_000.0], []
    simulator.shopify.clock = lambda: now[0]

    def sleep(seconds):
        waits.append(seconds)
        now[0] += seconds

    return sleep, waits


def adapter_for(simulator, **options):
    token = {"access_token": simulator.shopify.access_token}
    return ShopifyAdapter(f"{simulator.url}/shopify", None, None, None, token, None, **options)


def test_official_client_pages_orders_and_updates_a_variant(simulator, shopify_client):
    numbers = simulator.shopify.shop.generate_orders(7)
    page, seen = shopify.Order.find(status="any", limit=3), []
    while True:
        seen += [order.id for order in page]
        if not page.has_next_page():
            break
        page = page.next_page()
    assert sorted(seen) == sorted(numeric_id(number) for number in numbers)
    variant = shopify.Variant.find(simulator.shopify.shop.items["TEE-M"]["model_id"])
    variant.price = "99000.00"
    assert variant.save()
    assert simulator.shopify.shop.items["TEE-M"]["price"] == 99000
    shopify.ShopifyResource.headers["X-Shopify-Access-Token"] = "shpat_not_the_token"
    with pytest.raises(UnauthorizedAccess):
        shopify.Order.find(status="any")


def test_adapter_pulls_every_page_of_a_long_span(simulator):
    start = simulator.shopify.shop.now
    for _day in range(30):
        simulator.shopify.shop.generate_orders(20, spread_seconds=DAY)
    sleep, waits = frozen_clock(simulator)
    pulled = adapter_for(simulator, sleep=sleep).fetch_orders(start, simulator.shopify.shop.now)
    assert len(pulled) == 600, "120 pages of 5"
    assert waits, "the query cost bucket ran dry and was waited out"
    assert {order["id"] for (order,) in pulled} == {gid(number) for number in simulator.shopify.shop.orders}
    middle = start + 10 * DAY
    window = adapter_for(simulator, sleep=sleep).fetch_orders(middle, middle + DAY)
    expected = {
        numeric_id(order["id"])
        for order in simulator.shopify.shop.orders.values()
        if middle <= order["update_time"] <= middle + DAY
    }
    assert {order["id"] for (order,) in window} == {f"gid://shopify/Order/{number}" for number in expected}
    mapped = map_order(pulled[0][0])
    assert f"gid://shopify/Order/{mapped['external_id']}" == pulled[0][0]["id"] and mapped["lines"]
    assert mapped["customer"]["phone"].startswith("+8490")


def test_an_order_longer_than_a_page_is_read_again_whole(simulator):
    (number,) = simulator.shopify.shop.generate_orders(1)
    skus = sorted(simulator.shopify.shop.items)
    simulator.shopify.shop.orders[number]["lines"] = [(skus[index % len(skus)], 1) for index in range(25)]
    (order,) = [order for (order,) in adapter_for(simulator).fetch_orders(0, simulator.shopify.shop.now)]
    assert len(order["lineItems"]["nodes"]) == 25, "20 in the page, then the order alone"
    assert sum(line["quantity"] for line in map_order(order)["lines"]) == 25


def test_rest_rate_limit_answers_429(simulator):
    now = [1_000_000.0]
    simulator.shopify.clock = lambda: now[0]
    simulator.shopify.bucket_size = 2
    url = f"{simulator.url}/shopify/admin/api/2024-07/shop.json"
    headers = {"X-Shopify-Access-Token": simulator.shopify.access_token}
    assert requests.get(url, headers=headers, timeout=10).headers["X-Shopify-Shop-Api-Call-Limit"] == "1/2"
    requests.get(url, headers=headers, timeout=10)
    refused = requests.get(url, headers=headers, timeout=10)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "2.0"
    assert "Exceeded 2 calls per second" in refused.json()["errors"]


def test_query_cost_throttle_is_waited_out_then_deferred(simulator):
    sleep, waits = frozen_clock(simulator)
    simulator.shopify.graphql.available = 0.0  # the bucket is dry: the shop query costs 1 point
    assert adapter_for(simulator, sleep=sleep).test_connection() == {"shop_name": simulator.shopify.shop_name}
    assert waits == [1 / 100], "one point back at 100 a second"
    simulator.shopify.graphql.available = 0.0
    with pytest.raises(ChannelError) as refusal:  # time stands still: the points never come back
        adapter_for(simulator, sleep=lambda seconds: waits.append(seconds)).test_connection()
    assert refusal.value.retryable
    assert len(waits) == 1 + ShopifyAdapter.RATE_LIMIT_WAITS


def test_listings_stock_and_prices_per_sku(simulator):
    adapter = adapter_for(simulator)
    listings = {listing["sku"]: listing for listing in adapter.fetch_listings()}
    assert set(listings) == set(simulator.shopify.shop.items)
    tee, cap = listings["TEE-L"], listings["CAP-01"]
    assert (tee["item_id"], tee["model_id"]) == (
        "1000",
        str(simulator.shopify.shop.items["TEE-L"]["model_id"]),
    )
    assert cap["model_id"] == "" and cap["barcode"] == simulator.shopify.shop.items["CAP-01"]["barcode"]
    unknown = {"sku": "NOPE-1", "item_id": "", "model_id": ""}
    stock = adapter.push_stock(
        [{**tee, "quantity": 7}, {"sku": "CAP-01", "item_id": "1002", "model_id": "", "quantity": 3},
         {**unknown, "quantity": 1}]
    )  # fmt: skip
    assert stock == [
        {"sku": "TEE-L", "ok": True, "error": ""},
        {"sku": "CAP-01", "ok": True, "error": ""},
        {"sku": "NOPE-1", "ok": False, "error": "unknown SKU"},
    ]
    assert (simulator.shopify.shop.available("TEE-L"), simulator.shopify.shop.available("CAP-01")) == (7, 3)
    prices = adapter.push_prices(
        [{**tee, "price": 123000}, {**listings["MUG-01"], "price": -5}, {**unknown, "price": 1}]
    )
    assert [result["ok"] for result in prices] == [True, False, False]
    assert "price" in prices[1]["error"].lower() and prices[2]["error"] == "unknown SKU"
    assert simulator.shopify.shop.items["TEE-L"]["price"] == 123000


def test_ship_order_fulfils_with_the_tracking_number(simulator):
    (number,) = simulator.shopify.shop.generate_orders(1)
    simulator.shopify.shop.advance(number, "READY_TO_SHIP")
    adapter, ref = adapter_for(simulator), str(numeric_id(number))
    assert adapter.ship_order(ref, "GHN123456", "GHN") == {"tracking_number": "GHN123456"}
    assert simulator.shopify.shop.orders[number]["status"] == "SHIPPED"
    assert adapter.ship_order(ref, "GHN123456", "GHN") == {"tracking_number": "GHN123456"}, "shipped once"
    (order,) = [
        order
        for (order,) in adapter.fetch_orders(0, simulator.shopify.shop.now)
        if order["id"] == gid(number)
    ]
    assert map_order(order)["status"] == "shipped"
    assert map_order(order)["tracking_number"] == "GHN123456"
    fulfillment = simulator.shopify.fulfillments[number][0]
    assert (fulfillment["tracking_company"], fulfillment["tracking_number"]) == ("GHN", "GHN123456")


def test_refunds_are_the_returns_of_the_order(simulator):
    (number,) = simulator.shopify.shop.generate_orders(1)
    simulator.shopify.shop.pay(number)
    simulator.shopify.shop.hand_over(number)
    simulator.shopify.shop.deliver(number)
    sku, quantity = simulator.shopify.shop.orders[number]["lines"][0]
    return_id = simulator.shopify.shop.request_return(number, [(sku, quantity)])
    adapter = adapter_for(simulator)
    (order,) = [
        order
        for (order,) in adapter.fetch_orders(0, simulator.shopify.shop.now)
        if order["id"] == gid(number)
    ]
    assert (order["displayFinancialStatus"], order["refunds"]) == ("PAID", []), "asked, not refunded yet"
    simulator.shopify.shop.refund(return_id)
    (order,) = [
        order
        for (order,) in adapter.fetch_orders(0, simulator.shopify.shop.now)
        if order["id"] == gid(number)
    ]
    mapped = map_order(order)
    (refunded,) = mapped["returns"]
    assert refunded["status"] == "refunded" and refunded["lines"][0]["sku"] == sku
    assert refunded["lines"][0]["quantity"] == quantity
    whole = len(simulator.shopify.shop.orders[number]["lines"]) == 1
    assert mapped["status"] == ("returned" if whole else "completed")


def test_webhook_carries_the_order_signed(simulator):
    (number,) = simulator.shopify.shop.generate_orders(1)
    headers, body = simulator.shopify.webhook(number, "orders/create")
    assert headers["X-Shopify-Topic"] == "orders/create"
    assert verify("shopify", {"secret": simulator.shopify.client_secret}, body, headers)
    assert not verify("shopify", {"secret": "another-app"}, body, headers)
    (entry,) = adapter_for(simulator).webhook_orders(json.loads(body))
    assert map_order(*entry)["external_id"] == str(numeric_id(number))
    assert entry[0]["id"] == gid(number), "the order as the GraphQL API shows it"


def test_webhooks_subscribed_once_each(simulator):
    url = "https://odoo.example.com/omni/webhook/shopify-shop"
    adapter = adapter_for(simulator)
    assert adapter.subscribe_webhooks(url) == list(WEBHOOK_TOPICS)
    assert adapter.subscribe_webhooks(url) == [], "subscribed already"
    subscriptions = simulator.shopify.graphql.subscriptions
    assert sorted((kept["topic"], kept["callbackUrl"]) for kept in subscriptions) == sorted(
        (topic, url) for topic in WEBHOOK_TOPICS
    )
    with pytest.raises(ChannelError) as refusal:
        adapter.subscribe_webhooks("ftp://odoo.example.com/omni/webhook/shopify-shop")
    assert "Address is invalid" in str(refusal.value)


def gid(number):
    return f"gid://shopify/Order/{numeric_id(number)}"


def test_odoo_channel_subscribes_the_stores_webhooks(admin, vnd_pricelist, simulator):
    code = f"shopify-wh-{uuid.uuid4().hex[:6]}"
    channel_id = admin.env["omni.channel"].create(
        {"name": "Shopify webhooks", "code": code, "channel_type": "shopify", "pricelist_id": vnd_pricelist,
         "sync_orders": False, **connection(simulator, "shopify")}
    )  # fmt: skip
    channel = admin.env["omni.channel"].browse(channel_id)
    assert channel.can_subscribe_webhooks
    # The manager does not wait for a call per topic: the server's job runner subscribes them.
    answer = channel.action_subscribe_webhooks()
    assert answer["params"]["type"] == "info" and "queued" in answer["params"]["message"], answer
    job = wait_for_job(admin, f"omni_subscribe_webhooks_job_{channel_id}")
    assert job["state"] == "done" and f"{len(WEBHOOK_TOPICS)} webhooks subscribed" in job["result"], job
    url = f"{admin.env['ir.config_parameter'].get_param('web.base.url')}/omni/webhook/{code}"
    subscribed = {(kept["topic"], kept["callbackUrl"]) for kept in simulator.shopify.graphql.subscriptions}
    assert subscribed == {(topic, url) for topic in WEBHOOK_TOPICS}
    answer = at_once(channel).action_subscribe_webhooks()
    assert answer["params"]["type"] == "info" and "already" in answer["params"]["message"], answer


def test_odoo_channel_pulls_shopify_orders(pull_new_channel, simulator):
    simulator.shopify.shop.now = int(time.time()) - 600
    numbers = simulator.shopify.shop.generate_orders(3, spread_seconds=300)
    imported = pull_new_channel(
        "shopify", api_base_url=f"{simulator.url}/shopify", access_token=simulator.shopify.access_token
    )
    assert imported == {str(numeric_id(number)) for number in numbers}


def test_odoo_follows_a_shopify_order_shipped_then_refunded_and_another_cancelled(
    admin, server, vnd_pricelist, simulator
):
    """Over GraphQL: the webhook's order read, the delivery shipped as a fulfilment, the refund read
    as a return (its return picking and its posted credit note), a cancellation; each push twice."""
    simulator.shopify.shop.now = int(time.time()) - 600
    code = f"shopify-lc-{uuid.uuid4().hex[:6]}"
    channel_id = admin.env["omni.channel"].create(
        {"name": "Shopify lifecycle", "code": code, "channel_type": "shopify", "pricelist_id": vnd_pricelist,
         "sync_orders": False, **connection(simulator, "shopify")}
    )  # fmt: skip
    url = f"{server['url']}/omni/webhook/{code}"
    requests.post(
        f"{simulator.url}/_sandbox/shopify/webhook", json={"url": url}, timeout=10
    ).raise_for_status()

    def push(number):
        answer = requests.post(
            f"{simulator.url}/_sandbox/shopify/push", json={"order_id": number, "times": 2}, timeout=60
        ).json()
        assert answer["statuses"] == [200, 200], answer
        rows = processed_notifications(admin, channel_id)
        assert not [row for row in rows if row["state"] != "done"], rows
        domain = [("omni_channel_id", "=", channel_id), ("omni_external_ref", "=", str(numeric_id(number)))]
        (order,) = admin.env["sale.order"].search_read(
            domain, ["state", "omni_status", "picking_ids", "invoice_ids"]
        )
        return order

    number, cancelled = simulator.shopify.shop.generate_orders(2, spread_seconds=1)
    for each in (number, cancelled):
        simulator.shopify.shop.orders[each].update(cod=True, status="READY_TO_SHIP")
    order = push(number)
    assert (order["state"], order["omni_status"]) == ("sale", "ready_to_ship")
    (delivery_id,) = order["picking_ids"]
    moves = admin.env["stock.picking"].read([delivery_id], ["move_ids"])[0]["move_ids"]
    admin.env["stock.move"].write(moves, {"picked": True})
    asked = admin.env["stock.picking"].browse(delivery_id).button_validate()
    if isinstance(asked, dict) and asked.get("res_model") == "confirm.stock.sms":  # the buyer has a phone
        admin.env["confirm.stock.sms"].browse(asked["res_id"]).dont_send_sms()  # asked once per company
        admin.env["stock.picking"].browse(delivery_id).button_validate()
    deadline = time.time() + 60  # the shipment job fulfils the order on Shopify
    while simulator.shopify.shop.orders[number]["status"] != "SHIPPED" and time.time() < deadline:
        time.sleep(0.5)
    assert simulator.shopify.fulfillments[number], "fulfilled through fulfillmentCreate"
    simulator.shopify.shop.deliver(number)
    sku, _quantity = simulator.shopify.shop.orders[number]["lines"][0]
    return_id = simulator.shopify.shop.request_return(number, [(sku, 1)])
    simulator.shopify.shop.refund(return_id)
    order = push(number)
    assert_return_refunded(admin, order, return_id)
    push(cancelled)
    simulator.shopify.shop.cancel(cancelled)
    assert push(cancelled)["state"] == "cancel"


def promotion_entry(listing, promotion_price):
    """A campaign's entry for one listing, as the campaign sends it."""
    keys = {key: listing[key] for key in ("sku", "item_id", "model_id", "price")}
    return {**keys, "promotion_price": promotion_price}


def test_promotion_is_the_price_with_the_regular_one_to_compare_at(simulator, shopify_client):
    adapter = adapter_for(simulator)
    assert {"push_promotion", "end_promotion"} <= adapter.CAPABILITIES and not adapter.PROMOTION_WINDOW
    listings = {listing["sku"]: listing for listing in adapter.fetch_listings()}
    assert listings["TEE-L"]["sale_price"] == listings["TEE-L"]["price"] == 150000
    unknown = {"sku": "NOPE-1", "item_id": "", "model_id": "", "price": 1000.0}
    entries = [promotion_entry(listings["TEE-L"], 99000.0), promotion_entry(listings["MUG-01"], -5.0),
               promotion_entry(unknown, 900.0)]  # fmt: skip
    promotion = {"name": "11.11", "ref": "", "start": 1_700_000_000, "end": 1_700_086_400, "entries": entries}
    answer = adapter.push_promotion(promotion)
    assert [(result["sku"], result["ok"]) for result in answer["results"]] == [
        ("TEE-L", True), ("MUG-01", False), ("NOPE-1", False),
    ]  # fmt: skip
    assert answer["results"][1]["error"] == "Price must be greater than or equal to 0"
    tee = {listing["sku"]: listing for listing in adapter.fetch_listings()}["TEE-L"]
    assert (tee["price"], tee["sale_price"]) == (150000, 99000)
    variant = shopify_client.Variant.find(simulator.shopify.shop.items["TEE-L"]["model_id"])
    assert (variant.price, variant.compare_at_price) == ("99000.00", "150000.00")
    # Orders placed meanwhile are at the promotion price.
    simulator.shopify.shop.generate_orders(12)
    prices = {line["unit_price"] for (order,) in adapter.fetch_orders(0, simulator.shopify.shop.now)
              for line in map_order(order)["lines"] if line["sku"] == "TEE-L"}  # fmt: skip
    assert prices == {99000}
    # Edited: the T-shirt leaves (back at its price, nothing to compare at), the cap joins.
    edited = {**promotion, "ref": answer["ref"], "entries": [promotion_entry(listings["CAP-01"], 80000.0)]}
    assert [result["ok"] for result in adapter.push_promotion(edited)["results"]] == [True]
    items = simulator.shopify.shop.items
    assert (items["TEE-L"]["price"], items["TEE-L"]["compare_at_price"], items["CAP-01"]["price"]) == (
        150000, None, 80000,
    )  # fmt: skip
    for _time in range(2):  # ended twice: the second changes nothing and is no error
        assert [result["ok"] for result in adapter.end_promotion({**edited, "ref": answer["ref"]})] == [True]
        cap = {listing["sku"]: listing for listing in adapter.fetch_listings()}["CAP-01"]
        assert (cap["price"], cap["sale_price"], items["CAP-01"]["compare_at_price"]) == (90000, 90000, None)
