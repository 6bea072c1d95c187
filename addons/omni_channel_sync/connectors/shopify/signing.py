"""Shopify's OAuth callback signature (its webhooks sign the body as WooCommerce's do: ``signing``)."""

from ..signing import hmac_sha256


def sign_shopify_oauth(client_secret, query):
    """Shopify OAuth callback: hex HMAC of the other query parameters, ``&``-joined and sorted."""
    message = "&".join(f"{key}={query[key]}" for key in sorted(query) if key not in ("hmac", "signature"))
    return hmac_sha256(client_secret, message).hexdigest()
