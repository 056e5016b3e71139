"""Time rules: UTC for records, Peru's civil date for deadlines and 'no visit in the future'."""

import datetime as dt

# Peru keeps UTC-5 all year (no daylight saving since 1994); a fixed offset avoids
# depending on a tz database that Windows installs lack.
PERU = dt.timezone(dt.timedelta(hours=-5), "PET")


def utc_now() -> dt.datetime:
    """The current instant, timezone-aware, in UTC."""
    return dt.datetime.now(dt.UTC)


def peru_today(now: dt.datetime | None = None) -> dt.date:
    """The civil date in Peru at ``now`` (an aware datetime; default: the current instant)."""
    instant = now or utc_now()
    if instant.tzinfo is None:
        raise ValueError("naive datetime: pass an aware instant")
    return instant.astimezone(PERU).date()
