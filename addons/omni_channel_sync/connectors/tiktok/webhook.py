"""TikTok Shop's webhooks: signed over the app key and the body, dated in seconds."""

from ..signing import same_signature
from ..webhook_signature import body_timestamp, envelope_data
from .signing import sign_tiktok_webhook


def verify(credentials, body, headers):
    expected = sign_tiktok_webhook(credentials["app_key"], credentials["secret"], body)
    return same_signature(headers.get("Authorization"), expected, case_sensitive=False)


sent_at = body_timestamp(1)


def event(payload):
    data = envelope_data(payload)
    identity = payload.get("tts_notification_id") or (
        payload.get("shop_id"),
        payload.get("type"),
        data.get("order_status"),
        data.get("update_time"),
    )
    return data.get("order_id"), identity
