"""The simulated Shopee keeps the shop's flash sales as Shopee's API reference says: one per time slot
of Shopee's, items refused one by one in Shopee's words, prices and stock changed only while a model
is switched off and the slot has not started; while an enabled flash sale's slot runs, buyers pay its
price (before a discount's) until its campaign stock is sold."""

import time

import requests
from test_sandbox_promotions_shopee_tiktok import add_discount, add_items, current_price, tee_m
from test_sandbox_strict import shopee_call

from sandbox.shopee_flash_sale import SLOT_HOURS, VN_OFFSET

HOUR, DAY = 3600, 24 * 3600
FLASH = "/api/v2/shop_flash_sale/"


def call(sim, method, name, body=None, **params):
    return shopee_call(sim, method, FLASH + name, body, **params)


def slots(sim, start=None, end=None):
    start = start or int(time.time())
    return call(sim, "GET", "get_time_slot_id", start_time=start, end_time=end or start + 2 * DAY)


def new_flash_sale(sim, after=120):
    """A flash sale in the first slot starting ``after`` seconds from now or later (by default, one
    that does not start while the test runs): its id and slot."""
    slot = slots(sim, int(time.time()) + after)["response"][0]
    answer = call(sim, "POST", "create_shop_flash_sale", {"timeslot_id": slot["timeslot_id"]})
    assert answer["error"] == "" and answer["response"]["status"] == 1, answer
    return answer["response"]["flash_sale_id"], slot


def add(sim, flash_sale_id, *items):
    return call(
        sim, "POST", "add_shop_flash_sale_items", {"flash_sale_id": flash_sale_id, "items": list(items)}
    )


def update(sim, flash_sale_id, *items):
    body = {"flash_sale_id": flash_sale_id, "items": list(items)}
    return call(sim, "POST", "update_shop_flash_sale_items", body)


def tee(price=100000, stock=3, **model):
    """TEE-M (150,000 VND) is model 2000 of item 1000."""
    return {"item_id": 1000, "purchase_limit": 0,
            "models": [{"model_id": 2000, "input_promo_price": price, "stock": stock, **model}]}  # fmt: skip


def cap(price=70000, stock=10, **fields):
    """CAP-01 (90,000 VND) is item 1002, without models."""
    return {
        "item_id": 1002,
        "purchase_limit": 0,
        "item_input_promo_price": price,
        "item_stock": stock,
        **fields,
    }


def info(sim, flash_sale_id):
    return call(sim, "GET", "get_shop_flash_sale", flash_sale_id=flash_sale_id)["response"]


def failures(answer):
    return [
        (
            failure["item_id"],
            failure["err_msg"],
            [c["unqualified_code"] for c in failure["unqualified_conditions"]],
        )
        for failure in answer["response"]["failed_items"]
    ]


def pass_time(sim, seconds):
    """The simulator's own call: time goes by for the shop's promotions."""
    url = f"{sim.url}/_sandbox/shopee/promotions/pass_time"
    assert requests.post(url, json={"seconds": seconds}, timeout=10).status_code == 200


def buy(api, sku, quantity):
    """An order of ``quantity`` units of ``sku`` made now, at the price its buyer pays now."""
    shop = api.shop
    shop.now = int(time.time()) - 1
    (order_id,) = shop.generate_orders(1, spread_seconds=1)
    order = shop.orders[order_id]
    order["lines"], order["prices"] = [(sku, quantity)], {}
    order["prices"] = {sku: shop.buyer_price(sku, order["create_time"])}
    (item,) = api._detail(order)["item_list"]
    return item["model_discounted_price"], item["promotion_type"], item["promotion_id"]


def test_time_slots_are_shopees_of_each_day_from_now_on(simulator):
    now = int(time.time())
    found = slots(simulator, now, now + 2 * DAY)["response"]
    assert 10 <= len(found) <= 11
    for slot in found:
        start_hour = (slot["start_time"] + VN_OFFSET) % DAY // HOUR
        end_hour = SLOT_HOURS[SLOT_HOURS.index(start_hour) + 1]
        assert (
            slot["start_time"] > now
            and slot["end_time"] - slot["start_time"] == (end_hour - start_hour) * HOUR
        )
    assert [slot["start_time"] for slot in found] == sorted({slot["timeslot_id"] for slot in found})
    assert slots(simulator, now - 60)["error"] == "shop_flash_sale.start_time_smaller_than_now"
    assert (
        slots(simulator, now + DAY, now + HOUR)["error"] == "shop_flash_sale.end_time_smaller_than_start_time"
    )
    missing = call(simulator, "GET", "get_time_slot_id", start_time=now)
    assert (missing["error"], missing["message"]) == (
        "error_param",
        "Wrong parameters, detail: end_time is required.",
    )


def test_one_flash_sale_a_slot_in_a_slot_not_started(simulator):
    flash_sale_id, slot = new_flash_sale(simulator)
    detail = info(simulator, flash_sale_id)
    window = (detail["start_time"], detail["end_time"])
    assert (detail["status"], detail["type"], detail["item_count"]) == (1, 1, 0)
    assert window == (slot["start_time"], slot["end_time"])
    taken = call(simulator, "POST", "create_shop_flash_sale", {"timeslot_id": slot["timeslot_id"]})
    assert taken["error"] == "shop_flash_sale.timeslot_taken"
    for timeslot_id in (slot["timeslot_id"] + 1800, slot["timeslot_id"] - DAY):  # not a slot; started
        refused = call(simulator, "POST", "create_shop_flash_sale", {"timeslot_id": timeslot_id})
        assert refused["error"] == "shop_flash_sale.timeslot_not_available"
    unknown = call(simulator, "GET", "get_shop_flash_sale", flash_sale_id=1)
    assert unknown["error"] == "common.error_not_found"
    assert (
        call(simulator, "POST", "update_shop_flash_sale", {"flash_sale_id": flash_sale_id, "status": 3})[
            "error"
        ]
        == "error_param"
    )


def test_items_refused_one_by_one(simulator):
    api = simulator.shopee
    flash_sale_id, _slot = new_flash_sale(simulator)
    answer = add(
        simulator, flash_sale_id,
        tee(),
        cap(price=90000),  # not below the original price
        {**cap(price=29000), "item_id": 1003},  # MUG-01 (60,000 VND): more than 50% off
        {**cap(stock=0), "item_id": 1004},  # BAG-01 (120,000 VND): no campaign stock
        {**cap(stock=1001), "item_id": 1002},  # CAP-01: more than its stock
        {**cap(price=100000, stock=1), "item_id": 1001},  # TEE-L has models
        {**cap(), "item_id": 999},
        tee(),  # the same item twice
    )  # fmt: skip
    assert answer["error"] == ""
    assert failures(answer) == [
        (1002, "The item does not meet the flash sale's criteria.", [2]),
        (1003, "The item does not meet the flash sale's criteria.", [3]),
        (1004, "The item does not meet the flash sale's criteria.", [4]),
        (1002, "The item is given more than once.", []),
        (1001, "The item has models: give them.", []),
        (999, "Item not found.", []),
        (1000, "The item is given more than once.", []),
    ]
    assert failures(add(simulator, flash_sale_id, cap(stock=1001))) == [
        (1002, "The item does not meet the flash sale's criteria.", [4])
    ]
    assert failures(add(simulator, flash_sale_id, tee())) == [
        (1000, "The model is already in this flash sale.", [])
    ]
    listed = call(
        simulator, "GET", "get_shop_flash_sale_items", flash_sale_id=flash_sale_id, offset=0, limit=100
    )
    (model,) = listed["response"]["models"]
    assert (model["model_id"], model["status"], model["input_promotion_price"], model["campaign_stock"]) == (
        2000, 1, 100000, 3,
    )  # fmt: skip
    assert listed["response"]["total_count"] == 1
    # At most 50 items in a flash sale.
    template = api.shop.items["CAP-01"]
    for n in range(60):
        api.shop.add_item(f"X-{n}", {**template, "item_id": 5000 + n, "model_id": 6000 + n}, stock=5)
    many = [{**cap(stock=1), "item_id": 5000 + n} for n in range(50)]
    assert len(failures(add(simulator, flash_sale_id, *many))) == 1  # TEE-M and 49 more
    assert failures(add(simulator, flash_sale_id, {**cap(stock=1), "item_id": 5055})) == [
        (5055, "A flash sale takes at most 50 items.", [])
    ]
    page = call(
        simulator, "GET", "get_shop_flash_sale_items", flash_sale_id=flash_sale_id, offset=40, limit=100
    )
    assert page["response"]["total_count"] == 50 and len(page["response"]["item_info"]) == 10
    too_long = call(
        simulator, "GET", "get_shop_flash_sale_items", flash_sale_id=flash_sale_id, offset=0, limit=101
    )
    assert too_long["error"] == "error_param"


def test_item_in_one_flash_sale_of_overlapping_slots(simulator):
    first, _slot = new_flash_sale(simulator)
    second, _slot = new_flash_sale(simulator, after=DAY)
    assert failures(add(simulator, first, tee())) == []
    # Slots of the shop never overlap; a flash sale made longer than its slot stands for one that does.
    simulator.shopee.flash_sales.get(first).end += 2 * DAY
    assert failures(add(simulator, second, tee())) == [
        (1000, "The item is already in another flash sale of an overlapping time slot.", [])
    ]


def test_changes_as_shopee_allows_them(simulator):
    api = simulator.shopee
    flash_sale_id, slot = new_flash_sale(simulator)
    add(simulator, flash_sale_id, tee(), cap())
    enabled = update(simulator, flash_sale_id, tee(price=110000))
    assert failures(enabled) == [
        (1000, "Disable the model before changing its promotion price or stock.", [])
    ]
    assert failures(update(simulator, flash_sale_id, tee(status=0))) == []
    assert failures(update(simulator, flash_sale_id, tee(price=60000, status=1))) == [
        (1000, "The item does not meet the flash sale's criteria.", [3])
    ]
    assert failures(update(simulator, flash_sale_id, tee(price=110000, stock=5, status=1))) == []
    sale = api.flash_sales.get(flash_sale_id)
    assert sale.deal("TEE-M") == {"price": 110000, "stock": 5, "enabled": True}
    assert failures(update(simulator, flash_sale_id, {"item_id": 1002, "item_status": 0})) == []
    assert info(simulator, flash_sale_id)["enabled_item_count"] == 1
    body = {"flash_sale_id": flash_sale_id, "item_ids": [1002, 1003]}
    deleted = call(simulator, "POST", "delete_shop_flash_sale_items", body)
    assert failures(deleted) == [(1003, "The model is not in this flash sale.", [])] and sale.skus() == [
        "TEE-M"
    ]

    pass_time(simulator, slot["start_time"] - int(time.time()) + 60)
    assert info(simulator, flash_sale_id)["type"] == 2
    assert failures(update(simulator, flash_sale_id, tee(price=100000, status=0))) == [
        (1000, "An ongoing flash sale's prices and stock cannot be changed.", [])
    ]
    assert failures(update(simulator, flash_sale_id, tee(price=110000, stock=5, status=0))) == []
    for name, body in (
        ("add_shop_flash_sale_items", {"flash_sale_id": flash_sale_id, "items": [cap()]}),
        ("delete_shop_flash_sale_items", {"flash_sale_id": flash_sale_id, "item_ids": [1000]}),
        ("delete_shop_flash_sale", {"flash_sale_id": flash_sale_id}),
    ):
        assert call(simulator, "POST", name, body)["error"] == "shop_flash_sale.not_upcoming", name
    pass_time(simulator, DAY)
    assert info(simulator, flash_sale_id)["type"] == 3
    ended = call(simulator, "POST", "update_shop_flash_sale", {"flash_sale_id": flash_sale_id, "status": 1})
    assert ended["error"] == "shop_flash_sale.is_expired"


def test_deleted_before_its_slot(simulator):
    flash_sale_id, slot = new_flash_sale(simulator)
    add(simulator, flash_sale_id, cap())
    assert call(simulator, "POST", "delete_shop_flash_sale", {"flash_sale_id": flash_sale_id})["error"] == ""
    detail = info(simulator, flash_sale_id)
    assert (detail["status"], detail["type"]) == (0, 3)
    again = call(simulator, "POST", "delete_shop_flash_sale", {"flash_sale_id": flash_sale_id})
    assert again["error"] == "common.error_not_found"
    # Its slot is free again.
    assert (
        call(simulator, "POST", "create_shop_flash_sale", {"timeslot_id": slot["timeslot_id"]})["error"] == ""
    )


def test_buyers_pay_the_flash_sale_until_its_stock_is_sold(simulator):
    api = simulator.shopee
    discount_id = add_discount(simulator)
    add_items(simulator, discount_id, tee_m(120000))
    flash_sale_id, slot = new_flash_sale(simulator, after=HOUR + 120)
    add(simulator, flash_sale_id, tee(price=100000, stock=3), cap(price=70000, stock=10))
    assert current_price(simulator) == (150000, False)
    assert buy(api, "TEE-M", 1) == (150000, "", 0)

    pass_time(simulator, slot["start_time"] - int(time.time()) + 60)  # the discount runs too
    assert info(simulator, flash_sale_id)["type"] == 2
    model = shopee_call(simulator, "GET", "/api/v2/product/get_model_list", item_id=1000)["response"][
        "model"
    ][0]
    assert model["price_info"][0]["current_price"] == 100000, "a flash sale beats a discount"
    assert model["promotion_id"] == flash_sale_id
    assert buy(api, "TEE-M", 2) == (100000, "flash_sale", flash_sale_id)
    assert buy(api, "TEE-M", 1) == (100000, "flash_sale", flash_sale_id)
    # Its campaign stock sold, the discount prices the next buyers.
    assert buy(api, "TEE-M", 1) == (120000, "", 0)
    assert current_price(simulator) == (120000, True)
    assert buy(api, "CAP-01", 1) == (70000, "flash_sale", flash_sale_id)

    # Switched off, the flash sale prices nothing; switched on again, it does.
    switch = {"flash_sale_id": flash_sale_id, "status": 2}
    assert call(simulator, "POST", "update_shop_flash_sale", switch)["error"] == ""
    assert buy(api, "CAP-01", 1) == (90000, "", 0)
    assert call(simulator, "POST", "update_shop_flash_sale", {**switch, "status": 1})["error"] == ""
    base = shopee_call(simulator, "GET", "/api/v2/product/get_item_base_info", item_id_list="1002")
    assert base["response"]["item_list"][0]["price_info"][0]["current_price"] == 70000

    pass_time(simulator, slot["end_time"] - slot["start_time"])
    assert buy(api, "CAP-01", 1) == (90000, "", 0)
    assert info(simulator, flash_sale_id)["type"] == 3
