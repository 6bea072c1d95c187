"""Shopify's webhooks: the body signed in base64, the whole order pushed."""

from ..registry import AuthorizationNews
from ..signing import same_signature, sign_base64_body
from ..timestamps import iso_seconds


def verify(credentials, body, headers):
    return same_signature(headers.get("X-Shopify-Hmac-Sha256"), sign_base64_body(credentials["secret"], body))


def sent_at(headers, payload):
    # Shopify signs the body only: the header is what Shopify says; a replayed body carries an old
    # ``updated_at``, which the import ignores as older than what it already has.
    return iso_seconds(headers.get("X-Shopify-Triggered-At"))


def topic(headers):
    return headers.get("X-Shopify-Topic")


def authorization(_payload, topic):
    """The store uninstalled the app: its access token is revoked."""
    return AuthorizationNews("revoked") if topic == "app/uninstalled" else None


# The modification time counts whole seconds: two states of an order within one second (created,
# then paid) must stay two events, or the later one is never imported.
def event(payload):
    states = (payload.get("financial_status"), payload.get("fulfillment_status"), payload.get("cancelled_at"))
    return payload.get("id"), (payload.get("updated_at"), *states)
