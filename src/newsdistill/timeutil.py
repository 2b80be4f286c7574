"""The one rule for time zones: every moment newsdistill keeps is a timezone-aware UTC datetime."""

from __future__ import annotations

import datetime as dt


def as_utc(moment: dt.datetime) -> dt.datetime:
    """`moment` as an aware UTC datetime: an aware one is converted, a naive one is taken to be
    UTC already (feeds, SQLite and most libraries drop the zone of a UTC time, never add one)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)
