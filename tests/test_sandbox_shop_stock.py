"""Each simulated platform is a shop of its own whose stock its orders use as the platform does: a new
order takes its units from what buyers can order (the marketplaces reserve them until the parcel is
picked up, the storefronts reduce the stock), a cancellation and a refunded return give them back, an
order for more than the shop has is not created, and a stock push sets what buyers can order, per
warehouse or location where the platform has them; each platform's reads show it."""

import pytest

from sandbox.catalog import Shop
from sandbox.lazada import LazadaApi, LazadaError
from sandbox.server import Simulator
from sandbox.shopee import LOCATION, ShopeeApi
from sandbox.shopify import LOCATION_ID, ShopifyApi
from sandbox.storefront import product_ids
from sandbox.tiki import WAREHOUSE_ID, TikiApi
from sandbox.tiktok import WAREHOUSE_ID as TIKTOK_WAREHOUSE
from sandbox.tiktok import TiktokApi
from sandbox.woocommerce import WooCommerceApi


def stock_of(shop):
    return {sku: shop.available(sku) for sku in shop.items}


def units(lines):
    total = {}
    for sku, quantity in lines:
        total[sku] = total.get(sku, 0) + quantity
    return total


def open_order(shop):
    """A new order (unpaid, or ready to ship when paid on delivery) and the stock before it."""
    before = stock_of(shop)
    (number,) = shop.generate_orders(1)
    return number, before


def test_a_new_order_takes_its_units_from_the_sellable_stock():
    shop = Shop(seed=3)
    number, before = open_order(shop)
    taken = units(shop.orders[number]["lines"])
    assert stock_of(shop) == {sku: before[sku] - taken.get(sku, 0) for sku in shop.items}
    assert shop.orders[number]["location"] == shop.location


def test_units_are_reserved_until_the_carrier_picks_the_parcel_up():
    shop = Shop(seed=3)
    number, _before = open_order(shop)
    sku, quantity = shop.orders[number]["lines"][0]
    assert shop.reserved(sku) == quantity
    shop.pay(number)
    available = shop.available(sku)
    assert shop.hand_over(number)
    # Shipped: no longer reserved, and not sellable again.
    assert (shop.reserved(sku), shop.available(sku)) == (0, available)


def test_a_cancelled_order_gives_its_units_back():
    shop = Shop(seed=3)
    number, before = open_order(shop)
    assert shop.cancel(number)
    assert stock_of(shop) == before
    assert not shop.cancel(number), "cancelled once"
    assert stock_of(shop) == before


def test_an_accepted_cancellation_request_gives_the_units_back_a_rejected_one_does_not():
    shop = Shop(seed=3)
    rejected, before = open_order(shop)
    shop.pay(rejected)
    shop.request_cancellation(rejected)
    shop.answer_cancellation(rejected, accept=False)
    kept = stock_of(shop)
    assert kept != before
    accepted, _before = open_order(shop)
    shop.pay(accepted)
    shop.request_cancellation(accepted)
    shop.answer_cancellation(accepted, accept=True)
    assert stock_of(shop) == kept


def test_cancelled_items_give_their_units_back_and_the_rest_stays_taken():
    shop = Shop(seed=5)
    number = next(n for n in shop.generate_orders(20) if len(shop.orders[n]["lines"]) > 1)
    (first, first_quantity), *rest = shop.orders[number]["lines"]
    before = stock_of(shop)
    assert shop.cancel_items(number, [first])
    assert shop.available(first) == before[first] + first_quantity
    assert stock_of(shop) == {**before, first: before[first] + first_quantity}
    assert shop.cancel_items(number, [sku for sku, _quantity in rest])
    assert shop.orders[number]["status"] == "CANCELLED"
    assert stock_of(shop) == {
        sku: before[sku] + units(shop.orders[number]["lines"]).get(sku, 0) for sku in before
    }


def test_a_return_restocks_once_refunded():
    shop = Shop(seed=3)
    number, _before = open_order(shop)
    shop.pay(number)
    shop.hand_over(number)
    shop.deliver(number)
    sku, _quantity = shop.orders[number]["lines"][0]
    delivered = shop.available(sku)
    return_id = shop.request_return(number, [(sku, 1)])
    assert shop.available(sku) == delivered, "asked back, not back yet"
    assert shop.refund(return_id)
    assert shop.available(sku) == delivered + 1
    assert not shop.refund(return_id), "refunded once"
    assert shop.available(sku) == delivered + 1


def test_an_order_for_more_than_the_stock_is_not_created():
    shop = Shop(seed=7, stock=6)
    created = shop.generate_orders(60)
    assert 0 < len(created) < 60
    sold = units(line for order in shop.orders.values() for line in order["lines"])
    assert {sku: shop.available(sku) + sold.get(sku, 0) for sku in shop.items} == dict.fromkeys(shop.items, 6)
    assert all(quantity >= 0 for quantity in stock_of(shop).values())
    for sku in shop.items:
        shop.set_stock(sku, 0)
    assert shop.generate_orders(10) == [], "nothing left to sell"


def test_a_shops_past_leaves_its_stock_consistent():
    shop = Shop(seed=11, stock=40)
    shop.play_history(shop.generate_orders(80))
    held = units(
        line
        for order in shop.orders.values()
        if order["status"] != "CANCELLED"
        for line in order["lines"]
        if line[0] not in order.get("cancelled_skus", ())
    )
    back = units(
        line for found in shop.returns.values() if found["status"] == "REFUND_PAID" for line in found["lines"]
    )
    assert {
        sku: shop.available(sku) + held.get(sku, 0) - back.get(sku, 0) for sku in shop.items
    } == dict.fromkeys(shop.items, 40)


def test_an_order_comes_from_a_location_that_holds_all_its_units_and_goes_back_there():
    shop = Shop(seed=3, locations=("HN", "HCM"), stock=0)
    assert shop.generate_orders(5) == [], "no stock anywhere"
    for sku in shop.items:
        shop.set_stock(sku, 30, "HCM")
    number, before = open_order(shop)
    assert shop.orders[number]["location"] == "HCM"
    assert shop.available("TEE-M", "HN") == 0
    shop.cancel(number)
    assert stock_of(shop) == before and shop.available("TEE-M", "HCM") == 30


def test_every_platform_is_a_shop_of_its_own():
    simulator = Simulator(orders=10)
    shops = [simulator.shopee.shop, simulator.lazada.shop, simulator.tiktok.shop, simulator.tiki.shop,
             simulator.shopify.shop, simulator.woocommerce.shop]  # fmt: skip
    assert len({id(shop) for shop in shops}) == len(simulator.shops) == 6
    simulator.shopee.shop.set_stock("CAP-01", 3)
    assert [shop.available("CAP-01") for shop in shops[1:]] != [3] * 5
    assert simulator.lazada.shop.available("CAP-01") != 3
    assert set(simulator.shopee.shop.orders) != set(simulator.lazada.shop.orders)


# ---------------------------------------------------------------- each platform's push and reads


def test_shopee_stock_per_location_with_the_reserved_units_in_the_summary():
    shop = Shop(seed=3, locations=("main", "VNN"))
    api = ShopeeApi(shop)
    assert shop.locations == [LOCATION, "VNN"]
    item = shop.items["CAP-01"]
    body = {"item_id": item["item_id"], "stock_list": [{"model_id": 0, "seller_stock": [{"stock": 7}]}]}
    assert api.update_stock({}, body)["response"]["failure_list"] == []
    places = [{"location_id": "VNN", "stock": 4}, {"location_id": LOCATION, "stock": 9}]
    body["stock_list"][0]["seller_stock"] = places
    assert api.update_stock({}, body)["response"]["failure_list"] == []
    body["stock_list"][0]["seller_stock"] = [{"location_id": "VNX", "stock": 1}]
    assert (
        api.update_stock({}, body)["response"]["failure_list"][0]["failed_reason"] == "Invalid location_id."
    )
    stock = api._offer("CAP-01", item)["stock_info_v2"]
    assert stock["seller_stock"] == [
        {"location_id": LOCATION, "stock": 9},
        {"location_id": "VNN", "stock": 4},
    ]
    assert stock["summary_info"] == {"total_reserved_stock": 0, "total_available_stock": 13}
    # An order reserves its units: sellable less, reserved more, until the carrier takes them.
    number = next(n for n in shop.generate_orders(30) if "CAP-01" in dict(shop.orders[n]["lines"]))
    quantity = dict(shop.orders[number]["lines"])["CAP-01"]
    summary = api._offer("CAP-01", item)["stock_info_v2"]["summary_info"]
    assert (
        summary["total_available_stock"] == 13 - shop.reserved("CAP-01")
        and shop.reserved("CAP-01") >= quantity
    )
    assert api._detail(shop.orders[number])["item_list"][0]["product_location_id"] == [
        shop.orders[number]["location"]
    ]


def test_lazada_quantity_alone_or_per_warehouse():
    shop = Shop(seed=3, locations=("main", "hcm-warehouse"))
    api = LazadaApi(shop)
    single = (
        "<Request><Product><Skus><Sku><SellerSku>CAP-01</SellerSku><Quantity>12</Quantity></Sku></Skus>"
        "</Product></Request>"
    )
    assert api.price_quantity_update({"payload": single}) == {"data": {}}
    multi = (
        "<Request><Product><Skus><Sku><SellerSku>CAP-01</SellerSku><MultiWarehouseInventories>"
        "<MultiWarehouseInventory><WarehouseCode>hcm-warehouse</WarehouseCode><Quantity>5</Quantity>"
        "</MultiWarehouseInventory></MultiWarehouseInventories></Sku></Skus></Product></Request>"
    )
    assert api.price_quantity_update({"payload": multi}) == {"data": {}}
    sku = api._product("CAP-01", shop.items["CAP-01"])["skus"][0]
    assert (sku["quantity"], sku["Available"]) == (17, 17)
    assert sku["multiWarehouseInventories"] == [
        {"warehouseCode": "dropshipping", "quantity": 12},
        {"warehouseCode": "hcm-warehouse", "quantity": 5},
    ]
    with pytest.raises(LazadaError) as refusal:
        api.price_quantity_update({"payload": multi.replace("hcm-warehouse", "nowhere")})
    assert refusal.value.detail[0]["message"] == "Warehouse not found"
    assert shop.available("CAP-01") == 17


def test_tiktok_available_quantity_per_warehouse():
    shop = Shop(seed=3, locations=("main", "7068517275539719943"))
    api = TiktokApi(shop)
    item = shop.items["MUG-01"]
    places = [{"quantity": 9}, {"warehouse_id": "7068517275539719943", "quantity": 2}]
    api._inventory_update({}, {"skus": [{"id": str(item["model_id"]), "inventory": places}]}, item["item_id"])
    inventory = api._product("MUG-01", item)["skus"][0]["inventory"]
    assert inventory == [
        {"warehouse_id": TIKTOK_WAREHOUSE, "quantity": 9},
        {"warehouse_id": "7068517275539719943", "quantity": 2},
    ]


def test_tiki_sellable_quantity_and_the_quantity_with_what_orders_hold():
    shop = Shop(seed=3)
    api = TikiApi(shop)
    item = shop.items["BAG-01"]
    body = {
        "product_id": item["item_id"],
        "warehouse_quantities": [{"warehouse_id": WAREHOUSE_ID, "qty_available": 6}],
    }
    assert api._update_sku({}, body) == (200, {"state": "approved"})
    (stock,) = api._product("BAG-01", item)["inventory"]["warehouse_stocks"]
    assert (stock["quantity_sellable"], stock["quantity"]) == (6, 6)
    number = next(n for n in shop.generate_orders(30) if "BAG-01" in dict(shop.orders[n]["lines"]))
    (stock,) = api._product("BAG-01", item)["inventory"]["warehouse_stocks"]
    assert stock["quantity_sellable"] == shop.available("BAG-01") < 6
    assert stock["quantity"] == shop.available("BAG-01") + shop.reserved("BAG-01")
    assert shop.orders[number]["location"] == WAREHOUSE_ID


def test_shopify_inventory_levels_per_location_and_the_variant_total():
    shop = Shop(seed=3, locations=("main", 655441492))
    api = ShopifyApi(shop)
    item = shop.items["TEE-L"]
    inventory_item = item["model_id"] + api.inventory_offset
    for location, available in ((LOCATION_ID, 7), (655441492, 3)):
        body = {"inventory_item_id": inventory_item, "location_id": location, "available": available}
        status, answer, _headers = api._set_inventory_level({"body": body})
        assert (status, answer["inventory_level"]["available"]) == (200, available)
    assert [location["id"] for location in api._locations({})[1]["locations"]] == [LOCATION_ID, 655441492]
    variant = api.variant(product_ids(shop)["TEE-L"], 1, "TEE-L", item)
    assert variant["inventory_quantity"] == 10
    # An order reduces the stock at once.
    before = shop.available("TEE-L")
    number = next(n for n in shop.generate_orders(30) if "TEE-L" in dict(shop.orders[n]["lines"]))
    assert api.variant(product_ids(shop)["TEE-L"], 1, "TEE-L", item)["inventory_quantity"] < before
    assert (
        api.fulfillment_order(shop.orders[number])["assigned_location_id"] == shop.orders[number]["location"]
    )


def test_woocommerce_one_stock_quantity():
    shop = Shop(seed=3)
    api = WooCommerceApi(shop)
    product_id = product_ids(shop)["CAP-01"]
    assert api._update(product_id, None, {"stock_quantity": 0})["stock_status"] == "outofstock"
    assert shop.available("CAP-01") == 0
    updated = api._update(product_id, None, {"stock_quantity": 4})
    assert (updated["stock_quantity"], updated["stock_status"]) == (4, "instock")
    for order_id in shop.generate_orders(30):
        assert dict(shop.orders[order_id]["lines"]).get("CAP-01", 0) <= 4
    assert 0 <= shop.available("CAP-01") <= 4
