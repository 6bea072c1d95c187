"""Tiki in the simulator: client-credentials tokens, every page of the order list, local times; an
Odoo channel pulls its orders."""

import time

import pytest
from connectors.errors import ChannelError
from connectors.tiki.adapter import TikiAdapter
from connectors.tiki.mapper import map_order


def adapter_for(simulator, secret=None):
    api, saved = simulator.tiki, []
    adapter = TikiAdapter(
        f"{simulator.url}/tiki", api.app_id, secret or api.app_secret, None, {}, saved.append
    )
    adapter.saved = saved
    return adapter


def test_pull_every_page_and_map(simulator):
    simulator.tiki.shop.now = int(time.time()) - 7200
    numbers = simulator.tiki.shop.generate_orders(250, spread_seconds=3600)
    adapter = adapter_for(simulator)
    pulled = adapter.fetch_orders(simulator.tiki.shop.now - 4000, simulator.tiki.shop.now + 10)
    assert sorted(order["code"] for (order,) in pulled) == sorted(simulator.tiki.ref(n) for n in numbers)
    assert len(adapter.saved) == 1, "one token for the whole pull"
    mapped = map_order(pulled[0][0])
    assert mapped["external_id"] == pulled[0][0]["code"] and mapped["lines"]


def test_expired_token_is_replaced_and_wrong_secret_refused(simulator):
    simulator.tiki.shop.generate_orders(2)
    adapter = adapter_for(simulator)
    adapter.fetch_orders(0, simulator.tiki.shop.now)
    simulator.tiki.expire_tokens()
    assert len(adapter.fetch_orders(0, simulator.tiki.shop.now)) == 2
    assert len(adapter.saved) == 2
    with pytest.raises(ChannelError) as refusal:
        adapter_for(simulator, secret="wrong").fetch_orders(0, simulator.tiki.shop.now)
    assert not refusal.value.retryable


def test_odoo_channel_pulls_tiki_orders(pull_new_channel, simulator):
    simulator.tiki.shop.now = int(time.time()) - 600
    numbers = simulator.tiki.shop.generate_orders(3, spread_seconds=300)
    api = simulator.tiki
    imported = pull_new_channel(
        "tiki", api_base_url=f"{simulator.url}/tiki", api_key=api.app_id, api_secret=api.app_secret
    )
    assert imported == {api.ref(number) for number in numbers}


def promotion_entry(listing, promotion_price):
    """A campaign's entry for one listing, as the campaign sends it."""
    keys = {key: listing[key] for key in ("sku", "item_id", "model_id", "price")}
    return {**keys, "promotion_price": promotion_price}


def test_promotion_is_the_price_now_and_the_end_sets_it_back(simulator):
    adapter = adapter_for(simulator)
    assert {"push_promotion", "end_promotion"} <= adapter.CAPABILITIES and not adapter.PROMOTION_WINDOW
    listings = {listing["sku"]: listing for listing in adapter.fetch_listings()}
    assert listings["TEE-M"]["sale_price"] == listings["TEE-M"]["price"] == 150000
    entries = [promotion_entry(listings["TEE-M"], 119000.0), promotion_entry(listings["CAP-01"], 8000.0)]
    promotion = {"name": "11.11", "ref": "", "start": 1_700_000_000, "end": 1_700_086_400, "entries": entries}
    answer = adapter.push_promotion(promotion)
    assert [(result["sku"], result["ok"]) for result in answer["results"]] == [
        ("TEE-M", True),
        ("CAP-01", False),
    ]
    assert "less than ten percent listing price" in answer["results"][1]["error"]
    sale = {listing["sku"]: listing["sale_price"] for listing in adapter.fetch_listings()}
    assert (sale["TEE-M"], sale["CAP-01"]) == (119000, 90000)
    # Orders placed meanwhile are at the promotion price.
    simulator.tiki.shop.now = int(time.time()) - 600
    simulator.tiki.shop.generate_orders(12, spread_seconds=60)
    orders = adapter.fetch_orders(simulator.tiki.shop.now - 700, simulator.tiki.shop.now + 10)
    prices = {
        line["unit_price"]
        for (order,) in orders
        for line in map_order(order)["lines"]
        if line["sku"] == "TEE-M"
    }
    assert prices == {119000}
    # Edited: the T-shirt leaves (its price back), the mug joins; then ended, twice.
    edited = {**promotion, "ref": answer["ref"], "entries": [promotion_entry(listings["MUG-01"], 50000.0)]}
    assert [result["ok"] for result in adapter.push_promotion(edited)["results"]] == [True]
    sale = {listing["sku"]: listing["sale_price"] for listing in adapter.fetch_listings()}
    assert (sale["TEE-M"], sale["MUG-01"]) == (150000, 50000)
    for _time in range(2):
        assert [result["ok"] for result in adapter.end_promotion({**edited, "ref": answer["ref"]})] == [True]
        assert {listing["sku"]: listing["sale_price"] for listing in adapter.fetch_listings()}[
            "MUG-01"
        ] == 60000
