"""Shopee's Python client from PyPI talks to the simulator: proof that it speaks Shopee Open
Platform v2 as Shopee does (signing, authorization code, tokens, paging, stock updates).

The ``pyshopee`` distribution ships its v2 client as the ``pyshopee2`` package (its ``pyshopee``
package is the retired v1 API).
"""

import pyshopee2
import requests

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
