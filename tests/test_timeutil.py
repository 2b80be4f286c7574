"""The one UTC rule (naive means UTC, aware is converted) and the places that rely on it."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest

from newsdistill.ingest.dates import parse_datetime
from newsdistill.pipeline import build_article
from newsdistill.store.tables import UTCDateTime
from newsdistill.timeutil import as_utc

PARIS_SUMMER = dt.timezone(dt.timedelta(hours=2))


@pytest.fixture
def local_zone_new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A machine whose local time is not UTC, where `naive.astimezone()` would shift the clock."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_naive_is_taken_as_utc_and_aware_is_converted() -> None:
    naive = dt.datetime(2026, 11, 18, 9, 30)
    assert as_utc(naive) == dt.datetime(2026, 11, 18, 9, 30, tzinfo=dt.UTC)
    converted = as_utc(dt.datetime(2026, 7, 1, 12, 0, tzinfo=PARIS_SUMMER))
    assert converted.tzinfo is dt.UTC
    assert (converted.hour, converted.minute) == (10, 0)


@pytest.mark.usefixtures("local_zone_new_york")
def test_naive_is_utc_even_where_local_time_is_not() -> None:
    naive = dt.datetime(2026, 11, 18, 9, 30)
    assert as_utc(naive).hour == 9
    assert parse_datetime("2026-11-18T09:30:00") == dt.datetime(2026, 11, 18, 9, 30, tzinfo=dt.UTC)


@pytest.mark.usefixtures("local_zone_new_york")
def test_the_store_writes_and_reads_naive_moments_as_utc() -> None:
    column = UTCDateTime()
    naive = dt.datetime(2026, 11, 18, 9, 30)
    stored = column.process_bind_param(naive, None)
    assert stored == dt.datetime(2026, 11, 18, 9, 30, tzinfo=dt.UTC)
    assert column.process_result_value(naive, None) == stored


def test_an_article_keeps_its_publication_time_in_utc() -> None:
    article = build_article(
        "https://example.test/a",
        None,
        title="A report",
        text="The council met on Tuesday. It approved the budget.",
        published=dt.datetime(2026, 7, 1, 12, 0, tzinfo=PARIS_SUMMER),
    )
    assert article.published == dt.datetime(2026, 7, 1, 10, 0, tzinfo=dt.UTC)
    assert article.published.tzinfo is dt.UTC
