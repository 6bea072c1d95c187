"""What every simulated platform keeps: authorization codes, tokens, and a request-rate limit."""

import json
import secrets
import time


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


def webhook_body(payload):
    """The raw body of a platform's webhook: compact JSON, non-ASCII text as it is (UTF-8)."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
