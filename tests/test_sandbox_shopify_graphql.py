"""The simulator's GraphQL Admin API, as any client sees it: queries with variables and cursor pages
over the store the REST side shows, errors and user errors in GraphQL's shape, unknown fields
refused, and the query cost bucket (2000 points, 100 back a second) throttling a query that asks
for more than is left."""

from datetime import datetime, timezone

import requests

from sandbox.platform import numeric_id

ORDERS = """query Orders($after: String, $search: String) {
  orders(first: 2, after: $after, query: $search, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id name updatedAt lineItems(first: 5) { nodes { sku quantity } } } } } }"""


def graphql(sim, query, variables=None, token=None):
    """The JSON answer (HTTP 200, as Shopify answers GraphQL) to one request."""
    response = requests.post(
        f"{sim.url}/shopify/admin/api/2025-01/graphql.json",
        json={"query": query, "variables": variables or {}},
        headers={"X-Shopify-Access-Token": token or sim.shopify.access_token},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_orders_page_by_cursor_within_an_updated_at_window(simulator):
    numbers = simulator.shopify.shop.generate_orders(7, spread_seconds=700)
    moments = sorted(simulator.shopify.shop.orders[number]["update_time"] for number in numbers)
    low, high = moments[1], moments[-2]
    search = f"updated_at:>='{_utc(low)}' AND updated_at:<='{_utc(high)}'"  # the first and last are outside
    seen, after, pages = [], None, 0
    while True:
        answer = graphql(simulator, ORDERS, {"after": after, "search": search})
        page = answer["data"]["orders"]
        seen += [edge["node"] for edge in page["edges"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    expected = [n for n in numbers if low <= simulator.shopify.shop.orders[n]["update_time"] <= high]
    assert [node["id"] for node in seen] == [f"gid://shopify/Order/{numeric_id(n)}" for n in expected]
    assert pages == 3 and all(node["lineItems"]["nodes"] for node in seen)
    assert [node["updatedAt"] for node in seen] == sorted(node["updatedAt"] for node in seen)
    cost = answer["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 2 + 2 * (1 + 2 + 5), "2 orders (1 each) of 5 lines (a connection)"
    assert cost["actualQueryCost"] < cost["requestedQueryCost"]
    assert cost["throttleStatus"]["maximumAvailable"] == 2000.0
    assert cost["throttleStatus"]["restoreRate"] == 100.0
    refused = graphql(simulator, ORDERS, {"after": "bm90IGEgY3Vyc29y"})
    assert refused["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_one_order_by_id_with_its_fulfilment_orders(simulator):
    (number,) = simulator.shopify.shop.generate_orders(1)
    query = """query($id: ID!) { order(id: $id) { id legacyResourceId displayFinancialStatus
      totalPriceSet { shopMoney { amount currencyCode } }
      fulfillmentOrders(first: 1) { nodes { id status } } } }"""
    order = graphql(simulator, query, {"id": f"gid://shopify/Order/{numeric_id(number)}"})["data"]["order"]
    assert order["legacyResourceId"] == str(numeric_id(number))
    assert order["totalPriceSet"]["shopMoney"]["currencyCode"] == "VND"
    assert order["fulfillmentOrders"]["nodes"][0]["id"].startswith("gid://shopify/FulfillmentOrder/")
    assert graphql(simulator, query, {"id": "gid://shopify/Order/1"})["data"]["order"] is None
    bad_id = graphql(simulator, query, {"id": "123"})
    assert "Invalid global id" in bad_id["errors"][0]["message"]


def test_unknown_fields_and_bad_documents_are_refused(simulator):
    unknown_root = graphql(simulator, "{ customers(first: 1) { nodes { id } } }")
    assert unknown_root["errors"] == [
        {
            "message": "Field 'customers' doesn't exist on type 'QueryRoot'",
            "extensions": {"code": "undefinedField"},
        }
    ]
    assert "data" not in unknown_root
    unknown_field = graphql(simulator, "{ shop { name planName } }")
    assert unknown_field["errors"][0]["message"] == "Field 'planName' doesn't exist on type 'Shop'"
    unknown_mutation = graphql(simulator, 'mutation { orderCancel(orderId: "x") { job { id } } }')
    assert unknown_mutation["errors"][0]["extensions"]["code"] == "undefinedField"
    broken = graphql(simulator, "{ shop { name }")
    assert broken["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    undeclared = graphql(simulator, "query { order(id: $id) { id } }")
    assert undeclared["errors"][0]["extensions"]["code"] == "variableNotDefined"
    refused = requests.post(
        f"{simulator.url}/shopify/admin/api/2025-01/graphql.json",
        json={"query": "{ shop { name } }"},
        headers={"X-Shopify-Access-Token": "shpat_not_the_token"},
        timeout=10,
    )
    assert refused.status_code == 401


def test_a_query_asking_more_than_is_left_is_throttled(simulator):
    now = [1_000_000.0]
    simulator.shopify.clock = lambda: now[0]
    variants = "{ productVariants(first: 250) { nodes { id inventoryItem { id } } } }"  # 2 + 250 * 2
    assert graphql(simulator, variants)["extensions"]["cost"]["requestedQueryCost"] == 502
    simulator.shopify.graphql.available = 400.0
    throttled = graphql(simulator, variants)
    assert throttled["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert throttled["extensions"]["cost"] == {
        "requestedQueryCost": 502,
        "actualQueryCost": None,
        "throttleStatus": {"maximumAvailable": 2000.0, "currentlyAvailable": 400, "restoreRate": 100.0},
    }
    now[0] += 1.02  # 102 points back
    answer = graphql(simulator, variants)
    assert "errors" not in answer and len(answer["data"]["productVariants"]["nodes"]) == len(
        simulator.shopify.shop.items
    )
    too_big = graphql(
        simulator,
        "{ productVariants(first: 250) {"
        " nodes { inventoryItem { id } product { variantsCount { count } } } } }",
    )
    assert too_big["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"


def test_mutations_answer_user_errors_and_change_all_or_nothing(simulator):
    shop = simulator.shopify.shop
    tee = shop.items["TEE-M"]
    before = (shop.available("TEE-M"), shop.available("CAP-01"))
    inventory = "gid://shopify/InventoryItem/{}"
    location = f"gid://shopify/Location/{simulator.shopify.location_id}"
    mutation = """mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) {
      inventoryAdjustmentGroup { changes { name delta quantityAfterChange } }
      userErrors { field message code } } }"""
    given = {
        "name": "available",
        "reason": "correction",
        "ignoreCompareQuantity": True,
        "quantities": [
            {
                "inventoryItemId": inventory.format(tee["model_id"] + 800_000_000),
                "locationId": location,
                "quantity": 5,
            },
            {"inventoryItemId": inventory.format(1), "locationId": location, "quantity": 5},
        ],
    }
    answer = graphql(simulator, mutation, {"input": given})["data"]["inventorySetQuantities"]
    assert answer["inventoryAdjustmentGroup"] is None
    assert answer["userErrors"] == [
        {
            "field": ["input", "quantities", "1", "inventoryItemId"],
            "message": "The specified inventory item could not be found.",
            "code": "INVALID_INVENTORY_ITEM",
        }
    ]
    assert (shop.available("TEE-M"), shop.available("CAP-01")) == before
    given["quantities"] = given["quantities"][:1]
    answer = graphql(simulator, mutation, {"input": given})
    (change,) = answer["data"]["inventorySetQuantities"]["inventoryAdjustmentGroup"]["changes"]
    assert change == {"name": "available", "delta": 5 - before[0], "quantityAfterChange": 5}
    assert answer["extensions"]["cost"]["requestedQueryCost"] == 10, "a mutation costs 10"
    stale = dict(given, ignoreCompareQuantity=False)
    stale["quantities"] = [dict(given["quantities"][0], compareQuantity=4)]
    errors = graphql(simulator, mutation, {"input": stale})["data"]["inventorySetQuantities"]["userErrors"]
    assert errors[0]["code"] == "COMPARE_QUANTITY_STALE"
    subscribe = """mutation($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) {
      webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) {
        webhookSubscription { id topic endpoint { callbackUrl } } userErrors { field message } } }"""
    created = graphql(
        simulator,
        subscribe,
        {"topic": "ORDERS_UPDATED", "sub": {"callbackUrl": "https://odoo.example.com/omni/webhook/x"}},
    )
    assert created["data"]["webhookSubscriptionCreate"]["userErrors"] == []
    listed = graphql(
        simulator, "{ webhookSubscriptions(first: 5) { nodes { topic endpoint { callbackUrl } } } }"
    )
    assert listed["data"]["webhookSubscriptions"]["nodes"] == [
        {"topic": "ORDERS_UPDATED", "endpoint": {"callbackUrl": "https://odoo.example.com/omni/webhook/x"}}
    ]
    wrong = graphql(simulator, subscribe, {"topic": "ORDERS_EATEN", "sub": {"callbackUrl": "ftp://x"}})
    assert len(wrong["data"]["webhookSubscriptionCreate"]["userErrors"]) == 2
    assert simulator.webhooks.urls["shopify"] == "https://odoo.example.com/omni/webhook/x", "pushes go there"


def _utc(seconds):
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
