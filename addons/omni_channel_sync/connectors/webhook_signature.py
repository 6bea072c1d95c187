"""Webhook verification: the signature, on the raw body, before anything reads it, then the time the
push was sent, so that a signed push replayed later is refused. Each platform's verifier, sent-at
reader and event identity are in its folder (``<platform>/webhook.py``); here are Odoo's own webhook
(channel type "api") and what the platforms' share.

A verifier takes the channel's credentials (``secret``, ``app_key``, ``callback_url``), the raw
body (bytes) and the request headers, and answers True only for a signature those credentials made.
A sent-at reader takes the headers and the parsed body and answers seconds since the epoch, or None.
An event identity leaves out what changes from one delivery of an event to the next (the delivery
time, the delivery id), so an event the platform sends again, or many times at once, is stored once.
"""

from .signing import same_signature, sign_api_webhook
from .timestamps import unix_seconds

API_SIGNATURE_HEADER = "X-Omni-Signature"
API_TIMESTAMP_HEADER = "X-Omni-Timestamp"
# How old (or how far ahead of our clock) a push may be, where the platform documents no window.
DEFAULT_MAX_AGE_MINUTES = 15


def verify_api(credentials, body, headers):
    received = (headers.get(API_SIGNATURE_HEADER) or "").strip().removeprefix("sha256=")
    timestamp = (headers.get(API_TIMESTAMP_HEADER) or "").strip()
    return same_signature(received, sign_api_webhook(credentials["secret"], timestamp, body))


def api_sent_at(headers, payload):
    return unix_seconds(headers.get(API_TIMESTAMP_HEADER))  # signed with the body


def body_timestamp(per_second):
    """The envelope's ``timestamp``: Shopee and TikTok count seconds, Lazada milliseconds."""

    def sent_at(headers, payload):
        return unix_seconds(payload.get("timestamp") if isinstance(payload, dict) else None, per_second)

    return sent_at


def envelope_data(payload):
    """The ``data`` of a marketplace push's envelope (Shopee, Lazada, TikTok)."""
    data = payload.get("data")
    return data if isinstance(data, dict) else {}
