"""Webhook signatures, checked on the raw body before anything reads it.

One verifier per channel type; each takes the channel's secret, the raw body (bytes) and the
request headers, and answers True only for a signature the channel's secret made.
"""

import hashlib
import hmac

API_SIGNATURE_HEADER = "X-Omni-Signature"


def sign_hmac_sha256(secret, body):
    """The signature an API partner sends: hex HMAC-SHA256 of the raw body."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_api(secret, body, headers):
    received = (headers.get(API_SIGNATURE_HEADER) or "").strip()
    received = received.removeprefix("sha256=")
    return hmac.compare_digest(received.encode(), sign_hmac_sha256(secret, body).encode())


VERIFIERS = {
    "api": verify_api,
}


def verify(channel_type, secret, body, headers):
    """False when the channel type has no verifier, no secret is set, or the signature is wrong."""
    verifier = VERIFIERS.get(channel_type)
    return bool(verifier and secret) and verifier(secret, body, headers)
