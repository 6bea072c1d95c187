"""TikTok Shop in the simulator: our adapter pulls every page, units become lines, tokens rotate,
forged calls are refused; an Odoo channel pulls its orders."""

import time

import pytest
from connectors.errors import ChannelError
from connectors.tiktok.adapter import TiktokAdapter
from connectors.tiktok.mapper import map_order


def tokens_of(api):
    return api._token("/api/v2/token/get", {"app_key": api.app_key, "app_secret": api.app_secret,
                                             "auth_code": api.authorize()})  # fmt: skip


def adapter_for(sim):
    api, saved = sim.tiktok, []
    tokens = tokens_of(api)
    adapter = TiktokAdapter(
        f"{sim.url}/tiktok", api.app_key, api.app_secret, api.cipher, tokens, saved.append
    )
    adapter.saved = saved
    return adapter


def test_pull_pages_and_units(simulator):
    simulator.tiktok.shop.generate_orders(230, spread_seconds=86400)
    pulled = adapter_for(simulator).fetch_orders(0, simulator.tiktok.shop.now)
    assert len(pulled) == 230
    order, *_returns = pulled[0]
    mapped = map_order(order)
    assert sum(line["quantity"] for line in mapped["lines"]) == len(order["line_items"])


def test_token_rotation_and_forged_calls(simulator):
    simulator.tiktok.shop.generate_orders(2)
    adapter = adapter_for(simulator)
    simulator.tiktok.expire_tokens()
    assert len(adapter.fetch_orders(0, simulator.tiktok.shop.now)) == 2
    assert len(adapter.saved) == 1
    adapter.secret = "forged"
    with pytest.raises(ChannelError) as refusal:
        adapter.fetch_orders(0, simulator.tiktok.shop.now)
    assert "106001" in str(refusal.value) and not refusal.value.retryable


def test_odoo_channel_pulls_tiktok_orders(pull_new_channel, simulator):
    simulator.tiktok.shop.now = int(time.time()) - 600
    numbers = simulator.tiktok.shop.generate_orders(3, spread_seconds=300)
    api = simulator.tiktok
    tokens = tokens_of(api)
    imported = pull_new_channel(
        "tiktok",
        api_base_url=f"{simulator.url}/tiktok",
        api_key=api.app_key,
        api_secret=api.app_secret,
        shop_id=api.cipher,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
    )
    assert imported == {simulator.tiktok.ref(number) for number in numbers}
