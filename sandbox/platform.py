"""What every simulated platform keeps: authorization codes, tokens, and the platform's call limits."""

import json
import secrets
import time
from collections import defaultdict, deque
from typing import NamedTuple
from urllib.parse import parse_qsl


class RateLimit(NamedTuple):
    """At most ``calls`` calls in any ``seconds``, counted for the whole ``scope``: ``"app"`` (every
    call of the partner app), ``"shop"`` (every call for the shop) or ``"api"`` (each API of the shop,
    or of the app for its partner-level calls, on its own)."""

    scope: str
    calls: int
    seconds: float = 1


class Throttled(NamedTuple):
    """A call refused: the limit it met, and the seconds until that limit lets one through."""

    limit: RateLimit
    retry_after: float


class PlatformApi:
    # The platform's own call limits, as it documents them: each platform declares its figures.
    RATE_LIMITS = ()

    def __init__(self, shop, access_token_ttl, max_requests_per_second=None, clock=time.time):
        self.shop, self.access_token_ttl, self.clock = shop, access_token_ttl, clock
        self.codes, self.access_tokens, self.refresh_tokens = set(), {}, set()
        self.limits = list(self.RATE_LIMITS)
        if max_requests_per_second:  # a cap of the simulator's own on the shop's calls, above the platform's
            self.limits.append(RateLimit("shop", max_requests_per_second))
        self.windows = defaultdict(deque)  # (limit, API or "") -> the times of the calls it let through
        self.shop_name = "Omni Sandbox Shop"

    def set_limit(self, scope, calls, seconds=1):
        """Put one limit of ``scope`` in place of the declared ones, counting from now: tests lower a
        shop's limits to see the platform refuse."""
        self.limits = [limit for limit in self.limits if limit.scope != scope] + [
            RateLimit(scope, calls, seconds)
        ]
        self.windows.clear()

    def over_rate(self, api=""):
        """``Throttled`` when a call of ``api`` now would exceed one of the limits (the call is not
        counted then), else None, the call counted against every limit. Sliding windows: a burst
        faster than a limit's window meets it wherever the clock's seconds fall."""
        now = self.clock()
        windows = [(limit, self.windows[limit, api if limit.scope == "api" else ""]) for limit in self.limits]
        for limit, window in windows:
            while window and now - window[0] >= limit.seconds:
                window.popleft()
            if len(window) >= limit.calls:
                return Throttled(limit, max(0.0, window[0] + limit.seconds - now))
        for _limit, window in windows:
            window.append(now)
        return None

    def authorize(self):
        """What the seller's consent page hands back: a single-use code."""
        code = secrets.token_hex(16)
        self.codes.add(code)
        return code

    def expire_tokens(self):
        self.access_tokens = dict.fromkeys(self.access_tokens, 0)

    def revoke(self):
        """The seller withdrew the app's authorization: no token of the shop is taken any more."""
        self.access_tokens.clear()
        self.refresh_tokens.clear()

    def token_is_valid(self, token):
        return self.access_tokens.get(token, 0) >= self.clock()

    def new_tokens(self, prefix=""):
        """A fresh access token and single-use refresh token; ``(access, refresh, expiry time)``."""
        access, refresh = prefix + secrets.token_hex(16), prefix + secrets.token_hex(16)
        expires = int(self.clock() + self.access_token_ttl)
        self.access_tokens[access] = expires
        self.refresh_tokens.add(refresh)
        return access, refresh, expires

    def use_once(self, pool, value):
        """True, and forgotten, when ``value`` is in ``pool`` (codes and refresh tokens are single use)."""
        if value not in pool:
            return False
        pool.discard(value)
        return True

    def ref(self, order_id):
        """The platform's id of the shop's order ``order_id`` (Shopee's order_sn is the shop's id)."""
        return order_id

    def order_of(self, ref):
        """The shop's order whose platform id is ``ref``, or None."""
        return next((order for order in self.shop.orders.values() if self.ref(order["id"]) == str(ref)), None)

    def find_item(self, key, value):
        """``(sku, item)`` of the shop's item whose ``key`` (``item_id``, ``model_id``) is ``value``, or
        ``(None, None)``."""
        found = ((sku, item) for sku, item in self.shop.items.items() if str(item[key]) == str(value))
        return next(found, (None, None))

    def arrange_shipment(self, order_id, tracking_number="", carrier_later=False):
        """A ready-to-ship order (or one whose pickup failed, Shopee's ``RETRY_SHIP``) gets its tracking
        number (the carrier's when none is given, or later, from the carrier, with ``carrier_later``) and
        moves to shipment arranged (``PROCESSED``); False, and nothing changed, for an order in another
        state or whose buyer asked to cancel."""
        order = self.shop.orders[order_id]
        if order["status"] not in ("READY_TO_SHIP", "RETRY_SHIP") or order.get("cancel_request"):
            return False
        carrier = "" if carrier_later else f"VN{self.shop.random.randint(10**11, 10**12 - 1)}"
        order["tracking_number"] = tracking_number or carrier
        self.shop.advance(order_id, "PROCESSED", seconds=0)
        return True


def numeric_id(order_id):
    """The shop's order id (hexadecimal digits of its creation time, then its 6-digit serial) as a
    number, for the platforms that number orders: below 2**53, as JavaScript reads numbers whole."""
    return int(order_id[:-6], 16) * 10**6 + int(order_id[-6:])


def order_id_of(number):
    """The shop's order id of a `numeric_id`."""
    return f"{int(number) // 10**6:X}{int(number) % 10**6:06d}"


def line_id(base, order_id, index):
    """A numeric id of the order's ``index``-th line (or unit, or package): ``base`` plus the order's
    serial and the index, below 2**53 and unique in the shop."""
    return base + int(order_id[-6:]) * 1000 + index


class Query(dict):
    """A query string's parameters: for each name its last value (``keep_first``: its first), and
    ``every(name)``, all its values in order."""

    def __init__(self, text, keep_first=False):
        pairs = parse_qsl(text, keep_blank_values=True)
        super().__init__(reversed(pairs) if keep_first else pairs)
        self.all_values = {}
        for name, value in pairs:
            self.all_values.setdefault(name, []).append(value)

    def every(self, name):
        return list(self.all_values.get(name, ()))


def paid_time(order):
    """When the buyer paid (unix seconds); None while unpaid (cash on delivery is paid on delivery)."""
    if order.get("paid_at"):
        return order["paid_at"]
    if order["status"] in ("UNPAID", "CANCELLED") or (order["cod"] and order["status"] != "COMPLETED"):
        return None
    return order["create_time"]


def parameter_problem(params, spec, json_body=False):
    """What a platform refuses in ``params``: a name ``spec`` does not know, or a value not of its
    kind (``int``, ``float``: any number, ``str``, ``bool``, ``list``, or the tuple of the values
    allowed); None when nothing. In a query string every value is text: ``int`` there is a whole
    number written out."""
    for name, value in params.items():
        kind = spec.get(name)
        if kind is None:
            return f"{name} is not a parameter of this API"
        if isinstance(kind, tuple):
            if value not in kind:
                return f"{name} must be one of {', '.join(kind)}"
        elif kind is int:
            whole = isinstance(value, int) and not isinstance(value, bool)
            if not (whole if json_body else str(value).isdigit()):
                return f"{name} must be a whole number"
        elif kind is float:  # a JSON number
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                return f"{name} must be a number"
        elif kind is bool:
            if not (isinstance(value, bool) if json_body else value in ("true", "false")):
                return f"{name} must be true or false"
        elif not isinstance(value, kind if json_body else str):
            return f"{name} must be a {kind.__name__}"
    return None


def webhook_body(payload):
    """The raw body of a platform's webhook: compact JSON, non-ASCII text as it is (UTF-8)."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
