"""A Tiki shop and a WooCommerce store live their orders' lives before a running Odoo, which pulls
Tiki (its event queue) and takes WooCommerce's webhooks, each twice: items cancelled while the rest
goes on (Tiki's partial confirmation, WooCommerce's refund before completion), then a return
refunded. Odoo follows each step once: the lines lowered, one return picking, one posted credit
note of what the platform refunded."""

import time
import uuid

import pytest
import requests
from conftest import assert_return_refunded, at_once
from test_webhook_storm import connection, processed_notifications
from woocommerce import API

from sandbox.tiki import WAREHOUSE_ID

LINES = [("TEE-M", 2), ("MUG-01", 1)]


def create_channel(admin, vnd_pricelist, platform, **fields):
    return admin.env["omni.channel"].create(
        {"name": f"{platform} lifecycle", "code": f"{platform}-lc-{uuid.uuid4().hex[:6]}",
         "channel_type": platform, "pricelist_id": vnd_pricelist, "sync_orders": False, **fields}
    )  # fmt: skip


def sale_order(admin, channel_id, reference):
    domain = [("omni_channel_id", "=", channel_id), ("omni_external_ref", "=", reference)]
    (order,) = admin.env["sale.order"].search_read(
        domain, ["state", "omni_status", "picking_ids", "invoice_ids", "order_line", "omni_ship_state"]
    )
    return order


def quantities(admin, order):
    lines = admin.env["sale.order.line"].read(order["order_line"], ["omni_sku", "product_uom_qty"])
    return {line["omni_sku"]: line["product_uom_qty"] for line in lines if line["omni_sku"]}


def deliver(admin, order):
    """The warehouse validates the delivery; the shipment job tells the platform."""
    (delivery_id,) = [
        picking["id"]
        for picking in admin.env["stock.picking"].read(order["picking_ids"], ["state"])
        if picking["state"] != "cancel"
    ]
    moves = admin.env["stock.picking"].read([delivery_id], ["move_ids"])[0]["move_ids"]
    admin.env["stock.move"].write(moves, {"picked": True})
    # The store's buyers have phones: no text message to confirm, in a test.
    admin.env["stock.picking"].with_context(skip_sms=True).browse(delivery_id).button_validate()


def wait_for(condition, what):
    deadline = time.time() + 60
    while not condition():
        assert time.time() < deadline, what
        time.sleep(0.5)


def assert_credited(admin, order, amount):
    (credit,) = admin.env["account.move"].read(order["invoice_ids"], ["amount_total"])
    # What the platform refunded, to the dong the credit note's taxes round to.
    assert abs(credit["amount_total"] - amount) <= 1, credit


@pytest.fixture
def tiki(admin, vnd_pricelist, simulator):
    api = simulator.tiki
    channel_id = create_channel(
        admin, vnd_pricelist, "tiki", api_base_url=f"{simulator.url}/tiki", api_key=api.app_id,
        api_secret=api.app_secret,
    )  # fmt: skip
    return simulator, channel_id


def test_tiki_partial_confirmation_then_return_refunded(admin, tiki):
    sim, channel_id = tiki
    shop, api, Channel = sim.tiki.shop, sim.tiki, admin.env["omni.channel"]

    def pull_twice():
        for _twice in range(2):
            assert at_once(Channel.browse(channel_id)).action_pull_orders()["params"]["type"] == "success"

    shop.now = int(time.time()) - 60
    (number,) = shop.generate_orders(1, spread_seconds=1)
    shop.orders[number].update(cod=True, status="READY_TO_SHIP", lines=list(LINES))
    code = api.ref(number)
    pull_twice()
    order = sale_order(admin, channel_id, code)
    assert (order["state"], order["omni_status"]) == ("sale", "ready_to_ship")
    with sim.lock:
        items = {
            row["product"]["seller_product_code"]: row["id"]
            for row in api._order(shop.orders[number])["items"]
        }
        confirm = {"available_item_ids": [items["TEE-M"]], "seller_inventory_id": WAREHOUSE_ID}
        assert api._confirm_available({}, confirm, code)[0] == 200
    pull_twice()
    assert quantities(admin, sale_order(admin, channel_id, code)) == {"TEE-M": 2, "MUG-01": 0}
    deliver(admin, order)
    wait_for(lambda: sale_order(admin, channel_id, code)["omni_ship_state"] == "sent", "the shipment job ran")
    shop.hand_over(number)
    shop.deliver(number)
    pull_twice()
    shop.refund(shop.request_return(number))
    pull_twice()
    order = sale_order(admin, channel_id, code)
    assert order["omni_status"] == "returned"
    assert_return_refunded(admin, order, code)
    assert_credited(admin, order, 300000)


@pytest.fixture
def woocommerce(admin, server, vnd_pricelist, simulator):
    channel_id = create_channel(admin, vnd_pricelist, "woocommerce", **connection(simulator, "woocommerce"))
    code = admin.env["omni.channel"].read([channel_id], ["code"])[0]["code"]
    url = f"{server['url']}/omni/webhook/{code}"
    requests.post(
        f"{simulator.url}/_sandbox/woocommerce/webhook", json={"url": url}, timeout=10
    ).raise_for_status()
    return simulator, channel_id


def test_woocommerce_refund_before_completion_cancels_after_returns(admin, woocommerce):
    sim, channel_id = woocommerce
    shop, api = sim.woocommerce.shop, sim.woocommerce
    client = API(url=f"{sim.url}/woocommerce", consumer_key=api.consumer_key,
                 consumer_secret=api.consumer_secret, timeout=10)  # fmt: skip

    def push():
        answer = requests.post(
            f"{sim.url}/_sandbox/woocommerce/push", json={"order_id": number, "times": 2}, timeout=60
        )
        assert answer.json()["statuses"] == [200, 200], answer.text
        rows = processed_notifications(admin, channel_id)
        assert not [row for row in rows if row["state"] != "done"], rows

    shop.now = int(time.time()) - 60
    (number,) = shop.generate_orders(1, spread_seconds=1)
    shop.orders[number].update(cod=False, status="UNPAID", lines=list(LINES))
    ref = api.ref(number)
    assert client.put(f"orders/{ref}", {"status": "processing"}).status_code == 200
    push()
    order = sale_order(admin, channel_id, ref)
    assert (order["state"], order["omni_status"]) == ("sale", "ready_to_ship")
    lines = {line["sku"]: line["id"] for line in client.get(f"orders/{ref}").json()["line_items"]}

    def refund(sku, amount):
        body = {"amount": amount, "api_refund": False,
                "line_items": [{"id": lines[sku], "quantity": 1, "refund_total": amount}]}  # fmt: skip
        answer = client.post(f"orders/{ref}/refunds", body)
        assert answer.status_code == 201, answer.text
        return str(answer.json()["id"])

    refund("MUG-01", "60000")
    push()
    assert quantities(admin, sale_order(admin, channel_id, ref)) == {"TEE-M": 2, "MUG-01": 0}
    deliver(admin, order)
    wait_for(lambda: shop.orders[number]["status"] == "COMPLETED", "the shipment job completed the order")
    push()
    assert sale_order(admin, channel_id, ref)["omni_status"] == "completed"
    refund_id = refund("TEE-M", "100000")
    push()
    order = sale_order(admin, channel_id, ref)
    assert order["omni_status"] == "completed", "one T-shirt of two came back"
    assert_return_refunded(admin, order, refund_id)
    assert_credited(admin, order, 100000)
