"""The platforms' signatures as the platforms compute them, written from their published documents
(the simulator's own: it never loads the connectors it stands in front of). Each is proven on the
platforms' vectors by tests/test_sandbox_signing.py.

- Shopee v2: hex HMAC-SHA256 (partner key) of partner id, API path, timestamp, and for shop APIs
  the access token and shop id; pushes: of ``callback URL|raw body``.
- Lazada: upper-case hex HMAC-SHA256 (app secret) of the API path and every parameter but ``sign``,
  sorted by name, as ``name value`` with nothing between; pushes: of ``app key + raw body``.
- TikTok Shop 202309: hex HMAC-SHA256 (app secret) of ``secret + path + sorted key value (without
  sign and access_token) + raw body + secret``; webhooks as Lazada's pushes.
- Shopify and WooCommerce webhooks: base64 HMAC-SHA256 of the raw body.
- WooCommerce over plain HTTP: OAuth 1.0a one-legged, as WooCommerce's REST authentication rebuilds
  the base string.
"""

import base64
import hashlib
import hmac
from urllib.parse import quote


def _digest(key, message, algorithm=hashlib.sha256):
    as_bytes = [part.encode() if isinstance(part, str) else part for part in (key, message)]
    return hmac.new(*as_bytes, algorithm).digest()


def matches(received, expected, any_case=False):
    """Constant-time comparison of a received signature with the expected one."""
    received = (received or "").strip()
    if any_case:
        received, expected = received.lower(), expected.lower()
    return hmac.compare_digest(received.encode(), expected.encode())


def shopee_request(partner_key, partner_id, path, timestamp, access_token="", shop_id=""):
    """Public APIs leave the access token and shop id out."""
    return _digest(partner_key, f"{partner_id}{path}{timestamp}{access_token}{shop_id}").hex()


def shopee_push(partner_key, callback_url, raw_body):
    return _digest(partner_key, f"{callback_url}|".encode() + raw_body).hex()


def lazada_request(app_secret, api_path, params):
    text = api_path + "".join(name + str(params[name]) for name in sorted(params) if name != "sign")
    return _digest(app_secret, text).hex().upper()


def app_key_push(app_key, app_secret, raw_body):
    """Lazada pushes and TikTok Shop webhooks: hex HMAC-SHA256 of the app key and the raw body."""
    return _digest(app_secret, app_key.encode() + raw_body).hex()


def tiktok_request(app_secret, path, query, raw_body=b""):
    """``query``: name → value, or → the values of a repeated name, which sign as one comma-joined
    value (as TikTok's own SDK writes a list into the string)."""
    pairs = "".join(
        name + (",".join(value) if isinstance(value, list) else str(value))
        for name, value in sorted(query.items())
        if name not in ("sign", "access_token")
    )
    body = raw_body.decode() if isinstance(raw_body, bytes) else raw_body
    return _digest(app_secret, f"{app_secret}{path}{pairs}{body}{app_secret}").hex()


def body_base64(secret, raw_body):
    """Shopify's ``X-Shopify-Hmac-Sha256`` and WooCommerce's ``X-WC-Webhook-Signature``."""
    return base64.b64encode(_digest(secret, raw_body)).decode()


def woocommerce_oauth(consumer_secret, method, url, params):
    """The base string is ``METHOD&url&pairs``: the URL and each name and value encoded as PHP's
    ``rawurlencode`` does, each ``name=value`` encoded once more, the pairs sorted by name and joined
    by ``%26``; the key is the consumer secret and ``&``."""
    algorithm = hashlib.sha1 if params.get("oauth_signature_method") == "HMAC-SHA1" else hashlib.sha256
    pairs = sorted((_php_encode(name), _php_encode(value)) for name, value in params.items())
    joined = "%26".join(_php_encode(f"{name}={value}") for name, value in pairs if name != "oauth_signature")
    base_string = f"{method.upper()}&{_php_encode(url)}&{joined}"
    return base64.b64encode(_digest(f"{consumer_secret}&", base_string, algorithm)).decode()


def _php_encode(value):
    return quote(str(value), safe="-._~")
