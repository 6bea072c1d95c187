"""The simulated Tiki shop lives its orders' lives in Tiki's statuses: waiting for payment, queueing
for the seller's confirmation, ready to ship, shipping, delivered; cancelled by the buyer or by the
seller (drop-ship confirmation ``seller_canceled``), some items cancelled by a partial confirmation
while the rest goes on, and returned once refunded, the goods back in the shop's stock once. Each
change comes as an event of the order queue. Our adapter and mapper read each step as the normalized
order Odoo follows."""

import requests
from connectors.normalized_order import parse_order
from connectors.tiki.mapper import map_order
from test_tiki import adapter_for

from sandbox.tiki import WAREHOUSE_ID


class Tiki:
    """Tiki's API over HTTP, with a client-credentials token."""

    def __init__(self, simulator):
        api, self.url = simulator.tiki, f"{simulator.url}/tiki"
        token = requests.post(
            f"{self.url}/sc/oauth2/token",
            data={"grant_type": "client_credentials", "client_id": api.app_id},
            auth=(api.app_id, api.app_secret),
            timeout=10,
        ).json()["access_token"]
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path, **params):
        return requests.get(self.url + path, params=params, headers=self.headers, timeout=10)

    def post(self, path, body):
        return requests.post(self.url + path, json=body, headers=self.headers, timeout=10)


def new_order(simulator, cod=True):
    """A new order of 2 T-shirts and a mug: ``(the shop's id, Tiki's code)``."""
    shop = simulator.tiki.shop
    (number,) = shop.generate_orders(1)
    order = shop.orders[number]
    # Its units taken from the stock as the shop takes an order's.
    for sku, quantity in order["lines"]:
        shop.stock[order["location"]][sku] += quantity
    order.update(cod=cod, status="READY_TO_SHIP" if cod else "UNPAID", lines=[("TEE-M", 2), ("MUG-01", 1)])
    for sku, quantity in order["lines"]:
        shop.stock[order["location"]][sku] -= quantity
    return number, simulator.tiki.ref(number)


def stock(simulator):
    return {sku: simulator.tiki.shop.available(sku) for sku in ("TEE-M", "MUG-01")}


def detail(tiki, code):
    answer = tiki.get(f"/integration/v2/orders/{code}")
    assert answer.status_code == 200, answer.text
    return answer.json()


def subscribed_queue(tiki):
    code = tiki.post("/integration/v1/queues", {"name": "lifecycle"}).json()["code"]
    for kind in ("ORDER_CREATED_SUCCESSFULLY", "ORDER_STATUS_UPDATED"):
        assert (
            tiki.post(f"/integration/v1/queues/{code}/subscriptions", {"event_type": kind}).status_code == 200
        )
    return code


def events(tiki, queue, ack_id=None):
    batch = tiki.post(f"/integration/v1/queues/{queue}/events/pull", {"ack_id": ack_id}).json()
    return [(event["type"], event["payload"]["status"]) for event in batch["events"]], batch["ack_id"]


def test_waiting_payment_queueing_confirmed_shipping_delivered_with_events(simulator):
    tiki = Tiki(simulator)
    queue = subscribed_queue(tiki)
    shop = simulator.tiki.shop
    number, code = new_order(simulator, cod=False)
    seen, ack = events(tiki, queue)
    assert seen == [("ORDER_CREATED_SUCCESSFULLY", "waiting_payment")]
    assert detail(tiki, code)["status"] == "waiting_payment"
    shop.pay(number)
    assert detail(tiki, code)["status"] == "queueing", "paid: it waits for the seller's confirmation"
    confirm = {"confirmation_status": "seller_confirmed", "seller_inventory_id": WAREHOUSE_ID}
    assert tiki.post(f"/integration/v2/orders/{code}/dropship/confirm-available", confirm).status_code == 200
    order = detail(tiki, code)
    assert order["status"] == "ready_to_ship" and order["shipping"]["tracking_code"]
    assert {item["confirmation"]["status"] for item in order["items"]} == {"seller_confirmed"}
    shop.hand_over(number)
    assert detail(tiki, code)["status"] == "shipping"
    shop.deliver(number)
    assert detail(tiki, code)["status"] == "successful_delivery"
    seen, _ack = events(tiki, queue, ack)
    statuses = ("queueing", "ready_to_ship", "shipping", "successful_delivery")
    assert seen == [("ORDER_STATUS_UPDATED", status) for status in statuses]


def test_seller_cancels_in_queueing_only_and_the_stock_comes_back(simulator):
    tiki = Tiki(simulator)
    _number, code = new_order(simulator)
    before = stock(simulator)
    cancel = {"confirmation_status": "seller_canceled", "seller_inventory_id": WAREHOUSE_ID}
    answer = tiki.post(f"/integration/v2/orders/{code}/dropship/confirm-available", cancel)
    assert answer.status_code == 200, answer.text
    assert detail(tiki, code)["status"] == "canceled"
    assert stock(simulator) == {"TEE-M": before["TEE-M"] + 2, "MUG-01": before["MUG-01"] + 1}
    again = tiki.post(f"/integration/v2/orders/{code}/dropship/confirm-available", cancel)
    assert again.status_code == 400, "a cancelled order is not cancelled again"
    wrong = {"confirmation_status": "maybe", "seller_inventory_id": WAREHOUSE_ID}
    assert tiki.post(f"/integration/v2/orders/{code}/dropship/confirm-available", wrong).status_code == 400


def test_buyer_cancellation_cancels_the_order(simulator):
    tiki = Tiki(simulator)
    queue = subscribed_queue(tiki)
    number, code = new_order(simulator)
    _seen, ack = events(tiki, queue)
    simulator.tiki.shop.request_cancellation(number)
    assert detail(tiki, code)["status"] == "queueing", "Tiki decides on the buyer's request"
    simulator.tiki.shop.answer_cancellation(number, accept=True)
    assert detail(tiki, code)["status"] == "canceled"
    seen, _ack = events(tiki, queue, ack)
    assert seen == [("ORDER_STATUS_UPDATED", "canceled")]


def test_partial_confirmation_cancels_the_items_left_out(simulator):
    tiki = Tiki(simulator)
    queue = subscribed_queue(tiki)
    _number, code = new_order(simulator)
    before = stock(simulator)
    _seen, ack = events(tiki, queue)
    items = {item["product"]["seller_product_code"]: item["id"] for item in detail(tiki, code)["items"]}
    confirm = {"available_item_ids": [items["TEE-M"]], "seller_inventory_id": WAREHOUSE_ID}
    answer = tiki.post(f"/integration/v2/orders/{code}/confirm-available", confirm)
    assert answer.status_code == 200, answer.text
    order = detail(tiki, code)
    assert order["status"] == "ready_to_ship"
    confirmations = {
        item["product"]["seller_product_code"]: item["confirmation"]["status"] for item in order["items"]
    }
    assert confirmations == {"TEE-M": "seller_confirmed", "MUG-01": "seller_canceled"}
    assert stock(simulator) == {"TEE-M": before["TEE-M"], "MUG-01": before["MUG-01"] + 1}, "the mug is back"
    seen, _ack = events(tiki, queue, ack)
    assert seen == [("ORDER_STATUS_UPDATED", "ready_to_ship")]
    stranger = {"available_item_ids": [1], "seller_inventory_id": WAREHOUSE_ID}
    assert tiki.post(f"/integration/v2/orders/{code}/confirm-available", stranger).status_code == 400


def test_return_refunded_is_returned_restocked_once_and_found_by_is_rma(simulator):
    tiki = Tiki(simulator)
    queue = subscribed_queue(tiki)
    shop = simulator.tiki.shop
    number, code = new_order(simulator)
    other, other_code = new_order(simulator)
    before = stock(simulator)
    for order in (number, other):
        shop.hand_over(order)
        shop.deliver(order)
    _seen, ack = events(tiki, queue)
    return_id = shop.request_return(number)
    assert detail(tiki, code)["status"] == "successful_delivery", "the goods are on their way back"
    assert [order["code"] for order in tiki.get("/integration/v2/orders", is_rma=1).json()["data"]] == [code]
    assert other_code in [
        order["code"] for order in tiki.get("/integration/v2/orders", is_rma=0).json()["data"]
    ]
    assert shop.refund(return_id) and not shop.refund(return_id)
    assert detail(tiki, code)["status"] == "returned"
    assert stock(simulator) == {"TEE-M": before["TEE-M"] + 2, "MUG-01": before["MUG-01"] + 1}, "once"
    seen, _ack = events(tiki, queue, ack)
    assert seen == [("ORDER_STATUS_UPDATED", "returned")]


def test_partial_return_leaves_the_order_delivered(simulator):
    tiki = Tiki(simulator)
    shop = simulator.tiki.shop
    number, code = new_order(simulator)
    shop.hand_over(number)
    shop.deliver(number)
    shop.refund(shop.request_return(number, [("TEE-M", 1)]))
    assert detail(tiki, code)["status"] == "successful_delivery"


def normalized(simulator, number):
    """The normalized order of ``number`` as our adapter pulls it."""
    now = simulator.tiki.shop.now
    (order,) = [order for (order,) in adapter_for(simulator).fetch_orders(now - 3600, now + 1)
                if order["code"] == simulator.tiki.ref(number)]  # fmt: skip
    return parse_order(map_order(order))


def test_adapter_and_mapper_read_confirmation_cancellation_and_return(simulator):
    tiki, shop = Tiki(simulator), simulator.tiki.shop
    number, code = new_order(simulator)
    cancelled, cancelled_code = new_order(simulator)
    assert normalized(simulator, number).status == "ready_to_ship", "queueing: the seller confirms it"
    items = {item["product"]["seller_product_code"]: item["id"] for item in detail(tiki, code)["items"]}
    confirm = {"available_item_ids": [items["TEE-M"]], "seller_inventory_id": WAREHOUSE_ID}
    tiki.post(f"/integration/v2/orders/{code}/confirm-available", confirm)
    order = normalized(simulator, number)
    assert {line.sku: (line.quantity, line.cancelled_quantity) for line in order.lines} == {
        "TEE-M": (2, 0), "MUG-01": (1, 1),
    }  # fmt: skip
    cancel = {"confirmation_status": "seller_canceled", "seller_inventory_id": WAREHOUSE_ID}
    tiki.post(f"/integration/v2/orders/{cancelled_code}/dropship/confirm-available", cancel)
    assert normalized(simulator, cancelled).status == "cancelled"
    shop.hand_over(number)
    assert normalized(simulator, number).status == "shipped"
    shop.deliver(number)
    assert normalized(simulator, number).status == "completed"
    shop.refund(shop.request_return(number))
    order = normalized(simulator, number)
    assert order.status == "returned"
    (returned,) = order.returns
    assert (returned.return_id, returned.status, returned.refund_amount) == (code, "refunded", 300000)
    assert [(line.sku, line.quantity) for line in returned.lines] == [("TEE-M", 2)], "the mug never left"
