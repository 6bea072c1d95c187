"""The simulator answers as Shopee does: a client signing as Shopee asks gets orders; any other
request is refused the way Shopee refuses it."""

import time

import requests

from sandbox import platform_signing as signing

PARTNER_ID, PARTNER_KEY, SHOP_ID = 2001887, "sandbox-partner-key", 14701711


def call(sim, method, path, token=None, params=None, body=None, key=PARTNER_KEY, timestamp=None):
    timestamp = int(timestamp or time.time())
    query = {"partner_id": PARTNER_ID, "timestamp": timestamp, **(params or {})}
    if token:
        query.update(access_token=token, shop_id=SHOP_ID)
    query["sign"] = signing.shopee_request(
        key, PARTNER_ID, path, timestamp, token or "", SHOP_ID if token else ""
    )
    response = requests.request(method, f"{sim.url}/shopee{path}", params=query, json=body, timeout=10)
    return response.status_code, response.json()


def authorize(sim):
    code = requests.get(f"{sim.url}/_sandbox/shopee/authorize", timeout=10).json()["code"]
    status, answer = call(sim, "POST", "/api/v2/auth/token/get", body={"code": code, "shop_id": SHOP_ID})
    assert (status, answer["error"]) == (200, ""), answer
    return answer


def window(sim):
    end = sim.shop.now
    return {"time_range_field": "create_time", "time_from": end - 14 * 24 * 3600, "time_to": end}


def test_order_list_pages_until_exhausted_then_details(simulator):
    simulator.shop.generate_orders(130)
    token = authorize(simulator)["access_token"]
    numbers, cursor, pages = [], "", 0
    while True:
        params = {**window(simulator), "page_size": 50, "cursor": cursor}
        status, answer = call(simulator, "GET", "/api/v2/order/get_order_list", token, params)
        assert status == 200 and answer["error"] == "", answer
        numbers += [entry["order_sn"] for entry in answer["response"]["order_list"]]
        pages += 1
        if not answer["response"]["more"]:
            break
        cursor = answer["response"]["next_cursor"]
    assert (len(numbers), len(set(numbers)), pages) == (130, 130, 3)
    detail = {
        "order_sn_list": ",".join(numbers[:50]),
        "response_optional_fields": "item_list,recipient_address",
    }
    status, answer = call(simulator, "GET", "/api/v2/order/get_order_detail", token, detail)
    orders = answer["response"]["order_list"]
    assert len(orders) == 50 and all(order["item_list"] for order in orders)
    assert "*" in orders[0]["recipient_address"]["phone"], "Shopee masks the recipient"


def test_refusals_as_shopee_refuses(simulator):
    token = authorize(simulator)["access_token"]
    params = {**window(simulator), "page_size": 10}
    path = "/api/v2/order/get_order_list"
    assert call(simulator, "GET", path, token, params, key="wrong-key")[1]["error"] == "error_sign"
    assert (
        call(simulator, "GET", path, token, params, timestamp=time.time() - 3600)[1]["message"]
        == "Invalid timestamp"
    )
    assert call(simulator, "GET", path, "not-a-token", params)[1]["error"] == "error_auth"
    wide = {**params, "time_from": params["time_to"] - 16 * 24 * 3600}
    assert call(simulator, "GET", path, token, wide)[1]["error"] == "order.order_list_invalid_time"
    assert call(simulator, "GET", path, token, {**params, "page_size": 101})[1]["error"] == "error_param"


def test_expired_token_and_single_use_refresh(simulator):
    tokens = authorize(simulator)
    simulator.shopee.expire_tokens()
    params = {**window(simulator), "page_size": 10}
    assert (
        call(simulator, "GET", "/api/v2/order/get_order_list", tokens["access_token"], params)[1]["error"]
        == "error_auth"
    )
    refresh = {"refresh_token": tokens["refresh_token"], "partner_id": PARTNER_ID, "shop_id": SHOP_ID}
    _status, fresh = call(simulator, "POST", "/api/v2/auth/access_token/get", body=refresh)
    assert fresh["error"] == "" and fresh["refresh_token"] != tokens["refresh_token"]
    assert call(simulator, "POST", "/api/v2/auth/access_token/get", body=refresh)[1]["error"] == "error_auth"
    assert (
        call(simulator, "GET", "/api/v2/order/get_order_list", fresh["access_token"], params)[1]["error"]
        == ""
    )


def test_rate_limit_answers_429(simulator):
    simulator.shopee.set_limit("shop", 3)
    token = authorize(simulator)["access_token"]
    params = {**window(simulator), "page_size": 10}
    statuses = [call(simulator, "GET", "/api/v2/order/get_order_list", token, params)[0] for _ in range(6)]
    assert 429 in statuses
