"""Lazada Open Platform signatures: its requests and its pushes."""

from ..signing import hmac_sha256


def sign_lazada(app_secret, api_path, params):
    """Lazada Open Platform: upper-case hex HMAC of the path and the sorted name+value pairs."""
    pairs = "".join(f"{name}{params[name]}" for name in sorted(params) if name != "sign")
    return hmac_sha256(app_secret, api_path + pairs).hexdigest().upper()


def sign_lazada_push(app_key, app_secret, raw_body):
    return hmac_sha256(app_secret, app_key.encode() + raw_body).hexdigest()
