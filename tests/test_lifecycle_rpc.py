"""A Shopee shop's orders live their lives and Shopee pushes each step, every push twice, to a
running Odoo: the buyer's cancellation accepted from Odoo, a pickup whose tracking number the carrier
gives later, a return refunded. Odoo follows each step once."""

import time
import uuid

import pytest
import requests
from conftest import assert_return_refunded, at_once
from test_webhook_storm import connection, processed_notifications


@pytest.fixture
def shopee(admin, server, vnd_pricelist, simulator):
    """``(simulator, channel id)``: a Shopee channel connected to the simulator, pushed to."""
    simulator.shop.now = int(time.time()) - 600
    code = f"shopee-lc-{uuid.uuid4().hex[:6]}"
    channel_id = admin.env["omni.channel"].create(
        {"name": "Shopee lifecycle", "code": code, "channel_type": "shopee", "pricelist_id": vnd_pricelist,
         "sync_orders": False, **connection(simulator, "shopee")}
    )  # fmt: skip
    url = f"{server['url']}/omni/webhook/{code}"
    requests.post(
        f"{simulator.url}/_sandbox/shopee/webhook", json={"url": url}, timeout=10
    ).raise_for_status()
    return simulator, channel_id


def push(admin, shop, number, topic=None):
    """Shopee pushes the order's news twice; Odoo answers both and processes it."""
    sim, channel_id = shop
    body = {"order_id": number, "times": 2, **({"topic": topic} if topic else {})}
    answer = requests.post(f"{sim.url}/_sandbox/shopee/push", json=body, timeout=60).json()
    assert answer["statuses"] == [200, 200], answer
    rows = processed_notifications(admin, channel_id)
    assert not [row for row in rows if row["state"] != "done"], rows


def sale_order(admin, channel_id, number, fields=("state", "omni_status", "omni_cancel_requested")):
    domain = [("omni_channel_id", "=", channel_id), ("omni_external_ref", "=", number)]
    (order,) = admin.env["sale.order"].search_read(
        domain, ["picking_ids", "invoice_ids", "message_ids", *fields]
    )
    return order


def new_cod_order(sim):
    (number,) = sim.shop.generate_orders(1, spread_seconds=1)
    sim.shop.orders[number].update(cod=True, status="READY_TO_SHIP")
    return number


def test_buyer_cancellation_accepted_from_odoo(admin, shopee):
    sim, channel_id = shopee
    number = new_cod_order(sim)
    push(admin, shopee, number)
    order = sale_order(admin, channel_id, number)
    assert (order["state"], order["omni_status"], order["omni_cancel_requested"]) == (
        "sale",
        "ready_to_ship",
        False,
    )
    sim.shop.request_cancellation(number)
    push(admin, shopee, number)
    assert sale_order(admin, channel_id, number)["omni_cancel_requested"]
    answer = at_once(admin.env["sale.order"].browse(order["id"])).action_omni_accept_cancellation()
    assert answer["params"]["type"] == "success", answer
    assert sim.shop.orders[number]["status"] == "CANCELLED"
    cancelled = sale_order(admin, channel_id, number)
    assert (cancelled["state"], cancelled["omni_status"], cancelled["omni_cancel_requested"]) == (
        "cancel", "cancelled", False,
    )  # fmt: skip
    # Shopee's own push of the cancellation, twice: nothing more happens.
    push(admin, shopee, number)
    again = sale_order(admin, channel_id, number)
    assert (again["state"], len(again["message_ids"])) == ("cancel", len(cancelled["message_ids"]))
    pickings = admin.env["stock.picking"].read(again["picking_ids"], ["state"])
    assert {picking["state"] for picking in pickings} == {"cancel"}


def test_tracking_later_then_return_refunded(admin, shopee):
    sim, channel_id = shopee
    number = new_cod_order(sim)
    push(admin, shopee, number)
    order = sale_order(admin, channel_id, number)
    (delivery_id,) = order["picking_ids"]
    moves = admin.env["stock.picking"].read([delivery_id], ["move_ids"])[0]["move_ids"]
    admin.env["stock.move"].write(moves, {"picked": True})
    admin.env["stock.picking"].browse(delivery_id).button_validate()
    # The shipment job books Shopee's pickup; the carrier gives the tracking number later.
    deadline = time.time() + 60
    while sim.shop.orders[number]["status"] != "PROCESSED" and time.time() < deadline:
        time.sleep(0.5)
    assert (sim.shop.orders[number]["status"], sim.shop.orders[number]["tracking_number"]) == (
        "PROCESSED",
        "",
    )
    sim.shop.assign_tracking(number)
    push(admin, shopee, number, "tracking")
    tracking = admin.env["stock.picking"].read([delivery_id], ["carrier_tracking_ref"])[0][
        "carrier_tracking_ref"
    ]
    assert tracking == sim.shop.orders[number]["tracking_number"]
    sim.shop.hand_over(number)
    sim.shop.deliver(number)
    push(admin, shopee, number)
    sku, _quantity = sim.shop.orders[number]["lines"][0]
    return_sn = sim.shop.request_return(number, [(sku, 1)])
    push(admin, shopee, number, "return")
    sim.shop.refund(return_sn)
    for _twice in range(2):
        push(admin, shopee, number, "return")
    order = sale_order(admin, channel_id, number)
    assert_return_refunded(admin, order, return_sn)
