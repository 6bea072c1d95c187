"""Shopee's pushes: signed over the callback URL and the body, dated in seconds."""

from ..registry import AuthorizationNews
from ..signing import same_signature
from ..webhook_signature import body_timestamp, envelope_data
from .signing import sign_shopee_push


def verify(credentials, body, headers):
    expected = sign_shopee_push(credentials["secret"], credentials["callback_url"], body)
    return same_signature(headers.get("Authorization"), expected, case_sensitive=False)


sent_at = body_timestamp(1)


# Push codes: shop authorization, shop authorization canceled, authorization expiry (7 days ahead).
AUTHORIZATION_CODES = {1: "authorized", 2: "revoked", 12: "expiring"}


def authorization(payload, _topic):
    # Assumption: the expiry push names the time in ``expire_before`` (the documents name the push only).
    event = AUTHORIZATION_CODES.get(payload.get("code"))
    return event and AuthorizationNews(event, _seconds(envelope_data(payload).get("expire_before")))


def _seconds(value):
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def event(payload):
    data = envelope_data(payload)
    # A tracking number push is about that number: a new one (a pickup arranged again) is a new event.
    identity = (payload.get("shop_id"), payload.get("code"), data.get("status"), payload.get("timestamp"),
                data.get("tracking_no"))  # fmt: skip
    return data.get("ordersn"), identity
