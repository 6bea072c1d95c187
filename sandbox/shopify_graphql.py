"""Shopify's GraphQL Admin API (``POST /admin/api/<version>/graphql.json``) over the store the REST
side shows: the shop, locations, orders (cursor pages, the ``query:`` search syntax on
``updated_at``/``created_at``/``id``/``status``/``financial_status``/``fulfillment_status``, sort
keys), one order by id with its line items, fulfilment orders, fulfilments and refunds, product
variants, ``inventorySetQuantities``, ``productVariantsBulkUpdate`` (price and compare-at price: a
promotion is the price, the regular one struck through beside it), ``fulfillmentCreate`` and
webhook subscriptions. Ids are GraphQL ids (``gid://shopify/Order/123``).

Errors are GraphQL's (``errors: [{message, extensions: {code}}]``, HTTP 200); a mutation's refusals
are its ``userErrors``. Calls are paid for in points, per app and shop, from a bucket of 2000
restoring 100 a second (the Standard plan's published rate): a query asking for more than is left is
answered THROTTLED, one asking for more than 1000 is refused whatever is left, and every answer
carries ``extensions.cost``. A query is charged what it asks for, then given back what it did not use.
A webhook subscription made here is where the store's pushes go (``on_subscribe``).
"""

import base64
import binascii
import json
import re
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

from .graphql import Execution, Field, GraphQLError, parse, requested_cost
from .platform import numeric_id, order_id_of
from .storefront import product_ids

MAX_COST = 1000  # no single query may ask for more
MUTATION_COST = 10
QUERY_ROOTS = ("shop", "locations", "orders", "order", "productVariants", "webhookSubscriptions")
MUTATION_ROOTS = (
    "inventorySetQuantities",
    "productVariantsBulkUpdate",
    "fulfillmentCreate",
    "fulfillmentEventCreate",
    "webhookSubscriptionCreate",
)
# What a fulfilment's tracking may say (FulfillmentEventStatus).
FULFILLMENT_EVENT_STATUSES = ("ATTEMPTED_DELIVERY", "CARRIER_PICKED_UP", "CONFIRMED", "DELAYED", "DELIVERED",
                              "FAILURE", "IN_TRANSIT", "LABEL_PRINTED", "LABEL_PURCHASED",
                              "OUT_FOR_DELIVERY", "PICKED_UP", "READY_FOR_PICKUP")  # fmt: skip
ORDER_SORT_KEYS = {
    "ID": "id",
    "UPDATED_AT": "update_time",
    "CREATED_AT": "create_time",
    "PROCESSED_AT": "create_time",
}
SEARCH = re.compile(r"""\s*(?:(AND)\b|(\w+):(<=|>=|<|>)?('[^']*'|"[^"]*"|[^\s]+))""")
INVENTORY_REASONS = (
    "correction",
    "cycle_count_available",
    "damaged",
    "movement_created",
    "movement_received",
    "movement_updated",
    "other",
    "promotion",
    "quality_control",
    "received",
    "reservation_created",
    "reservation_deleted",
    "reservation_updated",
    "restock",
    "safety_stock",
    "shrinkage",
)
WEBHOOK_TOPICS = (
    "ORDERS_CREATE",
    "ORDERS_UPDATED",
    "ORDERS_CANCELLED",
    "ORDERS_PAID",
    "ORDERS_FULFILLED",
    "REFUNDS_CREATE",
    "PRODUCTS_UPDATE",
    "INVENTORY_LEVELS_UPDATE",
    "APP_UNINSTALLED",
)


def gid(kind, number):
    return f"gid://shopify/{kind}/{number}"


def gid_number(value, kind):
    """The number in a GraphQL id of this kind, or None."""
    match = re.fullmatch(rf"gid://shopify/{kind}/(\d+)", value if isinstance(value, str) else "")
    return int(match.group(1)) if match else None


class ShopifyGraphql:
    def __init__(self, api, refusal, maximum=2000.0, restore_rate=100.0):
        """``refusal``: the exception class the store's own steps refuse with."""
        self.api, self.refusal, self.maximum, self.restore_rate = api, refusal, maximum, restore_rate
        self.available, self.restored_at = maximum, None
        self.subscriptions = []
        self.fulfillment_events = {}  # fulfilment id → its events, oldest first
        self.on_subscribe = None  # called with a new subscription's URL

    def handle(self, body):
        """The JSON answer to one GraphQL request (its HTTP status is 200)."""
        document, variables = body.get("query"), body.get("variables") or {}
        if not isinstance(document, str) or not isinstance(variables, dict):
            return {"errors": [_error("A query string and a variables object are required", "BAD_REQUEST")]}
        try:
            operations = parse(document)
            if len(operations) != 1:
                raise GraphQLError("Send one operation per request", "BAD_REQUEST")
            kind, declared, selections = operations[0]
            # A declared variable not given takes its default, or null; one used but not declared is refused.
            variables = {**declared, **{name: value for name, value in variables.items() if name in declared}}
            roots = MUTATION_ROOTS if kind == "mutation" else QUERY_ROOTS
            for selection in selections:
                if selection.name not in roots:
                    root = "Mutation" if kind == "mutation" else "QueryRoot"
                    raise GraphQLError(
                        f"Field '{selection.name}' doesn't exist on type '{root}'", "undefinedField"
                    )
            cost = (
                MUTATION_COST * len(selections)
                if kind == "mutation"
                else requested_cost(selections, variables)
            )
        except GraphQLError as error:
            return {"errors": [_error(error.message, error.code)]}
        if cost > MAX_COST:
            message = f"Query cost is {cost}, which exceeds the single query max cost limit ({MAX_COST})."
            return {"errors": [_error(message, "MAX_COST_EXCEEDED")], "extensions": self._cost(cost, None)}
        self._restore()
        if cost > self.available:
            throttled = _error("Throttled", "THROTTLED")
            throttled["extensions"]["documentation"] = "https://shopify.dev/api/usage/rate-limits"
            return {"errors": [throttled], "extensions": self._cost(cost, None)}
        self.available -= cost
        execution = Execution(variables)
        root = self._mutation_root() if kind == "mutation" else self._query_root()
        try:
            data = execution.select(root, selections, kind)
        except GraphQLError as error:
            self.available += cost
            return {"errors": [_error(error.message, error.code)], "extensions": self._cost(cost, None)}
        actual = cost if kind == "mutation" else min(cost, execution.cost - 1)  # the root is free
        self.available = min(self.maximum, self.available + cost - actual)  # what was not used comes back
        return {"data": data, "extensions": self._cost(cost, actual)}

    def _restore(self):
        now = self.api.clock()
        if self.restored_at is not None:
            self.available = min(self.maximum, self.available + (now - self.restored_at) * self.restore_rate)
        self.restored_at = now

    def _cost(self, requested, actual):
        status = {
            "maximumAvailable": self.maximum,
            "currentlyAvailable": int(self.available),
            "restoreRate": self.restore_rate,
        }
        return {
            "cost": {"requestedQueryCost": requested, "actualQueryCost": actual, "throttleStatus": status}
        }

    # ------------------------------------------------------------------ queries

    def _query_root(self):
        api = self.api
        shop = {
            "__typename": "Shop",
            "id": gid("Shop", 548380009),
            "name": api.shop_name,
            "email": "shop@example.com",
            "myshopifyDomain": api.domain,
            "currencyCode": "VND",
            "ianaTimezone": "Asia/Ho_Chi_Minh",
        }
        locations = [
            {
                "__typename": "Location",
                "id": gid("Location", place),
                "name": api.location(place)["name"],
                "isActive": True,
                "legacyResourceId": str(place),
            }
            for place in api.shop.locations
        ]
        return {
            "__typename": "QueryRoot",
            "shop": shop,
            "locations": Field(lambda arguments, run: connection(locations, arguments, run, _by_id)),
            "orders": Field(self._orders),
            "order": Field(self._order),
            "productVariants": Field(
                lambda arguments, run: connection(self._variants(), arguments, run, _by_id)
            ),
            "webhookSubscriptions": Field(self._subscriptions),
        }

    def _subscriptions(self, arguments, run):
        """The app's webhook subscriptions, those of some ``topics`` or to one ``callbackUrl`` if asked."""
        found = [
            subscription
            for subscription in self.subscriptions
            if subscription["topic"] in (arguments.get("topics") or [subscription["topic"]])
            and arguments.get("callbackUrl") in (None, subscription["callbackUrl"])
        ]
        return connection(found, arguments, run, _by_id)

    def _orders(self, arguments, run):
        sort = arguments.get("sortKey") or "ID"
        if sort not in ORDER_SORT_KEYS:
            raise GraphQLError(
                f"Argument 'sortKey' has an invalid value ({sort}).", "argumentLiteralsIncompatible"
            )
        terms = _search(arguments.get("query") or "")
        orders = [order for order in self.api.shop.orders.values() if self._matches(order, terms)]

        def key(order):
            number = numeric_id(order["id"])
            return (number,) if sort == "ID" else (order[ORDER_SORT_KEYS[sort]], number)

        return connection(orders, arguments, run, key, shape=self.order)

    def _matches(self, order, terms):
        needs_shown = any(
            name in ("financial_status", "fulfillment_status", "status") for name, *_rest in terms
        )
        shown = self.api.order(order) if needs_shown else None
        for name, operator, value in terms:
            if name in ("updated_at", "created_at"):
                moment = order["update_time" if name == "updated_at" else "create_time"]
                bound = _moment(value)
                if not {
                    "<": moment < bound,
                    "<=": moment <= bound,
                    ">": moment > bound,
                    ">=": moment >= bound,
                    "": moment == bound,
                }[operator]:
                    return False
            elif name == "id":
                if not value.isdigit() or numeric_id(order["id"]) != int(value):
                    return False
            elif name == "financial_status" and shown["financial_status"] != value.lower():
                return False
            elif (
                name == "fulfillment_status" and (shown["fulfillment_status"] or "unshipped") != value.lower()
            ):
                return False
            elif name == "status":
                closed = shown["closed_at"] is not None
                if {"open": closed, "closed": not closed, "cancelled": not shown["cancelled_at"]}.get(
                    value, False
                ):
                    return False
        return True

    def _order(self, arguments, run):
        number = gid_number(arguments.get("id"), "Order")
        if number is None:
            raise GraphQLError(f"Invalid global id '{arguments.get('id')}'", "argumentLiteralsIncompatible")
        found = self.api.shop.orders.get(order_id_of(number))
        return self.order(found) if found else None

    def order(self, order):
        """The order as the GraphQL Admin API shows it: the REST order's facts in GraphQL's shape."""
        api, shown = self.api, self.api.order(order)
        number = shown["id"]
        lines = [self._line(item) for item in shown["line_items"]]
        refunds = [
            self._refund(order, found, lines)
            for found in api.shop.order_returns(order["id"])
            if found["status"] == "REFUND_PAID"
        ]
        financial = shown["financial_status"].upper()
        if order["status"] == "TO_RETURN":  # refunded once the refunds say so
            refunded = sum(line["quantity"] for refund in refunds for line in refund["_lines"])
            bought = sum(line["quantity"] for line in lines)
            financial = "REFUNDED" if refunded >= bought else ("PARTIALLY_REFUNDED" if refunds else "PAID")
        address = shown["shipping_address"]
        customer = shown["customer"]
        fulfillments = [
            _fulfillment(record, self.fulfillment_events.get(record["id"], []))
            for record in api.fulfillments.get(order["id"], [])
        ]
        fulfillment_order = self._fulfillment_order(order, lines)
        return {
            "__typename": "Order",
            "id": gid("Order", number),
            "legacyResourceId": str(number),
            "name": shown["name"],
            "email": shown["email"],
            "phone": shown["phone"],
            "note": shown["note"],
            "createdAt": _utc(shown["created_at"]),
            "updatedAt": _utc(shown["updated_at"]),
            "processedAt": _utc(shown["processed_at"]),
            "cancelledAt": _utc(shown["cancelled_at"]),
            "cancelReason": (shown["cancel_reason"] or "").upper() or None,
            "closedAt": _utc(shown["closed_at"]),
            "closed": shown["closed_at"] is not None,
            "confirmed": True,
            "test": False,
            "tags": [],
            "currencyCode": "VND",
            "presentmentCurrencyCode": "VND",
            "displayFinancialStatus": financial,
            "displayFulfillmentStatus": "FULFILLED" if shown["fulfillment_status"] else "UNFULFILLED",
            "paymentGatewayNames": shown["payment_gateway_names"],
            "sourceName": "web",
            "customer": {
                "__typename": "Customer",
                "id": gid("Customer", customer["id"]),
                "firstName": customer["first_name"],
                "lastName": customer["last_name"],
                "email": customer["email"],
                "phone": customer["phone"],
            },
            "shippingAddress": _address(address),
            "billingAddress": _address(shown["billing_address"]),
            **{
                f"{name}Set": _money_bag(shown[f"{key}_set"]["shop_money"]["amount"])
                for name, key in (
                    ("subtotalPrice", "subtotal_price"),
                    ("totalPrice", "total_price"),
                    ("totalDiscounts", "total_discounts"),
                    ("totalTax", "total_tax"),
                    ("totalShippingPrice", "total_shipping_price"),
                    ("currentTotalPrice", "current_total_price"),
                )
            },
            "totalOutstandingSet": _money_bag(shown["total_outstanding"]),
            "lineItems": Field(lambda arguments, run: connection(lines, arguments, run, _by_id)),
            "shippingLines": Field(
                lambda arguments, run: connection(
                    [_shipping_line(line) for line in shown["shipping_lines"]], arguments, run, _by_id
                )
            ),
            "fulfillments": Field(
                lambda arguments, run: fulfillments[: arguments.get("first", len(fulfillments))]
            ),
            "fulfillmentOrders": Field(
                lambda arguments, run: connection([fulfillment_order], arguments, run, _by_id)
            ),
            "refunds": Field(lambda arguments, run: refunds[: arguments.get("first", len(refunds))]),
        }

    def _line(self, item):
        sku, variant = item["sku"], self.api.shop.items[item["sku"]]["model_id"]
        return {
            "__typename": "LineItem",
            "id": item["admin_graphql_api_id"],
            "sku": sku,
            "name": item["name"],
            "title": item["title"],
            "variantTitle": item["variant_title"],
            "vendor": item["vendor"],
            "quantity": item["quantity"],
            "currentQuantity": item["current_quantity"],
            "requiresShipping": True,
            "taxable": True,
            "originalUnitPriceSet": _money_bag(item["price"]),
            "discountedUnitPriceSet": _money_bag(item["price"]),
            "totalDiscountSet": _money_bag(item["total_discount"]),
            "variant": {
                "__typename": "ProductVariant",
                "id": gid("ProductVariant", variant),
                "sku": sku,
                "legacyResourceId": str(variant),
            },
        }

    def _refund(self, order, found, lines):
        by_sku = {line["sku"]: line for line in lines}
        refund_lines = [
            {
                "__typename": "RefundLineItem",
                "quantity": quantity,
                "restockType": "RETURN",
                "lineItem": by_sku[sku],
                "subtotalSet": _money_bag(self.api.shop.unit_price(order, sku) * quantity),
            }
            for sku, quantity in found["lines"]
        ]
        moment = datetime.fromtimestamp(found["update_time"], timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {
            "__typename": "Refund",
            "id": gid("Refund", int(found["id"])),
            "createdAt": moment,
            "note": found["reason"],
            "totalRefundedSet": _money_bag(found["refund_amount"]),
            "refundLineItems": Field(lambda arguments, run: connection(refund_lines, arguments, run, None)),
            "_lines": refund_lines,
        }

    def _fulfillment_order(self, order, lines):
        rest = self.api.fulfillment_order(order)
        return {
            "__typename": "FulfillmentOrder",
            "id": gid("FulfillmentOrder", rest["id"]),
            "status": rest["status"].upper(),
            "assignedLocation": {
                "__typename": "FulfillmentOrderAssignedLocation",
                "location": {"__typename": "Location", "id": gid("Location", order["location"])},
            },
            "lineItems": Field(
                lambda arguments, run: connection(
                    [
                        {
                            "__typename": "FulfillmentOrderLineItem",
                            "id": gid("FulfillmentOrderLineItem", entry["id"]),
                            "totalQuantity": entry["quantity"],
                            "remainingQuantity": entry["fulfillable_quantity"],
                            "lineItem": line,
                        }
                        for entry, line in zip(rest["line_items"], lines, strict=True)
                    ],
                    arguments,
                    run,
                    _by_id,
                )
            ),
        }

    def _variants(self):
        rows, ids = [], product_ids(self.api.shop)
        for sku, item in self.api.shop.items.items():
            variant = self.api.variant(ids[sku], 1, sku, item)
            siblings = sum(1 for other in ids.values() if other == ids[sku])
            rows.append(
                {
                    "__typename": "ProductVariant",
                    "id": gid("ProductVariant", variant["id"]),
                    "legacyResourceId": str(variant["id"]),
                    "title": variant["title"],
                    "sku": sku,
                    "barcode": variant["barcode"],
                    "price": variant["price"],
                    "compareAtPrice": variant["compare_at_price"],
                    "inventoryQuantity": variant["inventory_quantity"],
                    "inventoryItem": {
                        "__typename": "InventoryItem",
                        "id": gid("InventoryItem", variant["inventory_item_id"]),
                        "sku": sku,
                        "tracked": True,
                    },
                    "product": {
                        "__typename": "Product",
                        "id": gid("Product", ids[sku]),
                        "title": item["name"],
                        "variantsCount": {"__typename": "Count", "count": siblings, "precision": "EXACT"},
                    },
                }
            )
        return rows

    # ------------------------------------------------------------------ mutations

    def _mutation_root(self):
        return {
            "__typename": "Mutation",
            "inventorySetQuantities": Field(self._set_quantities),
            "productVariantsBulkUpdate": Field(self._update_variants),
            "fulfillmentCreate": Field(self._fulfillment_create),
            "fulfillmentEventCreate": Field(self._fulfillment_event_create),
            "webhookSubscriptionCreate": Field(self._subscribe),
        }

    def _set_quantities(self, arguments, run):
        """Absolute quantities, all or none: any refused one and nothing changes."""
        given = arguments.get("input") or {}
        problems, changes = [], []
        if given.get("name") not in ("available", "on_hand"):
            problems.append(
                (
                    ["input", "name"],
                    "The quantity name must be either 'available' or 'on_hand'.",
                    "INVALID_NAME",
                )
            )
        if given.get("reason") not in INVENTORY_REASONS:
            problems.append((["input", "reason"], "The specified reason is invalid.", "INVALID_REASON"))
        shop = self.api.shop
        skus = {item["model_id"] + self.api.inventory_offset: sku for sku, item in shop.items.items()}
        for index, entry in enumerate(given.get("quantities") or []):
            field = ["input", "quantities", str(index)]
            sku = skus.get(gid_number(entry.get("inventoryItemId"), "InventoryItem"))
            location = gid_number(entry.get("locationId"), "Location")
            quantity = entry.get("quantity")
            if sku is None:
                problems.append(
                    (
                        [*field, "inventoryItemId"],
                        "The specified inventory item could not be found.",
                        "INVALID_INVENTORY_ITEM",
                    )
                )
            elif location not in shop.locations:
                problems.append(
                    ([*field, "locationId"], "The specified location could not be found.", "INVALID_LOCATION")
                )
            elif not isinstance(quantity, int) or isinstance(quantity, bool):
                problems.append(
                    ([*field, "quantity"], "The quantity must be an integer.", "INVALID_QUANTITY")
                )
            elif not given.get("ignoreCompareQuantity") and entry.get("compareQuantity") != shop.available(
                sku, location
            ):
                problems.append(
                    (
                        [*field, "compareQuantity"],
                        "The compareQuantity argument no longer matches the persisted quantity.",
                        "COMPARE_QUANTITY_STALE",
                    )
                )
            else:
                changes.append((sku, location, quantity, entry))
        if problems:
            return {
                "__typename": "InventorySetQuantitiesPayload",
                "inventoryAdjustmentGroup": None,
                "userErrors": [_user_error(*problem) for problem in problems],
            }
        shown = []
        for sku, location, quantity, entry in changes:
            shown.append(
                {
                    "__typename": "InventoryChange",
                    "name": given["name"],
                    "delta": quantity - shop.available(sku, location),
                    "quantityAfterChange": quantity,
                    "item": {"__typename": "InventoryItem", "id": entry["inventoryItemId"]},
                    "location": {"__typename": "Location", "id": entry["locationId"]},
                }
            )
            shop.set_stock(sku, quantity, location)
        group = {
            "__typename": "InventoryAdjustmentGroup",
            "id": gid("InventoryAdjustmentGroup", int(self.api.clock())),
            "reason": given["reason"],
            "createdAt": _now(),
            "changes": shown,
        }
        return {
            "__typename": "InventorySetQuantitiesPayload",
            "inventoryAdjustmentGroup": group,
            "userErrors": [],
        }

    def _update_variants(self, arguments, run):
        product = gid_number(arguments.get("productId"), "Product")
        ids, problems, changes = product_ids(self.api.shop), [], []
        for index, entry in enumerate(arguments.get("variants") or []):
            number = gid_number(entry.get("id"), "ProductVariant")
            sku, item = self.api.find_item("model_id", number) if number else (None, None)
            if not item or ids[sku] != product:
                problems.append(
                    (
                        ["variants", str(index), "id"],
                        "Product variant does not exist",
                        "PRODUCT_VARIANT_DOES_NOT_EXIST",
                    )
                )
                continue
            # compareAtPrice: a money string, or null to take it away. Shopify asks nothing of it beside
            # the price (a compare-at price not above the price is taken; storefronts show no sale then).
            prices, problem = {}, None
            for field, label in (("price", "Price"), ("compareAtPrice", "Compare at price")):
                if entry.get(field) is None:
                    continue
                try:
                    prices[field] = Decimal(str(entry[field]))
                except InvalidOperation:
                    problem = (["variants", str(index), field], f"{label} is not a number", "INVALID")
                    break
                if prices[field] < 0:
                    message = f"{label} must be greater than or equal to 0"
                    problem = (["variants", str(index), field], message, "GREATER_THAN_OR_EQUAL_TO")
                    break
            if problem:
                problems.append(problem)
                continue
            if "compareAtPrice" in entry:
                prices.setdefault("compareAtPrice", None)
            changes.append((item, prices))
        if problems:
            return {
                "__typename": "ProductVariantsBulkUpdatePayload",
                "productVariants": None,
                "userErrors": [_user_error(*problem) for problem in problems],
            }
        for item, prices in changes:
            if "compareAtPrice" in prices:
                item["compare_at_price"] = prices["compareAtPrice"]
            if "price" in prices:
                price = prices["price"]
                item["price"] = int(price) if price == price.to_integral_value() else float(price)
        changed = {item["model_id"] for item, _prices in changes}
        variants = [row for row in self._variants() if gid_number(row["id"], "ProductVariant") in changed]
        return {
            "__typename": "ProductVariantsBulkUpdatePayload",
            "productVariants": variants,
            "userErrors": [],
        }

    def _fulfillment_create(self, arguments, run):
        given = arguments.get("fulfillment") or {}
        wanted = [
            gid_number(entry.get("fulfillmentOrderId"), "FulfillmentOrder")
            for entry in given.get("lineItemsByFulfillmentOrder") or []
        ]
        tracking = given.get("trackingInfo") or {}
        try:
            record = self.api.fulfil(
                wanted, tracking.get("number"), tracking.get("company"), tracking.get("url")
            )
        except self.refusal as error:  # the store's refusal, said as a user error
            message = (
                "; ".join(map(str, error.errors)) if isinstance(error.errors, list) else str(error.errors)
            )
            return {
                "__typename": "FulfillmentCreatePayload",
                "fulfillment": None,
                "userErrors": [_user_error(["fulfillment"], message, None)],
            }
        return {
            "__typename": "FulfillmentCreatePayload",
            "fulfillment": _fulfillment(record, []),
            "userErrors": [],
        }

    def _fulfillment_event_create(self, arguments, run):
        """A tracking event of a fulfilment (the store or its carrier telling the buyer where the
        parcel is); events are not checked against each other."""
        given = arguments.get("fulfillmentEvent") or {}
        number = gid_number(given.get("fulfillmentId"), "Fulfillment")
        known = any(
            record["id"] == number for records in self.api.fulfillments.values() for record in records
        )
        problems = []
        if not known:
            problems.append((["fulfillmentEvent", "fulfillmentId"], "Fulfillment does not exist.", None))
        if given.get("status") not in FULFILLMENT_EVENT_STATUSES:
            problems.append((["fulfillmentEvent", "status"], "Status is not included in the list", None))
        if problems:
            return {
                "__typename": "FulfillmentEventCreatePayload",
                "fulfillmentEvent": None,
                "userErrors": [_user_error(*problem) for problem in problems],
            }
        events = self.fulfillment_events.setdefault(number, [])
        event = {
            "__typename": "FulfillmentEvent",
            "id": gid("FulfillmentEvent", 8_000_000_000 + sum(map(len, self.fulfillment_events.values()))),
            "status": given["status"],
            "message": given.get("message"),
            "happenedAt": given.get("happenedAt") or _now(),
            "createdAt": _now(),
        }
        events.append(event)
        return {"__typename": "FulfillmentEventCreatePayload", "fulfillmentEvent": event, "userErrors": []}

    def _subscribe(self, arguments, run):
        topic, given = arguments.get("topic"), arguments.get("webhookSubscription") or {}
        url = given.get("callbackUrl") or given.get("uri")
        problems = []
        if topic not in WEBHOOK_TOPICS:
            problems.append(
                (["topic"], f"Topic {topic} is not a webhook topic this app may subscribe to", None)
            )
        if not isinstance(url, str) or not re.match(r"https?://", url):
            problems.append((["webhookSubscription", "callbackUrl"], "Address is invalid", None))
        elif any((kept["topic"], kept["callbackUrl"]) == (topic, url) for kept in self.subscriptions):
            problems.append(
                (
                    ["webhookSubscription", "callbackUrl"],
                    "Address for this topic has already been taken",
                    None,
                )
            )
        if problems:
            return {
                "__typename": "WebhookSubscriptionCreatePayload",
                "webhookSubscription": None,
                "userErrors": [_user_error(*problem) for problem in problems],
            }
        subscription = {
            "__typename": "WebhookSubscription",
            "id": gid("WebhookSubscription", 9_000_000 + len(self.subscriptions)),
            "topic": topic,
            "format": given.get("format") or "JSON",
            "createdAt": _now(),
            "callbackUrl": url,  # deprecated for endpoint, still read
            "endpoint": {"__typename": "WebhookHttpEndpoint", "callbackUrl": url},
        }
        self.subscriptions.append(subscription)
        if self.on_subscribe:
            self.on_subscribe(url)
        return {
            "__typename": "WebhookSubscriptionCreatePayload",
            "webhookSubscription": subscription,
            "userErrors": [],
        }


def connection(rows, arguments, run, key, shape=None):
    """A page of ``rows`` as a connection (``nodes``, ``edges``, ``pageInfo``), after or before an
    opaque cursor; ``key(row)`` orders the rows, ``reverse`` turns them round; ``shape(row)`` is the
    node shown for a row of the page."""
    first, last = arguments.get("first"), arguments.get("last")
    if (
        (first is None) == (last is None)
        or not isinstance(first or last, int)
        or not 0 < (first or last) <= 250
    ):
        raise GraphQLError("You must provide one of first or last, from 1 to 250", "BAD_REQUEST")
    if key:
        rows = sorted(rows, key=key, reverse=bool(arguments.get("reverse")))
    keys = [json.dumps(key(row) if key else index) for index, row in enumerate(rows)]
    start, end = 0, len(rows)
    for name, bound in (("after", "start"), ("before", "end")):
        if arguments.get(name) is not None:
            try:
                place = keys.index(base64.b64decode(arguments[name], validate=True).decode())
            except (ValueError, binascii.Error):
                raise GraphQLError(
                    f"Invalid cursor for current pagination sort: {arguments[name]}", "BAD_REQUEST"
                ) from None
            start, end = (place + 1, end) if bound == "start" else (start, place)
    window = list(range(start, end))
    window = window[:first] if first else window[-last:]
    run.cost += 2
    cursor = [base64.b64encode(keys[index].encode()).decode() for index in window]
    nodes = [(shape or dict)(rows[index]) for index in window]
    page = {
        "__typename": "PageInfo",
        "hasNextPage": bool(window) and window[-1] + 1 < end,
        "hasPreviousPage": bool(window) and window[0] > start,
        "startCursor": cursor[0] if cursor else None,
        "endCursor": cursor[-1] if cursor else None,
    }
    edges = [
        {"__typename": "Edge", "cursor": mark, "node": node} for mark, node in zip(cursor, nodes, strict=True)
    ]
    return {"__typename": "Connection", "nodes": nodes, "edges": edges, "pageInfo": page}


def _by_id(row):
    return (row["id"],)


def _search(text):
    """``[(field, operator, value)]`` of a search query (``updated_at:>='2024-05-01T00:00:00Z' AND
    status:open``); terms are joined by AND."""
    terms, position = [], 0
    text = text.strip()
    while position < len(text):
        match = SEARCH.match(text, position)
        if not match:
            raise GraphQLError(f"Invalid search query near {text[position : position + 20]!r}", "BAD_REQUEST")
        position = match.end()
        if match.group(1):
            continue
        value = match.group(4)
        if value[:1] in "'\"" and value[-1:] == value[:1]:
            value = value[1:-1]
        terms.append((match.group(2), match.group(3) or "", value))
    return terms


def _moment(value):
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise GraphQLError(f"Invalid date in the search query: {value}", "BAD_REQUEST") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def _utc(value):
    if not value:
        return None
    return datetime.fromisoformat(value).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _money_bag(amount):
    money = {"__typename": "MoneyV2", "amount": f"{Decimal(str(amount)):.1f}", "currencyCode": "VND"}
    return {"__typename": "MoneyBag", "shopMoney": money, "presentmentMoney": money}


def _address(address):
    return {
        "__typename": "MailingAddress",
        "firstName": address["first_name"],
        "lastName": address["last_name"],
        "phone": address["phone"],
        "address1": address["address1"],
        "address2": address["address2"],
        "city": address["city"],
        "province": address["province"],
        "country": address["country"],
        "countryCodeV2": address["country_code"],
        "zip": address["zip"],
    }


def _shipping_line(line):
    return {
        "__typename": "ShippingLine",
        "id": gid("ShippingLine", line["id"]),
        "code": line["code"],
        "title": line["title"],
        "originalPriceSet": _money_bag(line["price"]),
    }


def _fulfillment(record, events):
    tracking = (
        [
            {
                "__typename": "FulfillmentTrackingInfo",
                "number": record["tracking_number"],
                "company": record["tracking_company"],
                "url": record["tracking_url"],
            }
        ]
        if record["tracking_number"]
        else []
    )
    return {
        "__typename": "Fulfillment",
        "id": gid("Fulfillment", record["id"]),
        "name": record["name"],
        "status": record["status"].upper(),
        "createdAt": _utc(record["created_at"]),
        "trackingInfo": Field(lambda arguments, run: tracking[: arguments.get("first", len(tracking))]),
        "events": Field(lambda arguments, run: connection(events, arguments, run, None)),
    }


def _user_error(field, message, code):
    return {"__typename": "UserError", "field": field, "message": message, "code": code}


def _error(message, code):
    return {"message": message, "extensions": {"code": code}}
