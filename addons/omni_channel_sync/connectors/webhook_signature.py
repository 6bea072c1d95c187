"""Webhook verification per channel type, on the raw body, before anything reads it.

Each verifier takes the channel's credentials (``secret``, ``app_key``, ``callback_url``), the raw
body (bytes) and the request headers, and answers True only for a signature those credentials made.
Tiki has no webhooks (its events are pulled), so it has no verifier.
"""

from .signing import (
    same_signature,
    sign_api_webhook,
    sign_base64_body,
    sign_lazada_push,
    sign_shopee_push,
    sign_tiktok_webhook,
)

API_SIGNATURE_HEADER = "X-Omni-Signature"


def _api(credentials, body, headers):
    received = (headers.get(API_SIGNATURE_HEADER) or "").strip().removeprefix("sha256=")
    return same_signature(received, sign_api_webhook(credentials["secret"], body))


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
