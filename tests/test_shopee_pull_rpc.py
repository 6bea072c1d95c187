"""A manager connects a Shopee shop (the simulator on loopback) and pulls its orders into Odoo."""

import time
import uuid

import pytest
from conftest import at_once


@pytest.fixture
def shopee(admin, vnd_pricelist, simulator):
    sim, url = simulator, simulator.url
    api = sim.shopee
    tokens = api.token_get({}, {"code": api.authorize()})
    channel_id = admin.env["omni.channel"].create(
        {
            "name": "Shopee sandbox",
            "code": f"shopee-{uuid.uuid4().hex[:6]}",
            "channel_type": "shopee",
            "pricelist_id": vnd_pricelist,
            "api_base_url": f"{url}/shopee",
            "api_key": str(api.partner_id),
            "api_secret": api.partner_key,
            "shop_id": str(api.shop_id),
            "access_token": tokens["access_token"],
            "refresh_token": tokens["refresh_token"],
        }
    )
    # Its pulls run while the test waits (a manager's button queues them).
    return sim, at_once(admin.env["omni.channel"].browse(channel_id))


def sale_orders(admin, channel):
    return admin.env["sale.order"].search_read([("omni_channel_id", "=", channel.id)], ["omni_external_ref"])


def test_pull_imports_new_orders_once(admin, shopee):
    sim, channel = shopee
    sim.shop.now = int(time.time()) - 3600  # orders of the last hour
    numbers = sim.shop.generate_orders(12, spread_seconds=1800)
    channel.action_pull_orders()
    assert {order["omni_external_ref"] for order in sale_orders(admin, channel)} == set(numbers)
    channel.action_pull_orders()  # the overlap brings the same orders again: nothing doubles
    assert len(sale_orders(admin, channel)) == 12
    assert admin.env["omni.channel"].read([channel.id], ["health"])[0]["health"] == "ok"


def test_expired_token_is_refreshed_and_kept(admin, shopee):
    sim, channel = shopee
    sim.shopee.expire_tokens()
    old = admin.env["omni.channel"].read([channel.id], ["refresh_token"])[0]["refresh_token"]
    channel.action_pull_orders()
    new = admin.env["omni.channel"].read([channel.id], ["refresh_token"])[0]["refresh_token"]
    assert new and new != old, "the rotated refresh token is saved on the channel"


def test_refusal_shows_on_the_channel(admin, shopee):
    sim, channel = shopee
    key = sim.shopee.partner_key
    sim.shopee.partner_key = "rotated-by-the-platform"
    try:
        answer = channel.action_pull_orders()
    finally:
        sim.shopee.partner_key = key
    assert answer["params"]["type"] == "danger" and "error_sign" in answer["params"]["message"]
    (state,) = admin.env["omni.channel"].read([channel.id], ["health", "last_error"])
    assert state["health"] == "error" and "error_sign" in state["last_error"], (
        "the refusal shows on the channel"
    )
