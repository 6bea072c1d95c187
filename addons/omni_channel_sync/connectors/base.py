"""One call to a store's REST API (Shopify, WooCommerce), refusals sorted as the jobs need them.

A rate limit is waited out as the platform's ``Retry-After`` asks, a few times, before it becomes a
retryable refusal: Shopify's bucket holds 40 calls, so a stock push of a few hundred items meets it
as a matter of course. No answer or a server error is a passing fault; 401 a refused credential.
"""

import time

from .errors import ChannelError, request

RATE_LIMIT_WAITS = 5
MAX_WAIT = 30  # seconds: a platform asking for a longer pause gets it from the job's retry instead


def send(session, method, url, platform, describe, timeout, sleep=time.sleep, **options):
    """The response, accepted or refused for what the request asked (4xx other than 401 and 429):
    the caller reads those. ``describe(response)`` says in words what the platform refused."""
    for attempt in range(RATE_LIMIT_WAITS + 1):
        response = request(session, platform, method, url, timeout=timeout, **options)
        if response.status_code != 429:
            break
        wait = _retry_after(response)
        if attempt == RATE_LIMIT_WAITS or wait > MAX_WAIT:
            raise ChannelError(f"{platform} rate limit: {describe(response)}", retryable=True)
        sleep(wait)
    if response.status_code == 401:
        raise ChannelError(f"{platform} refused the credentials: {describe(response)}", auth=True)
    if response.status_code >= 500:
        raise ChannelError(f"{platform} is unavailable (HTTP {response.status_code})", retryable=True)
    return response


def _retry_after(response):
    """Seconds to wait; Retry-After may also be an HTTP date, then a second will do."""
    try:
        return max(0.0, float(response.headers.get("Retry-After", 1)))
    except ValueError:
        return 1.0
