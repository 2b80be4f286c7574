"""The JSON API: shapes, versions, articles, feeds, search, OpenAPI docs, and the write token."""

from __future__ import annotations

import re

import pytest

from newsdistill.config import Settings
from newsdistill.models import Article, Digest, Feed
from newsdistill.pipeline import Newsroom
from newsdistill.web import create_app
from tests.web.conftest import TOKEN, Newsdesk

pytestmark = pytest.mark.slow  # the pipeline fills the store: MiniLM embeds every article


def test_stories_are_ranked_like_the_front_page(desk: Newsdesk) -> None:
    stories = desk.client.get("/api/stories").json()
    assert [s["id"] for s in stories] == [desk.ferry.id, desk.fire.id, desk.hostile.id]
    ferry = stories[0]
    assert ferry["outlets"] == ["Coast Gazette", "Island Courier", "Velma Herald"]
    assert ferry["article_count"] == 3 and ferry["digest_version"] == 2
    assert ferry["url"] == f"http://testserver/stories/{desk.ferry.id}.html"
    digest = desk.room.store.latest_digest(desk.ferry.id)
    assert digest is not None
    assert ferry["headline"] == digest.headline.text
    assert ferry["summary"] == " ".join(c.text for c in digest.summary or [digest.lede])
    assert len(desk.client.get("/api/stories", params={"limit": 1}).json()) == 1
    assert desk.client.get("/api/stories", params={"limit": 0}).status_code == 422


def test_a_story_carries_its_newest_digest_and_every_version(desk: Newsdesk) -> None:
    body = desk.client.get(f"/api/stories/{desk.ferry.id[:7]}").json()  # a unique prefix
    assert body["id"] == desk.ferry.id
    digest = Digest.model_validate(body["digest"])
    assert digest == desk.room.store.latest_digest(desk.ferry.id) and digest.version == 2
    assert [v["version"] for v in body["versions"]] == [1, 2]
    assert [(c["outlet"], c["reports"]) for c in body["coverage"]] == [
        ("Coast Gazette", 1),
        ("Velma Herald", 1),
        ("Island Courier", 1),
    ]
    listed = desk.client.get(f"/api/stories/{desk.ferry.id}/versions").json()
    assert listed == body["versions"]
    for version in listed:
        path = version["url"].removeprefix("http://testserver")
        one = Digest.model_validate(desk.client.get(path).json())
        assert one.version == version["version"] and one.headline.text == version["headline"]
        assert (version["sentences"], version["verified"]) == (
            one.verification.sentences,
            one.verification.verified,
        )


def test_missing_things_are_404_with_a_reason(desk: Newsdesk) -> None:
    fire = desk.fire.id
    for path, reason in [
        ("/api/stories/s000000000000", "no story with id 's000000000000'"),
        (f"/api/stories/{fire}/versions/9", f"story {fire} has no digest version 9"),
        ("/api/articles/999999", "no article with id 999999"),
    ]:
        response = desk.client.get(path)
        assert (response.status_code, response.json()) == (404, {"detail": reason})


def test_articles_and_feeds(desk: Newsdesk) -> None:
    article_id = desk.fire.article_ids[0]
    article = Article.model_validate(desk.client.get(f"/api/articles/{article_id}").json())
    assert article == desk.room.store.get_article(article_id)
    feeds = [Feed.model_validate(f) for f in desk.client.get("/api/feeds").json()]
    assert "https://news.test/velma/rss.xml" in {f.url for f in feeds}


def test_search_returns_stories_and_articles(desk: Newsdesk) -> None:
    found = desk.client.get("/api/search", params={"q": "91 million crowns"}).json()
    assert [s["id"] for s in found["stories"]] == [desk.ferry.id]
    assert [a["outlet"] for a in found["articles"]] == ["Island Courier"]
    assert desk.client.get("/api/search", params={"q": ""}).status_code == 422


def test_openapi_docs_list_every_endpoint_and_need_no_cdn(desk: Newsdesk) -> None:
    docs = desk.client.get("/docs")
    assert docs.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        assert asset.startswith("/"), asset  # served here: this machine may be offline
        assert desk.client.get(asset).status_code == 200
    paths = desk.client.get("/openapi.json").json()["paths"]
    assert set(paths) == {
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/stories/{story_id}/versions",
        "/api/stories/{story_id}/versions/{version}",
        "/api/articles/{article_id}",
        "/api/search",
        "/api/feeds",
    }
    assert set(paths["/api/feeds"]) == {"get", "post"}


def test_adding_a_feed_needs_the_token(desk: Newsdesk) -> None:
    url = "https://news.test/islands/rss.xml"
    new = {"url": url, "title": "Island Courier"}
    missing = desk.client.post("/api/feeds", json=new)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    wrong = desk.client.post("/api/feeds", json=new, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    assert url not in {f.url for f in desk.room.store.list_feeds()}

    auth = {"Authorization": f"Bearer {TOKEN}"}
    added = desk.client.post("/api/feeds", json=new, headers=auth)
    assert added.status_code == 201
    assert Feed.model_validate(added.json()).title == "Island Courier"
    assert url in {f.url for f in desk.room.store.list_feeds()}
    assert desk.client.post("/api/feeds", json=new, headers=auth).status_code == 200
    bad = desk.client.post("/api/feeds", json={"url": "ftp://x.test/f"}, headers=auth)
    assert bad.status_code == 422
    assert bad.json() == {"detail": "not an http(s) URL: ftp://x.test/f"}


def test_without_a_token_the_api_is_read_only(desk: Newsdesk) -> None:
    from fastapi.testclient import TestClient

    room = Newsroom(Settings(home=desk.room.settings.home), store=desk.room.store)
    client = TestClient(create_app(room))
    refused = client.post(
        "/api/feeds",
        json={"url": "https://news.test/other.xml"},
        headers={"Authorization": "Bearer anything"},
    )
    assert refused.status_code == 403 and "read-only" in refused.json()["detail"]
    assert client.get("/api/stories").status_code == 200
