"""Platform timestamps → ISO 8601 strings in UTC, which the normalized order reads."""

from datetime import datetime, timedelta, timezone

VIETNAM_TZ = timezone(timedelta(hours=7))


def from_unix(seconds):
    return datetime.fromtimestamp(int(seconds), timezone.utc).isoformat() if seconds else None


def from_local(text, tz=VIETNAM_TZ):
    """``2021-10-26 13:06:24`` in the platform's local time (Vietnam unless told)."""
    if not text:
        return None
    return datetime.fromisoformat(str(text)).replace(tzinfo=tz).astimezone(timezone.utc).isoformat()
