"""What adapters raise when a platform refuses or does not answer."""

import requests


class ChannelError(Exception):
    """A refusal of the platform; ``retryable`` ones (rate limit, server trouble) defer, never lose.
    ``code`` is the platform's own error code, when the caller must tell refusals apart."""

    def __init__(self, message, retryable=False, auth=False, code=None):
        super().__init__(message)
        self.retryable, self.auth, self.code = retryable, auth, code


def request(session, platform, method, url, **options):
    """``session.request(...)``; no answer (no connection, a timeout) is a passing fault. Its message
    names the kind of failure only: ``requests`` puts the whole URL in its own, and with it the
    tokens and signatures of the query, which would reach the channel's error and the logs."""
    try:
        return session.request(method, url, **options)
    except requests.Timeout:
        what = "no answer in time"
    except requests.RequestException:
        what = "no connection"
    raise ChannelError(f"{platform} did not answer ({what})", retryable=True)


def refreshing(call, refresh):
    """``call()``; a refused token is refreshed once, then the call is made again."""
    try:
        return call()
    except ChannelError as error:
        if not error.auth:
            raise
    refresh()
    return call()


def json_answer(response, platform):
    """The JSON of a platform's answer; one that is not JSON (a proxy's error page) is a passing fault."""
    try:
        return response.json()
    except ValueError:
        raise ChannelError(
            f"{platform} answered HTTP {response.status_code} without JSON", retryable=True
        ) from None


def sku_results(entries, error_of):
    """The answer of a stock or price push: one result per entry, ``error_of(entry)`` being the
    platform's refusal of it ("" when taken)."""
    return [{"sku": entry["sku"], "ok": not error_of(entry), "error": error_of(entry)} for entry in entries]
