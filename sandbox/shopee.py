"""Shopee Open Platform v2, as far as the connector uses it: shop authorization and tokens, the
order list (time windows of at most 15 days, cursor paging) and order details (50 at a time).

Requests are refused the way Shopee refuses them: a wrong sign, a stale timestamp, an unknown or
expired access token (``error_auth``), a too-wide window, and too many requests.
"""

import uuid

from .platform import PlatformApi
from .platform_signing import signing

MAX_WINDOW = 15 * 24 * 3600
MAX_PAGE = 100
MAX_DETAIL = 50
TIMESTAMP_TOLERANCE = 300
PUBLIC_PATHS = ("/api/v2/auth/token/get", "/api/v2/auth/access_token/get")


class ShopeeError(Exception):
    def __init__(self, status, error, message):
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


class ShopeeApi(PlatformApi):
    def __init__(
        self, shop, partner_id=2001887, partner_key="sandbox-partner-key", shop_id=14701711, **options
    ):
        super().__init__(shop, access_token_ttl=14400, **options)
        self.partner_id, self.partner_key, self.shop_id = partner_id, partner_key, shop_id

    # ------------------------------------------------------------------ HTTP

    def handle(self, method, path, query, body):
        """``(HTTP status, JSON answer)`` for one request."""
        try:
            self._check_rate()
            self._check_signature(path, query)
            handler = ROUTES.get((method, path))
            if not handler:
                raise ShopeeError(404, "error_not_found", f"Api {path} not found.")
            response = handler(self, query, body or {})
        except ShopeeError as error:
            return error.status, {
                "request_id": uuid.uuid4().hex,
                "error": error.error,
                "message": error.message,
            }
        return 200, {"request_id": uuid.uuid4().hex, "error": "", "message": "", **response}

    def _check_rate(self):
        if self.over_rate():
            raise ShopeeError(429, "error_server", "Too many requests, please try again later")

    def _check_signature(self, path, query):
        if "sign" not in query:
            raise ShopeeError(403, "error_param", "There is no sign in query.")
        if str(query.get("partner_id")) != str(self.partner_id):
            raise ShopeeError(403, "error_param", "Invalid partner_id.")
        try:
            timestamp = int(query["timestamp"])
        except (KeyError, ValueError):
            raise ShopeeError(403, "error_param", "no timestamp") from None
        if abs(self.clock() - timestamp) > TIMESTAMP_TOLERANCE:
            raise ShopeeError(403, "error_param", "Invalid timestamp")
        shop_api = path not in PUBLIC_PATHS
        expected = signing.sign_shopee(
            self.partner_key,
            self.partner_id,
            path,
            timestamp,
            query.get("access_token") if shop_api else None,
            query.get("shop_id") if shop_api else None,
        )
        if not signing.same_signature(query["sign"], expected):
            raise ShopeeError(403, "error_sign", "Wrong sign.")
        if shop_api:
            if str(query.get("shop_id")) != str(self.shop_id):
                raise ShopeeError(403, "error_shop", "shopid is invalid")
            if not self.token_is_valid(query.get("access_token")):
                raise ShopeeError(403, "error_auth", "Invalid access_token.")

    # ------------------------------------------------------------------ auth

    def _issue_tokens(self):
        access, refresh, _expires = self.new_tokens()
        return {"access_token": access, "refresh_token": refresh, "expire_in": self.access_token_ttl,
                "partner_id": self.partner_id, "shop_id": self.shop_id}  # fmt: skip

    def token_get(self, query, body):
        if not self.use_once(self.codes, body.get("code")):
            raise ShopeeError(403, "error_auth", "Invalid code")
        return self._issue_tokens()

    def access_token_get(self, query, body):
        """Refresh tokens are single use: a second refresh with the same one fails."""
        if not self.use_once(self.refresh_tokens, body.get("refresh_token")):
            raise ShopeeError(403, "error_auth", "Invalid refresh_token.")
        return self._issue_tokens()

    # ------------------------------------------------------------------ orders

    def order_list(self, query, body):
        field = query.get("time_range_field")
        if field not in ("create_time", "update_time"):
            raise ShopeeError(200, "error_param", "time_range_field must be create_time or update_time.")
        time_from, time_to = int(query.get("time_from", 0)), int(query.get("time_to", 0))
        if not 0 <= time_to - time_from <= MAX_WINDOW:
            raise ShopeeError(
                200,
                "order.order_list_invalid_time",
                "Start time must be earlier than end time and diff in 15days.",
            )
        page_size = int(query.get("page_size", 0))
        if not 1 <= page_size <= MAX_PAGE:
            raise ShopeeError(200, "error_param", "page_size should be between 1 and 100.")
        key = "create_time" if field == "create_time" else "update_time"
        found = sorted(
            (order for order in self.shop.orders.values() if time_from <= order[key] <= time_to),
            key=lambda order: (order[key], order["id"]),
        )
        start = int(query.get("cursor") or 0)
        page = found[start : start + page_size]
        more = start + page_size < len(found)
        return {
            "response": {
                "more": more,
                "next_cursor": str(start + page_size) if more else "",
                "order_list": [{"order_sn": order["id"], "order_status": order["status"]} for order in page],
            }
        }

    def order_detail(self, query, body):
        numbers = [number for number in (query.get("order_sn_list") or "").split(",") if number]
        if not 1 <= len(numbers) <= MAX_DETAIL:
            raise ShopeeError(200, "error_param", "order_sn_list should have 1 to 50 orders.")
        missing = [number for number in numbers if number not in self.shop.orders]
        if missing:
            raise ShopeeError(200, "error_not_found", "Wrong parameters, detail: the order is not found.")
        return {"response": {"order_list": [self._detail(self.shop.orders[number]) for number in numbers]}}

    def _detail(self, order):
        items = [
            self.shop.items[sku] | {"sku": sku, "quantity": quantity} for sku, quantity in order["lines"]
        ]
        address = order["address"]
        shipping = 20000
        return {
            "order_sn": order["id"],
            "region": "VN",
            "currency": "VND",
            "cod": order["cod"],
            "order_status": order["status"],
            "create_time": order["create_time"],
            "update_time": order["update_time"],
            "buyer_user_id": order["buyer_id"],
            "buyer_username": f"buyer{order['buyer_id']}",
            "message_to_seller": "",
            "payment_method": "Cash on Delivery" if order["cod"] else "ShopeePay",
            "estimated_shipping_fee": shipping,
            "total_amount": sum(item["price"] * item["quantity"] for item in items) + shipping,
            # Shopee masks the recipient for most apps.
            "recipient_address": {
                "name": order["buyer_name"][0] + "******" + order["buyer_name"][-1],
                "phone": "******" + str(order["buyer_id"])[-2:],
                "town": "",
                "district": address["ward"],
                "city": address["district"],
                "state": address["province"],
                "region": "VN",
                "full_address": "******",
            },
            "item_list": [
                {
                    "item_id": item["item_id"],
                    "item_name": item["name"],
                    "item_sku": "",
                    "model_id": item["model_id"],
                    "model_name": item["variation"],
                    "model_sku": item["sku"],
                    "model_quantity_purchased": item["quantity"],
                    "model_original_price": item["price"],
                    "model_discounted_price": item["price"],
                    "order_item_id": item["item_id"],
                }
                for item in items
            ],
        }


ROUTES = {
    ("POST", "/api/v2/auth/token/get"): ShopeeApi.token_get,
    ("POST", "/api/v2/auth/access_token/get"): ShopeeApi.access_token_get,
    ("GET", "/api/v2/order/get_order_list"): ShopeeApi.order_list,
    ("GET", "/api/v2/order/get_order_detail"): ShopeeApi.order_detail,
}
