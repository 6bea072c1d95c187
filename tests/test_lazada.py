"""Lazada in the simulator: Lazada's own Python SDK talks to it (the proof it speaks the protocol),
and our adapter pulls every page of every window, one line per SKU after mapping."""

import time

import pytest
import requests
from connectors.errors import ChannelError
from connectors.lazada.adapter import LazadaAdapter
from connectors.lazada.mapper import map_order
from lazop_sdk.base import LazopClient, LazopRequest

DAY = 24 * 3600


def test_official_sdk_creates_a_token_and_lists_orders(simulator):
    simulator.lazada.shop.generate_orders(7)
    rest = f"{simulator.url}/lazada/rest"
    client = LazopClient(rest, simulator.lazada.app_key, simulator.lazada.app_secret)
    create = LazopRequest("/auth/token/create")
    create.add_api_param(
        "code", requests.get(f"{simulator.url}/_sandbox/lazada/authorize", timeout=10).json()["code"]
    )
    token = client.execute(create)
    assert token.code == "0", token.body
    orders = LazopRequest("/orders/get", "GET")
    orders.add_api_param("created_after", "2000-01-01T00:00:00+07:00")
    orders.add_api_param("limit", "100")
    answer = client.execute(orders, token.body["access_token"])
    assert answer.code == "0" and answer.body["data"]["countTotal"] == "7"
    bad = LazopClient(rest, simulator.lazada.app_key, "not-the-secret").execute(
        orders, token.body["access_token"]
    )
    assert bad.code == "IncompleteSignature"


def adapter_for(simulator):
    api = simulator.lazada
    tokens = api.token_create({"code": api.authorize()})
    saved = []
    adapter = LazadaAdapter(
        f"{simulator.url}/lazada/rest", api.app_key, api.app_secret, None, tokens, saved.append
    )
    adapter.saved = saved
    return adapter


def test_adapter_pulls_every_page_and_groups_units(simulator):
    start = simulator.lazada.shop.now
    for _day in range(30):
        simulator.lazada.shop.generate_orders(8, spread_seconds=DAY)
    adapter = adapter_for(simulator)
    pulled = adapter.orders_with_items(start, simulator.lazada.shop.now, field="create_time")
    assert len(pulled) == 240
    order, items = pulled[0]
    mapped = map_order(order, items)
    quantities = {line["sku"]: line["quantity"] for line in mapped["lines"]}
    assert sum(quantities.values()) == len(items), "one item per unit, one line per SKU"


def test_expired_token_is_refreshed_and_rate_limit_defers(simulator):
    simulator.lazada.shop.generate_orders(3)
    adapter = adapter_for(simulator)
    simulator.lazada.expire_tokens()
    assert len(adapter.order_numbers(0, simulator.lazada.shop.now, field="create_time")) == 3
    assert len(adapter.saved) == 1
    simulator.lazada.set_limit("shop", 1)
    with pytest.raises(ChannelError) as refusal:
        for _ in range(4):
            adapter.order_numbers(0, simulator.lazada.shop.now, field="create_time")
    assert refusal.value.retryable


def test_odoo_channel_pulls_lazada_orders(pull_new_channel, simulator):
    """The same pull as Shopee's, from a Lazada channel configured by a manager."""
    simulator.lazada.shop.now = int(time.time()) - 600
    numbers = simulator.lazada.shop.generate_orders(4, spread_seconds=300)
    api = simulator.lazada
    tokens = api.token_create({"code": api.authorize()})
    imported = pull_new_channel(
        "lazada",
        api_base_url=f"{simulator.url}/lazada/rest",
        api_key=api.app_key,
        api_secret=api.app_secret,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
    )
    assert imported == {simulator.lazada.ref(number) for number in numbers}


def promotion_entry(listing, promotion_price):
    """A campaign's entry for one listing, as the campaign sends it."""
    keys = {key: listing[key] for key in ("sku", "item_id", "model_id", "price")}
    return {**keys, "promotion_price": promotion_price}


def test_promotion_is_a_special_price_in_its_window_edited_and_ended(simulator):
    adapter = adapter_for(simulator)
    assert {"push_promotion", "end_promotion"} <= adapter.CAPABILITIES and adapter.PROMOTION_WINDOW
    listings = {entry["sku"]: entry for entry in adapter.fetch_listings()}
    assert listings["CAP-01"]["sale_price"] == listings["CAP-01"]["price"] == 90000
    now = int(time.time())
    promotion = {"name": "11.11", "ref": "", "start": now - 60, "end": now + 3600,
                 "entries": [promotion_entry(listings["CAP-01"], 75000.0),
                             promotion_entry(listings["MUG-01"], 70000.0)]}  # fmt: skip
    answer = adapter.push_promotion(promotion)
    assert answer["start"] == now - 60 and answer["ref"]
    assert [(result["sku"], result["ok"]) for result in answer["results"]] == [
        ("CAP-01", True),
        ("MUG-01", False),
    ]
    assert answer["results"][1]["error"] == "SalePrice must be lower than Price"
    sale = {entry["sku"]: entry["sale_price"] for entry in adapter.fetch_listings()}
    assert (sale["CAP-01"], sale["MUG-01"]) == (75000, 60000)
    # Orders created in the window are at the special price.
    simulator.lazada.shop.now = now
    simulator.lazada.shop.generate_orders(12)
    items = [
        item
        for _order, found in adapter.orders_with_items(now - 1, now + 600, "create_time")
        for item in found
    ]
    assert {item["paid_price"] for item in items if item["sku"] == "CAP-01"} == {"75000.00"}
    # Edited: the cap leaves the promotion (its special price ends), the T-shirt joins it.
    edited = {**promotion, "ref": answer["ref"], "entries": [promotion_entry(listings["TEE-M"], 120000.0)]}
    assert [result["ok"] for result in adapter.push_promotion(edited)["results"]] == [True]
    sale = {entry["sku"]: entry["sale_price"] for entry in adapter.fetch_listings()}
    assert (sale["CAP-01"], sale["TEE-M"]) == (90000, 120000)
    # Ended now, twice: the second changes nothing and is no error.
    for _time in range(2):
        assert [result["ok"] for result in adapter.end_promotion({**edited, "ref": answer["ref"]})] == [True]
        assert {entry["sku"]: entry["sale_price"] for entry in adapter.fetch_listings()}["TEE-M"] == 150000


def test_promotion_not_started_leaves_the_price(simulator):
    adapter = adapter_for(simulator)
    listing = {entry["sku"]: entry for entry in adapter.fetch_listings()}["BAG-01"]
    now = int(time.time())
    promotion = {"name": "12.12", "ref": "", "start": now + 3600, "end": now + 7200,
                 "entries": [promotion_entry(listing, 99000.0)]}  # fmt: skip
    assert adapter.push_promotion(promotion)["results"][0]["ok"]
    listed = {entry["sku"]: entry for entry in adapter.fetch_listings()}["BAG-01"]
    assert (listed["price"], listed["sale_price"]) == (120000, 120000)
    assert adapter.end_promotion(promotion)[0]["ok"]
