"""What adapters raise when a platform refuses or does not answer."""


class ChannelError(Exception):
    """A refusal of the platform; ``retryable`` ones (rate limit, server trouble) defer, never lose.
    ``code`` is the platform's own error code, when the caller must tell refusals apart.
    ``promotion_ref``: the promotion a failed ``push_promotion`` made before failing, for its retry
    to complete rather than make another."""

    promotion_ref = None

    def __init__(self, message, retryable=False, auth=False, code=None):
        super().__init__(message)
        self.retryable, self.auth, self.code = retryable, auth, code


def sku_results(entries, error_of):
    """The answer of a stock or price push: one result per entry, ``error_of(entry)`` being the
    platform's refusal of it ("" when taken)."""
    return [{"sku": entry["sku"], "ok": not error_of(entry), "error": error_of(entry)} for entry in entries]
