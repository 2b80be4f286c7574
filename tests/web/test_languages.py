"""Stories by language: the reader's language filter and `stories --language`, over the store's
articles' languages."""

from __future__ import annotations

import datetime as dt

import numpy as np
from fastapi.testclient import TestClient

from newsdistill.cluster import ClusterState
from newsdistill.config import Settings
from newsdistill.models import Article
from newsdistill.pipeline import Newsroom
from newsdistill.store import Store
from newsdistill.web import create_app
from tests.conftest import make_article
from tests.web.digests import one_source_digest


def _placed(store: Store, story: str, text: str, language: str) -> Article:
    article, _ = store.add_article(make_article(text).model_copy(update={"language": language}))
    assert article.id is not None
    vec = np.ones(4, dtype=np.float32) / 2
    when = dt.datetime(2026, 11, 18, 9, tzinfo=dt.UTC)
    store.assign_story(
        article.id, ClusterState(story, vec, {}, when, when, 1, story), vec, None, {}
    )
    return article


def test_stories_are_filtered_by_the_language_they_are_reported_in(store: Store) -> None:
    quarry = _placed(store, "quarry-collapse-2026", "A rock face collapsed at the quarry.", "en")
    brewery = _placed(store, "brewery-2026", "Die Brauerei schließt im März.", "de")
    _placed(store, "quarry-collapse-2026", "La carrière s'est effondrée lundi.", "fr")
    store.save_digest(one_source_digest(quarry, 1, "Quarry collapse"), "q")
    store.save_digest(
        one_source_digest(brewery, 1, "Brauerei schließt", story_id="brewery-2026"),
        "b",
    )
    assert store.languages() == ["de", "en", "fr"]
    assert [s.id for s in store.list_stories(language="fr")] == ["quarry-collapse-2026"]
    assert [s.id for s in store.list_stories(language="de")] == ["brewery-2026"]
    assert store.list_stories(language="es") == []

    client = TestClient(create_app(Newsroom(Settings(), store=store)))
    front = client.get("/").text
    assert 'aria-label="Languages"' in front and ">Deutsch</a>" in front
    german = client.get("/", params={"language": "de"}).text
    assert "Brauerei schließt" in german and "Quarry collapse" not in german
    assert '<strong aria-current="page">Deutsch</strong>' in german
