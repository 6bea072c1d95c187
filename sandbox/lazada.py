"""Lazada Open Platform (LazOP), as far as the connector uses it: token create and refresh, the
order list (``update_after`` windows, offset paging up to 5,000), one order (``/order/get``), and
order items, 50 orders at a time. Every purchased unit is an item of its own, as on Lazada. Also the
seller, the products (offset paging, 50 at a time, SKUs inside), the XML price and quantity update
(50 SKUs a call, the refused ones in ``detail``; a SKU's special price with its dates, the price its
buyers pay inside them, orders too) and ready-to-ship with the seller's tracking number.
A buyer may ask to cancel items not packed yet: the request is a reverse order of type ``CANCEL``
(with the returns, in ``/reverse/getreverseordersforseller``; its items ``is_cancel_pending``), which
the seller agrees to or refuses with ``/order/reverse/cancel/seller/decide``.

Requests are signed over the union of query and form parameters; a wrong sign, a stale timestamp,
an unknown or expired token and too many calls are refused with Lazada's error envelope, as are
unknown or ill-typed parameters on the calls of ``PARAMETERS``. Order ids are numbers.
"""

import json
import re
import uuid
import xml.etree.ElementTree as ElementTree
from datetime import datetime, timedelta, timezone

from . import platform_signing as signing
from .platform import PlatformApi, RateLimit, line_id, numeric_id, paid_time, parameter_problem

MAX_LIMIT = 100
MAX_OFFSET = 5000
MAX_ITEMS_ORDERS = 50
MAX_PRODUCTS = 50
MAX_PRODUCT_OFFSET = 10000
MAX_UPDATE_SKUS = 50
WAREHOUSE = "dropshipping"  # the seller's default warehouse code
POST_PATHS = ("/product/price_quantity/update", "/order/rts", "/order/fulfill/pack", "/order/cancel")
TIMESTAMP_TOLERANCE = 7200
AUTH_PATHS = ("/auth/token/create", "/auth/token/refresh")
ORDER_STATUSES = ("unpaid", "pending", "canceled", "ready_to_ship", "delivered", "returned", "shipped",
                  "failed", "topack", "toship", "shipping", "lost", "packed", "lost_by_3pl", "damaged_by_3pl",
                  "failed_delivery", "shipped_back", "shipped_back_success", "shipped_back_failed",
                  "package_scrapped")  # fmt: skip
SYSTEM_PARAMETERS = {"app_key": str, "timestamp": int, "access_token": str, "sign_method": ("sha256",),
                     "sign": str, "partner_id": str, "format": ("json",),
                     "simplify": ("true", "false")}  # fmt: skip
DATE_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}")
# The business parameters of the calls answered strictly: any other is refused, as is an ill-typed one.
PARAMETERS = {
    "/orders/get": {"created_after": str, "created_before": str, "update_after": str, "update_before": str,
                    "status": str, "sort_by": str, "sort_direction": str, "offset": int, "limit": int},
    "/order/get": {"order_id": int},
    "/order/items/get": {"order_id": int},
    "/orders/items/get": {"order_ids": str},
    "/order/reverse/cancel/seller/decide": {"reverse_order_id": int, "agree_cancel": bool,
                                            "reason_code": int},
    "/seller/get": {},
    "/products/get": {"filter": ("all", "live", "inactive", "deleted", "pending", "rejected", "sold-out"),
                      "update_after": str, "update_before": str, "create_after": str, "create_before": str,
                      "offset": int, "limit": int, "options": ("0", "1"), "sku_seller_list": str},
}  # fmt: skip
SHIPPING_FEE = 15000
# Order ids are numbers (in the API's JSON: numbers; in pushes: strings); every unit its own item.
ITEM_BASE = 700_000_000_000
CANCEL_BASE = 800_000_000_000  # the reverse order of a buyer's cancellation request, and its lines
# Assumption: the documents at hand name the initial reverse status only (REQUEST_INITIATE); these
# stand for a cancellation the seller agreed to, or refused.
CANCEL_DECISIONS = {True: "CANCEL_SUCCESS", False: "REQUEST_REJECT"}
# The special price's dates: the day (the official example writes 2017-08-08), or the day and time
# (as sellers' integrations send them, and /products/get shows them), in the seller's country's time.
# Assumptions: a day alone starts at 00:00 and ends at 24:00 (the end day included); an end equal to
# the start is taken (integrations end a special price so), one before it refused.
SALE_DATE = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?")
VIETNAM = timezone(timedelta(hours=7))
ITEM_STATUSES = {"UNPAID": "unpaid", "READY_TO_SHIP": "ready_to_ship", "PROCESSED": "ready_to_ship",
                 "SHIPPED": "shipped", "COMPLETED": "delivered", "CANCELLED": "canceled",
                 "TO_RETURN": "returned"}  # fmt: skip


class LazadaError(Exception):
    def __init__(self, code, message, kind="ISV", detail=None):
        super().__init__(message)
        self.code, self.message, self.kind, self.detail = code, message, kind, detail


class LazadaApi(PlatformApi):
    RATE_LIMITS = (
        # Per seller and API: "50 calls per second per seller" is documented for the inventory APIs
        # (stock tutorial), and taken here for every API; past it, 901 "API level QPS limiting flow,
        # please retry in the next second" (the error tables of the product APIs).
        RateLimit("api", 50),
        # Per app: an online app calls at most 10 million times a day (a test app 10,000; Lazada Open
        # Platform's app guide). The error's name, ApiCallLimit, is an assumption: clients use it.
        RateLimit("app", 10_000_000, 24 * 3600),
    )

    def __init__(self, shop, app_key="123456", app_secret="sandbox-app-secret", **options):
        super().__init__(shop, access_token_ttl=30 * 24 * 3600, **options)
        shop.name_locations([WAREHOUSE])
        shop.buyer_price = self.buyer_price
        self.app_key, self.app_secret = app_key, app_secret

    def buyer_price(self, sku, when):
        """The SKU's special price while its window holds ``when``, else its price."""
        item = self.shop.items[sku]
        sale = item.get("special")
        if (
            sale
            and (sale["from"] is None or sale["from"] <= when)
            and (sale["to"] is None or when < sale["to"])
        ):
            return sale["price"]
        return item["price"]

    def handle(self, method, path, params):
        try:
            self._check(path, params)
            handler = ROUTES.get(path)
            if not handler:
                raise LazadaError("InvalidApiPath", f"The specified API path {path} is invalid")
            if path in POST_PATHS and method != "POST":
                raise LazadaError("InvalidHttpMethod", f"The API {path} only accepts POST")
            if path in PARAMETERS:
                problem = parameter_problem(params, {**SYSTEM_PARAMETERS, **PARAMETERS[path]})
                if problem:
                    raise LazadaError("InvalidParameter", f"The input parameter is invalid: {problem}")
            data = handler(self, params)
        except LazadaError as error:
            answer = {"code": error.code, "type": error.kind, "message": error.message}
            if error.detail:
                answer["detail"] = error.detail
            return 200, {**answer, "request_id": uuid.uuid4().hex}
        return 200, {"code": "0", "request_id": uuid.uuid4().hex, **data}

    def _check(self, path, params):
        throttled = self.over_rate(path)
        if throttled and throttled.limit.scope == "api":
            raise LazadaError("901", "Limit service request speed in server side temporarily.", "ISP")
        if throttled:
            raise LazadaError("ApiCallLimit", "The request has exceeded the limit of calls", "ISV")
        for name in ("app_key", "timestamp", "sign"):
            if not params.get(name):
                raise LazadaError(
                    "MissingParameter", f"The input parameter {name} that is mandatory is missing"
                )
        if params["app_key"] != self.app_key:
            raise LazadaError("InvalidAppKey", "The specified app key is invalid")
        if abs(self.clock() * 1000 - int(params["timestamp"])) > TIMESTAMP_TOLERANCE * 1000:
            raise LazadaError("InvalidTimestamp", "Timestamp is invalid")
        expected = signing.lazada_request(self.app_secret, path, params)
        if not signing.matches(params["sign"], expected, any_case=True):
            raise LazadaError(
                "IncompleteSignature", "The request signature does not conform to platform standards"
            )
        if path not in AUTH_PATHS and not self.token_is_valid(params.get("access_token")):
            raise LazadaError("IllegalAccessToken", "The specified access token is invalid or expired")

    def _tokens(self):
        access, refresh, _expires = self.new_tokens()
        lifetimes = {"expires_in": self.access_token_ttl, "refresh_expires_in": 15552000}
        return {"access_token": access, "refresh_token": refresh, **lifetimes, "country": "vn"}

    def token_create(self, params):
        if not self.use_once(self.codes, params.get("code")):
            raise LazadaError("InvalidCode", "The authorization code is invalid or expired")
        return self._tokens()

    def token_refresh(self, params):
        if not self.use_once(self.refresh_tokens, params.get("refresh_token")):
            raise LazadaError("IllegalRefreshToken", "The refresh token is invalid or expired")
        return self._tokens()

    def orders_get(self, params):
        """Orders created and/or updated in the windows given (one of ``created_after`` and
        ``update_after`` is mandatory), of an item ``status``, sorted by ``sort_by`` (``created_at``
        unless told) in ``sort_direction`` (``DESC`` unless told)."""
        if not (params.get("update_after") or params.get("created_after")):
            raise LazadaError("MissingParameter", "Either created_after or update_after is mandatory")
        bounds = []
        for field, prefix in (("create_time", "created"), ("update_time", "update")):
            for edge in ("after", "before"):
                text = params.get(f"{prefix}_{edge}")
                if text and not DATE_FORMAT.fullmatch(text):
                    raise LazadaError("17", "E017: Invalid Date Format")
                if text:
                    bounds.append((field, edge, datetime.fromisoformat(text).timestamp()))
        status, direction = params.get("status"), params.get("sort_direction", "DESC")
        if status and status not in ORDER_STATUSES:
            raise LazadaError("36", "E036: Invalid status filter")
        if direction not in ("ASC", "DESC"):
            raise LazadaError("74", "E074: Invalid sort direction. Must be one of [ASC, DESC]")
        sorts = {"created_at": "create_time", "updated_at": "update_time"}
        sort = sorts.get(params.get("sort_by", "created_at"))
        if not sort:
            raise LazadaError("75", "E075: Invalid sort filter. Must be one of [created_at, updated_at]")
        offset, limit = _paging(params, MAX_OFFSET, MAX_LIMIT)
        found = sorted(
            (
                order
                for order in self.shop.orders.values()
                if all(order[field] >= moment if edge == "after" else order[field] <= moment
                       for field, edge, moment in bounds)
                and (not status or status in self._order(order)["statuses"])
            ),
            key=lambda order: (order[sort], order["id"]),
            reverse=direction == "DESC",
        )  # fmt: skip
        page = found[offset : offset + limit]
        return {
            "data": {
                "count": str(len(page)),
                "countTotal": str(len(found)),
                "orders": [self._order(o) for o in page],
            }
        }

    def order_get(self, params):
        return {"data": self._order(self._find_order(params))}

    def ref(self, order_id):
        return str(numeric_id(order_id))

    def _find_order(self, params):
        order = self.order_of(params.get("order_id"))
        if not order:
            raise LazadaError("16", "E016: Invalid Order ID")
        return order

    def orders_items_get(self, params):
        try:
            ids = [str(order_id) for order_id in json.loads(params.get("order_ids") or "[]")]
        except ValueError:
            raise LazadaError("16", "E016: Invalid Order ID") from None
        orders = [self.order_of(order_id) for order_id in ids]
        if not 1 <= len(ids) <= MAX_ITEMS_ORDERS or None in orders:
            raise LazadaError("16", "E016: Invalid Order ID")
        return {
            "data": [
                {"order_id": numeric_id(order["id"]), "order_items": self._items(order)} for order in orders
            ]
        }

    # ------------------------------------------------------------------ seller and products

    def seller_get(self, params):
        data = {"name": self.shop_name, "seller_id": "100123456", "short_code": "VN1ABCD"}
        return {"data": {**data, "location": "Hồ Chí Minh", "verified": True, "email": "shop@example.vn"}}

    def products_get(self, params):
        offset, limit = _paging(params, MAX_PRODUCT_OFFSET, MAX_PRODUCTS)
        # Every simulated product is active: live ones have stock, the others are sold out.
        filters = {"all": lambda sku: True, "live": lambda sku: self.shop.available(sku) > 0,
                   "sold-out": lambda sku: not self.shop.available(sku)}  # fmt: skip
        wanted = params.get("filter") or "all"
        if wanted not in (*filters, "inactive", "deleted", "pending", "rejected"):
            raise LazadaError("MissingParameter", "The input parameter filter is invalid")
        keep = filters.get(wanted, lambda item: False)
        try:  # a JSON array of seller SKUs
            skus = json.loads(params["sku_seller_list"]) if params.get("sku_seller_list") else None
        except ValueError:
            raise LazadaError("InvalidParameter", "sku_seller_list must be a JSON array of SKUs") from None
        found = sorted(
            (
                (sku, item)
                for sku, item in self.shop.items.items()
                if keep(sku) and (skus is None or sku in skus)
            ),
            key=_by_item_id,
        )
        page = found[offset : offset + limit]
        return {"data": {"total_products": len(found), "products": [self._product(*pair) for pair in page]}}

    def _product(self, sku, item):
        name = f"{item['name']} {item['variation']}".strip()
        sale = item.get("special") or {"price": 0, "from_text": "", "to_text": ""}
        sku_data = {"SkuId": item["model_id"], "SellerSku": sku, "ShopSku": f"{item['item_id']}_VNAMZ",
                    "quantity": self.shop.available(sku), "Available": self.shop.available(sku),
                    "price": item["price"], "multiWarehouseInventories": [
                        {"warehouseCode": place, "quantity": self.shop.available(sku, place)}
                        for place in self.shop.locations],
                    "special_price": sale["price"], "special_from_date": sale["from_text"],
                    "special_to_date": sale["to_text"], "Status": "active"}  # fmt: skip
        product = {"item_id": item["item_id"], "status": "Active", "attributes": {"name": name}}
        return {**product, "skus": [sku_data]}

    def price_quantity_update(self, params):
        """Each SKU is updated on its own; the refused ones are told in ``detail`` (code 501)."""
        try:
            skus = ElementTree.fromstring(params.get("payload") or "").findall("./Product/Skus/Sku")
        except ElementTree.ParseError:
            raise LazadaError("MissingParameter", "The input parameter payload is not valid XML") from None
        if not skus:
            raise LazadaError("MissingParameter", "The input parameter payload has no Sku")
        if len(skus) > MAX_UPDATE_SKUS:
            raise LazadaError("4171", "The number of SKUs exceeds 50")
        detail = []
        for sku in skus:
            refusal = self._update_sku(sku)
            if refusal:
                field, message = refusal
                detail.append({"field": field, "message": message, "seller_sku": sku.findtext("SellerSku")})
        if detail:
            raise LazadaError("501", "update failed", detail=detail)
        return {"data": {}}

    def _update_sku(self, sku):
        """``(field, message)`` for a refused SKU; else None, the shop's item changed."""
        if sku.findtext("SkuId"):
            seller_sku, item = self.find_item("model_id", sku.findtext("SkuId"))
        else:
            seller_sku = sku.findtext("SellerSku")
            item = self.shop.items.get(seller_sku)
        if not item or sku.findtext("ItemId", str(item["item_id"])) != str(item["item_id"]):
            return "SellerSku", "SKU not found"
        if sku.findtext("SellerSku", seller_sku) != seller_sku:
            return "SellerSku", "SellerSku does not match SkuId"
        # A single warehouse's seller sends the Quantity alone; a seller of several, per warehouse.
        places = sku.findall("MultiWarehouseInventories/MultiWarehouseInventory")
        quantities = [(place.findtext("WarehouseCode"), place.findtext("Quantity")) for place in places]
        if sku.findtext("Quantity") is not None:
            quantities.append((self.shop.location, sku.findtext("Quantity")))
        if any(code not in self.shop.locations for code, _quantity in quantities):
            return "WarehouseCode", "Warehouse not found"
        if any(not (quantity or "").isdigit() for _code, quantity in quantities):
            return "Quantity", "Quantity must be a whole number, not below 0"
        price, sale_price = (_amount(sku.findtext(name)) for name in ("Price", "SalePrice"))
        if 0 in (price, sale_price):
            return (
                ("Price", "Price must be above 0")
                if price == 0
                else ("SalePrice", "SalePrice must be above 0")
            )
        if sale_price is not None and sale_price >= (price or item["price"]):
            return "SalePrice", "SalePrice must be lower than Price"
        dates = [sku.findtext(name) for name in ("SaleStartDate", "SaleEndDate")]
        try:
            start, end = _sale_time(dates[0]), _sale_time(dates[1], end=True)
        except ValueError:
            return "SaleStartDate", "Sale dates are written YYYY-MM-DD or YYYY-MM-DD HH:MM:SS"
        if sale_price is None and dates != [None, None]:
            return "SalePrice", "SalePrice is required with SaleStartDate and SaleEndDate"
        if start is not None and end is not None and end < start:
            return "SaleEndDate", "SaleEndDate must not be before SaleStartDate"
        for code, quantity in quantities:
            self.shop.set_stock(seller_sku, int(quantity), code)
        if price is not None:
            item["price"] = price
        if sale_price is not None:
            item["special"] = {"price": sale_price, "from": start, "to": end, "from_text": dates[0] or "",
                               "to_text": dates[1] or ""}  # fmt: skip
        return None

    # ------------------------------------------------------------------ shipment

    def order_items_get(self, params):
        return {"data": self._items(self._find_order(params))}

    def order_rts(self, params):
        try:
            ids = {str(item_id) for item_id in json.loads(params.get("order_item_ids") or "[]")}
        except ValueError:
            raise LazadaError("20", "E020: Invalid Order Item IDs") from None
        orders = {
            order["id"]
            for order in self.shop.orders.values()
            for item in self._items(order)
            if str(item["order_item_id"]) in ids
        }
        if not ids or len(orders) != 1 or params.get("delivery_type") not in ("dropship", "pickup"):
            raise LazadaError("20", f'E020: "{", ".join(sorted(ids))}" Invalid Order Item IDs')
        (order_id,) = orders
        if not self.arrange_shipment(order_id, params.get("tracking_number") or ""):
            raise LazadaError(
                "73", f"E073: All order items must have status Pending or Ready To Ship. ({order_id})"
            )
        self.shop.orders[order_id]["carrier"] = params.get("shipment_provider") or ""
        items = [{"order_item_id": item_id, "purchase_order_id": ""} for item_id in sorted(ids)]
        return {"data": {"order_items": items}}

    def order_pack(self, params):
        """``/order/fulfill/pack``: the seller packs the pending items of one order; Lazada's carrier
        gives the package its tracking number."""
        try:
            request = json.loads(params.get("packReq") or "{}")
            (entry,) = request["pack_order_list"]
            order = self.order_of(entry["order_id"])
            wanted = {str(item_id) for item_id in entry["order_item_list"]}
        except (ValueError, KeyError, TypeError):
            raise LazadaError("InvalidParameter", "The input parameter packReq is invalid") from None
        if not order:
            raise LazadaError("16", "E016: Invalid Order ID")
        items = {str(item["order_item_id"]): item for item in self._items(order)}
        if not wanted <= set(items) or any(items[item_id]["status"] != "pending" for item_id in wanted):
            raise LazadaError("82", f"E082: Order items must be pending to be packed. ({order['id']})")
        order["packed"] = True
        self.shop.assign_tracking(order["id"])
        package = _package(order)
        return {
            "result": {
                "success": True,
                "data": {"pack_order_list": [{"order_id": numeric_id(order["id"]), "order_item_list": [
                    {"order_item_id": item_id, "item_err_code": "0", "msg": "success", "package_id": package,
                     "tracking_number": order["tracking_number"], "shipment_provider": "LEX VN"}
                    for item_id in sorted(wanted)
                ]}]},
            }
        }  # fmt: skip

    def order_cancel(self, params):
        """``/order/cancel``: the seller cancels an item (all units of its SKU here), the rest goes on."""
        order_item_id = str(params.get("order_item_id") or "")
        found = [(order, item) for order in self.shop.orders.values() for item in self._items(order)
                 if str(item["order_item_id"]) == order_item_id]  # fmt: skip
        if not found:
            raise LazadaError("20", f'E020: "{order_item_id}" Invalid Order Item ID')
        ((order, item),) = found
        if not self.shop.cancel_items(
            order["id"], [item["sku"]], params.get("reason_detail") or "Out of stock"
        ):
            raise LazadaError("26", f"E026: Item {order_item_id} cannot be canceled in its status.")
        return {}

    def reverse_orders(self, params):
        """``/reverse/getreverseordersforseller``: the buyers' returns and cancellation requests, of
        one trade order or modified in a window (milliseconds), a page at a time."""
        page_size, page_no = int(params.get("page_size") or 10), int(params.get("page_no") or 1)
        if not 1 <= page_size <= MAX_LIMIT or page_no < 1:
            raise LazadaError("InvalidParameter", "page_size must be 1 to 100, page_no from 1")
        found = [(entry["update_time"], entry["id"], entry["order_id"], self.reverse_order, entry)
                 for entry in self.shop.returns.values()]  # fmt: skip
        found += [
            (
                order["update_time"],
                str(line_id(CANCEL_BASE, order["id"], 0)),
                order["id"],
                self.cancellation,
                order,
            )
            for order in self.shop.orders.values()
            if order.get("cancel_request") or order.get("cancel_decision")
        ]
        found.sort(key=lambda entry: entry[:2])
        if params.get("trade_order_id"):
            found = [entry for entry in found if self.ref(entry[2]) == str(params["trade_order_id"])]
        start = params.get("ReverseOrderLineModifiedTimeRangeStart")
        end = params.get("ReverseOrderLineModifiedTimeRangeEnd")
        if start or end:
            found = [entry for entry in found if int(start or 0) <= entry[0] * 1000 <= int(end or 2**62)]
        page = found[(page_no - 1) * page_size : page_no * page_size]
        items = [build(entry) for _time, _id, _order, build, entry in page]
        return {"result": {"success": True, "total": len(found), "page_no": page_no, "page_size": page_size,
                           "items": items}}  # fmt: skip

    def reverse_order(self, entry):
        order = self.shop.orders[entry["order_id"]]
        units = {}
        for item in self._items(order):
            units.setdefault(item["sku"], []).append(item)
        status = {"REQUESTED": "REQUEST_INITIATE", "REFUND_PAID": "REFUND_SUCCESS",
                  "CANCELLED": "REQUEST_CANCEL"}.get(entry["status"], "REQUEST_INITIATE")  # fmt: skip
        lines = []
        for sku, quantity in entry["lines"]:
            for item in units[sku][:quantity]:
                lines.append({
                    "reverse_order_line_id": f"{entry['id']}{len(lines)}",
                    "trade_order_line_id": str(item["order_item_id"]),
                    "reverse_status": status, "ofc_status": "RTM_DELIVERED", "seller_sku_id": sku,
                    "platform_sku_id": str(item["sku_id"]), "refund_amount": int(float(item["paid_price"])),
                    "reason_text": entry["reason"], "is_need_refund": True,
                    "return_order_line_gmt_create": entry["create_time"] * 1000,
                    "return_order_line_gmt_modified": entry["update_time"] * 1000,
                })  # fmt: skip
        trade_order_id = self.ref(order["id"])
        return {"reverse_order_id": entry["id"], "trade_order_id": trade_order_id, "request_type": "RETURN",
                "is_rtm": False, "shipping_type": "DROPSHIPPING", "reverse_order_lines": lines}  # fmt: skip

    def request_cancellation(self, order_id, reason="Change of mind"):
        """The buyer asks to cancel an order whose items are not packed yet: a reverse order of type
        ``CANCEL`` waits for the seller's decision. False for an order in another state."""
        order = self.shop.orders[order_id]
        if order["status"] != "READY_TO_SHIP" or order.get("packed"):
            return False
        return self.shop.request_cancellation(order_id, reason)

    def cancellation(self, order):
        """The reverse order of the buyer's cancellation request on ``order``: waiting for the seller
        (``REQUEST_INITIATE``), or decided."""
        waiting = bool(order.get("cancel_request"))
        status = "REQUEST_INITIATE" if waiting else order["cancel_decision"]
        reason = order.get("cancel_request") or order.get("cancel_reason") or ""
        lines = [
            {"reverse_order_line_id": str(line_id(CANCEL_BASE, order["id"], number)),
             "trade_order_line_id": str(item["order_item_id"]), "reverse_status": status, "ofc_status": "",
             "seller_sku_id": item["sku"], "platform_sku_id": str(item["sku_id"]),
             "refund_amount": int(float(item["paid_price"])), "reason_text": reason,
             "is_need_refund": bool(paid_time(order)),
             "return_order_line_gmt_create": order["update_time"] * 1000,
             "return_order_line_gmt_modified": order["update_time"] * 1000}
            for number, item in enumerate(self._items(order), 1)
        ]  # fmt: skip
        reverse_order_id = str(line_id(CANCEL_BASE, order["id"], 0))
        return {"reverse_order_id": reverse_order_id, "trade_order_id": self.ref(order["id"]),
                "request_type": "CANCEL", "is_rtm": False, "shipping_type": "DROPSHIPPING",
                "reverse_order_lines": lines}  # fmt: skip

    def cancel_decide(self, params):
        """``/order/reverse/cancel/seller/decide``: the seller agrees to the buyer's cancellation (the
        order is cancelled) or refuses it (the order goes on)."""
        reverse_order_id = str(params.get("reverse_order_id") or "")
        order = next(
            (
                o
                for o in self.shop.orders.values()
                if str(line_id(CANCEL_BASE, o["id"], 0)) == reverse_order_id
            ),
            None,
        )
        if not order:
            raise LazadaError("105", "E0105: reverse order id is empty or invalid")
        agree = params.get("agree_cancel") == "true"
        if not self.shop.answer_cancellation(order["id"], agree):
            raise LazadaError("131", "E0131: no decision for this reverse order")
        order["cancel_decision"] = CANCEL_DECISIONS[agree]
        return {}

    def _order(self, order):
        address = order["address"]
        return {
            "order_id": numeric_id(order["id"]),
            "order_number": numeric_id(order["id"]),
            "created_at": _iso(order["create_time"]),
            "updated_at": _iso(order["update_time"]),
            # Lazada writes amounts as strings with two decimals.
            "price": f"{sum(self.shop.unit_price(order, sku) * qty for sku, qty in order['lines']):.2f}",
            "shipping_fee": f"{SHIPPING_FEE:.2f}",
            "shipping_fee_original": f"{SHIPPING_FEE:.2f}",
            "shipping_fee_discount_seller": "0.00",
            "shipping_fee_discount_platform": "0.00",
            "voucher": "0.00",
            "voucher_platform": "0.00",
            "voucher_seller": "0.00",
            "voucher_code": "",
            "payment_method": "COD" if order["cod"] else "MIXEDCARD",
            "statuses": sorted(set(_item_statuses(order, self.shop.order_returns(order["id"])))),
            "items_count": sum(quantity for _sku, quantity in order["lines"]),
            "remarks": "",
            "buyer_note": "",
            "gift_option": False,
            "gift_message": "",
            "tax_code": "",
            "branch_number": "",
            "warehouse_code": order["location"],
            "national_registration_number": "",
            "promised_shipping_times": "",
            "delivery_info": "",
            "need_cancel_confirm": bool(order.get("cancel_request")),
            "is_cancel_pending": bool(order.get("cancel_request")),
            "extra_attributes": "",
            "customer_first_name": order["buyer_name"],
            "customer_last_name": "",
            "address_shipping": {
                "first_name": order["buyer_name"],
                "last_name": "",
                "phone": "84*******89",
                "address1": "12 Ly Thuong Kiet",
                "address3": address["province"],
                "address4": address["district"],
                "address5": address["ward"],
                "city": address["district"],
                "country": "Vietnam",
            },
        }

    def _items(self, order):
        items, paid, statuses = (
            [],
            paid_time(order),
            _item_statuses(order, self.shop.order_returns(order["id"])),
        )
        for sku, quantity in order["lines"]:
            item = self.shop.items[sku]
            price = f"{self.shop.unit_price(order, sku):.2f}"
            for _unit in range(quantity):  # one item per purchased unit
                items.append(
                    {
                        "order_item_id": line_id(ITEM_BASE, order["id"], len(items)),
                        "order_id": numeric_id(order["id"]),
                        "sku": sku,
                        "shop_sku": f"{item['item_id']}_VNAMZ-{item['model_id']}",
                        "sku_id": item["model_id"],
                        "product_id": item["item_id"],
                        "purchase_order_id": "",
                        "package_id": _package(order) if order.get("tracking_number") else "",
                        "tax_amount": "0.00",
                        "shipping_amount": f"{SHIPPING_FEE / len(order['lines']) / quantity:.2f}",
                        "shipping_fee_original": "0.00",
                        "shipping_fee_discount_seller": "0.00",
                        "shipping_fee_discount_platform": "0.00",
                        "voucher_amount": "0.00",
                        "voucher_code": "",
                        "wallet_credits": "0.00",
                        "tracking_code_pre": "",
                        "shipping_type": "Dropshipping",
                        "shipping_provider_type": "standard",
                        "invoice_number": "",
                        "warehouse_code": order["location"],
                        "is_digital": 0,
                        "reason": "",
                        "reason_detail": "",
                        "cancel_return_initiator": "",
                        "return_status": "",
                        "sla_time_stamp": _item_time(order["create_time"] + 2 * 24 * 3600),
                        "promised_shipping_time": "",
                        "created_at": _item_time(order["create_time"]),
                        "updated_at": _item_time(order["update_time"]),
                        "payment_time": str(paid * 1000) if paid else "",
                        "product_main_image": "",
                        "product_detail_url": "",
                        "need_cancel_confirm": bool(order.get("cancel_request")),
                        "is_cancel_pending": bool(order.get("cancel_request")),
                        "name": item["name"],
                        "variation": item["variation"],
                        "item_price": price,
                        "paid_price": price,
                        "currency": "VND",
                        "status": statuses[len(items)],
                        "voucher_seller": "0.00",
                        "voucher_platform": "0.00",
                        "buyer_id": order["buyer_id"],
                        "tracking_code": order.get("tracking_number", ""),
                        "shipment_provider": order.get("carrier", ""),
                    }
                )
        return items


def _item_statuses(order, returns):
    """Each unit's item status, in the order of the order's lines: a paid order's items are pending
    until packed, cancelled lines canceled, returned units returned."""
    status = ITEM_STATUSES[order["status"]]
    if order["status"] == "READY_TO_SHIP":
        status = "packed" if order.get("packed") else "pending"
    returned = {}
    for found in returns:
        if found["status"] != "CANCELLED":
            for sku, quantity in found["lines"]:
                returned[sku] = returned.get(sku, 0) + quantity
    statuses = []
    for sku, quantity in order["lines"]:
        for unit in range(quantity):
            if sku in order.get("cancelled_skus", ()):
                statuses.append("canceled")
            elif order["status"] == "TO_RETURN":
                statuses.append("returned" if unit < returned.get(sku, 0) else "delivered")
            else:
                statuses.append(status)
    return statuses


def _paging(params, max_offset, max_limit):
    """``(offset, limit)`` of a list request (10 a page unless told)."""
    offset, limit = int(params.get("offset") or 0), int(params.get("limit") or 10)
    if not 0 <= offset <= max_offset:
        raise LazadaError("14", "E014: Invalid Offset")
    if not 1 <= limit <= max_limit:
        raise LazadaError("19", "E019: Invalid Limit")
    return offset, limit


def _by_item_id(pair):
    return pair[1]["item_id"]


def _package(order):
    return f"FP{numeric_id(order['id'])}"


def _amount(text):
    """A price of the XML payload: None when absent, 0 when not a positive number."""
    if text is None:
        return None
    try:
        price = float(text)
    except ValueError:
        return 0
    return max(0, int(price) if price.is_integer() else price)


def _sale_time(text, end=False):
    """Unix seconds of a sale date (None when not given); a day alone ends at its midnight."""
    if text is None:
        return None
    if not SALE_DATE.fullmatch(text):
        raise ValueError(text)
    moment = datetime.fromisoformat(text).replace(tzinfo=VIETNAM)
    return int((moment + timedelta(days=1) if end and len(text) == 10 else moment).timestamp())


def _item_time(seconds):
    """Order items write their times as ``2014-10-15 19:12:15 +0800``."""
    return datetime.fromtimestamp(seconds, timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M:%S %z")


def _iso(seconds):
    return datetime.fromtimestamp(seconds, timezone.utc).astimezone().isoformat()


ROUTES = {
    "/auth/token/create": LazadaApi.token_create,
    "/auth/token/refresh": LazadaApi.token_refresh,
    "/orders/get": LazadaApi.orders_get,
    "/order/get": LazadaApi.order_get,
    "/orders/items/get": LazadaApi.orders_items_get,
    "/order/items/get": LazadaApi.order_items_get,
    "/order/rts": LazadaApi.order_rts,
    "/order/fulfill/pack": LazadaApi.order_pack,
    "/order/cancel": LazadaApi.order_cancel,
    "/reverse/getreverseordersforseller": LazadaApi.reverse_orders,
    "/order/reverse/cancel/seller/decide": LazadaApi.cancel_decide,
    "/seller/get": LazadaApi.seller_get,
    "/products/get": LazadaApi.products_get,
    "/product/price_quantity/update": LazadaApi.price_quantity_update,
}
