"""What every simulated platform keeps: authorization codes, tokens, and a request-rate limit."""

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
