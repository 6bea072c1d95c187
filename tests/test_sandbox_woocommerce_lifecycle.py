"""The simulated WooCommerce store lives its orders' lives: pending, processing, completed or
cancelled, each change an ``order.updated`` webhook; the store's refunds (``/orders/<id>/refunds``),
partial or full, of money or of line items, restock the units when asked, once, and an order whose
total is paid back is refunded. The official ``WooCommerce`` client makes the calls; our adapter and
mapper read refunds before the order is completed as cancelled units, after as returns."""

import json

from connectors.normalized_order import parse_order
from connectors.woocommerce.mapper import map_order
from test_woocommerce import adapter_for
from woocommerce import API

from sandbox.platform import numeric_id
from sandbox.storefront import SHIPPING_FEE


def client_for(simulator):
    api = simulator.woocommerce
    return API(url=f"{simulator.url}/woocommerce", consumer_key=api.consumer_key,
               consumer_secret=api.consumer_secret, timeout=10)  # fmt: skip


def new_order(simulator, cod=False):
    """A new order of 2 T-shirts and a mug: ``(the shop's id, WooCommerce's id)``."""
    shop = simulator.woocommerce.shop
    (number,) = shop.generate_orders(1)
    order = shop.orders[number]
    for sku, quantity in order["lines"]:
        shop.stock[order["location"]][sku] += quantity
    order.update(cod=cod, status="READY_TO_SHIP" if cod else "UNPAID", lines=[("TEE-M", 2), ("MUG-01", 1)])
    for sku, quantity in order["lines"]:
        shop.stock[order["location"]][sku] -= quantity
    return number, numeric_id(number)


def stock(simulator):
    return {sku: simulator.woocommerce.shop.available(sku) for sku in ("TEE-M", "MUG-01")}


def webhook(simulator, number):
    """The ``order.updated`` webhook the store sends about the order as it is now."""
    simulator.webhooks.register("woocommerce", "http://127.0.0.1:9/woocommerce")
    with simulator.lock:
        ((body, headers),) = simulator.webhooks.notifications("woocommerce", number)
    assert headers["X-WC-Webhook-Topic"] == "order.updated"
    return json.loads(body)


def line_ids(order):
    return {line["sku"]: line["id"] for line in order["line_items"]}


def test_pending_processing_completed_each_told_by_a_webhook(simulator):
    client = client_for(simulator)
    number, ref = new_order(simulator)
    assert webhook(simulator, number)["status"] == "pending"
    for status in ("processing", "completed"):
        answer = client.put(f"orders/{ref}", {"status": status})
        assert answer.status_code == 200 and answer.json()["status"] == status, answer.text
        assert webhook(simulator, number)["status"] == status
    order = simulator.woocommerce.shop.orders[number]
    assert order["status"] == "COMPLETED" and order["tracking_number"], "handed over, then delivered"


def test_changes_made_over_rest_are_pushed(simulator, receiver):
    """The store pushes ``order.updated`` after an order or a refund written through its REST API,
    to the registered URL, without the API's answer waiting for the delivery."""

    def next_push():
        _path, headers, body = receiver.posts.get(timeout=10)
        return headers["X-WC-Webhook-Topic"], json.loads(body)

    client = client_for(simulator)
    number, ref = new_order(simulator)
    assert client.put(f"orders/{ref}", {"status": "processing"}).status_code == 200
    assert receiver.posts.empty(), "no URL registered: nothing pushed"
    simulator.webhooks.register("woocommerce", f"{receiver.url}/woo")
    assert client.put(f"orders/{ref}", {"status": "completed"}).status_code == 200
    topic, order = next_push()
    assert (topic, order["id"], order["status"]) == ("order.updated", ref, "completed")
    refund = {"amount": "1000", "api_refund": False}
    assert client.post(f"orders/{ref}/refunds", refund).status_code == 201
    topic, order = next_push()
    assert (topic, [entry["total"] for entry in order["refunds"]]) == ("order.updated", ["-1000"])
    # A URL nobody listens at: the REST answer is given all the same.
    simulator.webhooks.register("woocommerce", "http://127.0.0.1:9/woocommerce")
    assert client.post(f"orders/{ref}/refunds", refund).status_code == 201
    assert simulator.woocommerce.shop.orders[number]["status"] == "COMPLETED"


def test_cancelled_order_gives_its_units_back(simulator):
    client = client_for(simulator)
    number, ref = new_order(simulator, cod=True)
    before = stock(simulator)
    assert client.get(f"orders/{ref}").json()["status"] == "processing", "cash on delivery"
    assert client.put(f"orders/{ref}", {"status": "cancelled"}).json()["status"] == "cancelled"
    assert stock(simulator) == {"TEE-M": before["TEE-M"] + 2, "MUG-01": before["MUG-01"] + 1}
    assert webhook(simulator, number)["status"] == "cancelled"


def test_partial_refund_of_a_line_restocks_it_once(simulator):
    client = client_for(simulator)
    number, ref = new_order(simulator)
    client.put(f"orders/{ref}", {"status": "processing"})
    client.put(f"orders/{ref}", {"status": "completed"})
    before, tee = stock(simulator), line_ids(client.get(f"orders/{ref}").json())["TEE-M"]
    refund = {"amount": "150000", "reason": "Sai cỡ", "api_refund": False,
              "line_items": [{"id": tee, "quantity": 1, "refund_total": "150000"}]}  # fmt: skip
    answer = client.post(f"orders/{ref}/refunds", refund)
    assert answer.status_code == 201, answer.text
    created = answer.json()
    assert (created["amount"], created["reason"], created["refunded_payment"]) == ("150000", "Sai cỡ", False)
    (item,) = created["line_items"]
    assert (item["sku"], item["quantity"], item["total"]) == ("TEE-M", -1, "-150000")
    assert {meta["key"]: meta["value"] for meta in item["meta_data"]} == {"_refunded_item_id": str(tee)}
    assert stock(simulator) == {"TEE-M": before["TEE-M"] + 1, "MUG-01": before["MUG-01"]}
    order = webhook(simulator, number)
    assert order["status"] == "completed", "part of the total paid back"
    assert order["refunds"] == [{"id": created["id"], "reason": "Sai cỡ", "total": "-150000"}]
    assert client.get(f"orders/{ref}/refunds").json() == [created]
    assert client.get(f"orders/{ref}/refunds/{created['id']}").json() == created
    # A second refund of the same line refunds only the unit left, restocked once too.
    again = {**refund, "line_items": [{"id": tee, "quantity": 2, "refund_total": "150000"}]}
    assert client.post(f"orders/{ref}/refunds", again).json()["line_items"][0]["quantity"] == -1
    assert stock(simulator)["TEE-M"] == before["TEE-M"] + 2


def test_full_refund_without_restock_refunds_the_order(simulator):
    client = client_for(simulator)
    number, ref = new_order(simulator)
    client.put(f"orders/{ref}", {"status": "processing"})
    before = stock(simulator)
    total = client.get(f"orders/{ref}").json()["total"]
    assert total == str(2 * 150000 + 60000 + SHIPPING_FEE)
    refund = {"amount": total, "api_refund": False, "api_restock": False}
    assert client.post(f"orders/{ref}/refunds", refund).status_code == 201
    assert stock(simulator) == before, "nothing restocked"
    assert webhook(simulator, number)["status"] == "refunded"
    refused = client.post(f"orders/{ref}/refunds", {"amount": "1", "api_refund": False})
    assert (refused.status_code, refused.json()["message"]) == (500, "Invalid refund amount.")


def test_refunds_refused_as_woocommerce_refuses_them(simulator):
    client = client_for(simulator)
    _number, ref = new_order(simulator, cod=True)
    automatic = client.post(f"orders/{ref}/refunds", {"amount": "1000"})
    assert (automatic.status_code, automatic.json()["code"]) == (
        500,
        "woocommerce_rest_cannot_create_order_refund",
    )
    assert "does not support automatic refunds" in automatic.json()["message"]
    typed = client.post(f"orders/{ref}/refunds", {"amount": 1000, "api_refund": False})
    assert (typed.status_code, typed.json()["data"]["params"]) == (
        400,
        {"amount": "amount is not of type string."},
    )
    lines = {"api_refund": False, "line_items": [{"id": "x", "quantity": 1}]}
    assert client.post(f"orders/{ref}/refunds", lines).json()["code"] == "rest_invalid_param"
    missing = client.post("orders/1/refunds", {"amount": "1", "api_refund": False})
    assert (missing.status_code, missing.json()["code"]) == (404, "woocommerce_rest_invalid_order_id")


def test_status_refunded_refunds_what_is_left(simulator):
    client = client_for(simulator)
    number, ref = new_order(simulator)
    client.put(f"orders/{ref}", {"status": "processing"})
    client.post(f"orders/{ref}/refunds", {"amount": "30000", "api_refund": False})
    assert client.put(f"orders/{ref}", {"status": "refunded"}).json()["status"] == "refunded"
    refunds = client.get(f"orders/{ref}/refunds").json()
    assert [(refund["amount"], refund["line_items"]) for refund in refunds] == [
        (str(2 * 150000 + 60000 + SHIPPING_FEE - 30000), []), ("30000", []),
    ]  # fmt: skip
    assert simulator.woocommerce.shop.orders[number]["status"] == "TO_RETURN", "it goes no further"


def test_a_shops_return_shows_as_the_stores_refund_once_paid_back(simulator):
    client = client_for(simulator)
    number, ref = new_order(simulator)
    shop = simulator.woocommerce.shop
    shop.pay(number)
    shop.hand_over(number)
    shop.deliver(number)
    return_id = shop.request_return(number, [("MUG-01", 1)])
    assert client.get(f"orders/{ref}").json()["refunds"] == [], "WooCommerce has no returns of its own"
    shop.refund(return_id)
    order = client.get(f"orders/{ref}").json()
    assert order["status"] == "completed" and len(order["refunds"]) == 1
    (refund,) = client.get(f"orders/{ref}/refunds").json()
    assert [(item["sku"], item["quantity"]) for item in refund["line_items"]] == [("MUG-01", -1)]


def normalized(simulator, number):
    """The normalized order of ``number`` as a webhook brings it (its refunds read by our adapter)."""
    (entry,) = adapter_for(simulator).webhook_orders(webhook(simulator, number))
    return parse_order(map_order(*entry))


def test_adapter_and_mapper_read_refunds_as_cancellations_then_returns(simulator):
    client = client_for(simulator)
    number, ref = new_order(simulator)
    client.put(f"orders/{ref}", {"status": "processing"})
    lines = line_ids(client.get(f"orders/{ref}").json())

    def refund(sku, amount):
        body = {"amount": amount, "api_refund": False,
                "line_items": [{"id": lines[sku], "quantity": 1, "refund_total": amount}]}  # fmt: skip
        assert client.post(f"orders/{ref}/refunds", body).status_code == 201

    refund("MUG-01", "60000")
    order = normalized(simulator, number)
    assert (order.status, order.returns) == ("ready_to_ship", [])
    assert {line.sku: line.cancelled_quantity for line in order.lines} == {"TEE-M": 0, "MUG-01": 1}
    client.put(f"orders/{ref}", {"status": "completed"})
    refund("TEE-M", "100000")
    order = normalized(simulator, number)
    assert order.status == "completed", "one T-shirt of two back"
    (returned,) = order.returns
    assert (returned.status, returned.refund_amount) == ("refunded", 100000)
    assert [(line.line_id, line.sku, line.quantity) for line in returned.lines] == [
        (str(lines["TEE-M"]), "TEE-M", 1)
    ]
    # The store sets the order refunded: the rest of its total, money alone, takes back the T-shirt left.
    client.put(f"orders/{ref}", {"status": "refunded"})
    order = normalized(simulator, number)
    assert order.status == "returned"
    returns = [
        (entry.refund_amount, [(line.sku, line.quantity) for line in entry.lines]) for entry in order.returns
    ]
    rest = 2 * 150000 + 60000 + SHIPPING_FEE - 160000
    assert returns == [(100000, [("TEE-M", 1)]), (rest, [("TEE-M", 1)])]


def test_order_refunded_before_it_was_completed_is_cancelled(simulator):
    client = client_for(simulator)
    number, ref = new_order(simulator)
    client.put(f"orders/{ref}", {"status": "processing"})
    client.put(f"orders/{ref}", {"status": "refunded"})
    assert normalized(simulator, number).status == "cancelled"
