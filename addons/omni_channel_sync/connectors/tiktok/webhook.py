"""TikTok Shop's webhooks: signed over the app key and the body, dated in seconds."""

from ..registry import AuthorizationNews
from ..signing import same_signature
from ..webhook_signature import body_timestamp, envelope_data
from .signing import sign_tiktok_webhook


def verify(credentials, body, headers):
    expected = sign_tiktok_webhook(credentials["app_key"], credentials["secret"], body)
    return same_signature(headers.get("Authorization"), expected, case_sensitive=False)


sent_at = body_timestamp(1)


# Webhook types: seller deauthorization, upcoming authorization expiration.
AUTHORIZATION_TYPES = {6: "revoked", 7: "expiring"}


def authorization(payload, _topic):
    # Assumption: the expiration's time comes in ``expiration_time`` (the documents name the type only).
    event = AUTHORIZATION_TYPES.get(payload.get("type"))
    if not event:
        return None
    expires = envelope_data(payload).get("expiration_time")
    return AuthorizationNews(event, expires if isinstance(expires, int) and expires > 0 else None)


def event(payload):
    data = envelope_data(payload)
    identity = payload.get("tts_notification_id") or (
        payload.get("shop_id"),
        payload.get("type"),
        data.get("order_status"),
        data.get("update_time"),
    )
    return data.get("order_id"), identity
