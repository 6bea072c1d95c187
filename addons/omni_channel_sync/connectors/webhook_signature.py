"""Webhook verification per channel type: the signature, on the raw body, before anything reads it,
then the time the push was sent, so that a signed push replayed later is refused.

Each verifier takes the channel's credentials (``secret``, ``app_key``, ``callback_url``), the raw
body (bytes) and the request headers, and answers True only for a signature those credentials made.
Tiki has no webhooks (its events are pulled), so it has no verifier. ``registry`` says which
channel type uses which.
"""

from .signing import (
    same_signature,
    sign_api_webhook,
    sign_base64_body,
    sign_lazada_push,
    sign_shopee_push,
    sign_tiktok_webhook,
)
from .timestamps import iso_seconds, unix_seconds

API_SIGNATURE_HEADER = "X-Omni-Signature"
API_TIMESTAMP_HEADER = "X-Omni-Timestamp"
# How old (or how far ahead of our clock) a push may be, where the platform documents no window.
DEFAULT_MAX_AGE_MINUTES = 15


def verify_api(credentials, body, headers):
    received = (headers.get(API_SIGNATURE_HEADER) or "").strip().removeprefix("sha256=")
    timestamp = (headers.get(API_TIMESTAMP_HEADER) or "").strip()
    return same_signature(received, sign_api_webhook(credentials["secret"], timestamp, body))


def verify_shopee(credentials, body, headers):
    expected = sign_shopee_push(credentials["secret"], credentials["callback_url"], body)
    return same_signature(headers.get("Authorization"), expected, case_sensitive=False)


def verify_lazada(credentials, body, headers):
    expected = sign_lazada_push(credentials["app_key"], credentials["secret"], body)
    return same_signature(headers.get("Authorization"), expected, case_sensitive=False)


def verify_tiktok(credentials, body, headers):
    expected = sign_tiktok_webhook(credentials["app_key"], credentials["secret"], body)
    return same_signature(headers.get("Authorization"), expected, case_sensitive=False)


def verify_shopify(credentials, body, headers):
    return same_signature(headers.get("X-Shopify-Hmac-Sha256"), sign_base64_body(credentials["secret"], body))


def verify_woocommerce(credentials, body, headers):
    return same_signature(
        headers.get("X-WC-Webhook-Signature"), sign_base64_body(credentials["secret"], body)
    )


# ---------------------------------------------------------------- when the push was sent
# Each reader takes the headers and the parsed body and answers seconds since the epoch, or None.


def api_sent_at(headers, payload):
    return unix_seconds(headers.get(API_TIMESTAMP_HEADER))  # signed with the body


def body_timestamp(per_second):
    """The envelope's ``timestamp``: Shopee and TikTok count seconds, Lazada milliseconds."""

    def sent_at(headers, payload):
        return unix_seconds(payload.get("timestamp") if isinstance(payload, dict) else None, per_second)

    return sent_at


def shopify_sent_at(headers, payload):
    # Shopify signs the body only: the header is what Shopify says; a replayed body carries an old
    # ``updated_at``, which the import ignores as older than what it already has.
    return iso_seconds(headers.get("X-Shopify-Triggered-At"))


def woocommerce_sent_at(headers, payload):
    # WooCommerce dates no delivery: the resource's modification time (signed) is the closest.
    return iso_seconds(payload.get("date_modified_gmt") if isinstance(payload, dict) else None)
