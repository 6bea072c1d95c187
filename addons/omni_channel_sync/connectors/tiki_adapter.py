"""Tiki Open API over HTTP: client-credentials tokens and the order list. No ORM here.

Tiki signs nothing: the app id and secret buy a bearer token (there is no refresh token; a new one is
asked for when the old one is refused). Order times are Vietnam local time.
"""

import time
from datetime import datetime, timedelta, timezone

import requests

from .errors import ChannelError, json_answer

VIETNAM = timezone(timedelta(hours=7))
LIMIT = 100


class TikiAdapter:
    def __init__(
        self, base_url, app_id, app_secret, shop_id, tokens, save_tokens, timeout=30, clock=time.time
    ):
        self.base_url, self.app_id, self.app_secret = base_url.rstrip("/"), app_id, app_secret
        self.tokens, self.save_tokens, self.timeout, self.clock = dict(tokens), save_tokens, timeout, clock
        self.session = requests.Session()

    def fetch_orders(self, since, until):
        """``[(order,)]`` for every order updated in [since, until], page after page."""
        window = {
            "updated_from_date": _local(since),
            "updated_to_date": _local(until),
            "order_by": "updated_at|asc",
        }
        orders, page = [], 1
        while True:
            answer = self._call("/integration/v2/orders", {**window, "page": page, "limit": LIMIT})
            orders += answer.get("data") or []
            if page >= (answer.get("paging") or {}).get("last_page", 0):
                return [(order,) for order in {order["code"]: order for order in orders}.values()]
            page += 1

    def refresh(self):
        """A new bearer token (client credentials)."""
        form = {"grant_type": "client_credentials", "client_id": self.app_id}
        answer = self._answer(
            self.session.post(
                f"{self.base_url}/sc/oauth2/token",
                data=form,
                auth=(self.app_id, self.app_secret),
                timeout=self.timeout,
            ),
            "token",
        )
        self.tokens = {"access_token": answer["access_token"], "refresh_token": False,
                       "expires_at": self.clock() + answer["expires_in"]}  # fmt: skip
        self.save_tokens(self.tokens)

    def _call(self, path, params):
        if not self.tokens.get("access_token") or (self.tokens.get("expires_at") or 0) - self.clock() < 600:
            self.refresh()
        try:
            return self._get(path, params)
        except ChannelError as error:
            if not error.auth:
                raise
        self.refresh()
        return self._get(path, params)

    def _get(self, path, params):
        headers = {"Authorization": f"Bearer {self.tokens['access_token']}"}
        try:
            response = self.session.get(
                self.base_url + path, params=params, headers=headers, timeout=self.timeout
            )
        except requests.RequestException as error:
            raise ChannelError(f"Tiki did not answer: {error}", retryable=True) from error
        return self._answer(response, path)

    def _answer(self, response, what):
        if response.status_code == 401:
            raise ChannelError(f"Tiki refused the credentials ({what})", auth=what != "token")
        if response.status_code == 429 or response.status_code >= 500:
            raise ChannelError(f"Tiki is busy (HTTP {response.status_code})", retryable=True)
        answer = json_answer(response, "Tiki")
        if response.status_code >= 400:
            raise ChannelError(f"Tiki refused {what}: {answer.get('errors') or answer}")
        return answer


def _local(seconds):
    return datetime.fromtimestamp(int(seconds), VIETNAM).strftime("%Y-%m-%d %H:%M:%S")
