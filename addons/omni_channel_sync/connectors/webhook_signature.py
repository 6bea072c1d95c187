"""Webhook verification per channel type: the signature, on the raw body, before anything reads it,
then the time the push was sent, so that a signed push replayed later is refused.

Each verifier takes the channel's credentials (``secret``, ``app_key``, ``callback_url``), the raw
body (bytes) and the request headers, and answers True only for a signature those credentials made.
Tiki has no webhooks (its events are pulled), so it has no verifier.
"""

import time

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


def _api(credentials, body, headers):
    received = (headers.get(API_SIGNATURE_HEADER) or "").strip().removeprefix("sha256=")
    timestamp = (headers.get(API_TIMESTAMP_HEADER) or "").strip()
    return same_signature(received, sign_api_webhook(credentials["secret"], timestamp, body))


def _shopee(credentials, body, headers):
    expected = sign_shopee_push(credentials["secret"], credentials["callback_url"], body)
    return same_signature(headers.get("Authorization"), expected, case_sensitive=False)


def _lazada(credentials, body, headers):
    expected = sign_lazada_push(credentials["app_key"], credentials["secret"], body)
    return same_signature(headers.get("Authorization"), expected, case_sensitive=False)


def _tiktok(credentials, body, headers):
    expected = sign_tiktok_webhook(credentials["app_key"], credentials["secret"], body)
    return same_signature(headers.get("Authorization"), expected, case_sensitive=False)


def _shopify(credentials, body, headers):
    return same_signature(headers.get("X-Shopify-Hmac-Sha256"), sign_base64_body(credentials["secret"], body))


def _woocommerce(credentials, body, headers):
    return same_signature(
        headers.get("X-WC-Webhook-Signature"), sign_base64_body(credentials["secret"], body)
    )


VERIFIERS = {
    "api": (_api, ("secret",)),
    "shopee": (_shopee, ("secret", "callback_url")),
    "lazada": (_lazada, ("secret", "app_key")),
    "tiktok": (_tiktok, ("secret", "app_key")),
    "shopify": (_shopify, ("secret",)),
    "woocommerce": (_woocommerce, ("secret",)),
}


def verify(channel_type, credentials, body, headers):
    """False when the type takes no webhooks, a credential is missing, or the signature is wrong."""
    verifier, needed = VERIFIERS.get(channel_type, (None, ()))
    return (
        bool(verifier)
        and all(credentials.get(key) for key in needed)
        and verifier(credentials, body, headers)
    )


# ---------------------------------------------------------------- when the push was sent
# Each reader takes the headers and the parsed body and answers seconds since the epoch, or None.


def _api_sent_at(headers, payload):
    return unix_seconds(headers.get(API_TIMESTAMP_HEADER))  # signed with the body


def _body_timestamp(per_second):
    """The envelope's ``timestamp``: Shopee and TikTok count seconds, Lazada milliseconds."""

    def sent_at(headers, payload):
        return unix_seconds(payload.get("timestamp") if isinstance(payload, dict) else None, per_second)

    return sent_at


def _shopify_sent_at(headers, payload):
    # Shopify signs the body only: the header is what Shopify says; a replayed body carries an old
    # ``updated_at``, which the import ignores as older than what it already has.
    return iso_seconds(headers.get("X-Shopify-Triggered-At"))


def _woocommerce_sent_at(headers, payload):
    # WooCommerce dates no delivery: the resource's modification time (signed) is the closest.
    return iso_seconds(payload.get("date_modified_gmt") if isinstance(payload, dict) else None)


# channel type: (reader, whether a push without a time is refused)
SENT_AT = {
    "api": (_api_sent_at, True),
    "shopee": (_body_timestamp(1), True),
    "lazada": (_body_timestamp(1000), True),
    "tiktok": (_body_timestamp(1), True),
    "shopify": (_shopify_sent_at, True),
    "woocommerce": (_woocommerce_sent_at, False),
}


def is_recent(channel_type, headers, payload, max_age_minutes, now=None):
    """Whether a verified push was sent within ``max_age_minutes`` of now (either way: a clock
    ahead by more is as suspect). A push the platform dates but this one does not is not recent."""
    reader, required = SENT_AT.get(channel_type, (None, False))
    sent_at = reader(headers, payload) if reader else None
    if sent_at is None:
        return not required
    now = time.time() if now is None else now
    return abs(now - sent_at) <= max_age_minutes * 60
