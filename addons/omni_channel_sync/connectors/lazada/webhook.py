"""Lazada's pushes: signed over the app key and the body, dated in milliseconds."""

from ..signing import same_signature
from ..webhook_signature import body_timestamp, envelope_data
from .signing import sign_lazada_push


def verify(credentials, body, headers):
    expected = sign_lazada_push(credentials["app_key"], credentials["secret"], body)
    return same_signature(headers.get("Authorization"), expected, case_sensitive=False)


sent_at = body_timestamp(1000)


def event(payload):
    # Lazada pushes once per order line, and its ``timestamp`` is the delivery's.
    data = envelope_data(payload)
    line_status = (data.get("trade_order_line_id"), data.get("order_status"), data.get("status_update_time"))
    return data.get("trade_order_id"), (payload.get("seller_id"), payload.get("message_type"), *line_status)
