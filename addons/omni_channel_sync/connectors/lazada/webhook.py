"""Lazada's pushes: signed over the app key and the body, dated in milliseconds."""

from ..registry import AuthorizationNews
from ..signing import same_signature
from ..webhook_signature import body_timestamp, envelope_data
from .signing import sign_lazada_push


def verify(credentials, body, headers):
    expected = sign_lazada_push(credentials["app_key"], credentials["secret"], body)
    return same_signature(headers.get("Authorization"), expected, case_sensitive=False)


sent_at = body_timestamp(1000)


ACCESS_TOKEN_EXPIRY = 8  # message type: the access token ends in 48 hours


def authorization(payload, _topic):
    # Assumption: the push names the time in ``expire_time`` (the documents name the message type only).
    if payload.get("message_type") != ACCESS_TOKEN_EXPIRY:
        return None
    expires = envelope_data(payload).get("expire_time")
    return AuthorizationNews("expiring", expires if isinstance(expires, int) and expires > 0 else None)


def event(payload):
    # Lazada pushes once per order line, and its ``timestamp`` is the delivery's.
    data = envelope_data(payload)
    line_status = (data.get("trade_order_line_id"), data.get("order_status"), data.get("status_update_time"))
    return data.get("trade_order_id"), (payload.get("seller_id"), payload.get("message_type"), *line_status)
