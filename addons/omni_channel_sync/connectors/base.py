"""What every platform's adapter shares: its constructor, its declared capabilities, and the one way
a call reaches the platform. No ORM here.

A call (``_call``) renews a token about to expire, then makes the request (``_request``): signed by
the platform's ``_sign`` (anew for each attempt: timestamps and nonces are good once), sent, waited
out while the platform asks to slow down (``_wait``), and its answer read by the platform's
``_answer``. A call refused for its token is made once more with a refreshed one. Where several
processes share a shop's tokens, the caller serializes their renewal (``renew_tokens``).

The sender sorts what is the same everywhere: no answer and a server error (5xx) are passing
faults; a rate limit (HTTP 429) is waited out as ``Retry-After`` asks, ``RATE_LIMIT_WAITS`` times,
then deferred to the job's retry; HTTP 401 is a refused credential where the platform says so with
the status (``AUTH_STATUS``). What a platform's answer means is its adapter's to say.
"""

import json
import time

import requests

from .errors import ChannelError

MAX_WAIT = 30  # seconds: a platform asking for a longer pause gets it from the job's retry instead
# What every platform offers: orders pulled, the connection tested, listings read, stock and prices
# pushed, a shipment told. Each adapter declares these and what its platform adds.
SELLING = frozenset(
    {"fetch_orders", "test_connection", "fetch_listings", "push_stock", "push_prices", "ship_order"}
)

# The fields of a promotion's entry kept in its ``ref`` by the platforms whose promotions are prices
# of the items, without an id of their own (Lazada, Tiki, Shopify, WooCommerce).
PROMOTION_FIELDS = ("sku", "item_id", "model_id", "price", "promotion_price")


def promotion_ref(entries):
    """The ``ref`` of such a promotion: the entries it holds on the platform, so that the next push
    or the end also reverts those the promotion no longer lists."""
    rows = [[entry[field] for field in PROMOTION_FIELDS] for entry in entries]
    return json.dumps(rows, separators=(",", ":"), ensure_ascii=False)


def dropped_entries(promotion):
    """The entries the promotion held on the platform (its ``ref``) that it no longer lists."""
    listed = {entry["sku"] for entry in promotion["entries"]}
    held = [dict(zip(PROMOTION_FIELDS, row, strict=True)) for row in json.loads(promotion.get("ref") or "[]")]
    return [entry for entry in held if entry["sku"] not in listed]


class PricePromotions:
    """``push_promotion`` and ``end_promotion`` of a platform whose promotion is a price of each item:
    its adapter's ``_promote(entries, promotion)`` sets it, ``_revert(entries, promotion)`` takes it
    back, each answering one result per entry."""

    def push_promotion(self, promotion):
        entries, dropped = promotion["entries"], dropped_entries(promotion)
        results = self._promote(entries, promotion) if entries else []
        reverted = self._revert(dropped, promotion) if dropped else []
        # An entry not reverted stays in the ref: the next push or the end tries it again.
        held = entries + [entry for entry, result in zip(dropped, reverted, strict=True) if not result["ok"]]
        return {"ref": promotion_ref(held), "start": promotion["start"], "results": results}

    def end_promotion(self, promotion):
        entries = promotion["entries"] + dropped_entries(promotion)
        return self._revert(entries, promotion)[: len(promotion["entries"])] if entries else []


class Adapter:
    PLATFORM = ""  # the platform's name in messages
    # The method names the models may call (``push_stock``, ``ship_order``, ``answer_cancellation``...).
    CAPABILITIES = frozenset()
    # Seconds before its expiry a token is renewed; None: the credentials are not refreshed (a store's
    # API key), a refused one is the answer.
    REFRESH_MARGIN = None
    # How often a rate limit is waited out before it becomes a retryable refusal: a store's bucket
    # empties as a matter of course in a stock push; a marketplace's per-second window defers at once,
    # its job spreading the retries.
    RATE_LIMIT_WAITS = 0
    AUTH_STATUS = 401  # None where the status says no more than the platform's error code

    def __init__(
        self, base_url, key, secret, shop_id, tokens, save_tokens, timeout=30, clock=time.time,
        sleep=time.sleep, renew_tokens=None,
    ):  # fmt: skip
        self.base_url, self.key, self.secret, self.shop_id = base_url.rstrip("/"), key, secret, shop_id
        self.tokens, self.save_tokens = dict(tokens or {}), save_tokens
        # ``renew_tokens(refresh, tokens)``: runs ``refresh()`` (the new tokens, not kept) under the
        # caller's lock for the shop, keeps them itself and gives back the tokens to use: another
        # process's, when it renewed them meanwhile. None: ``refresh`` at once, kept by ``save_tokens``.
        self.renew_tokens = renew_tokens
        self.timeout, self.clock, self.sleep = timeout, clock, sleep
        self.session = requests.Session()

    # ------------------------------------------------------------------ hooks of each platform

    def _sign(self, method, path, params, body, **options):
        """The request as the platform takes it: ``{"url", "params", "headers", "json" or "data"...}``
        (``requests`` options). ``options`` are the platform's own (a call without the shop's token...)."""
        raise NotImplementedError

    def _answer(self, response):
        """What the caller reads of an answer; the platform's refusals raised as ``ChannelError``.
        Here: the JSON of an accepted answer, a refused request (HTTP 4xx) in the platform's words."""
        if not response.ok:
            message = f"{self.PLATFORM} refused (HTTP {response.status_code}): {self._describe(response)}"
            raise ChannelError(message, code=response.status_code)
        return self._json(response)

    def _describe(self, response):
        """The platform's words for a refusal."""
        return f"HTTP {response.status_code}"

    def _wait(self, response):
        """Seconds the platform asks to wait before the request is sent again; None: it is answered."""
        if response.status_code != 429:
            return None
        try:  # Retry-After may also be an HTTP date: then a second will do
            return max(0.0, float(response.headers.get("Retry-After", 1)))
        except ValueError:
            return 1.0

    def _token_due(self):
        """Whether the token must be renewed before the call."""
        expires_at = self.tokens.get("expires_at")
        return bool(expires_at) and expires_at - self.clock() < self.REFRESH_MARGIN

    def refresh(self):
        """New tokens, kept through ``save_tokens`` (platforms whose tokens expire)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ the request path

    def _call(self, method, path, params=None, body=None, **options):
        """One API call with the shop's token; a refused token is refreshed once, then the call is
        made again."""
        if self.REFRESH_MARGIN is not None and self._token_due():
            self._renew()
        try:
            return self._request(method, path, params, body, **options)
        except ChannelError as error:
            if not error.auth or self.REFRESH_MARGIN is None:
                raise
        self._renew()
        return self._request(method, path, params, body, **options)

    def _renew(self):
        """New tokens: through the caller's ``renew_tokens`` when it serializes renewals."""
        if self.renew_tokens is None:
            self.refresh()
            return
        self.tokens = {**self.tokens, **self.renew_tokens(self._refreshed, dict(self.tokens))}

    def _refreshed(self):
        """The tokens ``refresh`` gives, left for ``renew_tokens`` to keep (it commits them as it
        releases its lock)."""
        save_tokens, self.save_tokens = self.save_tokens, lambda tokens: None
        try:
            self.refresh()
        finally:
            self.save_tokens = save_tokens
        return dict(self.tokens)

    def _request(self, method, path, params=None, body=None, **options):
        """One request, as it is (a token request is never refreshed)."""
        waits = 0
        while True:
            response = self._send(method, **self._sign(method, path, params or {}, body, **options))
            wait = self._wait(response)
            if wait is None:
                return self._answer(response)
            if waits == self.RATE_LIMIT_WAITS or wait > MAX_WAIT:
                raise ChannelError(f"{self.PLATFORM} rate limit: {self._describe(response)}", retryable=True)
            self.sleep(wait)
            waits += 1

    def _send(self, method, url, **options):
        """The platform's response. No answer (no connection, a timeout) is a passing fault; its
        message names the kind of failure only: ``requests`` puts the whole URL in its own, and with
        it the tokens and signatures of the query, which would reach the channel's error and the logs."""
        try:
            response = self.session.request(method, url, timeout=self.timeout, **options)
        except requests.Timeout:
            raise ChannelError(
                f"{self.PLATFORM} did not answer (no answer in time)", retryable=True
            ) from None
        except requests.RequestException:
            raise ChannelError(f"{self.PLATFORM} did not answer (no connection)", retryable=True) from None
        if response.status_code >= 500:
            raise ChannelError(
                f"{self.PLATFORM} is unavailable (HTTP {response.status_code})", retryable=True
            )
        if response.status_code == self.AUTH_STATUS:
            raise ChannelError(
                f"{self.PLATFORM} refused the credentials: {self._describe(response)}", auth=True
            )
        return response

    def _json(self, response):
        """The JSON of an answer; one that is not JSON (a proxy's error page) is a passing fault."""
        try:
            return response.json()
        except ValueError:
            raise ChannelError(
                f"{self.PLATFORM} answered HTTP {response.status_code} without JSON", retryable=True
            ) from None
