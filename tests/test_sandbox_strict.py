"""The simulator answers as strictly as the platforms' documents say they do: filters and optional
fields are honoured, a repeated query name is read as each platform reads it, and an unknown or
ill-typed parameter is refused in the platform's own error shape."""

import json
import time
from urllib.parse import urlencode

import requests

from sandbox import platform_signing as signing

TOKEN = "strict-test-token"


def authorized(api):
    api.access_tokens[TOKEN] = time.time() + 3600
    return api


def shopee(sim, path, **params):
    return shopee_call(sim, "GET", path, **params)


def shopee_call(sim, method, path, body=None, **params):
    """A signed call of the simulated Shopee shop's API: its answer as JSON."""
    api, timestamp = authorized(sim.shopee), int(time.time())
    query = {
        "partner_id": api.partner_id,
        "timestamp": timestamp,
        "access_token": TOKEN,
        "shop_id": api.shop_id,
    }
    query["sign"] = signing.shopee_request(
        api.partner_key, api.partner_id, path, timestamp, TOKEN, api.shop_id
    )
    url = f"{sim.url}/shopee{path}"
    return requests.request(method, url, params={**query, **params}, json=body, timeout=10).json()


def lazada(sim, path, method="GET", **params):
    api = authorized(sim.lazada)
    query = {"app_key": api.app_key, "timestamp": str(int(time.time() * 1000)), "sign_method": "sha256",
             "access_token": TOKEN, **params}  # fmt: skip
    query["sign"] = signing.lazada_request(api.app_secret, path, query)
    return requests.request(method, f"{sim.url}/lazada/rest{path}", params=query, timeout=10).json()


def tiktok(sim, method, path, pairs=(), body=None):
    """``pairs``: the query's business parameters as (name, value), a name may come twice."""
    api = authorized(sim.tiktok)
    common = [("app_key", api.app_key), ("timestamp", str(int(time.time()))), ("shop_cipher", api.cipher)]
    values = {}
    for name, value in [*common, *pairs]:
        values.setdefault(name, []).append(value)
    signed = {name: found if len(found) > 1 else found[0] for name, found in values.items()}
    raw = json.dumps(body, separators=(",", ":")) if body is not None else ""
    sign = signing.tiktok_request(api.app_secret, path, signed, raw)
    url = f"{sim.url}/tiktok{path}?{urlencode([*common, *pairs, ('sign', sign)])}"
    headers = {"x-tts-access-token": TOKEN, "content-type": "application/json"}
    return requests.request(method, url, data=raw.encode() or None, headers=headers, timeout=10).json()


def tiki(sim, **params):
    authorized(sim.tiki)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    response = requests.get(
        f"{sim.url}/tiki/integration/v2/orders", params=params, headers=headers, timeout=10
    )
    return response.status_code, response.json()


def shopee_window(sim):
    return {
        "time_range_field": "create_time",
        "time_from": sim.shop.now - 14 * 86400,
        "time_to": sim.shop.now,
    }


# ---------------------------------------------------------------- Shopee


def test_shopee_order_list_filters_by_status_and_tells_it_only_when_asked(simulator):
    simulator.shop.generate_orders(30)
    path = "/api/v2/order/get_order_list"
    everything = shopee(simulator, path, **shopee_window(simulator), page_size=100)["response"]["order_list"]
    assert len(everything) == 30 and all(set(entry) == {"order_sn"} for entry in everything)
    asked = {**shopee_window(simulator), "page_size": 100, "response_optional_fields": "order_status"}
    statuses = {
        e["order_sn"]: e["order_status"] for e in shopee(simulator, path, **asked)["response"]["order_list"]
    }
    status = statuses[everything[0]["order_sn"]]
    filtered = shopee(simulator, path, **asked, order_status=status)["response"]["order_list"]
    assert {entry["order_sn"] for entry in filtered} == {
        sn for sn, seen in statuses.items() if seen == status
    }
    assert len(filtered) < 30


def test_shopee_order_detail_answers_the_optional_fields_asked_for_only(simulator):
    (number,) = simulator.shop.generate_orders(1)
    path = "/api/v2/order/get_order_detail"
    (plain,) = shopee(simulator, path, order_sn_list=number)["response"]["order_list"]
    assert "item_list" not in plain and "total_amount" not in plain and plain["order_sn"] == number
    fields = "item_list,package_list,pay_time,shipping_carrier,total_amount"
    (full,) = shopee(simulator, path, order_sn_list=number, response_optional_fields=fields)["response"][
        "order_list"
    ]
    assert set(fields.split(",")) <= set(full) and "recipient_address" not in full
    assert full["package_list"][0]["item_list"] and isinstance(full["total_amount"], int)
    refused = shopee(simulator, path, order_sn_list=number, response_optional_fields="item_list,colour")
    assert refused["error"] == "error_param"


def test_shopee_refuses_unknown_and_ill_typed_parameters(simulator):
    path = "/api/v2/order/get_order_list"
    assert (
        shopee(simulator, path, **shopee_window(simulator), page_size=10, colour="red")["error"]
        == "error_param"
    )
    assert shopee(simulator, path, **shopee_window(simulator), page_size="ten")["error"] == "error_param"
    wrong = shopee(simulator, path, **shopee_window(simulator), page_size=10, order_status="PAID")
    assert wrong["error"] == "error_param"
    assert shopee(simulator, path, **shopee_window(simulator), page_size=10, cursor='""')["error"] == ""
    assert (
        shopee(simulator, path, **shopee_window(simulator), page_size=10, cursor="next")["error"]
        == "error_param"
    )


def test_shopee_item_status_is_a_repeated_name(simulator):
    path = "/api/v2/product/get_item_list"
    both = shopee(simulator, path, offset=0, page_size=10, item_status=["UNLIST", "NORMAL"])["response"]
    assert both["total_count"] == len(simulator.shop.items)
    assert (
        shopee(simulator, path, offset=0, page_size=10, item_status="UNLIST")["response"]["total_count"] == 0
    )


def test_shopee_stock_update_refuses_ill_typed_bodies(simulator):
    api, timestamp, path = authorized(simulator.shopee), int(time.time()), "/api/v2/product/update_stock"
    query = {
        "partner_id": api.partner_id,
        "timestamp": timestamp,
        "access_token": TOKEN,
        "shop_id": api.shop_id,
    }
    query["sign"] = signing.shopee_request(
        api.partner_key, api.partner_id, path, timestamp, TOKEN, api.shop_id
    )
    item_id = simulator.shop.items["CAP-01"]["item_id"]

    def update(stock_list):
        body = {"item_id": item_id, "stock_list": stock_list}
        return requests.post(f"{simulator.url}/shopee{path}", params=query, json=body, timeout=10).json()

    assert update([{"model_id": 0, "seller_stock": [{"stock": 7}]}])["error"] == ""
    assert update([{"model_id": 0, "seller_stock": [{"stock": "7"}]}])["error"] == "product.error_param"
    assert update([{"model_id": 0, "normal_stock": 7}])["error"] == "product.error_param"
    assert simulator.shop.available("CAP-01") == 7


# ---------------------------------------------------------------- Lazada


def test_lazada_orders_filter_by_status_and_both_windows(simulator):
    simulator.lazada.shop.generate_orders(20)
    orders = sorted(simulator.lazada.shop.orders.values(), key=lambda order: order["create_time"])
    middle = orders[10]["create_time"]
    after = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(middle))
    data = lazada(simulator, "/orders/get", created_after=after, limit=100, sort_direction="ASC")["data"]
    assert int(data["countTotal"]) == 10
    assert [order["created_at"] for order in data["orders"]] == sorted(
        order["created_at"] for order in data["orders"]
    )
    unpaid = lazada(simulator, "/orders/get", created_after=after, limit=100, status="unpaid")["data"][
        "orders"
    ]
    assert len(unpaid) < 10 and all(order["statuses"] == ["unpaid"] for order in unpaid)
    assert isinstance(data["orders"][0]["price"], str) and data["orders"][0]["price"].endswith(".00")


def test_lazada_refuses_bad_dates_statuses_and_unknown_parameters(simulator):
    assert lazada(simulator, "/orders/get", created_after="2024-05-01")["code"] == "17"
    assert (
        lazada(simulator, "/orders/get", created_after="2024-05-01T00:00:00+07:00", status="paid")["code"]
        == "36"
    )
    unknown = lazada(simulator, "/orders/get", created_after="2024-05-01T00:00:00+07:00", colour="red")
    assert (unknown["code"], unknown["type"]) == ("InvalidParameter", "ISV")


def test_lazada_items_carry_sku_id_and_package_id(simulator):
    simulator.lazada.shop.generate_orders(1)
    order_id = lazada(simulator, "/orders/get", created_after="2000-01-01T00:00:00+07:00")["data"]["orders"][
        0
    ]["order_id"]
    items = lazada(simulator, "/order/items/get", order_id=order_id)["data"]
    assert all({"sku_id", "package_id", "paid_price", "shipping_amount"} <= set(item) for item in items)


def test_lazada_sale_price_is_the_listing_special_price(simulator):
    payload = ("<Request><Product><Skus><Sku><SellerSku>CAP-01</SellerSku><Price>90000</Price>"
               "<SalePrice>75000</SalePrice><SaleStartDate>2024-05-01</SaleStartDate>"
               "<SaleEndDate>2024-05-31</SaleEndDate></Sku></Skus></Product></Request>")  # fmt: skip
    assert lazada(simulator, "/product/price_quantity/update", "POST", payload=payload)["code"] == "0"
    products = lazada(simulator, "/products/get", filter="all", limit=50)["data"]["products"]
    (sku,) = [sku for product in products for sku in product["skus"] if sku["SellerSku"] == "CAP-01"]
    assert (sku["price"], sku["special_price"], sku["special_to_date"]) == (90000, 75000, "2024-05-31")
    too_high = payload.replace("75000", "95000")
    assert (
        lazada(simulator, "/product/price_quantity/update", "POST", payload=too_high)["detail"][0]["field"]
        == "SalePrice"
    )


def test_lazada_products_by_seller_sku_and_ill_typed_ids_refused(simulator):
    listed = lazada(simulator, "/products/get", filter="all", sku_seller_list='["CAP-01", "MUG-01"]')["data"]
    assert sorted(sku["SellerSku"] for product in listed["products"] for sku in product["skus"]) == [
        "CAP-01", "MUG-01",
    ]  # fmt: skip
    assert lazada(simulator, "/products/get", filter="everything")["code"] == "InvalidParameter"
    assert lazada(simulator, "/order/get", order_id="ABC123")["code"] == "InvalidParameter"


# ---------------------------------------------------------------- TikTok Shop


def test_tiktok_repeated_ids_signed_as_tiktok_signs_them_name_two_orders(simulator):
    simulator.tiktok.shop.generate_orders(3)
    search = tiktok(simulator, "POST", "/order/202309/orders/search", [("page_size", "10")], {})
    ids = [order["id"] for order in search["data"]["orders"]][:2]
    answer = tiktok(simulator, "GET", "/order/202309/orders", [("ids", ids[0]), ("ids", ids[1])])
    assert answer["code"] == 0, answer
    assert sorted(order["id"] for order in answer["data"]["orders"]) == sorted(ids)
    joined = tiktok(simulator, "GET", "/order/202309/orders", [("ids", ",".join(ids))])
    assert sorted(order["id"] for order in joined["data"]["orders"]) == sorted(ids)


def test_tiktok_search_filters_by_status_and_times_and_refuses_unknown_fields(simulator):
    simulator.tiktok.shop.generate_orders(20)
    path, page = "/order/202309/orders/search", [("page_size", "100")]
    every = tiktok(simulator, "POST", path, page, {})["data"]["orders"]
    status = every[0]["status"]
    some = tiktok(simulator, "POST", path, page, {"order_status": status})["data"]["orders"]
    assert {order["id"] for order in some} == {order["id"] for order in every if order["status"] == status}
    since = sorted(order["create_time"] for order in every)[10]
    recent = tiktok(simulator, "POST", path, page, {"create_time_ge": since})["data"]
    assert recent["total_count"] == 10
    order = every[0]
    assert {"paid_time", "payment"} <= set(order) and isinstance(order["payment"]["total_amount"], str)
    assert tiktok(simulator, "POST", path, page, {"colour": "red"})["code"] == 36009001
    assert tiktok(simulator, "POST", path, page, {"create_time_ge": "yesterday"})["code"] == 36009001
    assert tiktok(simulator, "POST", path, [*page, ("sort_order", "UP")], {})["code"] == 36009001
    assert tiktok(simulator, "POST", path, [*page, ("page_token", "next")], {})["code"] == 36009001


def test_tiktok_product_search_by_seller_sku_and_refuses_ill_typed_fields(simulator):
    path, page = "/product/202309/products/search", [("page_size", "50")]
    found = tiktok(simulator, "POST", path, page, {"seller_skus": ["CAP-01"]})["data"]
    assert [sku["seller_sku"] for product in found["products"] for sku in product["skus"]] == ["CAP-01"]
    assert tiktok(simulator, "POST", path, page, {"seller_skus": "CAP-01"})["code"] == 36009001
    assert tiktok(simulator, "POST", path, page, {"status": "LIVE"})["code"] == 36009001


def test_tiktok_inventory_update_takes_typed_skus_only(simulator):
    item = simulator.tiktok.shop.items["MUG-01"]
    path = f"/product/202309/products/{item['item_id']}/inventory/update"
    sku = {"id": str(item["model_id"]), "inventory": [{"quantity": 9}]}
    assert tiktok(simulator, "POST", path, body={"skus": [sku]})["code"] == 0
    assert (
        tiktok(simulator, "POST", path, body={"skus": [{**sku, "id": item["model_id"]}]})["code"] == 36009001
    )
    assert tiktok(simulator, "POST", path, body={"skus": [{**sku, "stock": 9}]})["code"] == 36009001
    assert simulator.tiktok.shop.available("MUG-01") == 9


# ---------------------------------------------------------------- Tiki


def test_tiki_orders_filter_by_status_and_dates_and_refuse_other_formats(simulator):
    simulator.tiki.shop.generate_orders(20)
    status, answer = tiki(simulator, limit=100)
    assert status == 200 and answer["paging"]["total"] == 20
    first = answer["data"][0]
    assert {"subtotal", "grand_total", "items_quantity"} <= set(first["invoice"])
    _status, some = tiki(simulator, limit=100, status=f"in|{first['status']}")
    _status, others = tiki(simulator, limit=100, status=f"nin|{first['status']}")
    assert some["paging"]["total"] + others["paging"]["total"] == 20 and some["paging"]["total"] >= 1
    _status, since = tiki(simulator, limit=100, created_from_date=first["created_at"])
    assert 1 <= since["paging"]["total"] < 20 or first == max(answer["data"], key=lambda o: o["created_at"])
    assert tiki(simulator, created_from_date="2024-05-01T00:00:00")[0] == 400
    assert tiki(simulator, status="in|lost")[0] == 400
    assert tiki(simulator, colour="red")[0] == 400
    headers = {"Authorization": f"Bearer {TOKEN}"}
    products = f"{simulator.url}/tiki/integration/v2.1/products"
    assert requests.get(products, params={"active": "yes"}, headers=headers, timeout=10).status_code == 400


# ---------------------------------------------------------------- Shopify and WooCommerce


def shopify(sim, path, **params):
    headers = {"X-Shopify-Access-Token": sim.shopify.access_token}
    url = f"{sim.url}/shopify/admin/api/2024-07/{path}"
    response = requests.get(url, params=params, headers=headers, timeout=10)
    return response.status_code, response.json()


def woocommerce(sim, method, path, params=(), body=None):
    """Over HTTPS (as a TLS proxy forwards it), with the consumer key and secret."""
    headers = {"X-Forwarded-Proto": "https"}
    response = requests.request(
        method, f"{sim.url}/woocommerce/wp-json/wc/v3/{path}", params=list(params), json=body,
        auth=(sim.woocommerce.consumer_key, sim.woocommerce.consumer_secret), headers=headers, timeout=10,
    )  # fmt: skip
    return response.status_code, response.json()


def test_shopify_orders_filter_by_payment_and_fulfilment_and_show_the_documented_fields(simulator):
    simulator.shopify.shop.generate_orders(20)
    _status, answer = shopify(simulator, "orders.json", status="any", limit=250)
    orders = answer["orders"]
    assert len(orders) == 20
    documented = {"billing_address", "current_total_price", "total_price_set", "total_outstanding",
                  "order_status_url", "source_name", "gateway", "checkout_token", "refunds"}  # fmt: skip
    assert documented <= set(orders[0])
    assert orders[0]["total_price_set"]["shop_money"]["amount"] == orders[0]["total_price"]
    line = orders[0]["line_items"][0]
    assert {"name", "vendor", "grams", "price_set", "tax_lines", "current_quantity"} <= set(line)
    for financial in ("paid", "pending"):
        _status, some = shopify(simulator, "orders.json", status="any", financial_status=financial)
        assert {order["id"] for order in some["orders"]} == {
            order["id"] for order in orders if order["financial_status"] == financial
        }
    two = [str(order["id"]) for order in orders[:2]]
    _status, chosen = shopify(simulator, "orders.json", status="any", ids=",".join(two))
    assert sorted(str(order["id"]) for order in chosen["orders"]) == sorted(two)
    _status, slim = shopify(simulator, "orders.json", status="any", fields="id,total_price")
    assert all(set(order) == {"id", "total_price"} for order in slim["orders"])
    assert shopify(simulator, "orders.json", status="all")[0] == 400
    assert shopify(simulator, "orders.json", financial_status="settled")[0] == 400
    assert all(order["id"] < 2**53 for order in orders)


def test_woocommerce_orders_filter_and_refuse_unknown_values(simulator):
    simulator.woocommerce.shop.generate_orders(20)
    _status, orders = woocommerce(simulator, "GET", "orders", [("per_page", "100")])
    status = orders[0]["status"]
    _status, some = woocommerce(simulator, "GET", "orders", [("per_page", "100"), ("status", status)])
    assert {order["id"] for order in some} == {order["id"] for order in orders if order["status"] == status}
    wanted = [("include[]", str(orders[0]["id"])), ("include[]", str(orders[1]["id"]))]
    _status, two = woocommerce(simulator, "GET", "orders", wanted)
    assert sorted(order["id"] for order in two) == sorted(order["id"] for order in orders[:2])
    _status, slim = woocommerce(simulator, "GET", "orders", [("_fields", "id,status")])
    assert slim and all(set(order) == {"id", "status"} for order in slim)
    refused, answer = woocommerce(simulator, "GET", "orders", [("status", "paid")])
    assert (refused, answer["code"]) == (400, "rest_invalid_param")
    assert woocommerce(simulator, "GET", "orders", [("orderby", "price")])[0] == 400


def test_woocommerce_sale_price_is_what_buyers_pay_and_prices_are_strings(simulator):
    _status, products = woocommerce(simulator, "GET", "products")
    simple = next(product for product in products if product["type"] == "simple")
    path = f"products/{simple['id']}"
    status, product = woocommerce(
        simulator, "PUT", path, body={"regular_price": "100000", "sale_price": "80000"}
    )
    assert status == 200
    assert (product["price"], product["regular_price"], product["sale_price"], product["on_sale"]) == (
        "80000",
        "100000",
        "80000",
        True,
    )
    _status, product = woocommerce(simulator, "PUT", path, body={"sale_price": ""})
    assert (product["price"], product["on_sale"]) == ("100000", False)
    refused, answer = woocommerce(simulator, "PUT", path, body={"regular_price": 90000})
    assert (refused, answer["data"]["params"]) == (
        400,
        {"regular_price": "regular_price is not of type string."},
    )
