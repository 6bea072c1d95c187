"""What adapters raise when a platform refuses or does not answer."""


class ChannelError(Exception):
    """A refusal of the platform; ``retryable`` ones (rate limit, server trouble) defer, never lose."""

    def __init__(self, message, retryable=False, auth=False):
        super().__init__(message)
        self.retryable, self.auth = retryable, auth
