"""Shopee Open Platform v2 signatures: its requests and its pushes."""

from ..signing import hmac_sha256


def sign_shopee(partner_key, partner_id, path, timestamp, access_token=None, shop_id=None):
    """Shopee Open Platform v2: hex HMAC of partner id, path, timestamp (+ token, shop id: shop APIs)."""
    base = f"{partner_id}{path}{timestamp}{access_token or ''}{shop_id or ''}"
    return hmac_sha256(partner_key, base).hexdigest()


def sign_shopee_push(partner_key, callback_url, raw_body):
    return hmac_sha256(partner_key, callback_url.encode() + b"|" + raw_body).hexdigest()
