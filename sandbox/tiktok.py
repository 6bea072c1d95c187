"""TikTok Shop Partner API (202309), as far as the connector uses it: tokens on the auth host, the
order search (``page_token`` paging) and order details (50 ids at a time). Every unit is a line item
of its own. Calls are signed as TikTok signs them (path, sorted query, body, wrapped in the secret).
Also the authorized shops, the product search (skus inside), inventory and price updates (one
product a call, all or nothing) and shipping a package with the seller's tracking number.
"""

import json
import re
import uuid

from . import platform_signing as signing
from .platform import PlatformApi

MAX_PAGE = 100
MAX_DETAIL = 50
SHOPS_PATH = "/authorization/202309/shops"
WAREHOUSE_ID = "7068517275539719942"
# Product refusals are 12xxxxxx codes, fulfilment ones 21xxxxxx.
PRODUCT_NOT_FOUND, SKU_NOT_FOUND, INVALID_PRODUCT_VALUE = 12052007, 12052048, 12052010
PACKAGE_NOT_FOUND, PACKAGE_STATUS = 21011001, 21011016
TIMESTAMP_TOLERANCE = 300
STATUSES = {"UNPAID": "UNPAID", "READY_TO_SHIP": "AWAITING_SHIPMENT", "PROCESSED": "AWAITING_COLLECTION",
            "SHIPPED": "IN_TRANSIT",
            "COMPLETED": "COMPLETED", "CANCELLED": "CANCELLED", "TO_RETURN": "COMPLETED"}  # fmt: skip


class TiktokError(Exception):
    def __init__(self, code, message, status=200):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


class TiktokApi(PlatformApi):
    def __init__(
        self, shop, app_key="29a39d", app_secret="sandbox-tiktok-secret", cipher="ROW_sandbox", **options
    ):
        super().__init__(shop, access_token_ttl=7 * 24 * 3600, **options)
        self.app_key, self.app_secret, self.cipher = app_key, app_secret, cipher

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
        if self.over_rate():
            raise TiktokError(36009009, "Too many requests", status=429)
        if path in ("/api/v2/token/get", "/api/v2/token/refresh"):
            return self._token(path, query)
        if query.get("app_key") != self.app_key:
            raise TiktokError(106010, "Invalid app_key")
        if abs(self.clock() - int(query.get("timestamp") or 0)) > TIMESTAMP_TOLERANCE:
            raise TiktokError(36009004, "Invalid timestamp")
        expected = signing.tiktok_request(self.app_secret, path, query, raw_body)
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
        low, high = body.get("update_time_ge", 0), body.get("update_time_lt", float("inf"))
        found = sorted(
            (order for order in self.shop.orders.values() if low <= order["update_time"] < high),
            key=lambda order: (order["update_time"], order["id"]),
        )
        page, next_token = _page(query, found)
        orders = [self._order(order) for order in page]
        return {"orders": orders, "next_page_token": next_token, "total_count": len(found)}

    def _details(self, query):
        ids = [order_id for order_id in (query.get("ids") or "").split(",") if order_id]
        if not 1 <= len(ids) <= MAX_DETAIL or any(order_id not in self.shop.orders for order_id in ids):
            raise TiktokError(36009001, "ids must name 1 to 50 orders")
        return {"orders": [self._order(self.shop.orders[order_id]) for order_id in ids]}

    # ------------------------------------------------------------------ shops and products

    def _shops(self, query, body):
        shop = {"id": "7494049642642441621", "name": self.shop_name, "region": "VN", "seller_type": "LOCAL"}
        return {"shops": [{**shop, "cipher": self.cipher, "code": "VNLCABCD12"}]}

    def _product_search(self, query, body):
        # Every simulated product is active.
        found = sorted(self.shop.items.items(), key=lambda pair: pair[1]["item_id"])
        found = found if body.get("status", "ALL") in ("ALL", "ACTIVATE") else []
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
                    "inventory": [{"warehouse_id": WAREHOUSE_ID, "quantity": item["stock"]}]}  # fmt: skip
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
        def quantity(sku):
            stock = sku.get("inventory") or []
            if any(place.get("warehouse_id", WAREHOUSE_ID) != WAREHOUSE_ID for place in stock):
                raise TiktokError(INVALID_PRODUCT_VALUE, "The warehouse does not exist")
            if len(stock) != 1 or not isinstance(stock[0].get("quantity"), int) or stock[0]["quantity"] < 0:
                raise TiktokError(INVALID_PRODUCT_VALUE, "quantity must be a whole number, not below 0")
            return stock[0]["quantity"]

        item, skus = self._product_skus(product_id, body)
        item["stock"] = next(quantity(sku) for sku in skus)
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
        strangers = [str(sku.get("id")) for sku in skus if str(sku.get("id")) != str(item["model_id"])]
        if strangers:
            message = f"SKU {', '.join(strangers)} does not belong to product {product_id}"
            raise TiktokError(SKU_NOT_FOUND, message)
        return item, skus

    # ------------------------------------------------------------------ fulfilment

    def _ship_package(self, query, body, package_id):
        order = next((o for o in self.shop.orders.values() if _package(o) == package_id), None)
        if not order:
            raise TiktokError(PACKAGE_NOT_FOUND, f"Package {package_id} does not exist")
        if body.get("handover_method", "PICKUP") not in ("PICKUP", "DROP_OFF"):
            raise TiktokError(36009001, "handover_method must be PICKUP or DROP_OFF")
        shipment = body.get("self_shipment") or {}
        if not self.arrange_shipment(order["id"], shipment.get("tracking_number") or ""):
            raise TiktokError(PACKAGE_STATUS, "The package status does not allow shipping")
        order["carrier"] = shipment.get("shipping_provider_id") or ""
        return {}

    def _order(self, order):
        address = order["address"]
        lines = []
        for sku, quantity in order["lines"]:
            item = self.shop.items[sku]
            price = str(item["price"])
            for unit in range(quantity):  # one line item per unit, as TikTok sends them
                lines.append(
                    {
                        "id": f"{order['id']}-{item['item_id']}-{unit}",
                        "sku_id": str(item["model_id"]),
                        "seller_sku": sku,
                        "product_name": item["name"],
                        "sku_name": item["variation"],
                        "original_price": price,
                        "sale_price": price,
                        "seller_discount": "0",
                        "platform_discount": "0",
                        "currency": "VND",
                        "package_id": _package(order),
                        "tracking_number": order.get("tracking_number", ""),
                    }
                )
        return {
            "id": order["id"],
            "status": STATUSES[order["status"]],
            "create_time": order["create_time"],
            "update_time": order["update_time"],
            "user_id": str(order["buyer_id"]),
            "is_cod": order["cod"],
            "payment": {"currency": "VND", "shipping_fee": "16500"},
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
            "packages": [{"id": _package(order)}],
            "tracking_number": order.get("tracking_number", ""),
            "shipping_provider_id": order.get("carrier", ""),
        }


def _page(query, rows):
    """``(the page's rows, next_page_token)``: the token is where the next page starts, "" at the end."""
    size = int(query.get("page_size") or 0)
    if not 1 <= size <= MAX_PAGE:
        raise TiktokError(36009001, "page_size must be between 1 and 100")
    start = int(query.get("page_token") or 0)
    return rows[start : start + size], str(start + size) if start + size < len(rows) else ""


def _package(order):
    return f"PKG{order['id']}"


ROUTES = {
    ("GET", SHOPS_PATH): TiktokApi._shops,
    ("POST", "/product/202309/products/search"): TiktokApi._product_search,
    ("GET", r"/product/202309/products/([^/]+)"): TiktokApi._product_detail,
    ("POST", r"/product/202309/products/([^/]+)/inventory/update"): TiktokApi._inventory_update,
    ("POST", r"/product/202309/products/([^/]+)/prices/update"): TiktokApi._price_update,
    ("POST", r"/fulfillment/202309/packages/([^/]+)/ship"): TiktokApi._ship_package,
}
