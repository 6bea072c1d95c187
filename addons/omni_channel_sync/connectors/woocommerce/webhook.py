"""WooCommerce's webhooks: the body signed in base64, the whole order pushed, undated."""

from ..signing import same_signature, sign_base64_body
from ..timestamps import iso_seconds


def verify(credentials, body, headers):
    return same_signature(
        headers.get("X-WC-Webhook-Signature"), sign_base64_body(credentials["secret"], body)
    )


def sent_at(headers, payload):
    # WooCommerce dates no delivery: the resource's modification time (signed) is the closest.
    return iso_seconds(payload.get("date_modified_gmt") if isinstance(payload, dict) else None)


def event(payload):
    return payload.get("id"), (
        payload.get("date_modified_gmt") or payload.get("date_modified"),
        payload.get("status"),
    )


def is_ping(headers, form):
    """WooCommerce checks a new webhook's URL with an unsigned form post ``webhook_id=<id>``, which
    must be answered 2xx; it carries no data."""
    return not headers.get("X-WC-Webhook-Signature") and str(form.get("webhook_id") or "").isdigit()
