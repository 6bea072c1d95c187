"""Lazada Open Platform over HTTP: signing, tokens, order pull. No ORM here.

Orders are walked by ``update_after``/``update_before`` windows and offset pages; Lazada refuses
offsets past 5,000, so a window that holds more is split in two. Items come 50 orders at a time.
"""

import json
import time
from datetime import datetime, timezone

import requests

from .errors import ChannelError, json_answer
from .signing import sign_lazada

LIMIT = 100
MAX_OFFSET = 5000
ITEMS_BATCH = 50
RETRYABLE = ("ApiCallLimit", "901", "ServiceTimeout", "InternalError")
AUTH_ERRORS = ("IllegalAccessToken", "IllegalRefreshToken")


class LazadaAdapter:
    def __init__(
        self, base_url, app_key, app_secret, shop_id, tokens, save_tokens, timeout=30, clock=time.time
    ):
        self.base_url, self.app_key, self.app_secret = base_url.rstrip("/"), app_key, app_secret
        self.tokens, self.save_tokens, self.timeout, self.clock = dict(tokens), save_tokens, timeout, clock
        self.session = requests.Session()

    # ------------------------------------------------------------------ orders

    def order_numbers(self, since, until, field="update_time"):
        """Order ids updated (or created) in [since, until], every page of every window."""
        return [str(order["order_id"]) for order in self._orders(since, until, field)]

    def fetch_orders(self, since, until):
        """What the mapper takes for each order updated in [since, until]: ``[(order, items)]``."""
        return self.orders_with_items(since, until)

    def orders_with_items(self, since, until, field="update_time"):
        """``[(order, items)]``: the list entries with their items, as the mapper takes them."""
        orders = self._orders(since, until, field)
        items = {}
        for start in range(0, len(orders), ITEMS_BATCH):
            ids = [order["order_id"] for order in orders[start : start + ITEMS_BATCH]]
            for entry in self._call("/orders/items/get", {"order_ids": json.dumps(ids)})["data"]:
                items[str(entry["order_id"])] = entry["order_items"]
        return [(order, items.get(str(order["order_id"]), [])) for order in orders]

    def _orders(self, since, until, field):
        prefix = "update" if field == "update_time" else "created"
        found, offset = [], 0
        while True:
            window = {f"{prefix}_after": _iso(since), f"{prefix}_before": _iso(until)}
            sort = "updated_at" if prefix == "update" else "created_at"
            params = {**window, "offset": offset, "limit": LIMIT, "sort_by": sort, "sort_direction": "ASC"}
            data = self._call("/orders/get", params)["data"]
            total = int(data.get("countTotal") or 0)
            if total > MAX_OFFSET + LIMIT and until - since > 1:
                middle = (since + until) // 2
                return self._orders(since, middle, field) + self._orders(middle + 1, until, field)
            found += data.get("orders") or []
            offset += LIMIT
            if offset >= total:
                return list({str(order["order_id"]): order for order in found}.values())

    # ------------------------------------------------------------------ tokens

    def refresh(self):
        answer = self._request(
            "/auth/token/refresh", {"refresh_token": self.tokens["refresh_token"]}, token=False
        )
        self.tokens = {
            "access_token": answer["access_token"],
            "refresh_token": answer["refresh_token"],
            "expires_at": self.clock() + answer["expires_in"],
        }
        self.save_tokens(self.tokens)

    # ------------------------------------------------------------------ HTTP

    def _call(self, path, params):
        try:
            return self._request(path, params)
        except ChannelError as error:
            if not error.auth:
                raise
        self.refresh()
        return self._request(path, params)

    def _request(self, path, params, token=True):
        query = {
            "app_key": self.app_key,
            "timestamp": str(int(self.clock() * 1000)),
            "sign_method": "sha256",
            **params,
        }
        if token:
            query["access_token"] = self.tokens.get("access_token")
        query = {key: str(value) for key, value in query.items()}
        query["sign"] = sign_lazada(self.app_secret, path, query)
        try:
            response = self.session.get(self.base_url + path, params=query, timeout=self.timeout)
        except requests.RequestException as error:
            raise ChannelError(f"Lazada did not answer: {error}", retryable=True) from error
        answer = json_answer(response, "Lazada")
        code = str(answer.get("code"))
        if code != "0":
            message = f"{code}: {answer.get('message')}"
            raise ChannelError(
                message, retryable=code in RETRYABLE or answer.get("type") == "ISP", auth=code in AUTH_ERRORS
            )
        return answer


def _iso(seconds):
    return datetime.fromtimestamp(int(seconds), timezone.utc).isoformat()
