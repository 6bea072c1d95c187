"""Request and webhook signatures of each platform, as the platform computes them.

Adapters use the ``sign_*`` functions on their requests; the webhook endpoint and the marketplace
simulator use the same functions to check what they receive, so both sides agree by construction.
"""

import base64
import hashlib
import hmac
from urllib.parse import quote


def _hmac_sha256(key, message):
    key = key.encode() if isinstance(key, str) else key
    message = message.encode() if isinstance(message, str) else message
    return hmac.new(key, message, hashlib.sha256)


def same_signature(received, expected, case_sensitive=True):
    """Constant-time comparison; some platforms send hex in either case."""
    received, expected = (received or "").strip(), expected or ""
    if not case_sensitive:
        received, expected = received.lower(), expected.lower()
    return hmac.compare_digest(received.encode(), expected.encode())


# ---------------------------------------------------------------- requests


def sign_shopee(partner_key, partner_id, path, timestamp, access_token=None, shop_id=None):
    """Shopee Open Platform v2: hex HMAC of partner id, path, timestamp (+ token, shop id: shop APIs)."""
    base = f"{partner_id}{path}{timestamp}{access_token or ''}{shop_id or ''}"
    return _hmac_sha256(partner_key, base).hexdigest()


def sign_lazada(app_secret, api_path, params):
    """Lazada Open Platform: upper-case hex HMAC of the path and the sorted name+value pairs."""
    pairs = "".join(f"{name}{params[name]}" for name in sorted(params) if name != "sign")
    return _hmac_sha256(app_secret, api_path + pairs).hexdigest().upper()


def sign_tiktok(app_secret, path, query, body=""):
    """TikTok Shop 202309 API: hex HMAC of the path, the sorted query (without sign and access_token)
    and the body, wrapped in the secret."""
    pairs = "".join(f"{key}{query[key]}" for key in sorted(query) if key not in ("sign", "access_token"))
    body = body.decode() if isinstance(body, bytes) else (body or "")
    return _hmac_sha256(app_secret, f"{app_secret}{path}{pairs}{body}{app_secret}").hexdigest()


def sign_shopify_oauth(client_secret, query):
    """Shopify OAuth callback: hex HMAC of the other query parameters, ``&``-joined and sorted."""
    message = "&".join(f"{key}={query[key]}" for key in sorted(query) if key not in ("hmac", "signature"))
    return _hmac_sha256(client_secret, message).hexdigest()


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


# ---------------------------------------------------------------- webhooks


def sign_shopee_push(partner_key, callback_url, raw_body):
    return _hmac_sha256(partner_key, callback_url.encode() + b"|" + raw_body).hexdigest()


def sign_lazada_push(app_key, app_secret, raw_body):
    return _hmac_sha256(app_secret, app_key.encode() + raw_body).hexdigest()


sign_tiktok_webhook = sign_lazada_push  # same scheme: HMAC(app_secret, app_key + body)


def sign_base64_body(secret, raw_body):
    """Shopify and WooCommerce webhooks: base64 HMAC-SHA256 of the raw body."""
    return base64.b64encode(_hmac_sha256(secret, raw_body).digest()).decode()


def sign_api_webhook(secret, timestamp, raw_body):
    """Our own scheme for partner systems: hex HMAC-SHA256 of the sending time (the
    ``X-Omni-Timestamp`` header, seconds since the epoch), a dot and the raw body."""
    return _hmac_sha256(secret, f"{timestamp}.".encode() + raw_body).hexdigest()
