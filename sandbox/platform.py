"""What every simulated platform keeps: authorization codes, tokens, and a request-rate limit."""

import json
import secrets
import time
from urllib.parse import parse_qsl


class PlatformApi:
    def __init__(self, shop, access_token_ttl, max_requests_per_second=50, clock=time.time):
        self.shop, self.access_token_ttl, self.rate, self.clock = (
            shop,
            access_token_ttl,
            max_requests_per_second,
            clock,
        )
        self.codes, self.access_tokens, self.refresh_tokens = set(), {}, set()
        self.calls = []  # the last second's request times
        self.shop_name = "Omni Sandbox Shop"

    def authorize(self):
        """What the seller's consent page hands back: a single-use code."""
        code = secrets.token_hex(16)
        self.codes.add(code)
        return code

    def expire_tokens(self):
        self.access_tokens = dict.fromkeys(self.access_tokens, 0)

    def token_is_valid(self, token):
        return self.access_tokens.get(token, 0) >= self.clock()

    def over_rate(self):
        now = self.clock()
        self.calls = [moment for moment in self.calls if now - moment < 1] + [now]
        return len(self.calls) > self.rate

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
        """A ready-to-ship order gets its tracking number (the carrier's when none is given, or later,
        from the carrier, with ``carrier_later``) and moves to shipment arranged (``PROCESSED``); False,
        and nothing changed, for an order in another state or whose buyer asked to cancel."""
        order = self.shop.orders[order_id]
        if order["status"] != "READY_TO_SHIP" or order.get("cancel_request"):
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
