"""Shopify Admin REST API (a pinned version, 2024-07), as far as the connector uses it: the shop,
orders (``updated_at`` filters, cursor pages through the ``Link`` header), products and variants,
stock per inventory item and location, variant prices and compare-at prices, and fulfilments with a
tracking number. An order is at the prices of its variants when it was placed.

A custom app's Admin API access token comes in ``X-Shopify-Access-Token``. Calls fill a leaky bucket
(40 calls, leaking 2 a second: the Standard plan); a call that finds it full gets 429 with
``Retry-After``, and every answer says the fill in ``X-Shopify-Shop-Api-Call-Limit``.

``POST /admin/api/<version>/graphql.json`` is the GraphQL Admin API over the same store (see
shopify_graphql.py), with its own cost-based limit.
"""

import base64
import binascii
import json
import re
import secrets
import uuid
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from . import platform_signing as signing
from .platform import PlatformApi, line_id, numeric_id, order_id_of, webhook_body
from .shopify_graphql import ShopifyGraphql
from .storefront import (
    SHIPPING_FEE,
    buyer,
    local_time,
    product_ids,
    products,
    time_filter,
)

API_VERSION = "2024-07"
MAX_LIMIT = 250
LOCATION_ID = 655441491
# Line items and shipping lines have ids of their own, below 2**53 like every Shopify id.
LINE_ITEM_BASE, SHIPPING_LINE_BASE = 13_000_000_000, 4_000_000_000
INVENTORY_ITEM_OFFSET = 800_000_000  # inventory items have ids of their own: the variant's, shifted
FULFILLED = ("PROCESSED", "SHIPPED", "COMPLETED", "TO_RETURN")  # PROCESSED: shipment arranged, tracked
CLOSED = ("COMPLETED", "CANCELLED", "TO_RETURN")
# The values Shopify's order filters take.
FILTER_VALUES = {
    "status": ("open", "closed", "cancelled", "any"),
    "financial_status": ("any", "authorized", "pending", "paid", "partially_paid", "refunded", "voided",
                         "partially_refunded", "unpaid"),
    "fulfillment_status": ("any", "shipped", "partial", "unshipped", "unfulfilled"),
}  # fmt: skip
SETTLED = ("paid", "voided", "refunded")  # nothing left for the buyer to pay
FULFILLMENT_FILTERS = {"any": None, "shipped": ("fulfilled",), "partial": ("partial",),
                       "unshipped": (None,), "unfulfilled": (None, "partial")}  # fmt: skip
UNAUTHORIZED = "[API] Invalid API key or access token (unrecognized login or wrong password)"
THROTTLED = (
    "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."
)
VERSIONED = re.compile(r"^/admin/api/(\d{4}-\d{2}|unstable)(/.*)$")


class ShopifyError(Exception):
    def __init__(self, status, errors):
        super().__init__(str(errors))
        self.status, self.errors = status, errors


class ShopifyApi(PlatformApi):
    def __init__(
        self,
        shop,
        access_token="shpat_sandbox_access_token",
        client_secret="sandbox-shopify-secret",
        prefix="/shopify",
        bucket_size=40,
        leak_rate=2.0,
        **options,
    ):
        super().__init__(shop, access_token_ttl=0, **options)
        shop.name_locations([LOCATION_ID])
        # A custom app's token does not expire.
        self.access_tokens[access_token] = float("inf")
        self.access_token, self.client_secret, self.prefix = access_token, client_secret, prefix
        self.domain = "omni-sandbox.myshopify.com"
        self.bucket_size, self.leak_rate, self.bucket, self.bucket_at = bucket_size, leak_rate, 0.0, 0.0
        self.fulfillment_order_ids, self.fulfillments = {}, {}
        self.location_id, self.inventory_offset = LOCATION_ID, INVENTORY_ITEM_OFFSET
        self.graphql = ShopifyGraphql(self, ShopifyError)

    # ------------------------------------------------------------------ HTTP

    def handle(self, method, path, query, body, headers):
        """``(HTTP status, JSON answer, response headers)`` for one request."""
        answer_headers = {"X-Shopify-API-Version": API_VERSION}
        try:
            versioned = VERSIONED.match(path)
            if not versioned:
                raise ShopifyError(404, "Not Found")
            if not self.token_is_valid(headers.get("x-shopify-access-token")):
                raise ShopifyError(401, UNAUTHORIZED)
            if method == "POST" and versioned.group(2) == "/graphql.json":
                # GraphQL pays in points from a bucket of its own, and says so in its answer.
                return 200, self.graphql.handle(body or {}), answer_headers
            if not self._take_from_bucket():
                answer_headers["Retry-After"] = "2.0"
                raise ShopifyError(429, THROTTLED)
            for verb, pattern, handler in ROUTES:
                match = re.fullmatch(pattern, versioned.group(2))
                if match and verb == method:
                    request = {"query": query, "body": body or {}, "host": headers.get("host", "")}
                    status, answer, extra = handler(self, request, *match.groups())
                    answer_headers.update(extra)
                    break
            else:
                raise ShopifyError(404, "Not Found")
        except ShopifyError as error:
            status, answer = error.status, {"errors": error.errors}
        answer_headers["X-Shopify-Shop-Api-Call-Limit"] = f"{int(self.bucket)}/{self.bucket_size}"
        return status, answer, answer_headers

    def install(self):
        """The app installed again (after ``app/uninstalled``): a new Admin API access token."""
        self.access_token = f"shpat_{secrets.token_hex(16)}"
        self.access_tokens[self.access_token] = float("inf")
        return self.access_token

    def _take_from_bucket(self):
        now = self.clock()
        self.bucket = max(0.0, self.bucket - (now - self.bucket_at) * self.leak_rate)
        self.bucket_at = now
        if self.bucket + 1 > self.bucket_size:
            return False
        self.bucket += 1
        return True

    def _cursor(self, query):
        """``(limit, cursor)`` of a list request. A ``page_info`` (from a ``Link``) carries the first
        request's filters and where its page ended: with it only ``limit`` and ``fields`` may be sent."""
        query = dict(query)
        limit = query.pop("limit", "50")
        if not limit.isdigit() or not 1 <= int(limit) <= MAX_LIMIT:
            raise ShopifyError(400, {"limit": [f"must be between 1 and {MAX_LIMIT}"]})
        query.pop("fields", None)
        if "page_info" not in query:
            return int(limit), {"filters": query}
        if set(query) != {"page_info"}:
            raise ShopifyError(400, {"page_info": ["Only limit and fields may be sent with page_info."]})
        try:
            return int(limit), json.loads(base64.urlsafe_b64decode(query["page_info"]))
        except (ValueError, binascii.Error):
            raise ShopifyError(400, {"page_info": ["Invalid value."]}) from None

    def _page(self, request, resource, rows, key):
        """One page of ``rows`` (sorted by ``key``) and the ``Link`` header to its neighbours."""
        limit, cursor = self._cursor(request["query"])
        keys = [key(row) for row in rows]
        if "after" in cursor:
            start = sum(1 for row_key in keys if row_key <= tuple(cursor["after"]))
            end = start + limit
        elif "before" in cursor:
            end = sum(1 for row_key in keys if row_key < tuple(cursor["before"]))
            start = max(0, end - limit)
        else:
            start, end = 0, limit
        page = rows[start:end]
        base = f"http://{request['host']}{self.prefix}/admin/api/{API_VERSION}/{resource}.json"
        links = []
        for rel, more, edge, row in (
            ("previous", start > 0, "before", page[:1]),
            ("next", end < len(rows), "after", page[-1:]),
        ):
            if more and row:
                page_info = {"filters": cursor["filters"], edge: list(key(row[0]))}
                token = base64.urlsafe_b64encode(json.dumps(page_info).encode()).decode()
                links.append(f'<{base}?{urlencode({"limit": limit, "page_info": token})}>; rel="{rel}"')
        return page, {"Link": ", ".join(links)} if links else {}

    # ------------------------------------------------------------------ shop

    def _shop(self, request):
        return 200, {"shop": self.shop_resource()}, {}

    def shop_resource(self):
        return {"id": 548380009, "name": self.shop_name, "email": "shop@example.com",
                "domain": self.domain, "myshopify_domain": self.domain, "currency": "VND",
                "country_code": "VN", "iana_timezone": "Asia/Ho_Chi_Minh",
                "primary_location_id": LOCATION_ID}  # fmt: skip

    def _locations(self, request):
        return 200, {"locations": [self.location(place) for place in self.shop.locations]}, {}

    def location(self, place):
        """A location of the store, as REST shows it (the first is the store's own in Hà Nội)."""
        name = "Kho Hà Nội" if place == self.shop.location else f"Kho {place}"
        return {"id": place, "name": name, "active": True, "country_code": "VN",
                "province": "Hà Nội", "city": "Hoàn Kiếm"}  # fmt: skip

    # ------------------------------------------------------------------ orders

    def _orders(self, request):
        def sort_key(order):
            moment = order["update_time"] if field == "updated_at" else order["create_time"]
            number = numeric_id(order["id"])
            return (-moment, -number) if descending else (moment, number)

        filters = self._cursor(request["query"])[1]["filters"]
        field, _space, direction = (filters.get("order") or "created_at desc").partition(" ")
        descending = direction != "asc"
        found = sorted(
            (order for order in self.shop.orders.values() if self._selected(order, filters)), key=sort_key
        )
        page, links = self._page(request, "orders", found, sort_key)
        return 200, {"orders": [_fields(self.order(order), request) for order in page]}, links

    def _selected(self, order, filters):
        """Shopify's order filters: ``status``, ``financial_status``, ``fulfillment_status``, ``ids``,
        ``since_id`` and the ``created_at``/``updated_at`` bounds; a value it does not know is refused
        (names it does not know it ignores, as Shopify does)."""
        state = filters.get("status") or "open"
        for name, allowed in FILTER_VALUES.items():
            if filters.get(name, "any") not in allowed:
                raise _invalid_filter(name)
        ids = [part for part in (filters.get("ids") or "").split(",") if part]
        if not all(part.strip().isdigit() for part in ids):
            raise _invalid_filter("ids")
        if not (filters.get("since_id") or "0").isdigit():
            raise _invalid_filter("since_id")
        shown, number = self.order(order), numeric_id(order["id"])
        if ids and number not in {int(part) for part in ids}:
            return False
        if number <= int(filters.get("since_id") or 0):
            return False
        financial = filters.get("financial_status", "any")
        if financial not in ("any", shown["financial_status"]) and not (
            financial == "unpaid" and shown["financial_status"] in ("pending", "authorized", "partially_paid")
        ):
            return False
        wanted = FULFILLMENT_FILTERS[filters.get("fulfillment_status", "any")]
        if wanted is not None and shown["fulfillment_status"] not in wanted:
            return False
        closed = order["status"] in CLOSED
        if (
            (state == "open" and closed)
            or (state == "closed" and not closed)
            or (state == "cancelled" and order["status"] != "CANCELLED")
        ):
            return False
        for name, moment in (("updated_at", order["update_time"]), ("created_at", order["create_time"])):
            low = time_filter(filters, f"{name}_min", _invalid_filter)
            high = time_filter(filters, f"{name}_max", _invalid_filter)
            if (low is not None and moment < low) or (high is not None and moment > high):
                return False
        return True

    def _order_detail(self, request, number):
        return 200, {"order": _fields(self.order(self._find_order(number)), request)}, {}

    def ref(self, order_id):
        return str(numeric_id(order_id))

    def _find_order(self, number):
        order = self.shop.orders.get(order_id_of(number))
        if not order:
            raise ShopifyError(404, "Not Found")
        return order

    def order(self, order):
        """The order as the REST Admin API shows it."""
        number = numeric_id(order["id"])
        status, person = order["status"], buyer(order)
        phone = "+84" + person["phone"][1:]
        fulfilled = status in FULFILLED
        if status == "CANCELLED":
            financial = "voided"
        elif status == "TO_RETURN":
            financial = "refunded"
        elif status == "UNPAID" or (order["cod"] and status != "COMPLETED"):
            financial = "pending"  # cash on delivery is paid when delivered
        else:
            financial = "paid"
        lines = [
            self._line(order, index, sku, quantity, fulfilled)
            for index, (sku, quantity) in enumerate(order["lines"])
        ]
        subtotal = sum(Decimal(line["price"]) * line["quantity"] for line in lines)
        created, changed = (local_time(order[key]).isoformat() for key in ("create_time", "update_time"))
        customer = {"id": order["buyer_id"], "email": person["email"], "phone": phone,
                    "first_name": person["first_name"], "last_name": person["last_name"]}  # fmt: skip
        address = {"first_name": person["first_name"], "last_name": person["last_name"], "phone": phone,
                   "address1": "Số 1 Ngõ 2", "address2": order["address"]["ward"],
                   "city": order["address"]["district"], "province": order["address"]["province"],
                   "country": "Vietnam", "country_code": "VN", "zip": ""}  # fmt: skip
        shipping = {"id": line_id(SHIPPING_LINE_BASE, order["id"], 0), "code": "standard",
                    "title": "Giao hàng tiêu chuẩn", "price": _money(SHIPPING_FEE)}  # fmt: skip
        return {
            "id": number, "admin_graphql_api_id": f"gid://shopify/Order/{number}",
            "name": f"#{_order_number(order)}", "order_number": _order_number(order),
            "email": person["email"], "phone": phone,
            "created_at": created, "updated_at": changed, "processed_at": created,
            "cancelled_at": changed if status == "CANCELLED" else None,
            "cancel_reason": "customer" if status == "CANCELLED" else None,
            "closed_at": changed if status in CLOSED else None,
            "currency": "VND", "presentment_currency": "VND",
            "financial_status": financial, "fulfillment_status": "fulfilled" if fulfilled else None,
            "subtotal_price": _money(subtotal), "total_discounts": "0.00", "total_tax": "0.00",
            "total_price": _money(subtotal + SHIPPING_FEE), "taxes_included": True,
            "payment_gateway_names": ["Cash on Delivery (COD)"] if order["cod"] else ["shopify_payments"],
            "customer": customer, "shipping_address": address, "shipping_lines": [shipping],
            "line_items": lines, "fulfillments": self.fulfillments.get(order["id"], []),
            "tags": "", "note": None,
            # The rest of the Order resource's documented fields.
            "app_id": 580111, "billing_address": address, "browser_ip": None,
            "buyer_accepts_marketing": False, "cart_token": None, "checkout_id": number + 1,
            "checkout_token": f"ck{number}",
            "client_details": None, "confirmation_number": f"C{number % 10**9:09d}", "confirmed": True,
            "contact_email": person["email"], "customer_locale": "vi", "device_id": None,
            "discount_applications": [], "discount_codes": [], "estimated_taxes": False,
            "gateway": "Cash on Delivery (COD)" if order["cod"] else "shopify_payments",
            "landing_site": None, "location_id": None, "merchant_of_record_app_id": None,
            "note_attributes": [], "number": _order_number(order) - 1000,
            "order_status_url": f"https://{self.domain}/{number}/orders/{number:x}/authenticate",
            "payment_terms": None, "po_number": None, "reference": None, "referring_site": None,
            "refunds": [], "source_identifier": None, "source_name": "web", "source_url": None,
            "tax_lines": [], "test": False, "token": f"{number:x}", "total_tip_received": "0.00",
            "total_weight": 300 * sum(line["quantity"] for line in lines), "user_id": None,
            "total_outstanding": _money(0 if financial in SETTLED else subtotal + SHIPPING_FEE),
            "total_line_items_price": _money(subtotal),
            "current_subtotal_price": _money(subtotal), "current_total_discounts": "0.00",
            "current_total_price": _money(subtotal + SHIPPING_FEE), "current_total_tax": "0.00",
            "current_total_duties_set": None, "original_total_duties_set": None,
            "current_total_additional_fees_set": None, "original_total_additional_fees_set": None,
            **{f"{name}_set": _money_set(value) for name, value in (
                ("subtotal_price", subtotal), ("total_discounts", 0), ("total_tax", 0),
                ("total_price", subtotal + SHIPPING_FEE), ("total_line_items_price", subtotal),
                ("total_shipping_price", SHIPPING_FEE), ("current_subtotal_price", subtotal),
                ("current_total_discounts", 0), ("current_total_price", subtotal + SHIPPING_FEE),
                ("current_total_tax", 0))},
        }  # fmt: skip

    def _line(self, order, index, sku, quantity, fulfilled):
        item, order_id, price = self.shop.items[sku], order["id"], self.shop.unit_price(order, sku)
        return {
            "id": line_id(LINE_ITEM_BASE, order_id, index), "product_id": product_ids(self.shop)[sku],
            "variant_id": item["model_id"], "sku": sku, "title": item["name"],
            "variant_title": item["variation"] or None, "quantity": quantity, "price": _money(price),
            "total_discount": "0.00", "fulfillable_quantity": 0 if fulfilled else quantity,
            "fulfillment_status": "fulfilled" if fulfilled else None, "requires_shipping": True,
            # The rest of the line item's documented fields.
            "admin_graphql_api_id": f"gid://shopify/LineItem/{line_id(LINE_ITEM_BASE, order_id, index)}",
            "name": " - ".join(filter(None, (item["name"], item["variation"]))), "vendor": self.shop_name,
            "grams": 300, "gift_card": False, "product_exists": True, "properties": [], "taxable": True,
            "tax_lines": [], "discount_allocations": [], "duties": [], "current_quantity": quantity,
            "variant_inventory_management": "shopify", "fulfillment_service": "manual",
            "price_set": _money_set(price), "total_discount_set": _money_set(0),
        }  # fmt: skip

    # ------------------------------------------------------------------ fulfilment

    def fulfillment_order(self, order):
        fulfillment_order_id = self.fulfillment_order_ids.setdefault(
            order["id"], 6_000_000_000 + len(self.fulfillment_order_ids)
        )
        if order["status"] == "CANCELLED":
            status = "cancelled"
        else:
            status = "closed" if order["status"] in FULFILLED else "open"
        number = numeric_id(order["id"])
        lines = [
            {"id": fulfillment_order_id * 10 + index, "fulfillment_order_id": fulfillment_order_id,
             "line_item_id": line_id(LINE_ITEM_BASE, order["id"], index), "quantity": quantity,
             "fulfillable_quantity": quantity if status == "open" else 0,
             "variant_id": self.shop.items[sku]["model_id"],
             "inventory_item_id": self.shop.items[sku]["model_id"] + INVENTORY_ITEM_OFFSET}
            for index, (sku, quantity) in enumerate(order["lines"])
        ]  # fmt: skip
        return {"id": fulfillment_order_id, "order_id": number, "status": status,
                "assigned_location_id": order["location"], "line_items": lines}  # fmt: skip

    def _fulfillment_orders(self, request, number):
        return 200, {"fulfillment_orders": [self.fulfillment_order(self._find_order(number))]}, {}

    def _order_fulfillments(self, request, number):
        return 200, {"fulfillments": self.fulfillments.get(self._find_order(number)["id"], [])}, {}

    def _fulfill(self, request):
        fulfillment = request["body"].get("fulfillment") or {}
        wanted = [
            entry.get("fulfillment_order_id")
            for entry in fulfillment.get("line_items_by_fulfillment_order") or []
        ]
        tracking = fulfillment.get("tracking_info") or {}
        record = self.fulfil(wanted, tracking.get("number"), tracking.get("company"), tracking.get("url"))
        return 201, {"fulfillment": record}, {}

    def fulfil(self, wanted, number, company, url):
        """Fulfil the open fulfilment orders ``wanted`` (ids) of one order with a tracking number; the
        order ships. The fulfilment's record, as REST shows it."""
        order_ids = {value: key for key, value in self.fulfillment_order_ids.items()}
        if not wanted or any(fulfillment_order_id not in order_ids for fulfillment_order_id in wanted):
            raise ShopifyError(404, "Not Found")
        if len({order_ids[fulfillment_order_id] for fulfillment_order_id in wanted}) != 1:
            raise ShopifyError(422, ["Fulfillment orders must belong to one order."])
        order = self.shop.orders[order_ids[wanted[0]]]
        status = self.fulfillment_order(order)["status"]
        if status != "open":
            raise ShopifyError(422, [f"Fulfillment order {wanted[0]} has an unfulfillable status= {status}."])
        self.shop.advance(order["id"], "SHIPPED", seconds=0)
        done = self.fulfillments.setdefault(order["id"], [])
        now = local_time(self.shop.now).isoformat()
        record = {
            "id": 7_000_000_000 + sum(len(records) for records in self.fulfillments.values()),
            "order_id": numeric_id(order["id"]), "status": "success", "location_id": order["location"],
            "name": f"#{_order_number(order)}.{len(done) + 1}",
            "tracking_company": company, "tracking_number": number,
            "tracking_numbers": [number] if number else [], "tracking_url": url,
            "created_at": now, "updated_at": now,
        }  # fmt: skip
        done.append(record)
        return record

    # ------------------------------------------------------------------ products, stock, prices

    def _product(self, product_id, name, group):
        variants = [
            self.variant(product_id, position, sku, item) for position, (sku, item) in enumerate(group, 1)
        ]
        option = "Size" if group[0][1]["variation"] else "Title"
        return {"id": product_id, "title": name, "handle": f"product-{product_id}", "status": "active",
                "options": [{"name": option, "values": [variant["option1"] for variant in variants]}],
                "variants": variants}  # fmt: skip

    def variant(self, product_id, position, sku, item):
        title = item["variation"] or "Default Title"
        compare_at = item.get("compare_at_price")
        return {"id": item["model_id"], "product_id": product_id, "title": title, "option1": title,
                "position": position, "sku": sku, "barcode": item["barcode"], "price": _money(item["price"]),
                "compare_at_price": None if compare_at is None else _money(compare_at),
                "inventory_item_id": item["model_id"] + INVENTORY_ITEM_OFFSET,
                "inventory_quantity": self.shop.available(sku),
                "inventory_management": "shopify"}  # fmt: skip

    def _products(self, request):
        rows = [self._product(*product) for product in sorted(products(self.shop))]
        page, links = self._page(request, "products", rows, lambda row: (row["id"],))
        return 200, {"products": page}, links

    def _one_product(self, request, product_id):
        for product in products(self.shop):
            if product[0] == int(product_id):
                return 200, {"product": self._product(*product)}, {}
        raise ShopifyError(404, "Not Found")

    def _item_of_variant(self, variant_id):
        sku, item = self.find_item("model_id", variant_id)
        if not item:
            raise ShopifyError(404, "Not Found")
        return sku, item

    def _one_variant(self, request, variant_id):
        sku, item = self._item_of_variant(variant_id)
        return 200, {"variant": self.variant(product_ids(self.shop)[sku], 1, sku, item)}, {}

    def _update_variant(self, request, variant_id):
        _sku, item = self._item_of_variant(variant_id)
        changes = request["body"].get("variant") or {}
        prices = {}
        for field in ("price", "compare_at_price"):
            if changes.get(field) is None:  # a compare-at price of null takes it away
                continue
            try:
                prices[field] = Decimal(str(changes[field]))
            except InvalidOperation:
                raise ShopifyError(422, {field: ["is not a number"]}) from None
            if prices[field] < 0:
                raise ShopifyError(422, {field: ["must be greater than or equal to 0"]})
        if "compare_at_price" in changes:
            item["compare_at_price"] = prices.get("compare_at_price")
        if "price" in prices:
            item["price"] = (
                int(prices["price"]) if prices["price"] == int(prices["price"]) else float(prices["price"])
            )
        return self._one_variant(request, variant_id)

    def _set_inventory_level(self, request):
        body = request["body"]
        item_id, available = body.get("inventory_item_id"), body.get("available")
        if not isinstance(available, int) or isinstance(available, bool):
            raise ShopifyError(422, {"available": ["is not a number"]})
        location = body.get("location_id")
        if location not in self.shop.locations:
            raise ShopifyError(422, ["Inventory item is not stocked at the location."])
        for sku, item in self.shop.items.items():
            if item["model_id"] + INVENTORY_ITEM_OFFSET == item_id:
                self.shop.set_stock(sku, available, location)
                level = {"inventory_item_id": item_id, "location_id": location, "available": available,
                         "updated_at": datetime.now(timezone.utc).isoformat()}  # fmt: skip
                return 200, {"inventory_level": level}, {}
        raise ShopifyError(404, "Not Found")

    # ------------------------------------------------------------------ webhooks

    def webhook(self, order_id, topic="orders/updated"):
        """``(headers, raw body)`` of the webhook Shopify sends about an order (or, ``app/uninstalled``,
        about the shop: its resource), signed with the app's client secret (base64 HMAC-SHA256 of the
        raw body)."""
        resource = (
            self.shop_resource() if topic == "app/uninstalled" else self.order(self.shop.orders[order_id])
        )
        body = webhook_body(resource)
        headers = {
            "Content-Type": "application/json",
            "X-Shopify-Topic": topic,
            "X-Shopify-Hmac-Sha256": signing.body_base64(self.client_secret, body),
            "X-Shopify-Shop-Domain": self.domain,
            "X-Shopify-API-Version": API_VERSION,
            "X-Shopify-Webhook-Id": str(uuid.uuid4()),
            "X-Shopify-Event-Id": str(uuid.uuid4()),
            "X-Shopify-Triggered-At": datetime.now(timezone.utc).isoformat(),
        }
        return headers, body


def _fields(resource, request):
    """Only the fields ``fields`` names (comma-separated), when it names any."""
    wanted = [name.strip() for name in (request["query"].get("fields") or "").split(",") if name.strip()]
    return {name: resource[name] for name in wanted if name in resource} if wanted else resource


def _invalid_filter(name):
    return ShopifyError(400, {name: ["is invalid"]})


def _order_number(order):
    """The shop's running number (the last digits of its order id), from 1001 as Shopify counts."""
    return 1001 + int(order["id"][-6:])


def _money(value):
    return f"{Decimal(value):.2f}"


def _money_set(value):
    """An amount in the shop's and the buyer's currency (both VND here)."""
    money = {"amount": _money(value), "currency_code": "VND"}
    return {"shop_money": money, "presentment_money": money}


ROUTES = [
    ("GET", r"/shop\.json", ShopifyApi._shop),
    ("GET", r"/locations\.json", ShopifyApi._locations),
    ("GET", r"/orders\.json", ShopifyApi._orders),
    ("GET", r"/orders/(\d+)\.json", ShopifyApi._order_detail),
    ("GET", r"/orders/(\d+)/fulfillment_orders\.json", ShopifyApi._fulfillment_orders),
    ("GET", r"/orders/(\d+)/fulfillments\.json", ShopifyApi._order_fulfillments),
    ("POST", r"/fulfillments\.json", ShopifyApi._fulfill),
    ("GET", r"/products\.json", ShopifyApi._products),
    ("GET", r"/products/(\d+)\.json", ShopifyApi._one_product),
    ("GET", r"/variants/(\d+)\.json", ShopifyApi._one_variant),
    ("PUT", r"(?:/products/\d+)?/variants/(\d+)\.json", ShopifyApi._update_variant),
    ("POST", r"/inventory_levels/set\.json", ShopifyApi._set_inventory_level),
]
