"""Shopify's own Python client (ShopifyAPI) talks GraphQL to the simulated store: through a
``shopify.Session`` of the app, its ``shopify.GraphQL()`` client sends every query and mutation our
adapter sends, with variables shaped as the adapter shapes them, and the answers are read back. The
documents are the adapter's own (imported, not copied): what passes here is what the adapter sends.
"""

import json
import urllib.error

import pytest
import shopify
from connectors.shopify.adapter import (
    API_VERSION,
    CREATE_FULFILMENT,
    FULFILMENT_QUERY,
    LOCATIONS_QUERY,
    MAX_ORDER_LINES,
    ORDER_LINES,
    ORDER_QUERY,
    ORDERS_QUERY,
    SET_QUANTITIES,
    SHOP_QUERY,
    SUBSCRIBE_WEBHOOK,
    UPDATE_VARIANTS,
    VARIANTS_QUERY,
    WEBHOOK_TOPICS,
    WEBHOOKS_QUERY,
    updated_between,
)

from sandbox.platform import numeric_id

HOUR = 3600


class SimulatedStore(shopify.Session):
    """The app's session on a store: the API version and the token are the client's, the store's
    address is the simulator's (under its ``/shopify`` prefix) where a real store has a host of its own."""

    def __init__(self, address, token):
        super().__init__("omni-sandbox.myshopify.com", API_VERSION, token)
        self.address = address

    @property
    def site(self):
        return self.version.api_path(self.address)


@pytest.fixture
def graphql(simulator):
    """``run(document, **variables)``: the ``data`` of the answer of ShopifyAPI's GraphQL client."""
    session = SimulatedStore(f"{simulator.url}/shopify", simulator.shopify.access_token)
    shopify.ShopifyResource.activate_session(session)
    client = shopify.GraphQL()
    assert client.endpoint == f"{simulator.url}/shopify/admin/api/2025-04/graphql.json"

    def run(document, **variables):
        answer = json.loads(client.execute(document, variables))
        assert "errors" not in answer, answer
        return answer["data"]

    yield run
    shopify.ShopifyResource.clear_session()


def gid(kind, number):
    return f"gid://shopify/{kind}/{number}"


def test_shop_and_its_active_location(simulator, graphql):
    assert graphql(SHOP_QUERY)["shop"]["name"] == simulator.shopify.shop_name
    locations = graphql(LOCATIONS_QUERY)["locations"]["nodes"]
    assert locations == [
        {"id": gid("Location", place), "isActive": True} for place in sorted(simulator.shopify.shop.locations)
    ]


def test_a_wrong_token_is_refused(simulator, graphql):
    shopify.ShopifyResource.activate_session(
        SimulatedStore(f"{simulator.url}/shopify", "shpat_not_the_token")
    )
    with pytest.raises(urllib.error.HTTPError) as refusal:
        shopify.GraphQL().execute(SHOP_QUERY)
    assert refusal.value.code == 401


def test_orders_paged_by_the_search_query_with_their_contents(simulator, graphql):
    shop = simulator.shopify.shop
    start = shop.now
    shop.generate_orders(6, spread_seconds=HOUR)
    middle = start + HOUR // 2
    shop.generate_orders(7, spread_seconds=HOUR)
    search = updated_between(middle, shop.now)
    nodes, after, pages = [], None, 0
    while True:
        page = graphql(ORDERS_QUERY, search=search, lines=ORDER_LINES, after=after)["orders"]
        nodes += page["nodes"]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    expected = {number for number, order in shop.orders.items() if middle <= order["update_time"] <= shop.now}
    assert {node["id"] for node in nodes} == {gid("Order", numeric_id(number)) for number in expected}
    assert pages == -(-len(expected) // 5), "pages of 5 orders"
    moments = [node["updatedAt"] for node in nodes]
    assert moments == sorted(moments), "sorted by UPDATED_AT"
    for node in nodes:
        order = shop.orders[
            next(number for number in expected if gid("Order", numeric_id(number)) == node["id"])
        ]
        shown = simulator.shopify.order(order)
        assert node["name"] == shown["name"] and node["currencyCode"] == "VND"
        assert [(line["sku"], line["quantity"]) for line in node["lineItems"]["nodes"]] == [
            tuple(line) for line in order["lines"]
        ]
        assert node["lineItems"]["pageInfo"] == {"hasNextPage": False}
        for line in node["lineItems"]["nodes"]:
            price = line["originalUnitPriceSet"]["shopMoney"]["amount"]
            assert float(price) == shop.items[line["sku"]]["price"]
            assert line["variant"] == {"id": gid("ProductVariant", shop.items[line["sku"]]["model_id"])}
        assert node["customer"]["phone"] == shown["customer"]["phone"]
        assert node["shippingAddress"]["countryCodeV2"] == "VN"
        assert node["displayFinancialStatus"] == shown["financial_status"].upper()
        assert (node["fulfillments"], node["refunds"], node["cancelledAt"]) == ([], [], None)


def test_one_order_by_id_with_all_its_lines(simulator, graphql):
    shop = simulator.shopify.shop
    (number,) = shop.generate_orders(1)
    skus = sorted(shop.items)
    shop.orders[number]["lines"] = [(skus[index % len(skus)], 1) for index in range(25)]
    first = graphql(ORDER_QUERY, id=gid("Order", numeric_id(number)), lines=ORDER_LINES)["order"]
    assert len(first["lineItems"]["nodes"]) == ORDER_LINES and first["lineItems"]["pageInfo"]["hasNextPage"]
    whole = graphql(ORDER_QUERY, id=gid("Order", numeric_id(number)), lines=MAX_ORDER_LINES)["order"]
    assert len(whole["lineItems"]["nodes"]) == 25 and not whole["lineItems"]["pageInfo"]["hasNextPage"]
    assert graphql(ORDER_QUERY, id=gid("Order", 1), lines=ORDER_LINES) == {"order": None}


def variants(graphql):
    """Every product variant, page after page, by their SKU."""
    found, after = [], None
    while True:
        page = graphql(VARIANTS_QUERY, after=after)["productVariants"]
        found += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return {variant["sku"]: variant for variant in found}
        after = page["pageInfo"]["endCursor"]


def test_variants_then_stock_and_prices_set(simulator, graphql):
    shop = simulator.shopify.shop
    listed = variants(graphql)
    assert set(listed) == set(shop.items)
    tee, mug = listed["TEE-L"], listed["MUG-01"]
    assert (tee["barcode"], tee["inventoryQuantity"]) == (
        shop.items["TEE-L"]["barcode"],
        shop.available("TEE-L"),
    )
    (location,) = [node["id"] for node in graphql(LOCATIONS_QUERY)["locations"]["nodes"] if node["isActive"]]

    def stock(*pairs):
        quantities = [
            {"inventoryItemId": variant["inventoryItem"]["id"], "locationId": location, "quantity": count}
            for variant, count in pairs
        ]
        given = {
            "name": "available",
            "reason": "correction",
            "ignoreCompareQuantity": True,
            "quantities": quantities,
        }
        return graphql(SET_QUANTITIES, input=given)["inventorySetQuantities"]

    done = stock((tee, 7), (mug, 3))
    assert done["userErrors"] == [] and done["inventoryAdjustmentGroup"]["id"].startswith("gid://shopify/")
    assert (shop.available("TEE-L"), shop.available("MUG-01")) == (7, 3)
    stranger = {**mug, "inventoryItem": {"id": gid("InventoryItem", 1)}}
    refused = stock((tee, 9), (stranger, 1))
    assert [error["field"] for error in refused["userErrors"]] == [
        ["input", "quantities", "1", "inventoryItemId"]
    ]
    assert shop.available("TEE-L") == 7, "all or nothing"

    def prices(product, *pairs):
        given = [{"id": variant["id"], "price": price} for variant, price in pairs]
        return graphql(UPDATE_VARIANTS, productId=product, variants=given)["productVariantsBulkUpdate"]

    changed = prices(tee["product"]["id"], (tee, "123000.00"))
    assert changed == {"productVariants": [{"id": tee["id"]}], "userErrors": []}
    refused = prices(mug["product"]["id"], (mug, "-5.00"))
    assert refused["productVariants"] is None
    assert [(error["field"], error["code"]) for error in refused["userErrors"]] == [
        (["variants", "0", "price"], "GREATER_THAN_OR_EQUAL_TO")
    ]
    again = variants(graphql)
    assert (again["TEE-L"]["price"], again["TEE-L"]["inventoryQuantity"]) == ("123000.00", 7)
    assert again["MUG-01"]["price"] == mug["price"]


def test_fulfilment_orders_then_a_fulfilment_with_its_tracking(simulator, graphql):
    shop = simulator.shopify.shop
    (number,) = shop.generate_orders(1)
    shop.advance(number, "READY_TO_SHIP")
    order_id = gid("Order", numeric_id(number))
    order = graphql(FULFILMENT_QUERY, id=order_id)["order"]
    (open_one,) = order["fulfillmentOrders"]["nodes"]
    assert (open_one["status"], order["fulfillments"]) == ("OPEN", [])
    fulfillment = {
        "lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": open_one["id"]}],
        "trackingInfo": {"number": "GHN123456", "company": "GHN"},
        "notifyCustomer": True,
    }
    created = graphql(CREATE_FULFILMENT, fulfillment=fulfillment)["fulfillmentCreate"]
    assert created["userErrors"] == [] and created["fulfillment"]["trackingInfo"] == [{"number": "GHN123456"}]
    assert shop.orders[number]["status"] == "SHIPPED"
    order = graphql(FULFILMENT_QUERY, id=order_id)["order"]
    assert order["fulfillmentOrders"]["nodes"] == [{"id": open_one["id"], "status": "CLOSED"}]
    assert order["fulfillments"] == [{"trackingInfo": [{"number": "GHN123456"}]}]
    twice = graphql(CREATE_FULFILMENT, fulfillment=fulfillment)["fulfillmentCreate"]
    assert twice["fulfillment"] is None and twice["userErrors"], "nothing left to fulfil"


def test_webhooks_subscribed_once_each(simulator, graphql):
    url = "https://odoo.example.com/omni/webhook/shopify-shop"
    assert graphql(WEBHOOKS_QUERY, url=url, topics=list(WEBHOOK_TOPICS)) == {
        "webhookSubscriptions": {"nodes": []}
    }
    webhook = {"callbackUrl": url, "format": "JSON"}
    created = graphql(SUBSCRIBE_WEBHOOK, topic="ORDERS_UPDATED", webhook=webhook)["webhookSubscriptionCreate"]
    assert created["userErrors"] == [] and created["webhookSubscription"]["topic"] == "ORDERS_UPDATED"
    assert simulator.webhooks.urls["shopify"] == url, "the store pushes there"
    listed = graphql(WEBHOOKS_QUERY, url=url, topics=list(WEBHOOK_TOPICS))["webhookSubscriptions"]["nodes"]
    assert listed == [{"topic": "ORDERS_UPDATED"}]
    assert graphql(WEBHOOKS_QUERY, url="https://elsewhere.example.com/hook", topics=None) == {
        "webhookSubscriptions": {"nodes": []}
    }
    again = graphql(SUBSCRIBE_WEBHOOK, topic="ORDERS_UPDATED", webhook=webhook)["webhookSubscriptionCreate"]
    assert again["webhookSubscription"] is None
    assert [error["message"] for error in again["userErrors"]] == [
        "Address for this topic has already been taken"
    ]
