"""The simulated platforms' pushes beyond an order's status: Shopee's failed pickup (RETRY_SHIP, the
shipment arranged again), Lazada's buyer cancellation requests (a reverse order the seller decides),
and what each platform pushes about the seller's authorization of the app."""

import json
import time

import pytest
import requests
from test_sandbox_strict import TOKEN, authorized, lazada, shopee

from sandbox import platform_signing as signing
from sandbox.platform import numeric_id


@pytest.fixture
def pushes(simulator, receiver):
    """Every platform's webhook URL registered on one receiver: ``[(path, headers, raw body)]``."""
    for platform in simulator.webhooks.platforms():
        simulator.webhooks.register(platform, f"{receiver.url}/{platform}")
    simulator.push_base = receiver.url
    return receiver.received


def last_push(pushes):
    return json.loads(pushes[-1][2])


def ship_with_pickup(sim, number):
    """Arrange the shipment as a pickup (the carrier gives the tracking number later)."""
    parameter = shopee(sim, "/api/v2/logistics/get_shipping_parameter", order_sn=number)["response"]
    address = parameter["pickup"]["address_list"][0]
    pickup = {
        "address_id": address["address_id"],
        "pickup_time_id": address["time_slot_list"][0]["pickup_time_id"],
    }
    api, path, timestamp = sim.shopee, "/api/v2/logistics/ship_order", int(time.time())
    query = {
        "partner_id": api.partner_id,
        "timestamp": timestamp,
        "access_token": TOKEN,
        "shop_id": api.shop_id,
        "sign": signing.shopee_request(api.partner_key, api.partner_id, path, timestamp, TOKEN, api.shop_id),
    }
    body = {"order_sn": number, "pickup": pickup}
    return requests.post(f"{sim.url}/shopee{path}", params=query, json=body, timeout=10).json()


def test_shopee_failed_pickup_waits_in_retry_ship_and_is_arranged_again(simulator, pushes):
    authorized(simulator.shopee)
    (number,) = simulator.shop.generate_orders(1)
    simulator.shop.orders[number].update(cod=True, status="READY_TO_SHIP")
    assert not simulator.shopee.fail_pickup(number), "no pickup was booked yet"
    assert not ship_with_pickup(simulator, number)["error"]
    assert simulator.shop.assign_tracking(number)
    first_tracking = simulator.shop.orders[number]["tracking_number"]
    assert simulator.shopee.fail_pickup(number)
    detail = shopee(
        simulator,
        "/api/v2/order/get_order_detail",
        order_sn_list=number,
        response_optional_fields="package_list",
    )["response"]["order_list"][0]
    assert detail["order_status"] == "RETRY_SHIP"
    assert detail["package_list"][0]["logistics_status"] == "LOGISTICS_PICKUP_RETRY"
    assert simulator.webhooks.send("shopee", number) == [200]
    push = last_push(pushes)
    assert (push["code"], push["data"]["status"]) == (3, "RETRY_SHIP")
    tracking = shopee(simulator, "/api/v2/logistics/get_tracking_number", order_sn=number)["response"]
    assert tracking["tracking_number"] == "", "the failed pickup's tracking number is void"
    assert not ship_with_pickup(simulator, number)["error"], "the seller arranges the shipment again"
    assert simulator.shop.orders[number]["status"] == "PROCESSED"
    assert simulator.shop.assign_tracking(number)
    assert simulator.shop.orders[number]["tracking_number"] != first_tracking
    assert simulator.shop.hand_over(number)


def lazada_order(sim):
    shop = sim.lazada.shop
    (number,) = shop.generate_orders(1)
    shop.orders[number].update(cod=True, status="READY_TO_SHIP", lines=[("TEE-M", 2)])
    return number


def cancellation_of(sim, number):
    answer = lazada(sim, "/reverse/getreverseordersforseller", trade_order_id=str(numeric_id(number)))
    (found,) = [entry for entry in answer["result"]["items"] if entry["request_type"] == "CANCEL"]
    return found


def test_lazada_buyer_cancellation_is_a_reverse_order_the_seller_decides(simulator, pushes):
    agreed, refused, packed = (lazada_order(simulator) for _ in range(3))
    simulator.lazada.shop.orders[packed]["packed"] = True
    assert not simulator.lazada.request_cancellation(packed), "packed items are not cancelled on request"
    for number in (agreed, refused):
        assert simulator.lazada.request_cancellation(number, "Changed my mind")
        items = lazada(simulator, "/order/items/get", order_id=str(numeric_id(number)))["data"]
        assert {(item["status"], item["is_cancel_pending"]) for item in items} == {("pending", True)}
        reverse = cancellation_of(simulator, number)
        assert [line["reverse_status"] for line in reverse["reverse_order_lines"]] == ["REQUEST_INITIATE"] * 2
        assert simulator.webhooks.send("lazada", number, topic="cancellation") == [200, 200]
        push = last_push(pushes)
        assert (push["message_type"], push["data"]["reverse_order_id"]) == (10, reverse["reverse_order_id"])
        assert push["data"]["reverse_status"] == "REQUEST_INITIATE"
    decide = "/order/reverse/cancel/seller/decide"
    reverse_id = cancellation_of(simulator, agreed)["reverse_order_id"]
    answer = lazada(simulator, decide, reverse_order_id=reverse_id, agree_cancel="true")
    assert answer["code"] == "0", answer
    assert simulator.lazada.shop.orders[agreed]["status"] == "CANCELLED"
    reverse_id = cancellation_of(simulator, refused)["reverse_order_id"]
    assert lazada(simulator, decide, reverse_order_id=reverse_id, agree_cancel="false")["code"] == "0"
    order = simulator.lazada.shop.orders[refused]
    assert order["status"] == "READY_TO_SHIP" and not order.get("cancel_request")
    statuses = {line["reverse_status"] for line in cancellation_of(simulator, refused)["reverse_order_lines"]}
    assert statuses == {"REQUEST_REJECT"}
    assert lazada(simulator, decide, reverse_order_id=reverse_id, agree_cancel="true")["code"] == "131"
    assert lazada(simulator, decide, reverse_order_id="1", agree_cancel="true")["code"] == "105"
    assert (
        lazada(simulator, decide, reverse_order_id=reverse_id, agree_cancel="maybe")["code"]
        == "InvalidParameter"
    )


def test_deauthorization_pushes_and_the_platform_stops_taking_the_tokens(simulator, pushes):
    shopee_api, tiktok_api, shopify_api = simulator.shopee, simulator.tiktok, simulator.shopify
    authorized(shopee_api)
    assert simulator.webhooks.send_authorization("shopee", "deauthorized") == [200]
    path, headers, body = pushes[-1]
    push = json.loads(body)
    assert (push["code"], push["shop_id"], push["data"]["shop_id_list"]) == (
        2,
        shopee_api.shop_id,
        [14701711],
    )
    url = f"{simulator.push_base}{path}"
    assert headers["Authorization"] == signing.shopee_push(shopee_api.partner_key, url, body)
    assert not shopee_api.token_is_valid(TOKEN) and not shopee_api.refresh_tokens
    authorized(tiktok_api)
    assert simulator.webhooks.send_authorization("tiktok", "deauthorized") == [200]
    _path, headers, body = pushes[-1]
    assert json.loads(body)["type"] == 6
    assert headers["Authorization"] == signing.app_key_push(tiktok_api.app_key, tiktok_api.app_secret, body)
    assert not tiktok_api.token_is_valid(TOKEN)
    assert simulator.webhooks.send_authorization("shopify", "deauthorized") == [200]
    _path, headers, body = pushes[-1]
    assert headers["X-Shopify-Topic"] == "app/uninstalled"
    assert json.loads(body)["myshopify_domain"] == shopify_api.domain
    assert headers["X-Shopify-Hmac-Sha256"] == signing.body_base64(shopify_api.client_secret, body)
    assert not shopify_api.token_is_valid(shopify_api.access_token)
    installed = requests.get(f"{simulator.url}/_sandbox/shopify/authorize", timeout=10).json()["access_token"]
    assert shopify_api.token_is_valid(installed), "the store installs the app again: a new token"


def test_expiry_reminders_say_when_and_leave_the_tokens(simulator, pushes):
    authorized(simulator.lazada)
    for platform, kind, field in (
        ("shopee", 12, "code"),
        ("lazada", 8, "message_type"),
        ("tiktok", 7, "type"),
    ):
        assert simulator.webhooks.send_authorization(platform, "expiring") == [200]
        push = last_push(pushes)
        assert push[field] == kind
    assert last_push(pushes)["data"]["expiration_time"] > 0
    assert lazada(simulator, "/seller/get")["code"] == "0", "a reminder revokes nothing"
    response = simulator.handle("POST", "/_sandbox/lazada/push", b'{"event": "deauthorized"}')
    assert response[0] == 400, "Lazada documents no deauthorization push"
