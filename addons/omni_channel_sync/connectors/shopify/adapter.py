"""Shopify's GraphQL Admin API over HTTP (a pinned version): orders, listings, stock, prices,
fulfilment. No ORM here.

A store connects through a custom app: the channel keeps the store's URL and the app's Admin API
access token, sent in ``X-Shopify-Access-Token`` (such tokens do not expire). Every call is one
GraphQL document to ``graphql.json``; lists are walked through their connection's cursor. Shopify
charges each query in points: a query it throttles is sent again once the points it asked for are
back (``extensions.cost.throttleStatus``), a few times, then the job tries later.
"""

from datetime import datetime, timezone
from decimal import Decimal

from ..base import SELLING, Adapter, PricePromotions
from ..errors import ChannelError

API_VERSION = "2025-04"  # fulfillmentCreate takes a FulfillmentInput from this version
# Pages sized so that one query asks for fewer than the 1000 points Shopify allows a single query:
# 5 orders of up to 20 lines each; an order with more lines is read again alone, up to 100.
ORDER_PAGE, ORDER_LINES, MAX_ORDER_LINES = 5, 20, 100
VARIANT_PAGE, STOCK_BATCH = 250, 250

ORDER_FIELDS = """
  id name email phone note createdAt updatedAt cancelledAt closedAt currencyCode
  displayFinancialStatus displayFulfillmentStatus paymentGatewayNames
  customer { id firstName lastName email phone }
  shippingAddress { firstName lastName phone address1 address2 city province countryCodeV2 }
  totalDiscountsSet { shopMoney { amount } }
  shippingLines(first: 2) { nodes { originalPriceSet { shopMoney { amount } } } }
  lineItems(first: $lines) {
    pageInfo { hasNextPage }
    nodes {
      id sku title variantTitle quantity variant { id }
      originalUnitPriceSet { shopMoney { amount } } totalDiscountSet { shopMoney { amount } }
    }
  }
  fulfillments(first: 2) { trackingInfo(first: 1) { number } }
  refunds(first: 2) {
    id totalRefundedSet { shopMoney { amount } }
    refundLineItems(first: 10) { nodes { quantity lineItem { id } } }
  }
"""
ORDERS_QUERY = (
    "query Orders($search: String!, $after: String, $lines: Int!) {"
    f" orders(first: {ORDER_PAGE}, after: $after, query: $search, sortKey: UPDATED_AT) {{"
    f" pageInfo {{ hasNextPage endCursor }} nodes {{ {ORDER_FIELDS} }} }} }}"
)
ORDER_QUERY = f"query Order($id: ID!, $lines: Int!) {{ order(id: $id) {{ {ORDER_FIELDS} }} }}"
VARIANTS_QUERY = (
    "query Variants($after: String) {"
    f" productVariants(first: {VARIANT_PAGE}, after: $after) {{ pageInfo {{ hasNextPage endCursor }}"
    " nodes { id title sku barcode price compareAtPrice inventoryQuantity inventoryItem { id }"
    " product { id title } } } }"
)
LOCATIONS_QUERY = "query { locations(first: 10) { nodes { id isActive } } }"
SHOP_QUERY = "query { shop { name } }"
FULFILMENT_QUERY = """query Fulfilment($id: ID!) { order(id: $id) {
  fulfillmentOrders(first: 10) { nodes { id status } }
  fulfillments(first: 10) { trackingInfo(first: 1) { number } } } }"""
SET_QUANTITIES = """mutation SetQuantities($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup { id } userErrors { field message code } } }"""
UPDATE_VARIANTS = """mutation UpdatePrices($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants) {
    productVariants { id } userErrors { field message code } } }"""
CREATE_FULFILMENT = """mutation Ship($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id trackingInfo(first: 1) { number } } userErrors { field message } } }"""
FULFILMENT_EVENTS = """query Fulfilments($id: ID!) { order(id: $id) {
  fulfillments(first: 10) { id events(first: 50) { nodes { status } } } } }"""
CREATE_FULFILMENT_EVENT = """mutation DeliveryFailed($event: FulfillmentEventInput!) {
  fulfillmentEventCreate(fulfillmentEvent: $event) {
    fulfillmentEvent { id } userErrors { field message } } }"""
OPEN_FULFILMENT = ("OPEN", "IN_PROGRESS")
# What the store pushes: its orders' news (a refund updates its order) and the app's removal.
WEBHOOK_TOPICS = ("ORDERS_CREATE", "ORDERS_UPDATED", "ORDERS_CANCELLED", "APP_UNINSTALLED")
WEBHOOKS_QUERY = """query Webhooks($url: URL!, $topics: [WebhookSubscriptionTopic!]) {
  webhookSubscriptions(first: 10, callbackUrl: $url, topics: $topics) { nodes { topic } } }"""
SUBSCRIBE_WEBHOOK = """mutation Subscribe(
  $topic: WebhookSubscriptionTopic!, $webhook: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhook) {
    webhookSubscription { id topic } userErrors { field message } } }"""


class ShopifyAdapter(PricePromotions, Adapter):
    PLATFORM = "Shopify"
    RATE_LIMIT_WAITS = 5  # the bucket holds 40 calls: a stock push of a few hundred items meets it
    CAPABILITIES = SELLING | {"webhook_orders", "subscribe_webhooks", "delivery_failed", "push_promotion",
                              "end_promotion"}  # fmt: skip
    # A promotion is the variant's price, the regular one its compare-at price (struck through beside
    # it): Shopify has no dates for them, Odoo sets them when the promotion starts and ends.
    PROMOTION_WINDOW = False

    def __init__(self, base_url, *args, **kwargs):
        super().__init__(base_url if "://" in base_url else f"https://{base_url}", *args, **kwargs)

    # ------------------------------------------------------------------ orders

    def fetch_orders(self, since, until):
        """``[(order,)]`` for every order updated in [since, until], cancelled and closed ones too."""
        search = updated_between(since, until)
        orders = self._all("orders", ORDERS_QUERY, {"search": search, "lines": ORDER_LINES})
        return [(self._whole(order),) for order in {order["id"]: order for order in orders}.values()]

    def webhook_orders(self, payload):
        """An ``orders/*`` webhook names the order; it is read as the API shows it now."""
        if not isinstance(payload, dict) or "line_items" not in payload:
            return []
        order_id = payload.get("admin_graphql_api_id") or _gid("Order", payload.get("id"))
        order = self._query(ORDER_QUERY, {"id": order_id, "lines": MAX_ORDER_LINES})["order"]
        return [(order,)] if order else []

    def ship_order(self, order_ref, tracking_number, carrier):
        """Fulfil what is left of the order with this tracking number (the buyer is told). An order
        fulfilled already keeps its fulfilment: its tracking number is answered."""
        order = self._query(FULFILMENT_QUERY, {"id": _gid("Order", order_ref)})["order"]
        if not order:
            raise ChannelError(f"Shopify has no order {order_ref}")
        open_ones = [
            {"fulfillmentOrderId": fulfillment_order["id"]}
            for fulfillment_order in order["fulfillmentOrders"]["nodes"]
            if fulfillment_order["status"] in OPEN_FULFILMENT
        ]
        if not open_ones:
            numbers = [info["number"] for done in order["fulfillments"] for info in done["trackingInfo"]]
            if not order["fulfillments"]:
                raise ChannelError(f"Shopify order {order_ref} has nothing left to fulfil")
            return {"tracking_number": (numbers or [""])[-1]}
        fulfillment = {
            "lineItemsByFulfillmentOrder": open_ones,
            "trackingInfo": {"number": tracking_number, "company": carrier or None},
            "notifyCustomer": True,
        }
        answer = self._query(CREATE_FULFILMENT, {"fulfillment": fulfillment})["fulfillmentCreate"]
        if answer["userErrors"]:
            raise ChannelError(f"Shopify refused the fulfilment: {_user_errors(answer['userErrors'])}")
        tracking = answer["fulfillment"]["trackingInfo"]
        return {"tracking_number": tracking[0]["number"] if tracking else tracking_number}

    def delivery_failed(self, order_ref, note):
        """The parcel came back to the sender: its fulfilment's tracking says FAILURE, with ``note``
        (once)."""
        order = self._query(FULFILMENT_EVENTS, {"id": _gid("Order", order_ref)})["order"]
        if not order or not order["fulfillments"]:
            raise ChannelError(f"Shopify order {order_ref} has no fulfilment to mark failed")
        fulfillment = order["fulfillments"][-1]
        if any(event["status"] == "FAILURE" for event in fulfillment["events"]["nodes"]):
            return {}
        event = {"fulfillmentId": fulfillment["id"], "status": "FAILURE", "message": note}
        answer = self._query(CREATE_FULFILMENT_EVENT, {"event": event})["fulfillmentEventCreate"]
        if answer["userErrors"]:
            raise ChannelError(f"Shopify refused the failed delivery: {_user_errors(answer['userErrors'])}")
        return {}

    def _whole(self, order):
        """The order with all its lines: one with more than a page holds is read again alone."""
        if not order["lineItems"]["pageInfo"]["hasNextPage"]:
            return order
        order = self._query(ORDER_QUERY, {"id": order["id"], "lines": MAX_ORDER_LINES})["order"]
        if order["lineItems"]["pageInfo"]["hasNextPage"]:
            raise ChannelError(f"Shopify order {order['name']} has more than {MAX_ORDER_LINES} lines")
        return order

    # ------------------------------------------------------------------ shop and listings

    def test_connection(self):
        return {"shop_name": self._query(SHOP_QUERY)["shop"]["name"]}

    def subscribe_webhooks(self, url):
        """Have the store push to ``url`` (signed with the app's secret) each topic of
        ``WEBHOOK_TOPICS`` it does not push there yet; the topics subscribed now."""
        found = self._query(WEBHOOKS_QUERY, {"url": url, "topics": list(WEBHOOK_TOPICS)})
        pushed = {node["topic"] for node in found["webhookSubscriptions"]["nodes"]}
        added = [topic for topic in WEBHOOK_TOPICS if topic not in pushed]
        for topic in added:
            webhook = {"callbackUrl": url, "format": "JSON"}
            answer = self._query(SUBSCRIBE_WEBHOOK, {"topic": topic, "webhook": webhook})
            errors = answer["webhookSubscriptionCreate"]["userErrors"]
            if errors:
                raise ChannelError(f"Shopify refused the webhook {topic}: {_user_errors(errors)}")
        return added

    def fetch_listings(self):
        variants = self._variants()
        siblings = _siblings(variants)
        return [_listing(variant, siblings[variant["product"]["id"]] > 1) for variant in variants]

    def push_stock(self, entries):
        """Stock is set, absolute, per inventory item at the store's first active location, a batch of
        items per call."""
        locations = self._query(LOCATIONS_QUERY)["locations"]["nodes"]
        location = next((place["id"] for place in locations if place["isActive"]), None)
        if not location:
            raise ChannelError("Shopify store has no active location to keep stock at")

        def set_quantities(batch):
            quantities = [
                {"inventoryItemId": variant["inventoryItem"]["id"], "locationId": location,
                 "quantity": int(entry["quantity"])}
                for entry, variant in batch
            ]  # fmt: skip
            given = {"name": "available", "reason": "correction", "ignoreCompareQuantity": True,
                     "quantities": quantities}  # fmt: skip
            return self._query(SET_QUANTITIES, {"input": given})["inventorySetQuantities"]["userErrors"]

        found, results = self._match(entries)
        for start in range(0, len(found), STOCK_BATCH):
            results.update(_all_or_none(found[start : start + STOCK_BATCH], set_quantities))
        return [results[index] for index in range(len(entries))]

    def push_prices(self, entries):
        return self._set_prices(entries, lambda entry: {"price": _money(entry["price"])})

    def _promote(self, entries, promotion):
        prices = {"price": "promotion_price", "compareAtPrice": "price"}
        return self._set_prices(
            entries, lambda entry: {field: _money(entry[key]) for field, key in prices.items()}
        )

    def _revert(self, entries, promotion):
        return self._set_prices(
            entries, lambda entry: {"price": _money(entry["price"]), "compareAtPrice": None}
        )

    def _set_prices(self, entries, prices_of):
        """Prices (``prices_of(entry)``: the variant's fields) are set per product, its variants in one
        call."""

        def set_prices(batch):
            variants = [{"id": variant["id"], **prices_of(entry)} for entry, variant in batch]
            product = batch[0][1]["product"]["id"]
            answer = self._query(UPDATE_VARIANTS, {"productId": product, "variants": variants})
            return answer["productVariantsBulkUpdate"]["userErrors"]

        found, results = self._match(entries)
        products = {}
        for pair in found:
            products.setdefault(pair[1][1]["product"]["id"], []).append(pair)
        for batch in products.values():
            results.update(_all_or_none(batch, set_prices))
        return [results[index] for index in range(len(entries))]

    def _match(self, entries):
        """``([(position, (entry, variant))], {position: result})``: the store's variant of each entry,
        and the failure of those it does not have."""
        variants = self._variants()
        siblings, index = _siblings(variants), {}
        for variant in variants:
            index[("model", _number(variant["id"]))] = variant
            if variant.get("sku"):
                index.setdefault(("sku", variant["sku"]), variant)
            if siblings[variant["product"]["id"]] == 1:
                index[("item", _number(variant["product"]["id"]))] = variant
        found, results = [], {}
        for position, entry in enumerate(entries):
            variant = (
                index.get(("model", str(entry.get("model_id") or "")))
                or index.get(("sku", entry["sku"]))
                or index.get(("item", str(entry.get("item_id") or "")))
            )
            if variant:
                found.append((position, (entry, variant)))
            else:
                results[position] = {"sku": entry["sku"], "ok": False, "error": "unknown SKU"}
        return found, results

    def _variants(self):
        return self._all("productVariants", VARIANTS_QUERY, {})

    # ------------------------------------------------------------------ HTTP

    def _all(self, root, document, variables):
        """Every node of a connection, following its cursor."""
        nodes, after = [], None
        while True:
            page = self._query(document, {**variables, "after": after})[root]
            nodes += page["nodes"]
            if not page["pageInfo"]["hasNextPage"]:
                return nodes
            after = page["pageInfo"]["endCursor"]

    def _query(self, document, variables=None):
        """The ``data`` of one GraphQL request."""
        return self._call("POST", "/graphql.json", body={"query": document, "variables": variables or {}})

    def _sign(self, method, path, params, body):
        if not self.tokens.get("access_token"):
            raise ChannelError("Shopify needs the Admin API access token of the store's app", auth=True)
        headers = {"X-Shopify-Access-Token": self.tokens["access_token"]}
        return {"url": f"{self.base_url}/admin/api/{API_VERSION}{path}", "headers": headers, "json": body}

    def _wait(self, response):
        """A rate limit, or a query throttled until the points it asks for are back."""
        wait = super()._wait(response)
        if wait is None and response.ok and "THROTTLED" in _error_codes(self._json(response)):
            return _throttle_wait(response.json())
        return wait

    def _answer(self, response):
        answer = super()._answer(response)
        if answer.get("errors"):
            raise ChannelError(f"Shopify refused: {_errors(response)}", code=_error_codes(answer)[0])
        return answer["data"]

    def _describe(self, response):
        return _errors(response)


def _error_codes(answer):
    return [(error.get("extensions") or {}).get("code") for error in answer.get("errors") or []]


def _all_or_none(batch, send_batch):
    """``{position: result}`` of a mutation that changes all of ``batch`` ``[(position, (entry,
    variant))]`` or nothing: the entries its ``userErrors`` name fail, the others are sent again."""
    results = {}
    while batch:
        errors = send_batch([pair for _position, pair in batch])
        if not errors:
            results.update({position: {"sku": entry["sku"], "ok": True, "error": ""}
                            for position, (entry, _variant) in batch})  # fmt: skip
            break
        refused = {}
        for error in errors:
            spot = next((int(part) for part in error.get("field") or [] if str(part).isdigit()), None)
            refused.setdefault(spot, []).append(error["message"])
        if None in refused or not set(refused) <= set(range(len(batch))):  # not said of one entry: all fail
            message = "; ".join(message for messages in refused.values() for message in messages)
            results.update({position: {"sku": entry["sku"], "ok": False, "error": message}
                            for position, (entry, _variant) in batch})  # fmt: skip
            break
        for spot, messages in refused.items():
            position, (entry, _variant) = batch[spot]
            results[position] = {"sku": entry["sku"], "ok": False, "error": "; ".join(messages)}
        batch = [pair for spot, pair in enumerate(batch) if spot not in refused]
    return results


def _throttle_wait(answer):
    """Seconds until the points the query asked for are back."""
    cost = (answer.get("extensions") or {}).get("cost") or {}
    status = cost.get("throttleStatus") or {}
    missing = float(cost.get("requestedQueryCost") or 0) - float(status.get("currentlyAvailable") or 0)
    return max(1.0, missing) / float(status.get("restoreRate") or 50)


def _money(amount):
    return f"{Decimal(str(amount)):.2f}"


def _listing(variant, several):
    """The price is the regular one: the compare-at price above the price, when there is one (a sale)."""
    product = variant["product"]
    price, compare_at = float(variant.get("price") or 0), float(variant.get("compareAtPrice") or 0)
    return {
        "item_id": _number(product["id"]),
        # A product without options still has one (default) variant: it is the product itself.
        "model_id": _number(variant["id"]) if several else "",
        "sku": variant.get("sku") or "",
        "barcode": variant.get("barcode") or "",
        "name": " - ".join(filter(None, (product["title"], variant.get("title") if several else ""))),
        "price": max(price, compare_at),
        "sale_price": price,
        "quantity": float(variant.get("inventoryQuantity") or 0),
    }


def _siblings(variants):
    """How many variants each product has."""
    counts = {}
    for variant in variants:
        counts[variant["product"]["id"]] = counts.get(variant["product"]["id"], 0) + 1
    return counts


def _gid(kind, number):
    return f"gid://shopify/{kind}/{number}"


def _number(gid):
    """The number at the end of a GraphQL id (``gid://shopify/Order/123`` → ``"123"``)."""
    return str(gid).rsplit("/", 1)[-1]


def _user_errors(errors):
    return "; ".join(error["message"] for error in errors)


def _errors(response):
    """Shopify's ``errors``: a sentence, GraphQL's list of errors, or sentences per field."""
    try:
        errors = response.json().get("errors")
    except ValueError:
        return f"HTTP {response.status_code}"
    if isinstance(errors, dict):
        return "; ".join(
            f"{field}: {', '.join(map(str, problems)) if isinstance(problems, list) else problems}"
            for field, problems in errors.items()
        )
    if isinstance(errors, list):
        return "; ".join(
            error.get("message", "") if isinstance(error, dict) else str(error) for error in errors
        )
    return str(errors or f"HTTP {response.status_code}")


def updated_between(since, until):
    """The orders' search query (Shopify's search syntax) of those updated in [since, until]."""
    return f"updated_at:>='{_iso(since)}' AND updated_at:<='{_iso(until)}'"


def _iso(seconds):
    return datetime.fromtimestamp(int(seconds), timezone.utc).isoformat()
