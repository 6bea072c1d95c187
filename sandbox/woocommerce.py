"""WooCommerce REST API v3 (``/wp-json/wc/v3``), as far as the connector uses it: orders (pages,
``modified_after``/``modified_before``, ``X-WP-Total``/``X-WP-TotalPages``), products and their
variations, batch updates of stock and prices (100 items a call, an error per item; sale prices with
their dates, kept as WooCommerce core keeps them: see `_sale_state`), an order
completed with a note for the buyer, and order webhooks.

An order goes pending (unpaid; cash on delivery goes to processing at checkout) → processing (paid)
→ completed, or cancelled (its units back in stock). Refunds are the store's
(``/orders/<id>/refunds``): full or partial, of money alone or of line items (their quantities and
``refund_total``), the units restocked when ``api_restock`` (WooCommerce's ``restock_items``); an order
whose total is paid back is refunded. WooCommerce has no return of its own: goods a buyer sends
back show as the store's refund of them.

Authentication is WooCommerce's: HTTP Basic (or ``consumer_key``/``consumer_secret`` in the query)
only over HTTPS — here, a request a TLS proxy forwarded (``X-Forwarded-Proto: https``) — and over
plain HTTP OAuth 1.0a one-legged, the signature checked as WooCommerce checks it, the timestamp
within 15 minutes and each nonce used once. Refusals have WordPress's JSON error shape. WooCommerce
has no rate limit of its own (none declared here); a host that sets one (``set_limit``) answers 429
with ``Retry-After`` past it.
"""

import base64
import re
import secrets
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote, urlencode

from . import platform_signing as signing
from .platform import PlatformApi, line_id, numeric_id, order_id_of, webhook_body
from .storefront import (
    SHIPPING_FEE,
    VIETNAM,
    buyer,
    local_time,
    product_ids,
    products,
    time_filter,
)

API = "/wp-json/wc/v3"
MAX_PER_PAGE = 100
MAX_BATCH = 100
# Order items (lines, shipping) are numbered apart from the orders, below 2**53 like every id.
LINE_ITEM_BASE, SHIPPING_LINE_BASE = 300_000_000, 200_000_000
# Refunds are orders of their own (WooCommerce's shop_order_refund), their items too.
REFUND_BASE, REFUND_ITEM_BASE = 400_000_000, 500_000_000
REFUND_ITEMS = 20  # item ids kept for each refund of an order
# Cash on delivery and bank transfers pay nothing back by themselves: their refunds are manual.
MANUAL_REFUND_GATEWAYS = ("cod", "bacs")
FULL_REFUND_REASON = (
    "Order status set to refunded. To return funds to the customer you will need to issue a refund "
    "through your payment gateway."
)
OAUTH_WINDOW = 15 * 60
OAUTH_PARAMS = (
    "oauth_consumer_key",
    "oauth_timestamp",
    "oauth_nonce",
    "oauth_signature",
    "oauth_signature_method",
)
# A return under way is nothing to WooCommerce: the order stays completed until the store refunds it.
STATUS_OF = {"UNPAID": "pending", "READY_TO_SHIP": "processing", "PROCESSED": "processing",
             "SHIPPED": "completed", "COMPLETED": "completed", "CANCELLED": "cancelled",
             "TO_RETURN": "completed"}  # fmt: skip
ORDER_STATUSES = ("pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed",
                  "checkout-draft", "trash")  # fmt: skip
ORDER_BY = ("date", "id", "include", "title", "slug", "modified")
# Statuses the store sets that the order's own lifecycle has no place for: shown until another is set.
STORE_ONLY_STATUSES = ("failed",)
SHOP_STATUS = {"pending": "UNPAID", "on-hold": "UNPAID", "processing": "READY_TO_SHIP",
               "completed": "COMPLETED", "cancelled": "CANCELLED", "refunded": "TO_RETURN"}  # fmt: skip


class WooError(Exception):
    """A refusal in WordPress's shape: ``{"code", "message", "data": {"status", ...}}``."""

    def __init__(self, status, code, message, **data):
        super().__init__(message)
        self.status, self.code, self.message, self.data = status, code, message, data

    def answer(self):
        return {"code": self.code, "message": self.message, "data": {"status": self.status, **self.data}}


class WooCommerceApi(PlatformApi):
    def __init__(self, shop, consumer_key="ck_sandbox", consumer_secret="cs_sandbox", prefix="/woocommerce",
                 **options):  # fmt: skip
        super().__init__(shop, access_token_ttl=0, **options)
        self.keys = {consumer_key: consumer_secret}
        self.consumer_key, self.consumer_secret, self.prefix = consumer_key, consumer_secret, prefix
        # Webhooks created through the API are signed with the consumer secret unless given another.
        self.webhook_secret, self.webhook_id = consumer_secret, 17
        self.home_url = f"http://127.0.0.1:8900{prefix}"
        self.nonces, self.notes, self.store_statuses = {}, {}, {}
        self.on_change = None  # called with the id of an order written through the REST API
        shop.buyer_price = self.buyer_price

    def buyer_price(self, sku, when):
        """The price a buyer pays for the SKU at ``when``: the one WooCommerce keeps (see `_sale_state`)."""
        return _sale_state(self.shop.items[sku], when)[0]

    # ------------------------------------------------------------------ HTTP

    def handle(self, method, path, query, form, body, headers):
        """``(HTTP status, JSON answer, response headers)`` for one request."""
        if self.over_rate():
            error = WooError(429, "too_many_requests", "Too many requests, slow down.")
            return error.status, error.answer(), {"Retry-After": "1"}
        scheme = "https" if headers.get("x-forwarded-proto") == "https" else "http"
        home = f"{scheme}://{headers.get('host', '')}{self.prefix}"
        try:
            if (method, path.rstrip("/")) == ("GET", "/wp-json"):
                return 200, {"name": self.shop_name, "url": home, "namespaces": ["wc/v3"]}, {}
            handler, match = _route(method, path)
            if not self._authenticate(method, home + path, {**query, **form}, headers, scheme == "https"):
                if method == "GET":
                    raise WooError(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
                raise WooError(
                    401, "woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this."
                )
            request = {"query": query, "body": body or {}, "url": home + path}
            return handler(self, request, *match.groups())
        except WooError as error:
            return error.status, error.answer(), {}

    def _authenticate(self, method, url, params, headers, ssl):
        """True for a request a known key signed; False when it carries no credentials at all."""
        if ssl:
            key, secret = params.get("consumer_key"), params.get("consumer_secret")
            authorization = headers.get("authorization") or ""
            if not (key and secret) and authorization.startswith("Basic "):
                key, _colon, secret = base64.b64decode(authorization[6:]).decode().partition(":")
            if key in self.keys:
                if not secrets.compare_digest(self.keys[key], secret or ""):
                    raise _refused("Consumer secret is invalid.")
                return True
        given = [name for name in OAUTH_PARAMS if params.get(name)]
        if not given:
            return False
        if len(given) < len(OAUTH_PARAMS):
            missing = ", ".join(name for name in OAUTH_PARAMS if name not in given)
            raise WooError(
                401, "woocommerce_rest_authentication_missing_parameter", f"Missing OAuth parameter {missing}"
            )
        secret = self.keys.get(params["oauth_consumer_key"])
        if secret is None:
            raise _refused("Consumer key is invalid.")
        if params["oauth_signature_method"] not in ("HMAC-SHA1", "HMAC-SHA256"):
            raise _refused("Invalid signature - signature method is invalid.")
        received = unquote(params["oauth_signature"].replace(" ", "+"))
        if not signing.matches(received, signing.woocommerce_oauth(secret, method, url, params)):
            raise _refused("Invalid signature - provided signature does not match.")
        now = self.clock()
        timestamp = int(params["oauth_timestamp"]) if params["oauth_timestamp"].isdigit() else 0
        if abs(now - timestamp) > OAUTH_WINDOW:
            raise _refused("Invalid timestamp.")
        used = self.nonces.setdefault(params["oauth_consumer_key"], {})
        if params["oauth_nonce"] in used:
            raise _refused("Invalid nonce - nonce has already been used.")
        used[params["oauth_nonce"]] = timestamp
        for nonce, moment in list(used.items()):
            if moment < now - OAUTH_WINDOW:
                del used[nonce]
        return True

    def _collection(self, request, rows):
        """One page of ``rows`` with WordPress's paging headers."""
        query = request["query"]
        page, per_page = _integer(query, "page", 1), _integer(query, "per_page", 10)
        if page < 1:
            raise _invalid("page", "page must be greater than or equal to 1")
        if not 1 <= per_page <= MAX_PER_PAGE:
            raise _invalid(
                "per_page", f"per_page must be between 1 (inclusive) and {MAX_PER_PAGE} (inclusive)"
            )
        pages = -(-len(rows) // per_page)
        headers = {"X-WP-Total": str(len(rows)), "X-WP-TotalPages": str(pages)}
        base = {name: value for name, value in query.items() if name != "page"}
        neighbours = (("prev", min(page - 1, pages), page > 1), ("next", page + 1, pages > page))
        links = [
            f'<{request["url"]}?{urlencode({**base, "page": number})}>; rel="{rel}"'
            for rel, number, shown in neighbours
            if shown
        ]
        if links:
            headers["Link"] = ", ".join(links)
        return 200, rows[(page - 1) * per_page : page * per_page], headers

    # ------------------------------------------------------------------ orders

    def _orders(self, request):
        query = request["query"]
        zone = timezone.utc if query.get("dates_are_gmt") in ("true", "1") else VIETNAM
        bounds = [
            (name, time_filter(query, name, _invalid_date, zone))
            for name in ("after", "before", "modified_after", "modified_before")
        ]
        wanted = set((query.get("status") or "any").split(","))
        if wanted - {"any", *ORDER_STATUSES}:
            raise _invalid("status", "status is not one of " + ", ".join(("any", *ORDER_STATUSES)))
        for name, allowed in (("orderby", ORDER_BY), ("order", ("asc", "desc"))):
            if query.get(name, allowed[0]) not in allowed:
                raise _invalid(name, f"{name} is not one of {', '.join(allowed)}.")
        # A list is include=1,2 or include[]=1&include[]=2, as WordPress reads it.
        listed = {name: [*query.every(f"{name}[]"), *filter(None, query.get(name, "").split(","))]
                  for name in ("include", "exclude")}  # fmt: skip
        if not all(number.strip().isdigit() for numbers in listed.values() for number in numbers):
            raise _invalid("include", "include is not a list of integers.")
        customer = _integer(query, "customer", None)
        found = []
        for order in self.shop.orders.values():
            inside = all(
                limit is None
                or _inside(order["update_time" if "modified" in name else "create_time"], name, limit)
                for name, limit in bounds
            )
            shown = self.order(order)
            chosen = (not listed["include"] or str(shown["id"]) in listed["include"]) and str(
                shown["id"]
            ) not in listed["exclude"]
            if customer is not None and shown["customer_id"] != customer:
                chosen = False
            if inside and chosen and ("any" in wanted or shown["status"] in wanted):
                found.append(order)
        field = {"modified": "update_time", "id": "id"}.get(query.get("orderby"), "create_time")
        found.sort(
            key=lambda order: (order[field], order["id"]), reverse=query.get("order", "desc") == "desc"
        )
        status, rows, headers = self._collection(request, found)
        return status, [_fields(self.order(order), request) for order in rows], headers

    def ref(self, order_id):
        return str(numeric_id(order_id))

    def _find_order(self, number, status=404):
        order = self.shop.orders.get(order_id_of(number))
        if not order:
            raise WooError(status, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        return order

    def _one_order(self, request, number):
        return 200, _fields(self.order(self._find_order(number)), request), {}

    def _update_order(self, request, number):
        order = self._find_order(number, status=400)
        status = request["body"].get("status")
        if status in STORE_ONLY_STATUSES:
            self.store_statuses[order["id"]] = status
        elif status is not None:
            if status not in SHOP_STATUS:
                raise _invalid(
                    "status", "status is not one of " + ", ".join((*SHOP_STATUS, *STORE_ONLY_STATUSES))
                )
            self.store_statuses.pop(order["id"], None)
            if self.order(order)["status"] != status and not self._step(order, status):
                # WooCommerce lets the store set any status; no stock moves then.
                self.shop.advance(order["id"], SHOP_STATUS[status], seconds=0)
        self._changed(order)
        return 200, self.order(order), {}

    def _changed(self, order):
        """WooCommerce saves the order and fires ``order.updated``."""
        if self.on_change:
            self.on_change(order["id"])

    def _step(self, order, status):
        """The store moves the order on as WooCommerce does: paid, shipped and delivered, cancelled
        (its units back in stock), refunded (what is left of its total paid back, nothing restocked:
        ``wc_order_fully_refunded``). False for a step the order is past."""
        shop, number = self.shop, order["id"]
        if status == "processing":
            return shop.pay(number)
        if status == "completed":
            shop.hand_over(number)
            return shop.deliver(number)
        if status == "cancelled":
            return shop.cancel(number, "seller", "Cancelled by the store")
        if status == "refunded":
            left = self._total(order) - self._refunded(order)
            if left > 0:
                return_id = shop.refund_lines(number, [], left, FULL_REFUND_REASON, restock=False)
                shop.returns[return_id].update(refunded_payment=False)
            return False  # the order moves to refunded below
        return False

    def _order_notes(self, request, number):
        return 200, self.notes.get(self._find_order(number)["id"], []), {}

    def _add_order_note(self, request, number):
        order, body = self._find_order(number, status=400), request["body"]
        if not body.get("note"):
            raise _invalid("note", "note is a required property of order note.")
        notes = self.notes.setdefault(order["id"], [])
        now = self.clock()
        note = {"id": 900 + sum(len(kept) for kept in self.notes.values()), "author": "WooCommerce",
                "date_created": _local(now), "date_created_gmt": _gmt(now), "note": body["note"],
                "customer_note": bool(body.get("customer_note")), "added_by_user": False}  # fmt: skip
        notes.append(note)
        return 201, note, {}

    def order(self, order):
        """The order as the REST API v3 shows it."""
        number, status, person = numeric_id(order["id"]), STATUS_OF[order["status"]], buyer(order)
        if order["status"] == "UNPAID" and order["cod"]:
            status = "processing"  # cash on delivery goes to processing at checkout
        lines = [
            self._line(order, index, sku, quantity) for index, (sku, quantity) in enumerate(order["lines"])
        ]
        refunds = self._refunds(order)
        if refunds and self._refunded(order) >= self._total(order):
            status = "refunded"
        status = self.store_statuses.get(order["id"], status)
        paid = (
            status in ("processing", "completed", "refunded") and not order["cod"]
        ) or status == "completed"
        address = order["address"]
        shipping = {"first_name": person["first_name"], "last_name": person["last_name"], "company": "",
                    "address_1": "Số 1 Ngõ 2", "address_2": address["ward"], "city": address["district"],
                    "state": address["province"], "postcode": "", "country": "VN",
                    "phone": person["phone"]}  # fmt: skip
        fee, changed = str(SHIPPING_FEE), order["update_time"]
        # Delivered once, completed since then, whatever came after (refunds).
        done = order.get("delivered_at") or (changed if status == "completed" else None)
        return {
            "id": number, "parent_id": 0, "number": str(number), "order_key": f"wc_order_{order['id']}",
            "created_via": "checkout", "status": status, "currency": "VND", "prices_include_tax": False,
            "date_created": _local(order["create_time"]), "date_created_gmt": _gmt(order["create_time"]),
            "date_modified": _local(changed), "date_modified_gmt": _gmt(changed),
            "discount_total": "0", "discount_tax": "0", "shipping_total": fee, "shipping_tax": "0",
            "cart_tax": "0", "total_tax": "0",
            "total": str(sum(int(line["total"]) for line in lines) + SHIPPING_FEE),
            "customer_id": order["buyer_id"], "customer_note": "",
            "billing": {**shipping, "email": person["email"]}, "shipping": shipping,
            "payment_method": "cod" if order["cod"] else "bacs",
            "payment_method_title": "Trả tiền khi nhận hàng" if order["cod"] else "Chuyển khoản ngân hàng",
            "transaction_id": "", "date_paid": _local(changed) if paid else None,
            "date_paid_gmt": _gmt(changed) if paid else None,
            "date_completed": _local(done) if done else None,
            "date_completed_gmt": _gmt(done) if done else None,
            "line_items": lines,
            "shipping_lines": [{"id": line_id(SHIPPING_LINE_BASE, order["id"], 0),
                                "method_title": "Giao hàng tiêu chuẩn", "method_id": "flat_rate",
                                "total": fee, "total_tax": "0"}],
            "fee_lines": [], "coupon_lines": [],
            "refunds": [{"id": refund_id, "reason": entry["reason"], "total": _money(-entry["refund_amount"])}
                        for refund_id, entry in refunds],
            "meta_data": [],
        }  # fmt: skip

    # ------------------------------------------------------------------ refunds

    def _total(self, order):
        return (
            sum(self.shop.unit_price(order, sku) * quantity for sku, quantity in order["lines"])
            + SHIPPING_FEE
        )

    def _refunds(self, order):
        """``[(refund id, return)]``: the order's refunds, the oldest first."""
        found = enumerate(self.shop.order_returns(order["id"]))
        return [
            (line_id(REFUND_BASE, order["id"], index), entry)
            for index, entry in found
            if entry["status"] == "REFUND_PAID"
        ]

    def _refunded(self, order):
        return sum(entry["refund_amount"] for _id, entry in self._refunds(order))

    def _refund(self, order, refund_id, entry):
        """A refund as the REST API shows it: its items count negative quantities and amounts, each
        naming the order's item it refunds (``_refunded_item_id``)."""
        index = (refund_id - REFUND_BASE) % 1000
        skus = [sku for sku, _quantity in order["lines"]]
        totals = entry.get("line_totals") or {}
        items = []
        for number, (sku, quantity) in enumerate(entry["lines"]):
            item = self.shop.items[sku]
            total = totals.get(sku, self.shop.unit_price(order, sku) * quantity)
            refunded_item = line_id(LINE_ITEM_BASE, order["id"], skus.index(sku))
            item_id = line_id(REFUND_ITEM_BASE, order["id"], index * REFUND_ITEMS + number)
            items.append(
                {"id": item_id, "name": " - ".join(filter(None, (item["name"], item["variation"]))),
                 "product_id": product_ids(self.shop)[sku],
                 "variation_id": item["model_id"] if item["variation"] else 0, "quantity": -quantity,
                 "tax_class": "", "subtotal": _money(-total), "subtotal_tax": "0", "total": _money(-total),
                 "total_tax": "0", "taxes": [], "sku": sku, "price": _number(-Decimal(str(total)) / quantity),
                 "meta_data": [{"id": item_id, "key": "_refunded_item_id", "value": str(refunded_item),
                                "display_key": "_refunded_item_id", "display_value": str(refunded_item)}]}
            )  # fmt: skip
        moment = entry["create_time"]
        return {"id": refund_id, "date_created": _local(moment), "date_created_gmt": _gmt(moment),
                "amount": _money(entry["refund_amount"]), "reason": entry["reason"], "refunded_by": 1,
                "refunded_payment": entry.get("refunded_payment", False), "meta_data": [],
                "line_items": items, "tax_lines": [], "shipping_lines": [], "fee_lines": []}  # fmt: skip

    def _order_refunds(self, request, number):
        order = self._find_order(number)
        rows = [self._refund(order, *refund) for refund in reversed(self._refunds(order))]
        return self._collection(request, rows)

    def _one_refund(self, request, number, refund_id):
        order = self._find_order(number)
        found = [
            self._refund(order, *refund) for refund in self._refunds(order) if refund[0] == int(refund_id)
        ]
        if not found:
            raise WooError(404, "woocommerce_rest_shop_order_refund_invalid_id", "Invalid ID.")
        return 200, found[0], {}

    def _create_refund(self, request, number):
        """A refund of ``amount`` (by default the ``refund_total`` of its ``line_items``) and of the units
        of ``line_items`` (``{id, quantity, refund_total}``), restocked when ``api_restock``; with
        ``api_refund`` (the default) the payment gateway pays the buyer back, which cash on delivery and
        bank transfers cannot."""
        order = self.shop.orders.get(order_id_of(number))
        if not order:
            raise WooError(404, "woocommerce_rest_invalid_order_id", "Invalid order ID.")
        body = request["body"]
        _check_refund(body)
        bought = {
            line_id(LINE_ITEM_BASE, order["id"], index): sku for index, (sku, _n) in enumerate(order["lines"])
        }
        left = dict(order["lines"])
        for _id, entry in self._refunds(order):
            for sku, quantity in entry["lines"]:
                left[sku] -= quantity
        lines, totals = [], {}
        for item in body.get("line_items") or []:
            sku = bought.get(int(item["id"]))
            if sku is None:
                continue  # WooCommerce passes over the items that are not the order's
            # As many units as are left to refund, at most (an assumption: the documents say nothing).
            quantity = min(int(item.get("quantity") or 0), left[sku])
            total = _number(item.get("refund_total") or 0)
            if quantity:
                lines.append((sku, quantity))
                left[sku] -= quantity
            if quantity or total:
                totals[sku] = totals.get(sku, 0) + total
        given = body.get("amount")
        amount = _number(given) if given not in (None, "") else sum(totals.values())
        if amount is None or not 0 <= amount <= self._total(order) - self._refunded(order):
            raise WooError(500, "woocommerce_rest_cannot_create_order_refund", "Invalid refund amount.")
        automatic = body.get("api_refund", True)
        if automatic and self.order(order)["payment_method"] in MANUAL_REFUND_GATEWAYS:
            problem = "The payment gateway for this order does not support automatic refunds."
            raise WooError(500, "woocommerce_rest_cannot_create_order_refund", problem)
        restock = body.get("api_restock", True)
        return_id = self.shop.refund_lines(order["id"], lines, amount, body.get("reason") or "", restock)
        self.shop.returns[return_id].update(line_totals=totals, refunded_payment=automatic)
        if self._refunded(order) >= self._total(order) and order["status"] != "CANCELLED":
            order["status"] = "TO_RETURN"  # fully refunded: the order goes no further
        refund = next(refund for refund in self._refunds(order) if refund[1]["id"] == return_id)
        self._changed(order)
        return 201, self._refund(order, *refund), {}

    def _line(self, order, index, sku, quantity):
        item, order_id, price = self.shop.items[sku], order["id"], self.shop.unit_price(order, sku)
        amount = str(price * quantity)
        name = " - ".join(filter(None, (item["name"], item["variation"])))
        return {"id": line_id(LINE_ITEM_BASE, order_id, index), "name": name,
                "product_id": product_ids(self.shop)[sku], "quantity": quantity, "sku": sku,
                "variation_id": item["model_id"] if item["variation"] else 0, "tax_class": "",
                "subtotal": amount, "subtotal_tax": "0", "total": amount, "total_tax": "0", "taxes": [],
                "meta_data": [], "price": price,
                "parent_name": item["name"] if item["variation"] else None}  # fmt: skip

    # ------------------------------------------------------------------ products

    def _catalog(self):
        """``{product id: (name, [(sku, item)])}``; a product with variations is variable."""
        return {product_id: (name, group) for product_id, name, group in products(self.shop)}

    def _product(self, product_id, name, group):
        product = {"id": product_id, "name": name, "slug": f"product-{product_id}", "status": "publish"}
        first_sku, first = group[0]
        if not first["variation"]:
            stock_and_price = _stock_and_price(first, self.shop.available(first_sku), self.clock())
            return {**product, "type": "simple", "sku": first_sku, "global_unique_id": first["barcode"],
                    "variations": [], "attributes": [], **stock_and_price}  # fmt: skip
        # A variable product's stock and prices are its variations'.
        in_stock = any(self.shop.available(sku) > 0 for sku, _item in group)
        options = [item["variation"] for _sku, item in group]
        return {**product, "type": "variable", "sku": "", "global_unique_id": "",
                "variations": [item["model_id"] for _sku, item in group],
                "attributes": [{"id": 0, "name": "Size", "variation": True, "options": options}],
                "price": _money(min(_sale_state(item, self.clock())[0] for _sku, item in group)),
                "regular_price": "", "sale_price": "",
                "on_sale": any(_on_sale(item, self.clock()) for _sku, item in group),
                "manage_stock": False, "stock_quantity": None,
                "stock_status": "instock" if in_stock else "outofstock"}  # fmt: skip

    def _variation(self, product_id, sku, item):
        return {"id": item["model_id"], "parent_id": product_id, "sku": sku,
                "global_unique_id": item["barcode"],
                "attributes": [{"id": 0, "name": "Size", "option": item["variation"]}],
                **_stock_and_price(item, self.shop.available(sku), self.clock())}  # fmt: skip

    def _products(self, request):
        catalog = self._catalog()
        rows = [self._product(product_id, *catalog[product_id]) for product_id in sorted(catalog)]
        if request["query"].get("sku"):
            rows = [row for row in rows if row["sku"] == request["query"]["sku"]]
        return self._collection(request, rows)

    def _one_product(self, request, product_id):
        catalog = self._catalog()
        if int(product_id) not in catalog:
            raise WooError(404, "woocommerce_rest_product_invalid_id", "Invalid ID.")
        return 200, self._product(int(product_id), *catalog[int(product_id)]), {}

    def _variations(self, request, product_id):
        _name, group = self._catalog().get(int(product_id), ("", []))
        if not group or not group[0][1]["variation"]:
            raise WooError(404, "woocommerce_rest_product_invalid_id", "Invalid ID.")
        return self._collection(request, [self._variation(int(product_id), sku, item) for sku, item in group])

    def _update(self, product_id, variation_id, changes):
        """Apply ``changes`` to a simple product or a variation; the updated object, or a `WooError`."""
        name, group = self._catalog().get(_id(product_id), ("", []))
        variable = bool(group and group[0][1]["variation"])
        if variation_id is None:
            if variable:  # a variable product's stock and prices are its variations': nothing to change
                return self._product(_id(product_id), name, group)
            kind, found = "product", group
        else:
            kind = "product_variation"
            found = [(sku, item) for sku, item in group if variable and item["model_id"] == _id(variation_id)]
        if not found:
            raise WooError(400, f"woocommerce_rest_{kind}_invalid_id", "Invalid ID.")
        sku, item = found[0]
        price, quantity = changes.get("regular_price"), changes.get("stock_quantity")
        sale_price = changes.get("sale_price")
        for field, value in (("regular_price", price), ("sale_price", sale_price)):
            # Prices are strings in WooCommerce's schema; an empty sale price ends the sale.
            if value is not None and not isinstance(value, str):
                raise _invalid(field, f"{field} is not of type string.")
            if value and not value.replace(".", "", 1).isdigit():
                raise _invalid(field, f"{field} is not a valid price.")
        if quantity is not None and (not isinstance(quantity, int) or isinstance(quantity, bool)):
            raise _invalid("stock_quantity", "stock_quantity is not of type integer.")
        dates = _sale_dates(changes)
        if price:
            item["price"] = int(float(price)) if float(price).is_integer() else float(price)
        # Saved: what the scheduled-sales runs did is kept, then WooCommerce sets the price paid now.
        _price, kept, start, end = _sale_state(item, self.clock())
        sale = {"price": kept if sale_price is None else sale_price, "from": start, "to": end}
        item["sale"] = {**sale, **dates, "saved": self.clock()}
        if quantity is not None:
            self.shop.set_stock(sku, quantity)
        if variation_id is None:
            return self._product(_id(product_id), name, group)
        return self._variation(_id(product_id), sku, item)

    def _update_product(self, request, product_id):
        return 200, self._update(product_id, None, request["body"]), {}

    def _update_variation(self, request, product_id, variation_id):
        return 200, self._update(product_id, variation_id, request["body"]), {}

    def _batch(self, request, product_id=None):
        """``update`` items one by one; each answers with the object or ``{"id", "error"}``."""
        body = request["body"]
        if sum(len(body.get(action) or []) for action in ("create", "update", "delete")) > MAX_BATCH:
            raise WooError(413, "woocommerce_rest_request_entity_too_large",
                           f"Unable to accept more than {MAX_BATCH} items for this request.")  # fmt: skip
        updated = []
        for changes in body.get("update") or []:
            try:
                if product_id is None:
                    updated.append(self._update(changes.get("id"), None, changes))
                else:
                    updated.append(self._update(product_id, changes.get("id"), changes))
            except WooError as error:
                updated.append({"id": changes.get("id"), "error": error.answer()})
        return 200, {"update": updated}, {}

    # ------------------------------------------------------------------ webhooks

    def webhook(self, order_id, topic="order.updated"):
        """``(headers, raw body)`` of the webhook WooCommerce delivers about an order, signed with the
        webhook's secret (base64 HMAC-SHA256 of the raw body)."""
        body = webhook_body(self.order(self.shop.orders[order_id]))
        resource, _dot, event = topic.partition(".")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "WooCommerce/9.1.2 Hookshot (WordPress/6.6.1)",
            "X-WC-Webhook-Source": self.home_url + "/",
            "X-WC-Webhook-Topic": topic,
            "X-WC-Webhook-Resource": resource,
            "X-WC-Webhook-Event": event,
            "X-WC-Webhook-Signature": signing.body_base64(self.webhook_secret, body),
            "X-WC-Webhook-ID": str(self.webhook_id),
            "X-WC-Webhook-Delivery-ID": secrets.token_hex(16),
        }
        return headers, body


def _route(method, path):
    for verbs, pattern, handler in ROUTES:
        match = re.fullmatch(API + pattern, path)
        if match and method in verbs:
            return handler, match
    raise WooError(404, "rest_no_route", "No route was found matching the URL and request method.")


def _inside(moment, name, limit):
    """WordPress's date queries exclude their bounds."""
    return moment > limit if name.endswith("after") else moment < limit


def _stock_and_price(item, stock, now):
    price, sale_price, start, end = _sale_state(item, now)
    dates = {
        f"date_on_sale_{edge}{suffix}": moment and write(moment)
        for edge, moment in (("from", start), ("to", end))
        for suffix, write in (("", _local), ("_gmt", _gmt))
    }
    return {"price": _money(price), "regular_price": str(item["price"]), "sale_price": sale_price,
            "on_sale": _on_sale(item, now), **dates, "manage_stock": True, "stock_quantity": stock,
            "stock_status": "instock" if stock > 0 else "outofstock"}  # fmt: skip


# Sales as WooCommerce core keeps them. A sale price is taken whatever the regular price (WooCommerce
# refuses neither an equal nor a higher one: such a product is just not on sale). "On sale" is worked
# out when read: a sale price below the regular one, inside its dates (both included). The price a
# buyer pays is the stored one: set when the product is saved (the sale price when on sale then, else
# the regular one), and changed only by the daily scheduled-sales run at the site's midnight, which
# starts the sales whose start date has passed and ends those whose end date has, clearing their sale
# price and dates. A sale's dates thus take effect at the first midnight after them, unless the
# product is saved meanwhile.


def _sale_state(item, when):
    """``(price, sale price, sale start, sale end)`` of ``item`` at ``when`` (unix seconds)."""
    sale, regular = item.get("sale"), item["price"]
    if not sale:
        return regular, "", None, None
    midnight = datetime.fromtimestamp(when, VIETNAM).replace(hour=0, minute=0, second=0).timestamp()
    ran = midnight > sale["saved"]  # the scheduled-sales run came since the product was saved
    if ran and sale["to"] is not None and sale["to"] < midnight:
        return regular, "", None, None
    if ran and sale["price"] and sale["from"] is not None and sale["from"] < midnight:
        return _number(sale["price"]), sale["price"], sale["from"], sale["to"]
    saved_on_sale = _on_sale(item, sale["saved"])
    return (_number(sale["price"]) if saved_on_sale else regular), sale["price"], sale["from"], sale["to"]


def _on_sale(item, when):
    sale = item.get("sale")
    if not sale or not sale["price"] or _number(sale["price"]) >= item["price"]:
        return False
    return (sale["from"] is None or sale["from"] <= when) and (sale["to"] is None or when <= sale["to"])


def _sale_dates(changes):
    """``{"from", "to"}`` of the sale dates given (unix seconds; None: cleared by ""): the site's time,
    or GMT in the ``_gmt`` fields, which are read last."""
    dates = {}
    for edge in ("from", "to"):
        for suffix, zone in (("", VIETNAM), ("_gmt", timezone.utc)):
            name = f"date_on_sale_{edge}{suffix}"
            value = changes.get(name)
            if value is None:  # null leaves the date as it is
                continue
            if not isinstance(value, str):
                raise _invalid(name, f"{name} is not of type string,null.")
            try:
                moment = datetime.fromisoformat(value) if value else None
            except ValueError:
                raise _invalid_date(name) from None
            dates[edge] = moment and int(moment.replace(tzinfo=moment.tzinfo or zone).timestamp())
    return dates


def _fields(resource, request):
    """WordPress's ``_fields``: only the (comma-separated) top-level fields named, when any are."""
    wanted = [name.strip().split(".")[0] for name in (request["query"].get("_fields") or "").split(",")]
    wanted = [name for name in wanted if name]
    return {name: resource[name] for name in wanted if name in resource} if wanted else resource


def _money(value):
    """An amount as WooCommerce writes it, a string (VND: whole numbers)."""
    return str(int(value)) if value == int(value) else f"{value:.2f}"


def _number(value):
    """A JSON number or a numeric string as a whole number or a float; None when it is neither."""
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return int(number) if number == int(number) else float(number)


def _check_refund(body):
    """WordPress's schema of a refund: ``amount`` a string; ``line_items`` objects with an integer
    ``id`` and ``quantity`` and a numeric ``refund_total``; ``api_refund`` and ``api_restock`` booleans."""
    if body.get("amount") is not None and not isinstance(body["amount"], str):
        raise _invalid("amount", "amount is not of type string.")
    for name in ("api_refund", "api_restock"):
        if name in body and not isinstance(body[name], bool):
            raise _invalid(name, f"{name} is not of type boolean.")
    items = body.get("line_items") or []
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise _invalid("line_items", "line_items is not of type array.")
    for index, item in enumerate(items):
        for name in ("id", "quantity"):
            value = item.get(name, 0)
            if isinstance(value, bool) or not str(value).lstrip("-").isdigit():
                raise _invalid("line_items", f"line_items[{index}][{name}] is not of type integer.")
        if _number(item.get("refund_total", 0)) is None:
            raise _invalid("line_items", f"line_items[{index}][refund_total] is not of type number.")


def _invalid(name, problem):
    return WooError(400, "rest_invalid_param", f"Invalid parameter(s): {name}", params={name: problem})


def _refused(message):
    return WooError(401, "woocommerce_rest_authentication_error", message)


def _id(value):
    """An id as WooCommerce reads one (``absint``): anything else is 0, which is no object."""
    return int(value) if str(value).isdigit() else 0


def _integer(query, name, default):
    text = query.get(name)
    if text in (None, ""):
        return default
    if not text.lstrip("-").isdigit():
        raise _invalid(name, f"{name} is not of type integer.")
    return int(text)


def _invalid_date(name):
    return _invalid(name, "Invalid date.")


def _local(seconds):
    """The site's time (Asia/Ho_Chi_Minh), as WordPress writes it: no offset."""
    return local_time(seconds).replace(tzinfo=None).isoformat()


def _gmt(seconds):
    return datetime.fromtimestamp(seconds, timezone.utc).replace(tzinfo=None).isoformat()


ROUTES = [
    (("GET",), r"/orders", WooCommerceApi._orders),
    (("GET",), r"/orders/(\d+)", WooCommerceApi._one_order),
    (("PUT", "POST", "PATCH"), r"/orders/(\d+)", WooCommerceApi._update_order),
    (("GET",), r"/orders/(\d+)/notes", WooCommerceApi._order_notes),
    (("POST",), r"/orders/(\d+)/notes", WooCommerceApi._add_order_note),
    (("GET",), r"/orders/(\d+)/refunds", WooCommerceApi._order_refunds),
    (("POST",), r"/orders/(\d+)/refunds", WooCommerceApi._create_refund),
    (("GET",), r"/orders/(\d+)/refunds/(\d+)", WooCommerceApi._one_refund),
    (("GET",), r"/products", WooCommerceApi._products),
    (("POST", "PUT", "PATCH"), r"/products/batch", WooCommerceApi._batch),
    (("GET",), r"/products/(\d+)", WooCommerceApi._one_product),
    (("PUT", "POST", "PATCH"), r"/products/(\d+)", WooCommerceApi._update_product),
    (("GET",), r"/products/(\d+)/variations", WooCommerceApi._variations),
    (("POST", "PUT", "PATCH"), r"/products/(\d+)/variations/batch", WooCommerceApi._batch),
    (("PUT", "POST", "PATCH"), r"/products/(\d+)/variations/(\d+)", WooCommerceApi._update_variation),
]
