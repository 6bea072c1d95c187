"""TikTok Shop signatures: its 202309 API requests and its webhooks."""

from ..signing import hmac_sha256


def sign_tiktok(app_secret, path, query, body=""):
    """TikTok Shop 202309 API: hex HMAC of the path, the sorted query (without sign and access_token)
    and the body, wrapped in the secret."""
    pairs = "".join(f"{key}{query[key]}" for key in sorted(query) if key not in ("sign", "access_token"))
    body = body.decode() if isinstance(body, bytes) else (body or "")
    return hmac_sha256(app_secret, f"{app_secret}{path}{pairs}{body}{app_secret}").hexdigest()


def sign_tiktok_webhook(app_key, app_secret, raw_body):
    """HMAC(app_secret, app_key + body), Lazada's scheme too."""
    return hmac_sha256(app_secret, app_key.encode() + raw_body).hexdigest()
