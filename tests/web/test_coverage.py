"""Who reported a story, per outlet."""

from __future__ import annotations

import datetime as dt

from newsdistill.web.coverage import reports_by_outlet
from tests.conftest import make_article


def at(hour: int) -> dt.datetime:
    return dt.datetime(2026, 11, 18, hour, tzinfo=dt.UTC)


def test_one_row_per_outlet_first_reporter_first() -> None:
    articles = [
        make_article("Later report.", outlet="Wire", published=at(12)),
        make_article("First report.", outlet="Herald", published=at(8)),
        make_article("Earlier report.", outlet="Wire", published=at(9)),
        make_article("Bericht.", outlet="Zeitung", published=at(8)),
    ]
    articles[0].language = "en"
    articles[2].language = "en"
    articles[3].language = "de"
    rows = reports_by_outlet(articles)
    assert [(r.outlet, r.first_reported, r.reports, r.languages) for r in rows] == [
        ("Herald", at(8), 1, []),
        ("Zeitung", at(8), 1, ["de"]),
        ("Wire", at(9), 2, ["en"]),
    ]
    assert reports_by_outlet([]) == []
