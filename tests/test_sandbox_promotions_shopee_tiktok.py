"""The simulated Shopee keeps discounts and the simulated TikTok Shop promotion activities as their
documents say: each rule refused in the platform's own words, and while a promotion runs, the orders
made are priced at it and the item reads show it; at its end the regular price is back."""

import time

import requests
from test_sandbox_strict import shopee_call, tiktok

HOUR, DAY = 3600, 24 * 3600


def add_discount(sim, start=None, end=None, name="11.11"):
    start = start or int(time.time()) + HOUR + 60
    body = {"discount_name": name, "start_time": start, "end_time": end or start + DAY}
    answer = shopee_call(sim, "POST", "/api/v2/discount/add_discount", body)
    assert answer["error"] == "", answer
    return answer["response"]["discount_id"]


def add_items(sim, discount_id, *items):
    body = {"discount_id": discount_id, "item_list": list(items)}
    return shopee_call(sim, "POST", "/api/v2/discount/add_discount_item", body)


def tee_m(price):
    """TEE-M (150,000 VND) is model 2000 of item 1000."""
    return {
        "item_id": 1000,
        "purchase_limit": 0,
        "model_list": [{"model_id": 2000, "model_promotion_price": price}],
    }


def cap(price):
    """CAP-01 (90,000 VND) is item 1002, without models."""
    return {"item_id": 1002, "purchase_limit": 0, "item_promotion_price": price}


def current_price(sim, item_id=1000):
    models = shopee_call(sim, "GET", "/api/v2/product/get_model_list", item_id=item_id)["response"]["model"]
    return models[0]["price_info"][0]["current_price"], models[0]["has_promotion"]


def order_prices(api, order_id):
    return {
        item["model_sku"] or item["item_sku"]: item["model_discounted_price"]
        for item in api._detail(api.shop.orders[order_id])["item_list"]
    }


def new_order(shop, lines, ago=0):
    """An order of ``lines`` made ``ago`` seconds ago (a promotion's ``pass_time`` moves promotions
    into the past, not the orders already made)."""
    shop.now = int(time.time()) - ago
    (order_id,) = shop.generate_orders(1, spread_seconds=1)
    shop.orders[order_id]["lines"] = lines
    return order_id


# ---------------------------------------------------------------------------------------- Shopee


def test_shopee_discount_window_rules(simulator):
    now = int(time.time())
    for start, end, error in (
        (now + 600, now + DAY, "discount.discount_start_time_smaller_than_now"),
        (now + 2 * HOUR, now + 2 * HOUR - 1, "discount.discount_end_time_smaller_than_start_time"),
        (now + 2 * HOUR, now + 2 * HOUR + 1800, "discount.discount_period_too_short"),
        (now + 2 * HOUR, now + 2 * HOUR + 180 * DAY, "discount.discount_period_too_long"),
    ):
        body = {"discount_name": "x", "start_time": start, "end_time": end}
        assert shopee_call(simulator, "POST", "/api/v2/discount/add_discount", body)["error"] == error
    missing = shopee_call(simulator, "POST", "/api/v2/discount/add_discount", {"discount_name": "x"})
    assert (missing["error"], missing["message"]) == (
        "error_param",
        "Wrong parameters, detail: start_time is required.",
    )
    typed = {"discount_name": "x", "start_time": str(now + 2 * HOUR), "end_time": now + DAY}
    assert shopee_call(simulator, "POST", "/api/v2/discount/add_discount", typed)["error"] == "error_param"
    listing = {"page_no": 1, "page_size": 10}
    for params in ({"discount_status": "running"}, {"discount_status": "all", "shop_status": "x"}):
        refused = shopee_call(simulator, "GET", "/api/v2/discount/get_discount_list", **listing, **params)
        assert refused["error"] == "error_param", params


def test_shopee_items_refused_one_by_one(simulator):
    discount_id = add_discount(simulator)
    answer = add_items(
        simulator, discount_id,
        tee_m(120000),
        cap(90000),  # not below the original price
        {"item_id": 1003, "purchase_limit": 0, "item_promotion_price": 29000},  # MUG-01: more than 50% off
        {"item_id": 1001, "purchase_limit": 0, "item_promotion_price": 100000},  # TEE-L has a model
        {"item_id": 1004, "purchase_limit": 0},  # no price
        {"item_id": 999, "purchase_limit": 0, "item_promotion_price": 1},
        tee_m(110000),  # the same item twice
    )  # fmt: skip
    response = answer["response"]
    assert (answer["error"], response["count"]) == ("", 1)
    assert [(error["item_id"], error["fail_error"]) for error in response["error_list"]] == [
        (1002, "discount.promotion_price_higher_input_price"),
        (1003, "discount.promotion_price_for_vn"),
        (1001, "discount.item_need_model_id"),
        (1004, "discount.discount_need_promotion_price"),
        (999, "discount.item_id_not_exist"),
        (1000, "discount.item_id_repeated"),
    ]
    again = add_items(simulator, discount_id, tee_m(100000))["response"]["error_list"]
    assert [error["fail_error"] for error in again] == ["discount.model_in_promotion"]
    too_many = add_items(simulator, discount_id, *[cap(80000)] * 51)
    assert too_many["error"] == "discount.exceed_discount_item_batch_size"
    detail = shopee_call(
        simulator, "GET", "/api/v2/discount/get_discount", discount_id=discount_id, page_no=1, page_size=10
    )
    (item,) = detail["response"]["item_list"]
    assert (
        item["model_list"][0]["model_promotion_price"] == 120000
        and detail["response"]["status"] == "upcoming"
    )


def test_shopee_item_in_one_overlapping_discount_at_a_time(simulator):
    start = int(time.time()) + 2 * HOUR
    first = add_discount(simulator, start, start + DAY)
    assert add_items(simulator, first, tee_m(120000))["response"]["count"] == 1
    overlapping = add_discount(simulator, start + HOUR, start + 2 * DAY, name="12.12")
    refused = add_items(simulator, overlapping, tee_m(110000))["response"]["error_list"]
    assert [error["fail_error"] for error in refused] == ["discount.item_in_other_promotion"]
    after = add_discount(simulator, start + DAY, start + 2 * DAY, name="after")
    assert add_items(simulator, after, tee_m(110000))["response"]["count"] == 1


def test_shopee_discount_prices_orders_and_reads_during_its_window_only(simulator):
    api = simulator.shopee
    discount_id = add_discount(simulator)
    add_items(simulator, discount_id, tee_m(120000), cap(80000))
    assert current_price(simulator) == (150000, False)
    before = new_order(api.shop, [("TEE-M", 1)], ago=DAY)
    # The discount has started (the simulator's own call: time goes by for the shop's promotions).
    requests.post(
        f"{simulator.url}/_sandbox/shopee/promotions/pass_time", json={"seconds": HOUR + 120}, timeout=10
    )
    assert current_price(simulator) == (120000, True)
    base = shopee_call(simulator, "GET", "/api/v2/product/get_item_base_info", item_id_list="1002")[
        "response"
    ]
    assert base["item_list"][0]["price_info"][0] == {
        "currency": "VND",
        "original_price": 90000,
        "current_price": 80000,
    }
    during = new_order(api.shop, [("TEE-M", 2), ("CAP-01", 1), ("MUG-01", 1)], ago=60)
    assert order_prices(api, during) == {"TEE-M": 120000, "CAP-01": 80000, "MUG-01": 60000}
    assert api._detail(api.shop.orders[during])["total_amount"] == 2 * 120000 + 80000 + 60000 + 20000
    assert order_prices(api, before) == {"TEE-M": 150000}
    api.shop.orders[during]["status"] = "COMPLETED"
    returned = api._return(api.shop.returns[api.shop.request_return(during, [("TEE-M", 1)])])
    assert (returned["refund_amount"], returned["item"][0]["item_price"]) == (120000, 120000), (
        "refunded as paid"
    )
    refused = shopee_call(simulator, "POST", "/api/v2/discount/end_discount", {"discount_id": discount_id})
    assert refused["error"] == "discount.end_discount_time_error"  # not in its first hour
    api.discounts.pass_time(HOUR)
    ended = shopee_call(simulator, "POST", "/api/v2/discount/end_discount", {"discount_id": discount_id})
    assert ended["error"] == "" and current_price(simulator) == (150000, False)
    after = new_order(api.shop, [("TEE-M", 1)])
    assert order_prices(api, after) == {"TEE-M": 150000}
    assert order_prices(api, during)["TEE-M"] == 120000, "an order keeps the price it was made at"
    listed = shopee_call(
        simulator,
        "GET",
        "/api/v2/discount/get_discount_list",
        discount_status="expired",
        page_no=1,
        page_size=10,
    )
    assert [entry["discount_id"] for entry in listed["response"]["discount_list"]] == [discount_id]
    changed = shopee_call(
        simulator,
        "POST",
        "/api/v2/discount/update_discount",
        {"discount_id": discount_id, "discount_name": "y"},
    )
    assert changed["error"] == "discount.discount_is_end"


def test_shopee_discount_changes_as_shopee_allows(simulator):
    api = simulator.shopee
    start = int(time.time()) + 2 * HOUR
    discount_id = add_discount(simulator, start, start + DAY)
    add_items(simulator, discount_id, tee_m(120000), cap(80000))

    def update(**values):
        return shopee_call(
            simulator, "POST", "/api/v2/discount/update_discount", {"discount_id": discount_id, **values}
        )

    assert update(end_time=start + 2 * DAY)["error"] == "discount.extend_discount_end_time_error"
    assert update(start_time=start - 60)["error"] == "discount.short_discount_start_time"
    assert update(start_time=start + 60, end_time=start + DAY - 60, discount_name="11.11 sale")["error"] == ""
    changed = {"discount_id": discount_id, "item_list": [{"item_id": 1002, "item_promotion_price": 70000}]}
    assert (
        shopee_call(simulator, "POST", "/api/v2/discount/update_discount_item", changed)["response"]["count"]
        == 1
    )
    removed = {"discount_id": discount_id, "item_id": 1000, "model_id": 2000}
    assert shopee_call(simulator, "POST", "/api/v2/discount/delete_discount_item", removed)["error"] == ""
    again = shopee_call(simulator, "POST", "/api/v2/discount/delete_discount_item", removed)
    assert again["error"] == "discount.discount_item_not_exist"
    detail = shopee_call(
        simulator, "GET", "/api/v2/discount/get_discount", discount_id=discount_id, page_no=1, page_size=10
    )
    assert [(item["item_id"], item["item_promotion_price"]) for item in detail["response"]["item_list"]] == [
        (1002, 70000)
    ]
    ending = shopee_call(simulator, "POST", "/api/v2/discount/end_discount", {"discount_id": discount_id})
    assert ending["error"] == "discount.discount_not_ongoing"
    api.discounts.pass_time(2 * HOUR + 120)
    assert update(start_time=start + 3 * HOUR)["error"] == "discount.update_ongoing_discount_start_time"
    deleting = shopee_call(
        simulator, "POST", "/api/v2/discount/delete_discount", {"discount_id": discount_id}
    )
    assert deleting["error"] == "discount.discount_is_ongoing"
    upcoming = add_discount(simulator, name="later")
    assert (
        shopee_call(simulator, "POST", "/api/v2/discount/delete_discount", {"discount_id": upcoming})["error"]
        == ""
    )
    gone = shopee_call(
        simulator, "GET", "/api/v2/discount/get_discount", discount_id=upcoming, page_no=1, page_size=10
    )
    assert gone["error"] == "common.error_not_found"
    listed = shopee_call(
        simulator, "GET", "/api/v2/discount/get_discount_list", discount_status="all", page_no=1, page_size=10
    )
    assert [(d["discount_id"], d["status"]) for d in listed["response"]["discount_list"]] == [
        (discount_id, "ongoing")
    ]


# ---------------------------------------------------------------------------------------- TikTok

ACTIVITIES = "/promotion/202309/activities"


def create_activity(sim, title="11.11", activity_type="FIXED_PRICE", level="VARIATION", begin=None, end=None):
    begin = begin or int(time.time()) + 600
    body = {"title": title, "activity_type": activity_type, "product_level": level, "begin_time": begin,
            "end_time": end or begin + DAY}  # fmt: skip
    return tiktok(sim, "POST", ACTIVITIES, body=body)


def sku_deal(product_id, sku_id, price):
    sku = {"id": sku_id, "activity_price_amount": str(price), "quantity_limit": -1, "quantity_per_user": -1}
    return {"id": product_id, "quantity_limit": -1, "quantity_per_user": -1, "skus": [sku]}


def put_products(sim, activity_id, *products):
    body = {"activity_id": activity_id, "products": list(products)}
    return tiktok(sim, "PUT", f"{ACTIVITIES}/{activity_id}/products", body=body)


def line_prices(api, order_id):
    lines = api._order(api.shop.orders[order_id])["line_items"]
    return {
        line["seller_sku"]: (line["original_price"], line["sale_price"], line["seller_discount"])
        for line in lines
    }


def test_tiktok_activity_rules(simulator):
    now = int(time.time())
    assert create_activity(simulator, begin=now - 60)["code"] == 17010003, "begins later than now"
    assert create_activity(simulator, begin=now + 600, end=now + 300)["code"] == 17010003
    assert create_activity(simulator, title="x" * 51)["code"] == 17010004
    assert create_activity(simulator)["code"] == 0
    assert create_activity(simulator)["code"] == 17010004, "a title is unique"
    body = {"title": "y", "activity_type": "FIXED_PRICE", "product_level": "VARIATION",
            "begin_time": str(now + 600), "end_time": now + DAY}  # fmt: skip
    typed = tiktok(simulator, "POST", ACTIVITIES, body=body)
    assert (typed["code"], typed["message"]) == (
        36009001,
        "Invalid parameter: begin_time must be a whole number",
    )
    assert (
        tiktok(simulator, "POST", ACTIVITIES, body={**body, "begin_time": now + 600, "colour": 1})["code"]
        == 36009001
    )
    search = tiktok(simulator, "POST", f"{ACTIVITIES}/search", body={"status": "RUNNING"})
    assert search["code"] == 36009001


def test_tiktok_products_refused_as_a_whole(simulator):
    activity_id = create_activity(simulator)["data"]["activity_id"]
    refused = put_products(
        simulator, activity_id, sku_deal("1000", "2000", 120000), sku_deal("1002", "2002", 90000)
    )
    assert (refused["code"], refused["message"]) == (
        17010005,
        "The activity price must be lower than the original price",
    )
    assert tiktok(simulator, "GET", f"{ACTIVITIES}/{activity_id}")["data"]["products"] == [], (
        "nothing changed"
    )
    assert put_products(simulator, activity_id, sku_deal("1000", "2001", 120000))["code"] == 17010007
    assert (
        put_products(simulator, activity_id, {**sku_deal("1000", "2000", 1), "quantity_limit": 5})["code"]
        == 36009001
    )
    assert put_products(simulator, activity_id, *[sku_deal("1000", "2000", 120000)] * 301)["code"] == 36009001
    taken = put_products(simulator, activity_id, sku_deal("1000", "2000", 120000))
    assert (taken["code"], taken["data"]["total_count"]) == (0, 1)
    other = create_activity(simulator, title="12.12", activity_type="DIRECT_DISCOUNT", level="PRODUCT")[
        "data"
    ]
    whole = {"id": "1000", "discount": "10", "quantity_limit": -1, "quantity_per_user": -1, "skus": []}
    assert put_products(simulator, other["activity_id"], whole)["code"] == 17010006, "TEE-M is in 11.11 then"


def test_tiktok_activity_prices_orders_in_its_window(simulator):
    api = simulator.tiktok
    fixed = create_activity(simulator)["data"]["activity_id"]
    put_products(simulator, fixed, sku_deal("1000", "2000", 120000))
    percent = create_activity(simulator, title="mugs", activity_type="DIRECT_DISCOUNT", level="PRODUCT")[
        "data"
    ]
    mugs = {"id": "1003", "discount": "25", "quantity_limit": 10, "quantity_per_user": 2, "skus": []}
    assert put_products(simulator, percent["activity_id"], mugs)["code"] == 0
    before = new_order(api.shop, [("TEE-M", 1)], ago=DAY)
    requests.post(f"{simulator.url}/_sandbox/tiktok/promotions/pass_time", json={"seconds": 900}, timeout=10)
    search = tiktok(simulator, "POST", f"{ACTIVITIES}/search", body={"status": "ONGOING", "page_size": 10})
    assert search["data"]["total_count"] == 2
    during = new_order(api.shop, [("TEE-M", 1), ("MUG-01", 1), ("CAP-01", 1)], ago=60)
    assert line_prices(api, during) == {
        "TEE-M": ("150000", "120000", "30000"), "MUG-01": ("60000", "45000", "15000"),
        "CAP-01": ("90000", "90000", "0"),
    }  # fmt: skip
    payment = api._order(api.shop.orders[during])["payment"]
    assert (payment["sub_total"], payment["seller_discount"]) == ("255000", "45000")
    assert line_prices(api, before)["TEE-M"] == ("150000", "150000", "0")
    detail = tiktok(simulator, "GET", f"{ACTIVITIES}/{percent['activity_id']}")["data"]
    assert (detail["status"], detail["products"][0]["discount"]) == ("ONGOING", "25")
    assert (
        tiktok(simulator, "POST", f"{ACTIVITIES}/{fixed}/deactivate", body={})["data"]["status"]
        == "DEACTIVATED"
    )
    after = new_order(api.shop, [("TEE-M", 1)])
    assert line_prices(api, after)["TEE-M"] == ("150000", "150000", "0")
    assert line_prices(api, during)["TEE-M"][1] == "120000", "an order keeps the price it was made at"
    assert put_products(simulator, fixed, sku_deal("1000", "2000", 110000))["code"] == 17010002
    removed = tiktok(
        simulator, "DELETE", f"{ACTIVITIES}/{percent['activity_id']}/products", body={"product_ids": ["1003"]}
    )
    assert removed["code"] == 0
    assert line_prices(api, new_order(api.shop, [("MUG-01", 1)]))["MUG-01"] == ("60000", "60000", "0")
