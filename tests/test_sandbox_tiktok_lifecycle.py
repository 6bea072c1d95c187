"""The simulated TikTok Shop lives its orders' lives: paid orders on hold a while, then awaiting
shipment; line items cancelled while the rest goes on; the buyer's cancellation request approved or
rejected (202309 cancellations); returns refunded (202309 returns). Our adapter and mapper read each
step as the normalized order Odoo follows."""

import json

import pytest
from connectors.errors import ChannelError
from connectors.normalized_order import parse_order
from connectors.tiktok.mapper import map_order
from test_tiktok import adapter_for

from sandbox.tiktok import CANCEL_REJECT_REASONS


def new_order(simulator, skus=("TEE-M", "MUG-01"), cod=True):
    (number,) = simulator.tiktok.shop.generate_orders(1)
    status = "READY_TO_SHIP" if cod else "UNPAID"
    simulator.tiktok.shop.orders[number].update(cod=cod, status=status, lines=[(sku, 2) for sku in skus])
    return number


def pulled(simulator, adapter, number):
    """The normalized order as a webhook naming it brings it."""
    (entry,) = adapter.webhook_orders({"type": 1, "data": {"order_id": simulator.tiktok.ref(number)}})
    return parse_order(map_order(*entry))


def test_paid_order_is_on_hold_then_awaits_shipment(simulator):
    adapter = adapter_for(simulator)
    number = new_order(simulator, cod=False)
    assert pulled(simulator, adapter, number).status == "unpaid"
    simulator.tiktok.shop.pay(number)
    order = simulator.tiktok._order(simulator.tiktok.shop.orders[number])
    assert (order["status"], order["is_on_hold_order"]) == ("ON_HOLD", True)
    assert pulled(simulator, adapter, number).status == "pending"
    assert simulator.tiktok.shop.end_hold(number) and not simulator.tiktok.shop.end_hold(number)
    assert simulator.tiktok._order(simulator.tiktok.shop.orders[number])["status"] == "AWAITING_SHIPMENT"
    assert pulled(simulator, adapter, number).status == "ready_to_ship"


def test_line_items_cancelled_while_the_rest_goes_on(simulator):
    adapter = adapter_for(simulator)
    number = new_order(simulator)
    simulator.tiktok.shop.cancel_items(number, ["MUG-01"])
    order = pulled(simulator, adapter, number)
    assert order.status == "ready_to_ship"
    assert {line.sku: (line.quantity, line.cancelled_quantity) for line in order.lines} == {
        "TEE-M": (2, 0), "MUG-01": (2, 2),
    }  # fmt: skip


def test_buyer_cancellation_approved_or_rejected(simulator):
    adapter = adapter_for(simulator)
    approved, rejected, picked = new_order(simulator), new_order(simulator), new_order(simulator)
    for number in (approved, rejected, picked):
        simulator.tiktok.shop.request_cancellation(number)
        order = pulled(simulator, adapter, number)
        assert (order.status, order.cancel_requested) == ("ready_to_ship", True)
    adapter.answer_cancellation(simulator.tiktok.ref(approved), True)
    adapter.answer_cancellation(simulator.tiktok.ref(rejected), False)
    assert pulled(simulator, adapter, approved).status == "cancelled"
    order = pulled(simulator, adapter, rejected)
    assert (order.status, order.cancel_requested) == ("ready_to_ship", False)
    # TikTok wants a reason: the first one it offers unless one is picked from those it offers.
    first, *_others, last = CANCEL_REJECT_REASONS
    assert simulator.tiktok.shop.orders[rejected]["cancel_rejected_for"] == first
    reasons = adapter.cancellation_reject_reasons(simulator.tiktok.ref(picked), "vi-VN")
    assert reasons == [
        {"name": name, "text": texts["vi-VN"]} for name, texts in CANCEL_REJECT_REASONS.items()
    ]
    adapter.answer_cancellation(simulator.tiktok.ref(picked), False, last)
    assert simulator.tiktok.shop.orders[picked]["cancel_rejected_for"] == last
    with pytest.raises(ChannelError) as refusal:
        adapter.cancellation_reject_reasons(simulator.tiktok.ref(picked))
    assert "no cancellation request waiting" in str(refusal.value)
    # Nothing waits for an answer any more: answering again does nothing.
    adapter.answer_cancellation(simulator.tiktok.ref(rejected), True)
    assert simulator.tiktok.shop.orders[rejected]["status"] == "READY_TO_SHIP"


def test_return_then_refund(simulator):
    adapter = adapter_for(simulator)
    number = new_order(simulator)
    simulator.tiktok.shop.hand_over(number)
    simulator.tiktok.shop.deliver(number)
    return_id = simulator.tiktok.shop.request_return(number, [("TEE-M", 1)])
    order = pulled(simulator, adapter, number)
    assert order.status == "completed", "one unit of four comes back"
    (found,) = order.returns
    assert (found.return_id, found.status, [(line.sku, line.quantity) for line in found.lines]) == (
        return_id, "requested", [("TEE-M", 1)],
    )  # fmt: skip
    simulator.tiktok.shop.refund(return_id)
    assert pulled(simulator, adapter, number).returns[0].status == "refunded"
    entries = adapter.fetch_orders(simulator.tiktok.shop.now - 60, simulator.tiktok.shop.now + 1)
    (entry,) = [entry for entry in entries if entry[0]["id"] == simulator.tiktok.ref(number)]
    assert parse_order(map_order(*entry)).returns[0].refund_amount == found.refund_amount


def test_whole_return_is_returned(simulator):
    adapter = adapter_for(simulator)
    number = new_order(simulator, skus=("CAP-01",))
    simulator.tiktok.shop.hand_over(number)
    simulator.tiktok.shop.deliver(number)
    simulator.tiktok.shop.request_return(number)
    assert pulled(simulator, adapter, number).status == "returned"


def test_webhooks_of_a_hold_and_a_return(simulator):
    simulator.webhooks.register("tiktok", "http://127.0.0.1:9/tiktok")
    number = new_order(simulator, cod=False)
    simulator.tiktok.shop.pay(number)
    with simulator.lock:
        ((body, _headers),) = simulator.webhooks.notifications("tiktok", number)
    push = json.loads(body)
    assert (push["type"], push["data"]["order_status"], push["data"]["is_on_hold_order"]) == (
        1,
        "ON_HOLD",
        True,
    )
    simulator.tiktok.shop.end_hold(number)
    simulator.tiktok.shop.hand_over(number)
    simulator.tiktok.shop.deliver(number)
    return_id = simulator.tiktok.shop.request_return(number)
    with simulator.lock:
        ((body, _headers),) = simulator.webhooks.notifications("tiktok", number, "return")
    push = json.loads(body)
    assert (push["type"], push["data"]["return_id"], push["data"]["order_id"]) == (
        12, return_id, simulator.tiktok.ref(number),
    )  # fmt: skip
    adapter = adapter_for(simulator)
    (entry,) = adapter.webhook_orders(push)
    assert parse_order(map_order(*entry)).status == "returned"


def test_split_order_ships_package_by_package(simulator):
    adapter = adapter_for(simulator)
    number = new_order(simulator, skus=("TEE-M", "MUG-01"))
    ref = simulator.tiktok.ref(number)
    (order,) = adapter.order_details([ref])
    tees = [line["id"] for line in order["line_items"] if line["seller_sku"] == "TEE-M"]
    mugs = [line["id"] for line in order["line_items"] if line["seller_sku"] == "MUG-01"]
    groups = {
        "splittable_groups": [
            {"id": "1", "order_line_item_ids": tees},
            {"id": "2", "order_line_item_ids": mugs},
        ]
    }
    first, second = adapter._call("POST", f"/fulfillment/202309/orders/{ref}/split", {}, groups)["packages"]
    assert first["order_line_item_ids"] == tees and second["order_line_item_ids"] == mugs
    handover = {
        "handover_method": "DROP_OFF",
        "self_shipment": {"tracking_number": "JT1", "shipping_provider_id": "7"},
    }
    adapter._call("POST", f"/fulfillment/202309/packages/{first['id']}/ship", {}, handover)
    (order,) = adapter.order_details([ref])
    assert order["status"] == "PARTIALLY_SHIPPING"
    assert {line["package_id"]: line["package_status"] for line in order["line_items"]} == {
        first["id"]: "PROCESSING", second["id"]: "TO_FULFILL",
    }  # fmt: skip
    assert parse_order(map_order(order)).status == "shipped"
    # Our adapter ships what is left, once.
    adapter.ship_order(ref, "JT2", "7")
    (order,) = adapter.order_details([ref])
    assert order["status"] == "AWAITING_COLLECTION"
    assert adapter.ship_order(ref, "JT2", "7") == {"tracking_number": "JT2"}
