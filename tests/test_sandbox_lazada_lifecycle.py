"""The simulated Lazada shop lives its orders' lives, item by item: pending until packed, packed,
ready to ship, shipped, delivered; items cancelled while the rest goes on; reverse orders (returns)
refunded. Our adapter and mapper read each step as the normalized order Odoo follows."""

import json

import pytest
from connectors.lazada.mapper import map_order
from connectors.normalized_order import parse_order
from test_lazada import adapter_for

from sandbox.lazada import LazadaError
from sandbox.platform import numeric_id


def new_order(simulator, skus=("TEE-M", "MUG-01")):
    (number,) = simulator.lazada.shop.generate_orders(1)
    simulator.lazada.shop.orders[number].update(
        cod=True, status="READY_TO_SHIP", lines=[(sku, 2) for sku in skus]
    )
    return number


def ref(number):
    """Lazada's order id of the shop's order ``number``."""
    return str(numeric_id(number))


def pulled(adapter, number):
    """The normalized order of ``number`` as a push names it (a trade order push)."""
    (entry,) = adapter.webhook_orders({"message_type": 0, "data": {"trade_order_id": ref(number)}})
    return parse_order(map_order(*entry))


def item_statuses(simulator, number):
    return [item["status"] for item in simulator.lazada.order_items_get({"order_id": ref(number)})["data"]]


def test_pending_packed_ready_to_ship_shipped_delivered(simulator):
    adapter = adapter_for(simulator)
    number = new_order(simulator)
    assert set(item_statuses(simulator, number)) == {"pending"}
    assert pulled(adapter, number).status == "ready_to_ship", "paid: the seller packs it"
    shipped = adapter.ship_order(ref(number), "", "")
    # Packed first: Lazada's carrier numbered the package; then ready to ship.
    order = simulator.lazada.shop.orders[number]
    assert order["packed"] and shipped["tracking_number"] == order["tracking_number"] != ""
    assert set(item_statuses(simulator, number)) == {"ready_to_ship"}
    assert pulled(adapter, number).status == "ready_to_ship"
    assert adapter.ship_order(ref(number), "", "") == shipped, "set ready to ship once"
    simulator.lazada.shop.hand_over(number)
    assert pulled(adapter, number).status == "shipped"
    simulator.lazada.shop.deliver(number)
    assert set(item_statuses(simulator, number)) == {"delivered"}
    assert pulled(adapter, number).status == "completed"


def test_pack_refuses_items_not_pending(simulator):
    number = new_order(simulator)
    simulator.lazada.shop.cancel(number, "seller")
    items = [
        item["order_item_id"] for item in simulator.lazada.order_items_get({"order_id": ref(number)})["data"]
    ]
    pack = {
        "pack_order_list": [{"order_id": ref(number), "order_item_list": items}],
        "delivery_type": "dropship",
    }
    with pytest.raises(LazadaError) as refusal:
        simulator.lazada.order_pack({"packReq": json.dumps(pack)})
    assert refusal.value.code == "82"


def test_seller_cancels_one_item_the_rest_goes_on(simulator):
    adapter = adapter_for(simulator)
    number = new_order(simulator)
    items = simulator.lazada.order_items_get({"order_id": ref(number)})["data"]
    mug = next(item for item in items if item["sku"] == "MUG-01")
    assert simulator.lazada.order_cancel({"order_item_id": mug["order_item_id"]}) == {}
    assert sorted(item_statuses(simulator, number)) == ["canceled", "canceled", "pending", "pending"]
    order = pulled(adapter, number)
    assert order.status == "ready_to_ship"
    lines = {line.sku: (line.quantity, line.cancelled_quantity) for line in order.lines}
    assert lines == {"TEE-M": (2, 0), "MUG-01": (2, 2)}
    tee = next(item for item in items if item["sku"] == "TEE-M")
    simulator.lazada.order_cancel({"order_item_id": tee["order_item_id"]})
    assert pulled(adapter, number).status == "cancelled"


def test_reverse_order_returned_then_refunded(simulator):
    adapter = adapter_for(simulator)
    number = new_order(simulator)
    simulator.lazada.shop.hand_over(number)
    simulator.lazada.shop.deliver(number)
    return_id = simulator.lazada.shop.request_return(number, [("TEE-M", 1)])
    assert sorted(item_statuses(simulator, number)) == ["delivered", "delivered", "delivered", "returned"]
    push = {"message_type": 10, "data": {"trade_order_id": ref(number), "reverse_order_id": return_id}}
    (entry,) = adapter.webhook_orders(push)
    order = parse_order(map_order(*entry))
    assert order.status == "completed", "one unit of four comes back"
    ((found),) = order.returns
    assert (found.return_id, found.status, [(line.sku, line.quantity) for line in found.lines]) == (
        return_id, "requested", [("TEE-M", 1)],
    )  # fmt: skip
    simulator.lazada.shop.refund(return_id)
    (entry,) = adapter.webhook_orders(push)
    assert parse_order(map_order(*entry)).returns[0].status == "refunded"
    # A pull of the window finds the order by its reverse order.
    pulled_orders = adapter.fetch_orders(simulator.lazada.shop.now - 60, simulator.lazada.shop.now + 1)
    (entry,) = [entry for entry in pulled_orders if str(entry[0]["order_id"]) == ref(number)]
    assert parse_order(map_order(*entry)).returns[0].status == "refunded"


def test_whole_return_is_returned(simulator):
    adapter = adapter_for(simulator)
    number = new_order(simulator, skus=("CAP-01",))
    simulator.lazada.shop.hand_over(number)
    simulator.lazada.shop.deliver(number)
    simulator.lazada.shop.request_return(number)
    assert pulled(adapter, number).status == "returned"


def test_reverse_push_per_line(simulator):
    pushes = []
    simulator.webhooks.register("lazada", "http://127.0.0.1:9/lazada")
    number = new_order(simulator)
    simulator.lazada.shop.hand_over(number)
    simulator.lazada.shop.deliver(number)
    simulator.lazada.shop.request_return(number, [("TEE-M", 2)])
    with simulator.lock:
        pushes = simulator.webhooks.notifications("lazada", number, "return")
    bodies = [json.loads(body) for body, _headers in pushes]
    assert [body["message_type"] for body in bodies] == [10, 10]
    assert {body["data"]["reverse_status"] for body in bodies} == {"REQUEST_INITIATE"}
