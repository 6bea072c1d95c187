"""Tiki Open API, as far as the connector uses it: client-credentials tokens and the v2 order list
(page and limit, ``updated_from_date`` in Vietnam local time). Tiki has no request signing: a wrong
app secret gets no token and an unknown or expired token gets HTTP 401.
"""

import base64
from datetime import datetime, timedelta, timezone

from .platform import PlatformApi

VIETNAM = timezone(timedelta(hours=7))
MAX_LIMIT = 100
STATUSES = {"UNPAID": "waiting_payment", "READY_TO_SHIP": "ready_to_ship", "SHIPPED": "shipping",
            "COMPLETED": "complete", "CANCELLED": "canceled", "TO_RETURN": "returned"}  # fmt: skip


class TikiApi(PlatformApi):
    def __init__(self, shop, app_id="sandbox-tiki-app", app_secret="sandbox-tiki-secret", **options):
        super().__init__(shop, access_token_ttl=3599, **options)
        self.app_id, self.app_secret = app_id, app_secret

    def handle(self, method, path, query, form, headers):
        if self.over_rate():
            return 429, {"errors": ["Too many requests"]}
        if (method, path) == ("POST", "/sc/oauth2/token"):
            return self._token(form, headers)
        if not self.token_is_valid((headers.get("authorization") or "").removeprefix("Bearer ")):
            return 401, {"errors": ["Unauthorized"]}
        if (method, path) == ("GET", "/integration/v2/orders"):
            return 200, self._orders(query)
        return 404, {"errors": [f"{path} not found"]}

    def _token(self, form, headers):
        expected = base64.b64encode(f"{self.app_id}:{self.app_secret}".encode()).decode()
        if (
            headers.get("authorization") != f"Basic {expected}"
            or form.get("grant_type") != "client_credentials"
        ):
            return 401, {"error": "invalid_client", "error_description": "Client authentication failed"}
        access, _refresh, _expires = self.new_tokens()
        return 200, {"access_token": access, "expires_in": self.access_token_ttl, "token_type": "bearer"}

    def _orders(self, query):
        page, limit = int(query.get("page") or 1), min(int(query.get("limit") or 20), MAX_LIMIT)
        since = _local(query.get("updated_from_date"), 0)
        until = _local(query.get("updated_to_date"), float("inf"))
        found = sorted(
            (order for order in self.shop.orders.values() if since <= order["update_time"] <= until),
            key=lambda order: (order["update_time"], order["id"]),
        )
        last_page = (len(found) + limit - 1) // limit
        rows = found[(page - 1) * limit : page * limit]
        paging = {"total": len(found), "current_page": page, "per_page": limit, "last_page": last_page}
        return {"data": [self._order(order) for order in rows], "paging": paging}

    def _order(self, order):
        address = order["address"]
        shipping = {"full_name": order["buyer_name"], "street": "Số 1 Ấp X", "ward": address["ward"]}
        shipping.update(district=address["district"], region=address["province"], country_id="VN", phone="")
        items = []
        for sku, quantity in order["lines"]:
            item = self.shop.items[sku]
            product = {
                "id": item["item_id"],
                "sku": str(item["model_id"]),
                "name": item["name"],
                "seller_product_code": sku,
            }
            invoice = {"price": item["price"], "quantity": quantity, "discount_amount": 0}
            items.append(
                {
                    "id": item["model_id"],
                    "qty": quantity,
                    "price": item["price"],
                    "product": product,
                    "invoice": invoice,
                }
            )
        return {
            "id": order["create_time"],
            "code": order["id"],
            "status": STATUSES[order["status"]],
            "created_at": _text(order["create_time"]),
            "updated_at": _text(order["update_time"]),
            "items": items,
            "shipping": {"address": shipping},
            "payment": {"method": "cod" if order["cod"] else "tikixu"},
            "invoice": {"shipping_amount_after_discount": 0},
            "customer": {"id": order["buyer_id"], "full_name": order["buyer_name"]},
        }


def _local(text, default):
    if not text:
        return default
    return datetime.fromisoformat(text).replace(tzinfo=VIETNAM).timestamp()


def _text(seconds):
    return datetime.fromtimestamp(seconds, VIETNAM).strftime("%Y-%m-%d %H:%M:%S")
