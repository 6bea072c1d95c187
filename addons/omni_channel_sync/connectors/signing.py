"""What the platforms' signatures share, and the webhook signatures that are not one platform's:
the body signature of Shopify and WooCommerce, and Odoo's own for the systems an integrator connects.
Each platform's own schemes are in its folder (``<platform>/signing.py``).
"""

import base64
import hashlib
import hmac


def hmac_sha256(key, message):
    key = key.encode() if isinstance(key, str) else key
    message = message.encode() if isinstance(message, str) else message
    return hmac.new(key, message, hashlib.sha256)


def same_signature(received, expected, case_sensitive=True):
    """Constant-time comparison; some platforms send hex in either case."""
    received, expected = (received or "").strip(), expected or ""
    if not case_sensitive:
        received, expected = received.lower(), expected.lower()
    return hmac.compare_digest(received.encode(), expected.encode())


# ---------------------------------------------------------------- webhooks


def sign_base64_body(secret, raw_body):
    """Shopify and WooCommerce webhooks: base64 HMAC-SHA256 of the raw body."""
    return base64.b64encode(hmac_sha256(secret, raw_body).digest()).decode()


def sign_api_webhook(secret, timestamp, raw_body):
    """Our own scheme for partner systems: hex HMAC-SHA256 of the sending time (the
    ``X-Omni-Timestamp`` header, seconds since the epoch), a dot and the raw body."""
    return hmac_sha256(secret, f"{timestamp}.".encode() + raw_body).hexdigest()
