"""Who reported a story: each outlet with when it first reported, how often and in which
languages, syndicated copies counted for the outlets that ran them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pydantic import BaseModel

from newsdistill.models import Article
from newsdistill.timeutil import as_utc


class OutletReport(BaseModel):
    outlet: str
    first_reported: dt.datetime
    reports: int
    languages: list[str]  # as the articles declare them; empty when none does


def reports_by_outlet(articles: Iterable[Article]) -> list[OutletReport]:
    """One row per outlet, the first to report first (then by name)."""
    rows: dict[str, OutletReport] = {}
    for article in articles:
        published = as_utc(article.published)
        row = rows.get(article.outlet)
        if row is None:
            row = rows[article.outlet] = OutletReport(
                outlet=article.outlet, first_reported=published, reports=0, languages=[]
            )
        row.reports += 1
        row.first_reported = min(row.first_reported, published)
        if article.language and article.language not in row.languages:
            row.languages.append(article.language)
    return sorted(rows.values(), key=lambda r: (r.first_reported, r.outlet))
