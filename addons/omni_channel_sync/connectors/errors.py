"""What adapters raise when a platform refuses or does not answer."""


class ChannelError(Exception):
    """A refusal of the platform; ``retryable`` ones (rate limit, server trouble) defer, never lose."""

    def __init__(self, message, retryable=False, auth=False):
        super().__init__(message)
        self.retryable, self.auth = retryable, auth


def json_answer(response, platform):
    """The JSON of a platform's answer; one that is not JSON (a proxy's error page) is a passing fault."""
    try:
        return response.json()
    except ValueError:
        raise ChannelError(
            f"{platform} answered HTTP {response.status_code} without JSON", retryable=True
        ) from None
