"""Parsing the date strings found in feeds, pages and files to timezone-aware UTC datetimes."""

from __future__ import annotations

import datetime as dt
from email.utils import parsedate_to_datetime

from newsdistill.timeutil import as_utc


def parse_datetime(value: str) -> dt.datetime | None:
    """An ISO 8601 or RFC 2822 date/time as UTC, or None if `value` is neither."""
    text = value.strip()
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    return as_utc(parsed)
