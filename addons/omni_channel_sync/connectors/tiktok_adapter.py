"""TikTok Shop Partner API (202309) over HTTP: signing, tokens, order pull. No ORM here.

The API host and the auth host differ on the real platform: ``base_url`` serves both here unless
``auth_url`` is given. ``shop_id`` is the shop's cipher (``shop_cipher``).
"""

import json
import time

import requests

from .errors import ChannelError, json_answer
from .signing import sign_tiktok

PAGE_SIZE = 100
DETAIL_BATCH = 50
AUTH_CODES = (105001, 105002, 105003, 106002)


class TiktokAdapter:
    def __init__(
        self, base_url, app_key, app_secret, shop_id, tokens, save_tokens, timeout=30, clock=time.time
    ):
        self.base_url, self.app_key, self.app_secret, self.cipher = (
            base_url.rstrip("/"),
            app_key,
            app_secret,
            shop_id,
        )
        self.tokens, self.save_tokens, self.timeout, self.clock = dict(tokens), save_tokens, timeout, clock
        self.session = requests.Session()

    def fetch_orders(self, since, until):
        """``[(order,)]`` for every order updated in [since, until]: the search pages, then details."""
        ids, token = [], ""
        while True:
            query = {"page_size": PAGE_SIZE, "sort_field": "update_time", "sort_order": "ASC"}
            if token:
                query["page_token"] = token
            body = {"update_time_ge": int(since), "update_time_lt": int(until) + 1}
            data = self._call("POST", "/order/202309/orders/search", query, body)
            ids += [order["id"] for order in data.get("orders") or []]
            token = data.get("next_page_token")
            if not token:
                break
        orders = []
        ids = list(dict.fromkeys(ids))
        for start in range(0, len(ids), DETAIL_BATCH):
            query = {"ids": ",".join(ids[start : start + DETAIL_BATCH])}
            orders += self._call("GET", "/order/202309/orders", query)["orders"]
        return [(order,) for order in orders]

    def refresh(self):
        params = {"app_key": self.app_key, "app_secret": self.app_secret,
                  "refresh_token": self.tokens["refresh_token"], "grant_type": "refresh_token"}  # fmt: skip
        data = self._answer(
            self.session.get(f"{self.base_url}/api/v2/token/refresh", params=params, timeout=self.timeout)
        )
        self.tokens = {"access_token": data["access_token"], "refresh_token": data["refresh_token"],
                       "expires_at": data["access_token_expire_in"]}  # fmt: skip
        self.save_tokens(self.tokens)

    def _call(self, method, path, query, body=None):
        try:
            return self._request(method, path, query, body)
        except ChannelError as error:
            if not error.auth:
                raise
        self.refresh()
        return self._request(method, path, query, body)

    def _request(self, method, path, query, body):
        raw = json.dumps(body, separators=(",", ":")) if body is not None else ""
        query = {key: str(value) for key, value in query.items()}
        query.update(app_key=self.app_key, timestamp=str(int(self.clock())), shop_cipher=self.cipher)
        query["sign"] = sign_tiktok(self.app_secret, path, query, raw)
        headers = {
            "x-tts-access-token": self.tokens.get("access_token") or "",
            "content-type": "application/json",
        }
        try:
            response = self.session.request(
                method,
                self.base_url + path,
                params=query,
                data=raw.encode() or None,
                headers=headers,
                timeout=self.timeout,
            )
        except requests.RequestException as error:
            raise ChannelError(f"TikTok Shop did not answer: {error}", retryable=True) from error
        return self._answer(response)

    def _answer(self, response):
        answer = json_answer(response, "TikTok Shop")
        code = answer.get("code")
        if code != 0:
            retryable = response.status_code == 429 or response.status_code >= 500
            raise ChannelError(
                f"{code}: {answer.get('message')}", retryable=retryable, auth=code in AUTH_CODES
            )
        return answer["data"]
