"""Shopee Open Platform v2 over HTTP: signing, tokens, order pull. No ORM here.

The adapter takes the shop's credentials and a ``save_tokens`` callback: Shopee's refresh tokens are
single use, so the caller must persist every new pair at once (and serialize refreshes per shop).
"""

import time

import requests

from .errors import ChannelError, json_answer
from .signing import sign_shopee

MAX_WINDOW = 15 * 24 * 3600
PAGE_SIZE = 100
DETAIL_BATCH = 50
DETAIL_FIELDS = (
    "buyer_user_id,buyer_username,recipient_address,item_list,pay_time,payment_method,total_amount,"
    "estimated_shipping_fee,actual_shipping_fee,note,cancel_by,cancel_reason"
)


class ShopeeAdapter:
    def __init__(
        self, base_url, partner_id, partner_key, shop_id, tokens, save_tokens, timeout=30, clock=time.time
    ):
        self.base_url, self.partner_id, self.partner_key, self.shop_id = (
            base_url.rstrip("/"),
            partner_id,
            partner_key,
            shop_id,
        )
        self.tokens, self.save_tokens, self.timeout, self.clock = dict(tokens), save_tokens, timeout, clock
        self.session = requests.Session()

    # ------------------------------------------------------------------ orders

    def fetch_orders(self, since, until):
        """What the mapper takes for each order updated in [since, until]: ``[(detail,)]``."""
        return [(detail,) for detail in self.order_details(self.order_numbers(since, until))]

    def order_numbers(self, since, until, field="update_time"):
        """Order numbers updated (or created) in [since, until], walking 15-day windows and all pages."""
        numbers = []
        for start in range(int(since), int(until) + 1, MAX_WINDOW):
            end = min(start + MAX_WINDOW - 1, int(until))
            cursor = ""
            while True:
                window = {"time_range_field": field, "time_from": start, "time_to": end}
                params = {**window, "page_size": PAGE_SIZE, "cursor": cursor}
                response = self._call("GET", "/api/v2/order/get_order_list", params)["response"]
                numbers += [entry["order_sn"] for entry in response.get("order_list", [])]
                if not response.get("more"):
                    break
                cursor = response["next_cursor"]
        return list(dict.fromkeys(numbers))

    def order_details(self, numbers):
        """Full orders, asked 50 at a time (Shopee's limit)."""
        orders = []
        for start in range(0, len(numbers), DETAIL_BATCH):
            batch = ",".join(numbers[start : start + DETAIL_BATCH])
            params = {"order_sn_list": batch, "response_optional_fields": DETAIL_FIELDS}
            orders += self._call("GET", "/api/v2/order/get_order_detail", params)["response"]["order_list"]
        return orders

    # ------------------------------------------------------------------ tokens

    def refresh(self):
        body = {
            "refresh_token": self.tokens["refresh_token"],
            "partner_id": self.partner_id,
            "shop_id": self.shop_id,
        }
        answer = self._request("POST", "/api/v2/auth/access_token/get", {}, body, shop=False)
        self.tokens = {
            "access_token": answer["access_token"],
            "refresh_token": answer["refresh_token"],
            "expires_at": self.clock() + answer["expire_in"],
        }
        self.save_tokens(self.tokens)

    # ------------------------------------------------------------------ HTTP

    def _call(self, method, path, params):
        """A shop API call; an expired token is refreshed once, then the call is made again."""
        if self.tokens.get("expires_at") and self.tokens["expires_at"] - self.clock() < 60:
            self.refresh()
        try:
            return self._request(method, path, params)
        except ChannelError as error:
            if not error.auth:
                raise
        self.refresh()
        return self._request(method, path, params)

    def _request(self, method, path, params, body=None, shop=True):
        timestamp = int(self.clock())
        token = self.tokens.get("access_token") if shop else None
        query = {"partner_id": self.partner_id, "timestamp": timestamp, **params}
        if shop:
            query.update(access_token=token, shop_id=self.shop_id)
        query["sign"] = sign_shopee(
            self.partner_key, self.partner_id, path, timestamp, token, self.shop_id if shop else None
        )
        try:
            response = self.session.request(
                method, self.base_url + path, params=query, json=body, timeout=self.timeout
            )
        except requests.RequestException as error:
            raise ChannelError(f"Shopee did not answer: {error}", retryable=True) from error
        answer = json_answer(response, "Shopee")
        error = answer.get("error")
        if response.status_code == 429 or error in ("error_server", "error_busy", "error_system_busy"):
            raise ChannelError(answer.get("message") or "Too many requests", retryable=True)
        if error:
            raise ChannelError(f"{error}: {answer.get('message')}", auth=error == "error_auth")
        return answer
