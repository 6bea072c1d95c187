"""Platform timestamps → ISO 8601 strings in UTC, which the normalized order reads, and → seconds
since the epoch, which the webhook time window compares.

A timestamp no date can hold (year 0, year 10000, a number of seconds too large) is a ValueError,
as an unreadable one is: whoever reads a platform's data handles one kind of error.
"""

import math
from datetime import datetime, timedelta, timezone

VIETNAM_TZ = timezone(timedelta(hours=7))


def from_unix(seconds):
    if not seconds:
        return None
    try:
        return datetime.fromtimestamp(int(seconds), timezone.utc).isoformat()
    except (OverflowError, OSError):
        raise ValueError(f"{seconds} is not a time") from None


def from_local(text, tz=VIETNAM_TZ):
    """``2021-10-26 13:06:24`` in the platform's local time (Vietnam unless told)."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(str(text)).replace(tzinfo=tz).astimezone(timezone.utc).isoformat()
    except OverflowError:
        raise ValueError(f"{text} is not a time") from None


def unix_seconds(value, per_second=1):
    """Seconds since the epoch of a number (or numeric text) counting ``per_second`` units a second;
    None when it is no such number."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        seconds = float(value) / per_second
    except (ValueError, OverflowError):
        return None
    return seconds if math.isfinite(seconds) else None


def iso_seconds(text):
    """Seconds since the epoch of an ISO 8601 text (UTC when it has no offset); None when it is none."""
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.timestamp()
    except (ValueError, OverflowError):
        return None
