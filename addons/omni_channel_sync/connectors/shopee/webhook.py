"""Shopee's pushes: signed over the callback URL and the body, dated in seconds."""

from ..signing import same_signature
from ..webhook_signature import body_timestamp, envelope_data
from .signing import sign_shopee_push


def verify(credentials, body, headers):
    expected = sign_shopee_push(credentials["secret"], credentials["callback_url"], body)
    return same_signature(headers.get("Authorization"), expected, case_sensitive=False)


sent_at = body_timestamp(1)


def event(payload):
    data = envelope_data(payload)
    identity = (payload.get("shop_id"), payload.get("code"), data.get("status"), payload.get("timestamp"))
    return data.get("ordersn"), identity
