"""Shopee's Python client from PyPI talks to the simulator: proof that it speaks Shopee Open
Platform v2 as Shopee does. It makes every call our Shopee adapter makes: the code exchanged for
tokens and their refresh, the shop, order pages and details (with the adapter's optional fields),
returns, items, their models, stock and price updates, the shipping parameter, shipping and the
tracking number, the buyer's cancellation answered, and the partner's lost pushes read and confirmed.
Calls it names on a wrong path (the return list) or does not name (lost pushes) go through its own
signed ``execute``.

The ``pyshopee`` distribution ships its v2 client as the ``pyshopee2`` package (its ``pyshopee``
package is the retired v1 API).
"""

import json

import pyshopee2
import requests
from connectors.shopee.adapter import DETAIL_FIELDS

DAY = 24 * 3600

REDIRECT = "https://shop.example.vn/shopee/callback"


def client_for(sim, partner_key=None, code=None):
    client = pyshopee2.Client(
        sim.shopee.shop_id, sim.shopee.partner_id, partner_key or sim.shopee.partner_key, REDIRECT, code=code
    )
    client.host = f"{sim.url}/shopee"
    return client


def authorized_client(sim):
    code = requests.get(f"{sim.url}/_sandbox/shopee/authorize", timeout=10).json()["code"]
    client = client_for(sim, code=code)
    client.get_token()
    return client


def test_client_exchanges_a_code_and_pages_orders(simulator):
    simulator.shop.generate_orders(45)
    client = authorized_client(simulator)
    end = simulator.shop.now
    numbers, cursor = [], ""
    while True:
        answer = client.order.get_order_list(
            time_range_field="create_time", time_from=end - 14 * 24 * 3600, time_to=end, page_size=20,
            cursor=cursor,
        )  # fmt: skip
        assert answer["error"] == "", answer
        numbers += [order["order_sn"] for order in answer["response"]["order_list"]]
        if not answer["response"]["more"]:
            break
        cursor = answer["response"]["next_cursor"]
    assert sorted(numbers) == sorted(simulator.shop.orders)
    detail = client.order.get_order_detail(order_sn_list=",".join(numbers[:3]))
    assert [order["order_sn"] for order in detail["response"]["order_list"]] == numbers[:3]


def test_client_updates_stock(simulator):
    client = authorized_client(simulator)
    item = simulator.shop.items["CAP-01"]
    answer = client.product.update_stock(
        item_id=item["item_id"], stock_list=[{"model_id": 0, "seller_stock": [{"stock": 7}]}]
    )
    assert answer["response"]["failure_list"] == [], answer
    assert simulator.shop.available("CAP-01") == 7


def test_client_with_a_wrong_partner_key_is_refused(simulator):
    client = authorized_client(simulator)
    client.partner_key = "not-the-partner-key"
    answer = client.order.get_order_list(time_range_field="create_time", time_from=0, time_to=1, page_size=20)
    # The client reports a refusal by its HTTP status: Shopee refuses a wrong sign with 403.
    assert answer["error"] == 403


def test_tokens_refreshed_once(simulator):
    client = authorized_client(simulator)
    first = client.access_token
    api = simulator.shopee
    client.get_access_token(api.shop_id, api.partner_id, api.partner_key, client.refresh_token)
    assert client.access_token != first
    assert client.shop.get_shop_info()["shop_name"] == api.shop_name, "the new token is taken"


def test_order_details_with_the_adapters_fields_and_returns(simulator):
    store = simulator.shopee.shop
    (number,) = store.generate_orders(1)
    store.pay(number)
    store.hand_over(number)
    store.deliver(number)
    sku, _quantity = store.orders[number]["lines"][0]
    return_sn = store.request_return(number, [(sku, 1)])
    client = authorized_client(simulator)
    detail = client.order.get_order_detail(order_sn_list=number, response_optional_fields=DETAIL_FIELDS)
    (order,) = detail["response"]["order_list"]
    assert (order["order_sn"], order["order_status"]) == (number, "TO_RETURN")
    assert [
        (item["model_sku"] or item["item_sku"], item["model_quantity_purchased"])
        for item in order["item_list"]
    ] == [tuple(line) for line in store.orders[number]["lines"]]
    assert order["pay_time"] and int(order["total_amount"]) > 0
    window = {
        "page_no": 0,
        "page_size": 100,
        "create_time_from": store.now - DAY,
        "create_time_to": store.now,
    }
    # The client's own get_return_list asks /api/v2/sellerchat/get_return_list, which Shopee has not.
    assert client.returns.get_return_list(**window)["error"] == 404
    returns = client.execute("returns/get_return_list", "GET", window)["response"]
    assert [(entry["return_sn"], entry["order_sn"]) for entry in returns["return"]] == [(return_sn, number)]


def test_items_models_and_prices(simulator):
    client = authorized_client(simulator)
    items = simulator.shopee.shop.items
    listed = client.product.get_item_list(offset=0, page_size=100, item_status="NORMAL")["response"]
    ids = ",".join(str(item["item_id"]) for item in listed["item"])
    assert not listed["has_next_page"] and len(listed["item"]) == len(
        {item["item_id"] for item in items.values()}
    )
    base = client.product.get_item_base_info(item_id_list=ids)["response"]["item_list"]
    tee = items["TEE-M"]
    (with_sizes,) = [item for item in base if item["item_id"] == tee["item_id"]]
    assert with_sizes["has_model"]
    models = client.product.get_model_list(item_id=tee["item_id"])["response"]["model"]
    assert {model["model_sku"]: model["model_id"] for model in models}["TEE-M"] == tee["model_id"]
    answer = client.product.update_price(
        item_id=tee["item_id"], price_list=[{"model_id": tee["model_id"], "original_price": 123000}]
    )
    assert answer["response"]["failure_list"] == [] and items["TEE-M"]["price"] == 123000


def test_shipment_arranged_and_its_tracking_number(simulator):
    (number,) = simulator.shopee.shop.generate_orders(1)
    simulator.shopee.shop.orders[number].update(status="READY_TO_SHIP", cod=True)
    client = authorized_client(simulator)
    needed = client.logistics.get_shipping_parameter(order_sn=number)["response"]
    assert "dropoff" in needed["info_needed"]
    shipped = client.logistics.ship_order(order_sn=number, dropoff={"tracking_number": "SPXVN0123"})
    assert shipped["error"] == "", shipped
    tracking = client.logistics.get_tracking_number(order_sn=number)["response"]
    assert tracking["tracking_number"] == "SPXVN0123"
    assert simulator.shopee.shop.orders[number]["status"] == "PROCESSED"


def test_buyer_cancellations_accepted_and_rejected(simulator):
    store = simulator.shopee.shop
    accepted, rejected = store.generate_orders(2)
    for number in (accepted, rejected):
        store.orders[number].update(status="READY_TO_SHIP", cod=True)
        store.request_cancellation(number)
    client = authorized_client(simulator)
    for number, operation in ((accepted, "ACCEPT"), (rejected, "REJECT")):
        answer = client.order.handle_buyer_cancellation(order_sn=number, operation=operation)
        assert answer["error"] == "", answer
    assert (store.orders[accepted]["status"], store.orders[rejected]["status"]) == (
        "CANCELLED",
        "READY_TO_SHIP",
    )


def test_lost_pushes_read_then_confirmed(simulator):
    (number,) = simulator.shopee.shop.generate_orders(1)
    push = {"shop_id": simulator.shopee.shop_id, "code": 3, "timestamp": int(simulator.shopee.clock()),
            "data": {"ordersn": number, "status": "UNPAID"}}  # fmt: skip
    simulator.shopee.lose_push(json.dumps(push))
    client = authorized_client(simulator)
    # The client signs its push calls as the partner's (no shop, no token), as Shopee wants them.
    lost = client.execute("push/get_lost_push_message", "GET", {})["response"]
    ((kept,), last) = lost["push_message_list"], lost["last_message_id"]
    assert json.loads(kept["data"]) == push["data"]
    confirmed = client.execute("push/confirm_consumed_lost_push_message", "POST", {"last_message_id": last})
    assert confirmed["error"] == "", confirmed
    assert client.execute("push/get_lost_push_message", "GET", {})["response"]["push_message_list"] == []
