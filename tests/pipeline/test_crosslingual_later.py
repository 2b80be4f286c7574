"""The multilingual embedding is skipped while one language is all there is, and a story begun
then still meets a report in another language later as if it had been computed all along."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import select

from newsdistill.config import Settings
from newsdistill.demo_corpus import build
from newsdistill.models import Article
from newsdistill.nlp.multilingual import MultilingualEmbedder
from newsdistill.pipeline import Newsroom
from newsdistill.store import Store
from newsdistill.store.tables import StoryRow
from tests.conftest import fresh_database, make_article

STORIES = ("s-storm", "s-brewery", "s-rates")  # en+de+fr, de only, en only
OUTLETS = build.load_outlets(build.HERE / "outlets.json")


def corpus() -> list[Article]:
    return [
        make_article(
            "\n\n".join(a.paragraphs),
            title=a.title,
            outlet=a.outlet,
            published=a.published,
            url=f"https://{a.outlet}.test/{a.url_path}",
        )
        for a in build.load_articles(build.HERE / "articles.json", {})
        if a.story in STORIES
    ]


def run(store: Store, articles: Sequence[Article]) -> dict[frozenset[str], npt.NDArray[Any]]:
    """Process the articles; each story's centroid by the set of its articles' URLs."""
    for article in articles:
        store.add_article(article)
    Newsroom(Settings(), store).process()
    with store.session() as s:
        centroids = dict(s.execute(select(StoryRow.id, StoryRow.centroid)).all())
    return {
        frozenset(a.url for a in store.story_articles(i)[0]): np.frombuffer(c, np.float32)
        for i, c in centroids.items()
    }


def test_stories_begun_in_one_language_meet_other_languages_as_in_one_run(
    store: Store, tmp_path: Path
) -> None:
    articles = corpus()
    english = [a for a in articles if OUTLETS[a.outlet].language == "en"]
    rest = [a for a in articles if a not in english]
    at_once = run(store, articles)
    # The storm's three reports, in three languages, are one story.
    [storm] = [story for story in at_once if len({u.split("/")[2] for u in story}) == 3]
    with fresh_database(tmp_path, "later") as url:
        later = Store.open(url)
        try:
            dim = Newsroom(Settings(), later).embedder.dim
            # English alone: no multilingual part.
            assert {len(c) for c in run(later, english).values()} == {dim}
            in_turn = run(later, rest)
        finally:
            later.close()
    assert set(in_turn) == set(at_once)
    # The storm's story, begun in English, gained the multilingual mean of all three reports
    # (a story left alone keeps its stored centroid until it next gains one).
    assert len(at_once[storm]) == len(in_turn[storm]) == dim + MultilingualEmbedder.dim
    np.testing.assert_allclose(in_turn[storm], at_once[storm], atol=1e-5)
