"""The served pages: front page, story page with its history and what changed, search,
errors; landmarks and headings; hostile source text stays inert."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from newsdistill.wording import ENGLISH
from tests.cli.conftest import ARTICLES
from tests.web.conftest import HOSTILE_TITLE, HOSTILE_URL, Newsdesk

pytestmark = pytest.mark.slow  # the pipeline fills the store: MiniLM embeds every article


class Page(HTMLParser):
    """What a test needs to know about a served page's markup."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[int] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def plain(self) -> str:
        return " ".join("".join(self.text).split())


def assert_inert(html: str) -> None:
    """No script but the site's own file, no event handler, no script URL, no bidi override."""
    page = Page(html)
    assert [s.get("src") for s in page.all("script")] == ["http://testserver/static/keys.js"]
    for _, attrs in page.tags:
        assert not [name for name in attrs if name.startswith("on")], attrs
        for name in ("href", "src", "action"):
            assert not (attrs.get(name) or "").lower().startswith("javascript:"), attrs
    assert not page.all("img")
    assert "\u202e" not in html


def assert_landmarks(html: str) -> None:
    page = Page(html)
    names = [tag for tag, _ in page.tags]
    assert names.count("main") == 1 and "nav" in names
    assert page.all("header")[0].get("class") == "banner"
    assert page.headings.count(1) == 1 and page.headings[0] == 1
    # No level is skipped on the way down.
    assert all(b <= a + 1 for a, b in zip(page.headings, page.headings[1:], strict=False))
    assert [f.get("role") for f in page.all("form")] == ["search"]


def test_front_page_ranks_stories_by_outlets_then_freshness(desk: Newsdesk) -> None:
    response = desk.client.get("/")
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page = Page(response.text)
    links = [a["href"] for a in page.all("a") if (a.get("href") or "").endswith(".html")]
    story_links = list(dict.fromkeys(link.split("#")[0] for link in links if link))
    assert story_links == [
        f"http://testserver/stories/{s.id}.html" for s in (desk.ferry, desk.fire, desk.hostile)
    ]
    text = page.plain()
    ferry_digest = desk.room.store.latest_digest(desk.ferry.id)
    assert ferry_digest is not None
    assert f"{ferry_digest.headline.text} updated" in text
    assert "3 outlets" in text and "2 outlets" in text and "1 outlet ·" in text
    short = ferry_digest.summary or [ferry_digest.lede]
    assert all(c.text in text for c in short)
    assert_landmarks(response.text)


def test_story_page_shows_the_digest_its_citations_and_sources(desk: Newsdesk) -> None:
    response = desk.client.get(f"/stories/{desk.fire.id}.html")
    assert response.status_code == 200
    digest = desk.room.store.latest_digest(desk.fire.id)
    assert digest is not None
    page = Page(response.text)
    text = page.plain()
    assert digest.lede.text in text and ENGLISH.verified(digest.verification) in text
    for claim in digest.body():
        assert claim.text in text
    cites = [a["href"] for a in page.all("a") if (a.get("href") or "").startswith("#source-")]
    assert cites and all(page.all("li") for _ in cites)
    source_ids = {li.get("id") for li in page.all("li") if li.get("id")}
    assert {c.removeprefix("#") for c in cites} <= source_ids
    hrefs = {a.get("href") for a in page.all("a")}
    assert {f"https://news.test{p}" for p in ARTICLES if "fire" in p} <= hrefs
    assert "Version history" in text and "What changed" not in text  # only one version
    assert_landmarks(response.text)


def test_story_page_shows_what_changed_in_the_new_version(desk: Newsdesk) -> None:
    html = desk.client.get(f"/stories/{desk.ferry.id}.html").text
    text = Page(html).plain()
    assert "What changed in version 2" in text
    changed = text[text.index("What changed in version 2") : text.index("Version history")]
    assert "New sources Island Courier: Port Velma ferry terminal cost rises" in changed
    assert "Sentences added" in changed
    assert "Version 2 (shown)" in text and "Version 1" in text
    coverage = text[text.index("Coverage") : text.index("Version history")]
    assert coverage.index("Coast Gazette") < coverage.index("Island Courier")
    assert (
        '<td><bdi>Island Courier</bdi></td><td><time datetime="2026-11-19T09:00:00Z">'
        "19 November 2026</time>, 09:00 UTC</td><td>1</td>"
    ) in html

    older = desk.client.get(f"/stories/{desk.ferry.id}.html", params={"version": 1})
    old_text = Page(older.text).plain()
    assert "You are reading version 1. Read the newest, version 2" in old_text
    assert "What changed in version" not in old_text

    changes = desk.client.get(f"/stories/{desk.ferry.id}/changes", params={"old": 1, "new": 2})
    assert changes.status_code == 200
    assert "What changed from version 1 to version 2" in Page(changes.text).plain()
    assert_landmarks(changes.text)


def test_search_box_finds_a_story_by_a_word_of_its_text(desk: Newsdesk) -> None:
    response = desk.client.get("/", params={"q": "hectares"})
    page = Page(response.text)
    assert "Stories matching “hectares”" in page.plain()
    links = {a.get("href") for a in page.all("a")}
    assert f"http://testserver/stories/{desk.fire.id}.html" in links
    assert f"http://testserver/stories/{desk.ferry.id}.html" not in links
    assert [i.get("value") for i in page.all("input")] == ["hectares"]
    nothing = Page(desk.client.get("/", params={"q": "zeppelin"}).text).plain()
    assert "No story matches “zeppelin”." in nothing


def test_unknown_story_and_version_are_404_pages(desk: Newsdesk) -> None:
    missing = desk.client.get("/stories/s000000000000.html")
    assert missing.status_code == 404
    assert "no story with id 's000000000000'" in Page(missing.text).plain()
    assert_landmarks(missing.text)
    version = desk.client.get(f"/stories/{desk.fire.id}.html", params={"version": 7})
    assert version.status_code == 404
    assert f"story {desk.fire.id} has no digest version 7" in Page(version.text).plain()


def test_hostile_source_text_is_shown_as_text_and_never_runs(desk: Newsdesk) -> None:
    front = desk.client.get("/").text
    story = desk.client.get(f"/stories/{desk.hostile.id}.html").text
    found = desk.client.get("/", params={"q": "crane"}).text
    for html in (front, story, found):
        assert_inert(html)
    # The markup is there to read, escaped.
    assert "&lt;script&gt;" in story and HOSTILE_TITLE in Page(story).plain()
    assert "&lt;img src=x onerror=alert(&#34;body&#34;)&gt;" in story
    hostile_id = desk.client.get('/stories/"><img src=x onerror=alert(1)>.html')
    assert hostile_id.status_code == 404 and "&#34;&gt;&lt;img src=x" in hostile_id.text
    assert_inert(hostile_id.text)
    # The source whose URL is a script is listed without a link.
    assert HOSTILE_URL not in {a.get("href") for a in Page(story).all("a")}
