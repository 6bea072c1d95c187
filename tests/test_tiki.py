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
