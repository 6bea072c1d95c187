"""TikTok Shop Partner API (202309), as far as the connector uses it: tokens on the auth host, the
order search (``page_token`` paging) and order details (50 ids at a time). Every unit is a line item
of its own. Calls are signed as TikTok signs them (path, sorted query, body, wrapped in the secret).
Also the authorized shops, the product search (skus inside), inventory and price updates (one
product a call, all or nothing) and shipping a package with the seller's tracking number. A buyer's
cancellation request is approved, or rejected with one of the reasons Get Reject Reasons offers.
Promotion activities (202309): product discounts at a fixed price or a percentage off, per product or
per SKU; orders made while one runs are priced at it (the line's seller discount).

A query name given twice is a list (``ids=1&ids=2``); the order search filters by status and times;
unknown or ill-typed query parameters and body fields are refused (36009001). Ids are numeric
strings.
"""

import json
import re
import uuid

from . import platform_signing as signing
from .platform import PlatformApi, RateLimit, line_id, numeric_id, paid_time, parameter_problem
from .promotions import Promotions

MAX_PAGE = 100
MAX_DETAIL = 50
SHOPS_PATH = "/authorization/202309/shops"
WAREHOUSE_ID = "7068517275539719942"
# Product refusals are 12xxxxxx codes, fulfilment ones 21xxxxxx.
PRODUCT_NOT_FOUND, SKU_NOT_FOUND, INVALID_PRODUCT_VALUE = 12052007, 12052048, 12052010
PACKAGE_NOT_FOUND, PACKAGE_STATUS = 21011001, 21011016
TIMESTAMP_TOLERANCE = 300
ORDER_STATUSES = ("UNPAID", "ON_HOLD", "AWAITING_SHIPMENT", "PARTIALLY_SHIPPING", "AWAITING_COLLECTION",
                  "IN_TRANSIT", "DELIVERED", "COMPLETED", "CANCELLED")  # fmt: skip
COMMON_QUERY = {"app_key": str, "timestamp": int, "sign": str, "shop_cipher": str, "access_token": str}
SEARCH_QUERY = {**COMMON_QUERY, "page_size": int, "page_token": str,
                "sort_field": ("create_time", "update_time"), "sort_order": ("ASC", "DESC")}  # fmt: skip
SEARCH_BODY = {"order_status": ORDER_STATUSES, "create_time_ge": int, "create_time_lt": int,
               "update_time_ge": int, "update_time_lt": int, "shipping_type": ("TIKTOK", "SELLER"),
               "buyer_user_id": str, "is_buyer_request_cancel": bool, "warehouse_ids": list}  # fmt: skip
PRODUCT_STATUSES = ("ALL", "DRAFT", "PENDING", "FAILED", "ACTIVATE", "SELLER_DEACTIVATED",
                    "PLATFORM_DEACTIVATED", "FREEZE", "DELETED")  # fmt: skip
PRODUCT_SEARCH_BODY = {"status": PRODUCT_STATUSES, "seller_skus": list, "create_time_ge": int,
                       "create_time_le": int, "update_time_ge": int, "update_time_le": int}  # fmt: skip
SKU_UPDATE = {"id": str, "inventory": list, "price": dict}
INVALID_PARAMETER = 36009001
# Order, line item and package ids: numbers of 18 and 19 digits, sent as strings.
ORDER_BASE, LINE_ITEM_BASE, PACKAGE_BASE = 576 * 10**15, 577 * 10**15, 1153 * 10**15
TO_SHIP = ("UNPAID", "ON_HOLD", "AWAITING_SHIPMENT")
CANCEL_BASE, CANCELLATION_STATUS = 578 * 10**15, 36009005
RETURN_STATUSES = {"REQUESTED": "RETURN_OR_REFUND_REQUEST_PENDING",
                   "REFUND_PAID": "RETURN_OR_REFUND_REQUEST_COMPLETE",
                   "CANCELLED": "RETURN_OR_REFUND_REQUEST_CANCEL"}  # fmt: skip
SHIPPING_FEE = 16500
# The reasons a seller may give for rejecting a buyer's cancellation request (Get Reject Reasons,
# 202309), keyed by name, each with its text in the locales the simulator speaks (en-US by default).
CANCEL_REJECT_REASONS = {
    "seller_reject_apply_product_has_been_packed": {
        "en-US": "Product has been packed", "vi-VN": "Sản phẩm đã được đóng gói"},
    "order_manage_list_action_respond_popup_reject_reason_delivered": {
        "en-US": "Product delivery is on schedule", "vi-VN": "Đơn hàng đang được giao đúng tiến độ"},
    "order_manage_list_action_respond_popup_reject_reason_buyer_agree": {
        "en-US": "Reached an agreement with the buyer", "vi-VN": "Đã thỏa thuận với người mua"},
}  # fmt: skip
REJECT_BODY = {"reject_reason": str, "comment": str, "images": list}
# Promotion activities (202309), as the API reference has them: a title of 50 characters at most,
# unique in the shop; a begin time later than now, an end after it; at most 300 products (and 300
# SKUs) a call; a quantity limit of 1 to 99 or -1 (unlimited), -1 on a product at VARIATION level.
# Assumptions (no figure in the documents at hand): a discount is 1 to 99 percent off, an activity's
# begin time cannot change once it runs, and the refusals below are the simulator's own codes
# (TikTok publishes no error table for these APIs; they take a module's 17xxxxxx range).
ACTIVITY_TYPES = ("FIXED_PRICE", "DIRECT_DISCOUNT", "FLASHSALE", "SHIPPING_DISCOUNT", "BUY_MORE_SAVE_MORE")
ACTIVITY_STATUSES = ("DRAFT", "NOT_START", "ONGOING", "EXPIRED", "DEACTIVATED", "NOT_EFFECTIVE")
ACTIVITY_BODY = {"title": str, "activity_type": ACTIVITY_TYPES, "begin_time": int, "end_time": int,
                 "product_level": ("PRODUCT", "VARIATION", "SHOP"), "participation_limit": list,
                 "duration_type": ("NORMAL", "INDEFINITE"), "discount": dict,
                 "target_user_info": dict}  # fmt: skip
ACTIVITY_PRODUCT = {"id": str, "activity_price_amount": str, "discount": str, "quantity_limit": int,
                    "quantity_per_user": int, "skus": list}  # fmt: skip
ACTIVITY_SKU = {"id": str, "activity_price_amount": str, "discount": str, "quantity_limit": int,
                "quantity_per_user": int}  # fmt: skip
ACTIVITY_SEARCH = {"activity_title": str, "activity_type": ACTIVITY_TYPES, "status": ACTIVITY_STATUSES,
                   "page_size": int, "page_token": str}  # fmt: skip
ACTIVITY_BATCH, TITLE_LENGTH = 300, 50
ACTIVITY_NOT_FOUND, ACTIVITY_STATUS, ACTIVITY_TIME, ACTIVITY_TITLE = 17010001, 17010002, 17010003, 17010004
ACTIVITY_PRICE, ACTIVITY_CONFLICT, ACTIVITY_PRODUCT_NOT_FOUND = 17010005, 17010006, 17010007
ACTIVITY_STATES = {"upcoming": "NOT_START", "ongoing": "ONGOING", "expired": "EXPIRED"}
STATUSES = {"UNPAID": "UNPAID", "READY_TO_SHIP": "AWAITING_SHIPMENT", "PROCESSED": "AWAITING_COLLECTION",
            "SHIPPED": "IN_TRANSIT",
            "COMPLETED": "COMPLETED", "CANCELLED": "CANCELLED", "TO_RETURN": "COMPLETED"}  # fmt: skip


class TiktokError(Exception):
    def __init__(self, code, message, status=200):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


class TiktokApi(PlatformApi):
    # TikTok Shop limits each API's calls per second for a shop and refuses more with HTTP 429, code
    # 36009002 "Too many requests" (its error table). Assumption: no figure is published in the
    # documents at hand (third parties cite 20 to 50 a second); 50 is taken.
    RATE_LIMITS = (RateLimit("api", 50),)

    def __init__(
        self, shop, app_key="29a39d", app_secret="sandbox-tiktok-secret", cipher="ROW_sandbox", **options
    ):
        super().__init__(shop, access_token_ttl=7 * 24 * 3600, **options)
        shop.name_locations([WAREHOUSE_ID])
        self.app_key, self.app_secret, self.cipher = app_key, app_secret, cipher
        self.activities = Promotions(lambda: self.clock(), first_id=7523240167205979921)
        # An activity running when an order is made prices it.
        shop.buyer_price = lambda sku, when: self.activities.price(sku, shop.items[sku]["price"], when)

    def handle(self, method, path, query, raw_body, headers):
        try:
            data = self._route(method, path, query, raw_body, headers)
        except TiktokError as error:
            return error.status, {
                "code": error.code,
                "message": error.message,
                "request_id": uuid.uuid4().hex,
            }
        return 200, {"code": 0, "message": "Success", "request_id": uuid.uuid4().hex, "data": data}

    def _route(self, method, path, query, raw_body, headers):
        if self.over_rate(path):
            message = "Too many requests. You've made too many requests in a short period of time."
            raise TiktokError(36009002, message, status=429)
        if path in ("/api/v2/token/get", "/api/v2/token/refresh"):
            return self._token(path, query)
        if query.get("app_key") != self.app_key:
            raise TiktokError(106010, "Invalid app_key")
        if abs(self.clock() - int(query.get("timestamp") or 0)) > TIMESTAMP_TOLERANCE:
            raise TiktokError(36009004, "Invalid timestamp")
        # A name given twice is a list, signed as TikTok's SDK writes one: the values joined by commas.
        signed = {
            name: query.every(name) if len(query.every(name)) > 1 else value for name, value in query.items()
        }
        expected = signing.tiktok_request(self.app_secret, path, signed, raw_body)
        if not signing.matches(query.get("sign"), expected):
            raise TiktokError(106001, "Invalid credentials", status=401)
        if not self.token_is_valid(headers.get("x-tts-access-token")):
            raise TiktokError(105002, "Expired credentials", status=401)
        if path != SHOPS_PATH and query.get("shop_cipher") != self.cipher:
            raise TiktokError(106011, "Invalid shop_cipher")
        if (method, path) == ("POST", "/order/202309/orders/search"):
            return self._search(query, json.loads(raw_body or b"{}"))
        if (method, path) == ("GET", "/order/202309/orders"):
            return self._details(query)
        for (verb, pattern), handler in ROUTES.items():
            match = re.fullmatch(pattern, path)
            if match and verb == method:
                return handler(self, query, json.loads(raw_body or b"{}"), *match.groups())
        raise TiktokError(40006, f"Path {path} not found", status=404)

    def _token(self, path, query):
        if query.get("app_key") != self.app_key or query.get("app_secret") != self.app_secret:
            raise TiktokError(36004004, "Invalid app_key or app_secret")
        if path.endswith("/get"):
            if not self.use_once(self.codes, query.get("auth_code")):
                raise TiktokError(36004009, "Invalid auth_code")
        elif not self.use_once(self.refresh_tokens, query.get("refresh_token")):
            raise TiktokError(36004009, "Invalid refresh_token")
        access, refresh, expires = self.new_tokens(prefix="ROW_")
        # TikTok's *_expire_in are absolute unix times, not durations.
        return {"access_token": access, "access_token_expire_in": expires, "refresh_token": refresh,
                "refresh_token_expire_in": expires + 30 * 24 * 3600, "seller_base_region": "VN"}  # fmt: skip

    def _search(self, query, body):
        """Orders by status, creation and update times (``_ge`` from, ``_lt`` before), sorted by
        ``sort_field`` (``create_time`` unless told) in ``sort_order`` (``DESC`` unless told)."""
        _check_parameters(query, SEARCH_QUERY)
        _check_parameters(body, SEARCH_BODY, json_body=True)
        field = query.get("sort_field", "create_time")
        found = []
        for order in self.shop.orders.values():
            shown = self._order(order)
            inside = all(
                body.get(f"{moment}_ge", 0) <= order[moment] < body.get(f"{moment}_lt", float("inf"))
                for moment in ("create_time", "update_time")
            )
            if inside and body.get("order_status", shown["status"]) == shown["status"]:
                found.append((order[field], shown["id"], shown))
        found.sort(reverse=query.get("sort_order", "DESC") == "DESC")
        page, next_token = _page(query, [shown for _moment, _id, shown in found])
        return {"orders": page, "next_page_token": next_token, "total_count": len(found)}

    def _details(self, query):
        _check_parameters(query, {**COMMON_QUERY, "ids": str})
        # ids=1,2 or ids=1&ids=2: both name two orders.
        ids = [order_id for value in query.every("ids") for order_id in value.split(",") if order_id]
        orders = [self.order_of(order_id) for order_id in ids]
        if not 1 <= len(ids) <= MAX_DETAIL or None in orders:
            raise TiktokError(36009001, "ids must name 1 to 50 orders")
        return {"orders": [self._order(order) for order in orders]}

    # ------------------------------------------------------------------ shops and products

    def ref(self, order_id):
        """TikTok's order ids are 18-digit numbers written as strings."""
        return str(ORDER_BASE + numeric_id(order_id))

    def _shops(self, query, body):
        shop = {"id": "7494049642642441621", "name": self.shop_name, "region": "VN", "seller_type": "LOCAL"}
        return {"shops": [{**shop, "cipher": self.cipher, "code": "VNLCABCD12"}]}

    def _product_search(self, query, body):
        _check_parameters(query, {**COMMON_QUERY, "page_size": int, "page_token": str})
        _check_parameters(body, PRODUCT_SEARCH_BODY, json_body=True)
        # Every simulated product is active.
        found = sorted(self.shop.items.items(), key=lambda pair: pair[1]["item_id"])
        found = found if body.get("status", "ALL") in ("ALL", "ACTIVATE") else []
        if "seller_skus" in body:
            found = [(sku, item) for sku, item in found if sku in body["seller_skus"]]
        page, next_token = _page(query, found)
        return {
            "products": [self._product(sku, item) for sku, item in page],
            "next_page_token": next_token,
            "total_count": len(found),
        }

    def _product(self, sku, item):
        price = {"currency": "VND", "sale_price": str(item["price"])}
        attributes = [{"name": "Size", "value_name": item["variation"]}] if item["variation"] else []
        sku_data = {"id": str(item["model_id"]), "seller_sku": sku, "sales_attributes": attributes,
                    "price": {**price, "tax_exclusive_price": str(item["price"])},
                    "inventory": [{"warehouse_id": place, "quantity": self.shop.available(sku, place)}
                                  for place in self.shop.locations]}  # fmt: skip
        return {"id": str(item["item_id"]), "title": item["name"], "status": "ACTIVATE", "skus": [sku_data]}

    def _product_detail(self, query, body, product_id):
        sku, item = self.find_item("item_id", product_id)
        if not item:
            raise TiktokError(PRODUCT_NOT_FOUND, f"Product {product_id} does not exist")
        product = self._product(sku, item)
        # The detail tells each SKU's barcode, the search does not.
        barcode = {"identifier_code": {"code": item["barcode"], "type": "EAN"}}
        return {**product, "skus": [sku_data | barcode for sku_data in product["skus"]]}

    def _inventory_update(self, query, body, product_id):
        """The available quantity at each warehouse given (the default one when none is named)."""

        def quantities(sku):
            stock = sku.get("inventory") or []
            places = [place.get("warehouse_id", self.shop.location) for place in stock]
            if not set(places) <= set(self.shop.locations):
                raise TiktokError(INVALID_PRODUCT_VALUE, "The warehouse does not exist")
            counts = [place.get("quantity") for place in stock]
            if not stock or any(not isinstance(count, int) or count < 0 for count in counts):
                raise TiktokError(INVALID_PRODUCT_VALUE, "quantity must be a whole number, not below 0")
            return list(zip(places, counts, strict=True))

        _item, skus = self._product_skus(product_id, body)
        sku, _item = self.find_item("item_id", product_id)
        for location, quantity in next(quantities(entry) for entry in skus):
            self.shop.set_stock(sku, quantity, location)
        return {}

    def _price_update(self, query, body, product_id):
        def amount(sku):
            price = sku.get("price") or {}
            if price.get("currency") != "VND" or not str(price.get("amount") or "").isdigit():
                raise TiktokError(INVALID_PRODUCT_VALUE, "price.amount must be a whole number of VND")
            if not int(price["amount"]):
                raise TiktokError(INVALID_PRODUCT_VALUE, "price.amount must be above 0")
            return int(price["amount"])

        item, skus = self._product_skus(product_id, body)
        item["price"] = next(amount(sku) for sku in skus)
        return {}

    def _product_skus(self, product_id, body):
        """The product's item and the skus of the update, all of them its own (else nothing changes)."""
        _sku, item = self.find_item("item_id", product_id)
        if not item:
            raise TiktokError(PRODUCT_NOT_FOUND, f"Product {product_id} does not exist")
        skus = body.get("skus") or []
        if not skus:
            raise TiktokError(36009001, "skus is required")
        # Every field of the body is typed: an id is a string, a quantity a whole number, an amount a string.
        _check_parameters(body, {"skus": list}, json_body=True)
        for sku in skus:
            _check_parameters(sku, SKU_UPDATE, json_body=True)
            for place in sku.get("inventory") or []:
                _check_parameters(place, {"warehouse_id": str, "quantity": int}, json_body=True)
            _check_parameters(sku.get("price") or {}, {"amount": str, "currency": str}, json_body=True)
        strangers = [str(sku.get("id")) for sku in skus if str(sku.get("id")) != str(item["model_id"])]
        if strangers:
            message = f"SKU {', '.join(strangers)} does not belong to product {product_id}"
            raise TiktokError(SKU_NOT_FOUND, message)
        return item, skus

    # ------------------------------------------------------------------ fulfilment

    def _split(self, query, body, order_ref):
        """The seller splits an order awaiting shipment into packages, each a group of its line items."""
        order = self.order_of(order_ref)
        if not order:
            raise TiktokError(36009001, f"Order {order_ref} does not exist")
        lines = [line["id"] for line in self._order(order)["line_items"]]
        groups = [[str(item) for item in group.get("order_line_item_ids") or []]
                  for group in body.get("splittable_groups") or []]  # fmt: skip
        if sorted(item for group in groups for item in group) != sorted(lines) or len(groups) < 2:
            raise TiktokError(
                36009001, "splittable_groups must share all the order's line items out, in 2 or more"
            )
        if self.order_status(order) != "AWAITING_SHIPMENT" or order.get("tiktok_packages"):
            raise TiktokError(PACKAGE_STATUS, "Only an order awaiting shipment, not split yet, can be split")
        order["tiktok_packages"] = [[lines.index(item) for item in group] for group in groups]
        return {"packages": [{"id": package, "order_line_item_ids": [lines[index] for index in indexes]}
                             for package, indexes in _packages(order)]}  # fmt: skip

    def _ship_package(self, query, body, package_id):
        order = next((o for o in self.shop.orders.values() if package_id in dict(_packages(o))), None)
        if not order:
            raise TiktokError(PACKAGE_NOT_FOUND, f"Package {package_id} does not exist")
        if body.get("handover_method", "PICKUP") not in ("PICKUP", "DROP_OFF"):
            raise TiktokError(36009001, "handover_method must be PICKUP or DROP_OFF")
        shipment = body.get("self_shipment") or {}
        shipped = order.setdefault("shipped_packages", [])
        if package_id in shipped or order["status"] != "READY_TO_SHIP" or order.get("cancel_request"):
            raise TiktokError(PACKAGE_STATUS, "The package status does not allow shipping")
        shipped.append(package_id)
        if len(shipped) < len(_packages(order)):
            # Some packages left, some not: the order is partially shipping.
            order["tracking_number"] = shipment.get("tracking_number") or order.get("tracking_number", "")
            self.shop.advance(order["id"], "READY_TO_SHIP", seconds=1)
        elif not self.arrange_shipment(order["id"], shipment.get("tracking_number") or ""):
            raise TiktokError(PACKAGE_STATUS, "The package status does not allow shipping")
        order["carrier"] = shipment.get("shipping_provider_id") or ""
        return {}

    # ------------------------------------------------------------------ cancellations and returns

    def _cancellation_search(self, query, body):
        """The orders' cancellations: a buyer's request waiting for the seller, or done (the whole
        order, or some of its line items)."""
        wanted = {str(order_id) for order_id in body.get("order_ids") or []}
        found = [
            self._cancellation(order)
            for order in self.shop.orders.values()
            if (not wanted or self.ref(order["id"]) in wanted)
            and (order.get("cancel_request") or order["status"] == "CANCELLED" or order.get("cancelled_skus"))
        ]
        # cancel_status is a list of statuses; a lone status (as our adapter sends it) reads as one.
        statuses = body.get("cancel_status") or []
        statuses = [statuses] if isinstance(statuses, str) else statuses
        found = [entry for entry in found if not statuses or entry["cancel_status"] in statuses]
        page, next_token = _page(query, found)
        return {"cancellations": page, "next_page_token": next_token, "total_count": len(found)}

    def _cancellation(self, order):
        lines = self._order(order)["line_items"]
        cancelled = [line for line in lines if line["display_status"] == "CANCELLED"] or lines
        pending = bool(order.get("cancel_request"))
        buyer = pending or order.get("cancel_by") == "buyer"
        refund = sum(int(line["sale_price"]) for line in cancelled)
        return {
            "cancel_id": str(line_id(CANCEL_BASE, order["id"], 0)),
            "order_id": self.ref(order["id"]),
            "cancel_status": "CANCELLATION_REQUEST_PENDING" if pending else "CANCELLATION_REQUEST_COMPLETE",
            "cancel_type": "BUYER_CANCEL" if buyer else "SELLER_CANCEL",
            "cancel_reason": order.get("cancel_request") or order.get("cancel_reason", ""),
            "role": "BUYER" if buyer else "SELLER",
            "cancel_line_items": [
                {"cancel_line_item_id": line["id"], "order_line_item_id": line["id"],
                 "seller_sku": line["seller_sku"], "sku_id": line["sku_id"],
                 "product_name": line["product_name"]}
                for line in cancelled
            ],
            "refund_amount": {"currency": "VND", "refund_total": str(refund)},
            "create_time": order["update_time"], "update_time": order["update_time"],
        }  # fmt: skip

    def _cancellation_answer(self, query, body, cancel_id, answer):
        """Approve, or reject with one of the reasons Get Reject Reasons offers (``reject_reason``)."""
        order = self._cancelled_order(cancel_id)
        if answer == "reject":
            _check_parameters(body, REJECT_BODY, json_body=True)
            if body.get("reject_reason") not in CANCEL_REJECT_REASONS:
                raise TiktokError(
                    INVALID_PARAMETER,
                    "Invalid parameter: reject_reason must be a name Get Reject Reasons gives",
                )
        if not order or not self.shop.answer_cancellation(order["id"], accept=answer == "approve"):
            raise TiktokError(CANCELLATION_STATUS, f"Cancellation {cancel_id} is not waiting for an answer")
        if answer == "reject":
            order["cancel_rejected_for"] = body["reject_reason"]
        return {}

    def _reject_reasons(self, query, body):
        """The reasons a seller may reject this cancellation request with, their texts in ``locale``."""
        _check_parameters(query, {**COMMON_QUERY, "return_or_cancel_id": str, "locale": str})
        if not self._cancelled_order(query.get("return_or_cancel_id") or ""):
            raise TiktokError(INVALID_PARAMETER, "Invalid parameter: return_or_cancel_id does not exist")
        locale = query.get("locale") or "en-US"
        return {"reasons": [{"name": name, "text": texts.get(locale, texts["en-US"])}
                            for name, texts in CANCEL_REJECT_REASONS.items()]}  # fmt: skip

    def _cancelled_order(self, cancel_id):
        """The order whose cancellation (request) has this id, or None."""
        return next(
            (o for o in self.shop.orders.values() if str(line_id(CANCEL_BASE, o["id"], 0)) == cancel_id), None
        )

    def _return_search(self, query, body):
        wanted = {str(order_id) for order_id in body.get("order_ids") or []}
        found = [self.return_order(entry) for entry in self.shop.returns.values()
                 if not wanted or self.ref(entry["order_id"]) in wanted]  # fmt: skip
        found = [
            entry
            for entry in found
            if body.get("update_time_ge", 0)
            <= entry["update_time"]
            < body.get("update_time_lt", float("inf"))
        ]
        page, next_token = _page(query, found)
        return {"return_orders": page, "next_page_token": next_token, "total_count": len(found)}

    def return_order(self, entry):
        order = self.shop.orders[entry["order_id"]]
        units = {}
        for line in self._order(order)["line_items"]:
            units.setdefault(line["seller_sku"], []).append(line)
        lines = [line for sku, quantity in entry["lines"] for line in units[sku][:quantity]]
        return {
            "return_id": entry["id"], "order_id": self.ref(order["id"]), "return_type": "RETURN_AND_REFUND",
            "return_status": RETURN_STATUSES[entry["status"]], "role": "BUYER",
            "return_reason": entry["reason"],
            "return_line_items": [
                {"return_line_item_id": f"{entry['id']}{index}", "order_line_item_id": line["id"],
                 "seller_sku": line["seller_sku"], "sku_id": line["sku_id"],
                 "product_name": line["product_name"],
                 "refund_amount": {"currency": "VND", "refund_total": line["sale_price"]}}
                for index, line in enumerate(lines)
            ],
            "refund_amount": {"currency": "VND", "refund_total": str(entry["refund_amount"])},
            "create_time": entry["create_time"], "update_time": entry["update_time"],
        }  # fmt: skip

    def _order(self, order):
        address, shown_status = order["address"], self.order_status(order)
        packages = {index: package for package, indexes in _packages(order) for index in indexes}
        lines = []
        deals = self._deal_prices(order)
        for sku, quantity in order["lines"]:
            item = self.shop.items[sku]
            price, paid = str(item["price"]), deals[sku]
            for _unit in range(quantity):  # one line item per unit, as TikTok sends them
                lines.append(
                    {
                        "id": str(line_id(LINE_ITEM_BASE, order["id"], len(lines))),
                        "sku_id": str(item["model_id"]),
                        "seller_sku": sku,
                        "product_name": item["name"],
                        "sku_name": item["variation"],
                        "original_price": price,
                        "sale_price": str(paid),
                        "seller_discount": str(item["price"] - paid),
                        "platform_discount": "0",
                        "currency": "VND",
                        "product_id": str(item["item_id"]),
                        "sku_image": "",
                        "sku_type": "NORMAL",
                        "is_gift": False,
                        "display_status": "CANCELLED"
                        if sku in order.get("cancelled_skus", ())
                        else shown_status,
                        "package_id": packages[len(lines)],
                        "package_status": "TO_FULFILL"
                        if shown_status in (*TO_SHIP, "PARTIALLY_SHIPPING")
                        and packages[len(lines)] not in order.get("shipped_packages", ())
                        else "PROCESSING",
                        "shipping_provider_name": "J&T Express",
                        "tracking_number": order.get("tracking_number", ""),
                    }
                )
        original = sum(self.shop.items[sku]["price"] * quantity for sku, quantity in order["lines"])
        subtotal = sum(deals[sku] * quantity for sku, quantity in order["lines"])
        payment = {"currency": "VND", "sub_total": subtotal, "shipping_fee": SHIPPING_FEE,
                   "seller_discount": original - subtotal, "platform_discount": 0,
                   "original_total_product_price": original,
                   "original_shipping_fee": SHIPPING_FEE, "shipping_fee_seller_discount": 0,
                   "shipping_fee_platform_discount": 0, "tax": 0, "product_tax": 0,
                   "total_amount": subtotal + SHIPPING_FEE}  # fmt: skip
        return {
            "id": self.ref(order["id"]),
            "status": shown_status,
            "create_time": order["create_time"],
            "update_time": order["update_time"],
            "paid_time": paid_time(order),
            "user_id": str(order["buyer_id"]),
            "buyer_email": "",
            "buyer_message": "",
            "seller_note": "",
            "is_cod": order["cod"],
            "payment_method_name": "Cash on delivery" if order["cod"] else "TikTok Pay",
            "is_on_hold_order": shown_status == "ON_HOLD",
            "is_buyer_request_cancel": bool(order.get("cancel_request")),
            "fulfillment_type": "FULFILLMENT_BY_SELLER",
            "shipping_type": "SELLER",
            "shipping_provider": "J&T Express",
            "warehouse_id": order["location"],
            "split_or_combine_tag": "",
            # TikTok writes every amount as a string.
            "payment": {name: str(value) for name, value in payment.items()},
            "recipient_address": {
                "name": order["buyer_name"],
                "phone_number": "(+84)9******12",
                "address_detail": "5 Nguyễn Huệ",
                "region_code": "VN",
                "district_info": [
                    {"address_level_name": "Province", "address_name": address["province"]},
                    {"address_level_name": "District", "address_name": address["district"]},
                    {"address_level_name": "Ward", "address_name": address["ward"]},
                ],
            },
            "line_items": lines,
            "packages": [{"id": package} for package, _indexes in _packages(order)],
            "tracking_number": order.get("tracking_number", ""),
            "shipping_provider_id": order.get("carrier", ""),
        }

    def _deal_prices(self, order):
        """Each SKU's price in the order (an activity running when it was made priced it)."""
        return {sku: self.shop.unit_price(order, sku) for sku, _quantity in order["lines"]}

    # ------------------------------------------------------------------ promotion activities

    def _create_activity(self, query, body):
        _check_parameters(query, COMMON_QUERY)
        _check_body(
            body, ACTIVITY_BODY, ("title", "activity_type", "begin_time", "end_time", "product_level")
        )
        if body["activity_type"] not in ("FIXED_PRICE", "DIRECT_DISCOUNT") or body["product_level"] == "SHOP":
            raise TiktokError(
                INVALID_PARAMETER,
                "Invalid parameter: the simulator keeps product discounts only (FIXED_PRICE or "
                "DIRECT_DISCOUNT, at PRODUCT or VARIATION level)",
            )
        self._check_title(body["title"])
        self._check_window(body["begin_time"], body["end_time"])
        activity = self.activities.add(body["title"], body["begin_time"], body["end_time"])
        activity.details = {
            "activity_type": body["activity_type"],
            "product_level": body["product_level"],
            "participation_limit": body.get("participation_limit") or [{"type": "BUYER_NO_LIMIT"}],
            "deactivated": False,
        }
        return {"activity_id": activity.id, "create_time": activity.created, "status": "NOT_START",
                "update_time": activity.updated}  # fmt: skip

    def _update_activity(self, query, body, activity_id):
        """The title and the window (a later begin before it starts, any end after now)."""
        _check_parameters(query, COMMON_QUERY)
        _check_body(body, ACTIVITY_BODY, ())
        activity, status = self._activity(activity_id)
        for name in ("activity_type", "product_level"):
            if body.get(name, activity.details[name]) != activity.details[name]:
                raise TiktokError(INVALID_PARAMETER, f"Invalid parameter: {name} cannot be changed")
        if body.get("title", activity.name) != activity.name:
            self._check_title(body["title"])
        begin, end = body.get("begin_time", activity.start), body.get("end_time", activity.end)
        if begin != activity.start:
            if status == "ONGOING":
                raise TiktokError(ACTIVITY_STATUS, "The begin time of an ongoing activity cannot be changed")
            self._check_window(begin, end)
        if end <= max(begin, self.clock()):
            raise TiktokError(ACTIVITY_TIME, "end_time must be later than begin_time and the current time")
        for sku in activity.skus():
            self._check_rival(activity, sku, begin, end)
        activity.name = body.get("title", activity.name)
        activity.start, activity.end, activity.updated = begin, end, int(self.clock())
        return {"activity_id": activity.id, "title": activity.name, "update_time": activity.updated}

    def _deactivate_activity(self, query, body, activity_id):
        """An ongoing or upcoming activity ends now."""
        _check_parameters(query, COMMON_QUERY)
        activity, _status = self._activity(activity_id)
        self.activities.end_now(activity)
        activity.details["deactivated"] = True
        return {"activity_id": activity.id, "status": "DEACTIVATED", "title": activity.name,
                "update_time": activity.updated}  # fmt: skip

    def _update_activity_products(self, query, body, activity_id):
        """Products (or SKUs) added, or their deals changed. TikTok answers no list of failures: any
        product refused refuses the call, and nothing changes."""
        _check_parameters(query, COMMON_QUERY)
        _check_body(body, {"activity_id": str, "products": list}, ("activity_id", "products"))
        for product in body["products"]:
            _check_body(product, ACTIVITY_PRODUCT, ("id", "quantity_limit", "quantity_per_user", "skus"))
            for sku in product["skus"]:
                _check_body(sku, ACTIVITY_SKU, ("id",))
        if body["activity_id"] != activity_id:
            raise TiktokError(
                INVALID_PARAMETER, "Invalid parameter: activity_id must be the activity of the path"
            )
        activity, status = self._activity(activity_id)
        products = body["products"]
        if not 1 <= len(products) <= ACTIVITY_BATCH or sum(len(p["skus"]) for p in products) > ACTIVITY_BATCH:
            raise TiktokError(
                INVALID_PARAMETER, "Invalid parameter: 1 to 300 products, 300 SKUs at most, a call"
            )
        deals = [deal for product in products for deal in self._product_deals(activity, product)]
        for sku, deal, limits in deals:
            self.activities.set_deal(activity, sku, deal, limits)
        return {"activity_id": activity.id, "status": status, "title": activity.name,
                "total_count": len(deals), "update_time": activity.updated}  # fmt: skip

    def _product_deals(self, activity, product):
        """``[(sku, deal, limits)]`` of one product of the call, or its refusal."""
        sku, item = self.find_item("item_id", product["id"])
        if not item:
            raise TiktokError(ACTIVITY_PRODUCT_NOT_FOUND, f"Product {product['id']} does not exist")
        per_sku = activity.details["product_level"] == "VARIATION"
        if per_sku and not product["skus"]:
            raise TiktokError(INVALID_PARAMETER, "Invalid parameter: skus is required at VARIATION level")
        if not per_sku and product["skus"]:
            raise TiktokError(INVALID_PARAMETER, "Invalid parameter: skus must be [] at PRODUCT level")
        if per_sku and (product["quantity_limit"], product["quantity_per_user"]) != (-1, -1):
            raise TiktokError(
                INVALID_PARAMETER, "Invalid parameter: a product's quantity limits are -1 at VARIATION level"
            )
        offers = product["skus"] if per_sku else [product]
        strangers = [offer["id"] for offer in offers if per_sku and offer["id"] != str(item["model_id"])]
        if strangers:
            raise TiktokError(
                ACTIVITY_PRODUCT_NOT_FOUND, f"SKU {strangers[0]} is not a SKU of product {product['id']}"
            )
        deals = []
        for offer in offers:
            limits = {name: offer.get(name, -1) for name in ("quantity_limit", "quantity_per_user")}
            if any(limit != -1 and not 1 <= limit <= 99 for limit in limits.values()):
                raise TiktokError(INVALID_PARAMETER, "Invalid parameter: a quantity limit is 1 to 99, or -1")
            self._check_rival(activity, sku)
            deals.append((sku, self._deal(activity.details["activity_type"], offer, item["price"]), limits))
        return deals

    def _deal(self, activity_type, offer, regular):
        """A fixed price (``activity_price_amount``) below the SKU's price, or a percentage off
        (``discount``), as the activity's type asks."""
        field, other = ("activity_price_amount", "discount")
        if activity_type == "DIRECT_DISCOUNT":
            field, other = other, field
        if other in offer or field not in offer:
            raise TiktokError(
                INVALID_PARAMETER, f"Invalid parameter: a {activity_type} activity takes {field}"
            )
        if not offer[field].isdigit():
            raise TiktokError(INVALID_PARAMETER, f"Invalid parameter: {field} must be a whole number")
        value = int(offer[field])
        if field == "discount":
            if not 1 <= value <= 99:
                raise TiktokError(ACTIVITY_PRICE, "The discount must be 1 to 99 percent")
            return {"percent": value}
        if not 0 < value < regular:
            raise TiktokError(ACTIVITY_PRICE, "The activity price must be lower than the original price")
        return {"price": value}

    def _remove_activity_products(self, query, body, activity_id):
        _check_parameters(query, COMMON_QUERY)
        _check_body(body, {"product_ids": list, "sku_ids": list}, ())
        activity, status = self._activity(activity_id)
        product_ids, sku_ids = body.get("product_ids") or [], body.get("sku_ids") or []
        if (not product_ids and not sku_ids) or max(len(product_ids), len(sku_ids)) > ACTIVITY_BATCH:
            raise TiktokError(INVALID_PARAMETER, "Invalid parameter: 1 to 300 product_ids or sku_ids")
        found = [self.find_item("item_id", ref) for ref in product_ids]
        found += [self.find_item("model_id", ref) for ref in sku_ids]
        missing = [ref for ref, (sku, _item) in zip(product_ids + sku_ids, found, strict=True)
                   if sku is None or activity.deal(sku) is None]  # fmt: skip
        if missing:
            raise TiktokError(ACTIVITY_PRODUCT_NOT_FOUND, f"{missing[0]} is not in the activity")
        for sku, _item in found:
            self.activities.set_deal(activity, sku, None)
        return {"activity_id": activity.id, "status": status, "update_time": activity.updated}

    def _get_activity(self, query, body, activity_id):
        _check_parameters(query, COMMON_QUERY)
        activity, _status = self._activity(activity_id, changing=False)
        summary = self._activity_summary(activity)
        return {"activity_id": activity.id, **summary, "products": self._activity_products(activity)}

    def _activity_products(self, activity):
        per_sku = activity.details["product_level"] == "VARIATION"
        products = []
        for sku in activity.skus():
            item, deal, limits = self.shop.items[sku], activity.deal(sku), activity.limits[sku]
            offer = {**limits, **_activity_deal(deal)}
            if per_sku:
                offer = {"id": str(item["model_id"]), **offer}
                product = {"id": str(item["item_id"]), "quantity_limit": -1, "quantity_per_user": -1,
                           "skus": [offer]}  # fmt: skip
            else:
                product = {"id": str(item["item_id"]), **offer, "skus": []}
            products.append(product)
        return products

    def _search_activities(self, query, body):
        _check_parameters(query, COMMON_QUERY)
        _check_body(body, ACTIVITY_SEARCH, ())
        summaries = [
            {"id": activity.id, **self._activity_summary(activity)} for activity in self.activities.listed()
        ]
        found = [
            summary
            for summary in summaries
            if body.get("activity_title", summary["title"]) == summary["title"]
            and body.get("activity_type", summary["activity_type"]) == summary["activity_type"]
            and body.get("status", summary["status"]) == summary["status"]
        ]
        page, next_token = _page({"page_size": body.get("page_size", 50), **body}, found)
        return {"activities": page, "next_page_token": next_token, "total_count": len(found)}

    def _activity_summary(self, activity):
        return {
            "title": activity.name,
            "activity_type": activity.details["activity_type"],
            "product_level": activity.details["product_level"], "status": self._activity_status(activity),
            "begin_time": activity.start, "end_time": activity.end, "create_time": activity.created,
            "update_time": activity.updated, "duration_type": "NORMAL",
            "participation_limit": activity.details["participation_limit"], "activity_commands": [],
        }  # fmt: skip

    def _activity_status(self, activity):
        if activity.details["deactivated"]:
            return "DEACTIVATED"
        return ACTIVITY_STATES[activity.status(self.clock())]

    def _activity(self, activity_id, changing=True):
        """``(activity, status)``; one expired or deactivated cannot be changed."""
        activity = self.activities.get(activity_id)
        if not activity:
            raise TiktokError(ACTIVITY_NOT_FOUND, f"Activity {activity_id} does not exist")
        status = self._activity_status(activity)
        if changing and status in ("EXPIRED", "DEACTIVATED"):
            raise TiktokError(ACTIVITY_STATUS, f"You cannot update {status} activities")
        return activity, status

    def _check_title(self, title):
        if not title or len(title) > TITLE_LENGTH:
            raise TiktokError(ACTIVITY_TITLE, "The title must be 1 to 50 characters")
        if any(activity.name == title for activity in self.activities.listed()):
            raise TiktokError(ACTIVITY_TITLE, f"An activity titled {title} exists already")

    def _check_window(self, begin, end):
        if begin <= self.clock():
            raise TiktokError(ACTIVITY_TIME, "begin_time must be later than the current time")
        if end <= begin:
            raise TiktokError(ACTIVITY_TIME, "end_time must be later than begin_time")

    def _check_rival(self, activity, sku, begin=None, end=None):
        rival = self.activities.rival(activity, sku, begin, end)
        if rival:
            model_id = self.shop.items[sku]["model_id"]
            raise TiktokError(
                ACTIVITY_CONFLICT, f"SKU {model_id} is in activity {rival.id} at the same time already"
            )

    def order_status(self, order):
        """The order's status as TikTok shows it: a paid order stays on hold a while (the buyer may
        still cancel at once) before it awaits shipment."""
        if order["status"] == "READY_TO_SHIP" and order.get("paid_at") and not order.get("hold_ended"):
            return "ON_HOLD"
        if order["status"] == "READY_TO_SHIP" and order.get("shipped_packages"):
            return "PARTIALLY_SHIPPING"
        return STATUSES[order["status"]]


def _page(query, rows):
    """``(the page's rows, next_page_token)``: the token is where the next page starts, "" at the end."""
    size = int(query.get("page_size") or 0)
    if not 1 <= size <= MAX_PAGE:
        raise TiktokError(36009001, "page_size must be between 1 and 100")
    token = query.get("page_token") or "0"
    if not token.isdigit():
        raise TiktokError(36009001, "page_token is invalid")
    start = int(token)
    return rows[start : start + size], str(start + size) if start + size < len(rows) else ""


def _check_parameters(params, spec, json_body=False):
    problem = parameter_problem(params, spec, json_body)
    if problem:
        raise TiktokError(INVALID_PARAMETER, f"Invalid parameter: {problem}")


def _check_body(body, spec, required):
    """A JSON body's fields known and typed, and the required ones there."""
    _check_parameters(body, spec, json_body=True)
    missing = [name for name in required if name not in body]
    if missing:
        raise TiktokError(INVALID_PARAMETER, f"Invalid parameter: {missing[0]} is required")


def _activity_deal(deal):
    """A deal as Get Activity shows it: the activity price, or the percentage off."""
    if "price" in deal:
        return {"activity_price": {"amount": str(deal["price"]), "currency": "VND"}}
    return {"discount": str(deal["percent"])}


def _package(order):
    return str(line_id(PACKAGE_BASE, order["id"], 0))


def _packages(order):
    """``[(package id, its line item indexes)]``: one package, or those the seller split it into."""
    groups = order.get("tiktok_packages")
    if not groups:
        return [(_package(order), list(range(sum(quantity for _sku, quantity in order["lines"]))))]
    return [
        (str(line_id(PACKAGE_BASE, order["id"], number)), group) for number, group in enumerate(groups, 1)
    ]


ROUTES = {
    ("GET", SHOPS_PATH): TiktokApi._shops,
    ("POST", "/product/202309/products/search"): TiktokApi._product_search,
    ("GET", r"/product/202309/products/([^/]+)"): TiktokApi._product_detail,
    ("POST", r"/product/202309/products/([^/]+)/inventory/update"): TiktokApi._inventory_update,
    ("POST", r"/product/202309/products/([^/]+)/prices/update"): TiktokApi._price_update,
    ("POST", r"/fulfillment/202309/packages/([^/]+)/ship"): TiktokApi._ship_package,
    ("POST", r"/fulfillment/202309/orders/([^/]+)/split"): TiktokApi._split,
    ("POST", "/return_refund/202309/cancellations/search"): TiktokApi._cancellation_search,
    ("POST", r"/return_refund/202309/cancellations/([^/]+)/(approve|reject)"): TiktokApi._cancellation_answer,
    ("POST", "/return_refund/202309/returns/search"): TiktokApi._return_search,
    ("GET", "/return_refund/202309/reject_reasons"): TiktokApi._reject_reasons,
    ("POST", "/promotion/202309/activities"): TiktokApi._create_activity,
    ("POST", "/promotion/202309/activities/search"): TiktokApi._search_activities,
    ("GET", r"/promotion/202309/activities/([^/]+)"): TiktokApi._get_activity,
    ("PUT", r"/promotion/202309/activities/([^/]+)"): TiktokApi._update_activity,
    ("POST", r"/promotion/202309/activities/([^/]+)/deactivate"): TiktokApi._deactivate_activity,
    ("PUT", r"/promotion/202309/activities/([^/]+)/products"): TiktokApi._update_activity_products,
    ("DELETE", r"/promotion/202309/activities/([^/]+)/products"): TiktokApi._remove_activity_products,
}
