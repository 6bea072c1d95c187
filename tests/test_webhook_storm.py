"""Platforms push webhooks to a running Odoo: the simulator signs each notification as its platform
does and sends the same one 20 times at once, as a platform retrying into a slow receiver does.
Odoo answers every delivery, keeps one notification per event, and its job fetches the order: one
sale order, which follows the order's later statuses."""

import time
import uuid

import pytest
import requests

STORM = 20
# Where each platform keeps the key it signs its webhooks with.
SIGNING_KEYS = {"shopee": "partner_key", "lazada": "app_secret", "tiktok": "app_secret",
                "shopify": "client_secret", "woocommerce": "webhook_secret"}  # fmt: skip


def connection(sim, platform):
    """The channel fields of a shop connected to the simulated platform (tokens already granted)."""
    api = getattr(sim, platform)
    if platform == "shopee":
        tokens = api.token_get({}, {"code": api.authorize()})
        fields = {"api_key": str(api.partner_id), "api_secret": api.partner_key, "shop_id": str(api.shop_id)}
        path = "shopee"
    elif platform == "lazada":
        tokens = api.token_create({"code": api.authorize()})
        fields = {"api_key": api.app_key, "api_secret": api.app_secret}
        path = "lazada/rest"
    elif platform == "tiktok":
        grant = {"app_key": api.app_key, "app_secret": api.app_secret, "auth_code": api.authorize()}
        tokens = api._token("/api/v2/token/get", grant)
        fields = {"api_key": api.app_key, "api_secret": api.app_secret, "shop_id": api.cipher}
        path = "tiktok"
    elif platform == "shopify":  # a custom app's token, and the secret its webhooks are signed with
        tokens = {"access_token": api.access_token, "refresh_token": False}
        fields = {"api_secret": api.client_secret}
        path = "shopify"
    else:  # a REST API key; webhooks are signed with its secret
        tokens = {"access_token": False, "refresh_token": False}
        fields = {"api_key": api.consumer_key, "api_secret": api.consumer_secret}
        path = "woocommerce"
    return {
        "api_base_url": f"{sim.url}/{path}",
        "access_token": tokens["access_token"],
        "refresh_token": tokens["refresh_token"],
        **fields,
    }


@pytest.fixture(params=sorted(SIGNING_KEYS))
def shop(request, admin, server, vnd_pricelist, simulator):
    """``(simulator, platform, channel id)``: a channel of the platform connected to the simulator,
    whose webhook URL is registered on the platform, as the seller does in its console."""
    platform, sim = request.param, simulator
    getattr(sim, platform).shop.now = int(time.time()) - 600
    code = f"{platform}-wh-{uuid.uuid4().hex[:6]}"
    channel_id = admin.env["omni.channel"].create(
        {
            "name": f"{platform} webhooks",
            "code": code,
            "channel_type": platform,
            "pricelist_id": vnd_pricelist,
            "sync_orders": False,
            **connection(sim, platform),
        }
    )
    # As in the platform's console: the seller gives the platform its callback URL.
    url = f"{server['url']}/omni/webhook/{code}"
    answer = requests.post(f"{sim.url}/_sandbox/{platform}/webhook", json={"url": url}, timeout=10)
    assert answer.json() == {"url": url}
    return sim, platform, channel_id


def processed_notifications(admin, channel_id, wait=30):
    """The channel's notifications once none is pending: the server's queue_job runner processes
    them; what it has not reached after ``wait`` seconds is reprocessed from the inbox."""
    Inbox = admin.env["omni.channel.inbox"]
    domain = [("channel_id", "=", channel_id), ("kind", "=", "notification")]
    deadline = time.time() + wait
    while True:
        rows = Inbox.search_read(domain, ["state", "error", "external_id"])
        pending = [row["id"] for row in rows if row["state"] == "pending"]
        if not pending:
            return rows
        if time.time() > deadline:
            Inbox.browse(pending).action_reprocess()
            deadline = float("inf")
        time.sleep(0.5)


def new_order(sim, platform):
    """A new prepaid order (a storefront's cash-on-delivery order is unpaid until delivered):
    ``(the shop's order id, the platform's)``."""
    seller = getattr(sim, platform).shop
    (number,) = seller.generate_orders(1, spread_seconds=1)
    seller.orders[number].update(cod=False, status="UNPAID")
    return number, getattr(sim, platform).ref(number)


def sale_orders(admin, channel_id):
    return admin.env["sale.order"].search_read(
        [("omni_channel_id", "=", channel_id)], ["omni_external_ref", "state", "omni_status"]
    )


def test_storm_of_one_webhook_makes_one_sale_order(admin, shop):
    sim, platform, channel_id = shop
    number, reference = new_order(sim, platform)
    push = {"order_id": number, "times": STORM}
    statuses = requests.post(f"{sim.url}/_sandbox/{platform}/push", json=push, timeout=120).json()["statuses"]
    assert len(statuses) % STORM == 0 and all(200 <= status < 300 for status in statuses), statuses
    notifications = processed_notifications(admin, channel_id)
    # One notification per event: Lazada notifies each order line apart, the others the order.
    assert len(notifications) == len(statuses) // STORM
    assert {row["state"] for row in notifications} == {"done"}, notifications
    assert {row["external_id"] for row in notifications} == {reference}
    (sale_order,) = sale_orders(admin, channel_id)
    assert (sale_order["omni_external_ref"], sale_order["omni_status"]) == (reference, "unpaid")


def test_forged_webhook_is_refused_and_nothing_stored(admin, shop):
    sim, platform, channel_id = shop
    number, _reference = new_order(sim, platform)
    api = getattr(sim, platform)
    key = getattr(api, SIGNING_KEYS[platform])
    setattr(api, SIGNING_KEYS[platform], "not-the-platform-key")
    try:
        statuses = sim.webhooks.send(platform, number, times=3)
    finally:
        setattr(api, SIGNING_KEYS[platform], key)
    assert set(statuses) == {401}
    assert not admin.env["omni.channel.inbox"].search([("channel_id", "=", channel_id)])


def test_sale_order_follows_the_notified_status(admin, shop):
    sim, platform, channel_id = shop
    number, _reference = new_order(sim, platform)
    sim.webhooks.send(platform, number)
    processed_notifications(admin, channel_id)
    getattr(sim, platform).shop.advance(number, "READY_TO_SHIP")
    assert all(200 <= status < 300 for status in sim.webhooks.send(platform, number, times=3))
    assert {row["state"] for row in processed_notifications(admin, channel_id)} == {"done"}
    (sale_order,) = sale_orders(admin, channel_id)
    assert (sale_order["state"], sale_order["omni_status"]) == ("sale", "ready_to_ship")
