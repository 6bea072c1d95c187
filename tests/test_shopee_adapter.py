"""The Shopee adapter end to end against the simulator: several pages, a span longer than Shopee's
15-day window, a token that expires mid-run, and a rate limit that defers."""

import pytest
import requests
from connectors.errors import ChannelError
from connectors.shopee.adapter import ShopeeAdapter
from connectors.shopee.mapper import map_order

DAY = 24 * 3600


@pytest.fixture
def adapter(simulator):
    code = requests.get(f"{simulator.url}/_sandbox/shopee/authorize", timeout=10).json()["code"]
    api = simulator.shopee
    tokens = api.token_get({}, {"code": code})
    saved = []
    shop = ShopeeAdapter(
        f"{simulator.url}/shopee", api.partner_id, api.partner_key, api.shop_id, tokens, saved.append
    )
    shop.saved = saved
    return shop


def test_pull_over_40_days_and_many_pages(simulator, adapter):
    start = simulator.shop.now
    for _day in range(40):
        simulator.shop.generate_orders(9, spread_seconds=DAY)
    numbers = adapter.order_numbers(start, simulator.shop.now, field="create_time")
    assert len(numbers) == len(set(numbers)) == 360
    orders = adapter.order_details(numbers)
    assert len(orders) == 360
    mapped = map_order(orders[0])
    assert mapped["external_id"] == orders[0]["order_sn"] and mapped["lines"]


def test_expired_token_is_refreshed_once_and_saved(simulator, adapter):
    simulator.shop.generate_orders(5)
    simulator.shopee.expire_tokens()
    numbers = adapter.order_numbers(simulator.shop.now - DAY, simulator.shop.now, field="create_time")
    assert len(numbers) == 5
    assert len(adapter.saved) == 1, "the new single-use refresh token is persisted at once"


def test_rate_limit_defers_with_a_retryable_error(simulator, adapter):
    simulator.shopee.set_limit("shop", 1)
    with pytest.raises(ChannelError) as refusal:
        for _ in range(5):
            adapter.order_numbers(simulator.shop.now - DAY, simulator.shop.now)
    assert refusal.value.retryable


def test_wrong_key_is_a_permanent_error(simulator, adapter):
    adapter.secret = "not-the-key"
    with pytest.raises(ChannelError) as refusal:
        adapter.order_numbers(simulator.shop.now - DAY, simulator.shop.now)
    assert not refusal.value.retryable and "error_sign" in str(refusal.value)
