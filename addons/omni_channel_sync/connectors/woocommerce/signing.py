"""WooCommerce's OAuth 1.0a request signature (its webhooks sign the body as Shopify's do: ``signing``)."""

import base64
import hashlib
import hmac
from urllib.parse import quote


def sign_woocommerce_oauth(consumer_secret, method, url, params):
    """WooCommerce REST over plain HTTP (OAuth 1.0a, one-legged), as WooCommerce checks it: base64 HMAC
    of the method, the URL and the parameters sorted by name, each encoded as RFC 3986 says and each
    ``name=value`` pair encoded once more, keyed by the consumer secret and ``&``."""
    digest = hashlib.sha1 if params.get("oauth_signature_method") == "HMAC-SHA1" else hashlib.sha256
    pairs = "%26".join(
        _rfc3986(f"{_rfc3986(name)}={_rfc3986(params[name])}")
        for name in sorted(params)
        if name != "oauth_signature"
    )
    message = f"{method.upper()}&{_rfc3986(url)}&{pairs}"
    return base64.b64encode(
        hmac.new(f"{consumer_secret}&".encode(), message.encode(), digest).digest()
    ).decode()


def _rfc3986(value):
    """PHP's ``rawurlencode``: everything but letters, digits and ``-._~`` is escaped."""
    return quote(str(value), safe="")
