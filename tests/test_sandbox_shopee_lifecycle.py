"""The simulated Shopee shop lives its orders' lives: paid, shipped, delivered, cancelled on the buyer's
request (which the seller accepts or rejects), returned and refunded; each step shows in the API and
is pushed as Shopee pushes it."""

import json

import pytest
from test_sandbox_shopee import authorize, call

from sandbox import platform_signing as signing


@pytest.fixture
def shopee(simulator, receiver):
    """The simulator, a token, and the pushes received at the registered callback URL
    (``[(path, headers, raw body)]``)."""
    url = f"{receiver.url}/shopee"
    simulator.webhooks.register("shopee", url)
    simulator.token = authorize(simulator)["access_token"]
    simulator.pushes, simulator.push_url = receiver.received, url
    return simulator


def detail(sim, number):
    params = {
        "order_sn_list": number,
        "response_optional_fields": "item_list,cancel_by,cancel_reason,buyer_cancel_reason",
    }
    status, answer = call(sim, "GET", "/api/v2/order/get_order_detail", sim.token, params)
    assert status == 200 and not answer["error"], answer
    return answer["response"]["order_list"][0]


def pushed(sim, number, topic=None):
    """Push the order's notification (or its ``topic``'s); the push as received, checked signed."""
    del sim.pushes[:]
    assert sim.webhooks.send("shopee", number, topic=topic) == [200]
    ((_path, headers, body),) = sim.pushes
    assert headers["Authorization"] == signing.shopee_push(sim.shopee.partner_key, sim.push_url, body)
    return json.loads(body)


def new_order(sim, cod=False):
    (number,) = sim.shop.generate_orders(1)
    sim.shop.orders[number].update(cod=cod, status="READY_TO_SHIP" if cod else "UNPAID")
    return number


def test_cash_on_delivery_orders_are_ready_to_ship_at_once(simulator):
    numbers = simulator.shop.generate_orders(40)
    for number in numbers:
        order = simulator.shop.orders[number]
        assert order["status"] == ("READY_TO_SHIP" if order["cod"] else "UNPAID")


def test_seeded_shop_has_orders_in_every_state():
    from sandbox.server import Simulator  # noqa: PLC0415

    statuses = {order["status"] for order in Simulator(orders=200).shop.orders.values()}
    assert {"UNPAID", "READY_TO_SHIP", "SHIPPED", "COMPLETED", "CANCELLED", "TO_RETURN"} <= statuses
    orders = Simulator(orders=200).shop.orders.values()
    assert any(order.get("cancel_request") for order in orders), "some wait in IN_CANCEL"
    assert not any(order["cod"] and order["status"] == "UNPAID" for order in orders)


def test_paid_shipped_delivered_as_states_and_pushes(shopee):
    number = new_order(shopee)
    assert detail(shopee, number)["order_status"] == "UNPAID"
    assert shopee.shop.pay(number)
    assert pushed(shopee, number)["data"]["status"] == "READY_TO_SHIP"
    # A pickup is booked without a tracking number: the carrier gives it later, in a push of its own.
    _status, parameter = call(
        shopee, "GET", "/api/v2/logistics/get_shipping_parameter", shopee.token, {"order_sn": number}
    )
    address = parameter["response"]["pickup"]["address_list"][0]
    pickup = {
        "address_id": address["address_id"],
        "pickup_time_id": address["time_slot_list"][0]["pickup_time_id"],
    }
    _status, answer = call(
        shopee,
        "POST",
        "/api/v2/logistics/ship_order",
        shopee.token,
        body={"order_sn": number, "pickup": pickup},
    )
    assert not answer["error"], answer
    assert detail(shopee, number)["order_status"] == "PROCESSED"
    tracking = call(
        shopee, "GET", "/api/v2/logistics/get_tracking_number", shopee.token, {"order_sn": number}
    )[1]["response"]["tracking_number"]
    assert tracking == ""
    assert shopee.shop.assign_tracking(number)
    push = pushed(shopee, number, "tracking")
    assert (
        push["code"] == 4
        and push["data"]["tracking_no"] == shopee.shop.orders[number]["tracking_number"] != ""
    )
    assert shopee.shop.hand_over(number) and detail(shopee, number)["order_status"] == "SHIPPED"
    assert shopee.shop.deliver(number) and pushed(shopee, number)["data"]["status"] == "COMPLETED"
    assert not shopee.shop.cancel(number), "a delivered order is not cancelled"


def test_buyer_cancellation_accepted_or_rejected(shopee):
    accepted, rejected = new_order(shopee, cod=True), new_order(shopee, cod=True)
    for number in (accepted, rejected):
        assert shopee.shop.request_cancellation(number, "Found it cheaper")
        assert detail(shopee, number)["order_status"] == "IN_CANCEL"
        push = pushed(shopee, number)
        assert (push["code"], push["data"]["status"]) == (3, "IN_CANCEL")
    path = "/api/v2/order/handle_buyer_cancellation"
    answer = call(shopee, "POST", path, shopee.token, body={"order_sn": accepted, "operation": "ACCEPT"})[1]
    assert not answer["error"] and answer["response"]["update_time"], answer
    order = detail(shopee, accepted)
    assert (order["order_status"], order["cancel_by"], order["buyer_cancel_reason"]) == (
        "CANCELLED", "buyer", "Found it cheaper",
    )  # fmt: skip
    answer = call(shopee, "POST", path, shopee.token, body={"order_sn": rejected, "operation": "REJECT"})[1]
    assert not answer["error"], answer
    assert detail(shopee, rejected)["order_status"] == "READY_TO_SHIP"
    assert pushed(shopee, rejected)["data"]["status"] == "READY_TO_SHIP"
    again = call(shopee, "POST", path, shopee.token, body={"order_sn": rejected, "operation": "ACCEPT"})[1]
    assert again["error"] == "order.order_status_error"
    wrong = call(shopee, "POST", path, shopee.token, body={"order_sn": rejected, "operation": "MAYBE"})[1]
    assert wrong["error"] == "error_param"


def test_unpaid_order_is_cancelled_at_once_and_seller_cancels_with_a_reason(shopee):
    unpaid, ready = new_order(shopee), new_order(shopee, cod=True)
    assert shopee.shop.request_cancellation(unpaid)
    assert detail(shopee, unpaid)["order_status"] == "CANCELLED"
    path = "/api/v2/order/cancel_order"
    refused = call(
        shopee, "POST", path, shopee.token, body={"order_sn": ready, "cancel_reason": "OUT_OF_STOCK"}
    )
    assert refused[1]["error"] == "error_param", "out of stock names the items"
    item = shopee.shop.items[shopee.shop.orders[ready]["lines"][0][0]]
    body = {"order_sn": ready, "cancel_reason": "OUT_OF_STOCK",
            "item_list": [{"item_id": item["item_id"], "model_id": item["model_id"]}]}  # fmt: skip
    assert not call(shopee, "POST", path, shopee.token, body=body)[1]["error"]
    order = detail(shopee, ready)
    assert (order["order_status"], order["cancel_by"], order["cancel_reason"]) == (
        "CANCELLED", "seller", "OUT_OF_STOCK",
    )  # fmt: skip
    assert call(shopee, "POST", path, shopee.token, body=body)[1]["error"] == "order.order_status_error"


def test_return_requested_then_refunded(shopee):
    number = new_order(shopee, cod=True)
    shopee.shop.hand_over(number)
    shopee.shop.deliver(number)
    sku, _quantity = shopee.shop.orders[number]["lines"][0]
    return_sn = shopee.shop.request_return(number, [(sku, 1)])
    assert detail(shopee, number)["order_status"] == "TO_RETURN"
    push = pushed(shopee, number, "return")
    assert (push["code"], push["data"]["return_sn"], push["data"]["status"]) == (29, return_sn, "REQUESTED")
    found = call(shopee, "GET", "/api/v2/returns/get_return_detail", shopee.token, {"return_sn": return_sn})[
        1
    ]
    found = found["response"]
    assert (found["order_sn"], found["status"], [item["amount"] for item in found["item"]]) == (
        number, "REQUESTED", [1],
    )  # fmt: skip
    assert found["refund_amount"] == shopee.shop.items[sku]["price"]
    assert shopee.shop.refund(return_sn) and not shopee.shop.refund(return_sn)
    assert pushed(shopee, number, "return")["data"]["status"] == "REFUND_PAID"
    window = {"update_time_from": shopee.shop.now - 3600, "update_time_to": shopee.shop.now,
              "page_no": 0, "page_size": 10}  # fmt: skip
    listed = call(shopee, "GET", "/api/v2/returns/get_return_list", shopee.token, window)[1]["response"]
    assert [entry["return_sn"] for entry in listed["return"]] == [return_sn] and not listed["more"]
    only_requested = {**window, "status": "REQUESTED"}
    assert (
        call(shopee, "GET", "/api/v2/returns/get_return_list", shopee.token, only_requested)[1]["response"][
            "return"
        ]
        == []
    )
    wide = {**window, "update_time_from": shopee.shop.now - 16 * 24 * 3600}
    assert (
        call(shopee, "GET", "/api/v2/returns/get_return_list", shopee.token, wide)[1]["error"]
        == "error_param"
    )
    missing = call(shopee, "GET", "/api/v2/returns/get_return_detail", shopee.token, {"return_sn": "1"})[1]
    assert missing["error"] == "returns.error_not_found"


def test_demo_days_bring_every_step_and_push(shopee):
    """What ``--demo`` plays: orders paid, cancelled, picked up, delivered, returned and refunded, and
    tracking numbers given later; each step pushed."""
    shop = shopee.shop
    numbers = shop.generate_orders(30)
    for number in numbers:
        if shop.orders[number]["status"] == "READY_TO_SHIP" and shop.random.random() < 0.5:
            shopee.shopee.arrange_shipment(number, carrier_later=True)
    topics = set()
    for _step in range(600):
        number = shop.random.choice(numbers)
        topics.update(topic or "status" for topic in shop.live(number))
    assert topics == {"status", "tracking", "return"}
    statuses = {order["status"] for order in shop.orders.values()}
    assert {"CANCELLED", "COMPLETED", "TO_RETURN"} <= statuses
    assert {found["status"] for found in shop.returns.values()} >= {"REFUND_PAID"}
    changes = [(shop, number, topic) for number in numbers[:3] for topic in (None, "tracking")]
    shopee.webhooks.push_all(changes)
    assert [json.loads(body)["code"] for _path, _headers, body in shopee.pushes] == [3, 4] * 3


def test_lost_pushes_are_kept_until_confirmed(shopee):
    number = new_order(shopee, cod=True)
    shopee.webhooks.register("shopee", "http://127.0.0.1:9/nobody-listens")
    with pytest.raises(OSError):
        shopee.webhooks.send("shopee", number)
    status, answer = call(shopee, "GET", "/api/v2/push/get_lost_push_message")
    assert (status, answer["error"]) == (200, ""), answer
    response = answer["response"]
    (lost,) = response["push_message_list"]
    assert (lost["code"], json.loads(lost["data"])["ordersn"], response["has_next_page"]) == (
        3,
        number,
        False,
    )
    body = {"last_message_id": response["last_message_id"]}
    assert not call(shopee, "POST", "/api/v2/push/confirm_consumed_lost_push_message", body=body)[1]["error"]
    assert call(shopee, "GET", "/api/v2/push/get_lost_push_message")[1]["response"]["push_message_list"] == []
