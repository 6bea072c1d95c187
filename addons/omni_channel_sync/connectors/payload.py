"""What an entry point accepts from outside, checked once where it comes in.

A payload is JSON: objects with text keys, lists, text, numbers, true, false and null. Its text must
be something PostgreSQL stores (no NUL character, no unpaired surrogate) and its nesting is bounded,
so that no reader further on recurses out of its stack. A payload that fails these checks cannot be
stored safely: it is refused whole, with a `PayloadError` whose message says why.

Messages are English templates marked with `_` and their parameters, so that the caller can
translate them.
"""

import json

# Orders and notifications are a few levels deep; 64 leaves room for any platform's extras.
MAX_DEPTH = 64


def _(message):
    """Mark a message for translation; the caller translates it with its parameters."""
    return message


NUL = _("Text may not contain the NUL character (\\u0000).")
SURROGATE = _("Text may not contain an unpaired surrogate (\\ud800 to \\udfff): it is not valid Unicode.")
TOO_DEEP = _("The data is nested more than %(max)s levels deep.")
NOT_JSON = _(
    "Only JSON values are accepted (objects, lists, text, numbers, true, false, null), not %(type)s."
)
KEY_NOT_TEXT = _("Object keys must be text.")


class PayloadError(ValueError):
    """A payload that cannot be stored safely; `message % params` says why."""

    def __init__(self, message, **params):
        self.message = message
        self.params = params
        super().__init__(message % params)


def check_text(text):
    """Raise `PayloadError` unless PostgreSQL can store ``text``."""
    if "\x00" in text:
        raise PayloadError(NUL)
    try:
        text.encode()
    except UnicodeEncodeError:
        raise PayloadError(SURROGATE) from None
    return text


def check_payload(value):
    """Return ``value`` if it is a JSON value that can be stored; raise `PayloadError` otherwise.

    The walk keeps its own stack: a structure nested 100,000 deep is refused, not a crash.
    """
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            check_text(item)
        elif isinstance(item, dict | list):
            if depth >= MAX_DEPTH:
                raise PayloadError(TOO_DEEP, max=MAX_DEPTH)
            if isinstance(item, dict):
                for key in item:
                    if not isinstance(key, str):
                        raise PayloadError(KEY_NOT_TEXT)
                    check_text(key)
                children = item.values()
            else:
                children = item
            stack.extend((child, depth + 1) for child in children)
        elif item is not None and not isinstance(item, bool | int | float):
            raise PayloadError(NOT_JSON, type=type(item).__name__)
    return value


class NotJson(ValueError):
    """A body that is not JSON, but text that can be kept (``text``) to show what came."""

    def __init__(self, text, reason):
        self.text = text
        super().__init__(reason)


def read_json(body):
    """``(text, payload)`` of a request body: its text, as it is stored, and its JSON value, checked
    as `check_payload` does.

    :raise PayloadError: the body cannot be stored safely (a NUL character, too deep, bad text)
    :raise NotJson: the body is not JSON (nor, maybe, text); ``text`` can still be kept
    """
    try:
        text = body.decode(json.detect_encoding(body))
    except UnicodeDecodeError as error:
        raise NotJson(check_text(body.decode("utf-8", "replace")), str(error)) from None
    check_text(text)
    try:
        payload = json.loads(text)
    except RecursionError:
        raise PayloadError(TOO_DEEP, max=MAX_DEPTH) from None
    except ValueError as error:
        raise NotJson(text, str(error)) from None
    return text, check_payload(payload)
