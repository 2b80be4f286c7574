"""Shared fixtures: article factories and a fresh store per test."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Iterator

import pytest

from newsdistill import dedupe
from newsdistill.models import Article
from newsdistill.nlp.sentences import split_sentences
from newsdistill.store import Store

# Every test server listens on 127.0.0.1, which fetching refuses unless it is allowed; set
# before any Settings is made (get_settings caches one). The guard's own tests pass their own
# fetch_allow, which overrides this.
os.environ["NEWSDISTILL_FETCH_ALLOW"] = "127.0.0.1"

_ids = itertools.count(1)


def make_article(
    text: str,
    *,
    title: str = "A report",
    outlet: str = "Test Outlet",
    published: dt.datetime | None = None,
    url: str | None = None,
    article_id: int | None = None,
) -> Article:
    n = next(_ids)
    return Article(
        id=article_id,
        url=url or f"https://example.test/{n}",
        title=title,
        text=text,
        sentences=split_sentences(text),
        outlet=outlet,
        published=published or dt.datetime(2026, 11, 18, 9, 0, tzinfo=dt.UTC),
        content_hash=dedupe.content_hash(text),
    )


@pytest.fixture
def store(tmp_path: object) -> Iterator[Store]:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    s = Store.open(f"sqlite:///{tmp_path / 'test.db'}")
    yield s
    s.close()
