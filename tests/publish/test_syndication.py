"""The feeds, read back the way subscribers read them: Atom through feedparser, JSON Feed
against a JSON Feed 1.1 schema (jsonfeed-1.1.schema.json, written from the spec)."""

from __future__ import annotations

import calendar
import datetime as dt
import json
from pathlib import Path
from typing import Any

import feedparser
import jsonschema
import pytest

from newsdistill.models import Digest
from newsdistill.publish import render_atom, render_json_feed

FEED = {"feed_url": "https://news.example/feed", "site_url": "https://news.example", "title": "T"}
QUARRY_PAGE = "https://news.example/stories/quarry-collapse-2026.html"
SCHEMA = json.loads((Path(__file__).parent / "jsonfeed-1.1.schema.json").read_text("utf-8"))


def _atom(digests: list[Digest]) -> Any:
    parsed = feedparser.parse(render_atom(digests, **FEED))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def _moment(parsed_time: Any) -> dt.datetime:
    return dt.datetime.fromtimestamp(calendar.timegm(parsed_time), dt.UTC)


def _json_feed(digests: list[Digest]) -> Any:
    feed = json.loads(render_json_feed(digests, **FEED))
    jsonschema.validate(feed, SCHEMA, format_checker=jsonschema.FormatChecker())
    return feed


def _new_version(digest: Digest) -> Digest:
    return digest.model_copy(
        update={"version": digest.version + 1, "created_at": digest.created_at + dt.timedelta(1)}
    )


def test_atom_reads_back_one_entry_per_story_newest_first(digests: list[Digest]) -> None:
    parsed = _atom(digests)
    assert parsed.feed.title == "T"
    assert parsed.feed.id == "https://news.example/feed"
    assert _moment(parsed.feed.updated_parsed) == dt.datetime(2026, 3, 4, 12, tzinfo=dt.UTC)
    assert {(link.rel, link.href) for link in parsed.feed.links} == {
        ("self", "https://news.example/feed"),
        ("alternate", "https://news.example"),
    }
    assert [e.id for e in parsed.entries] == [
        "urn:newsdistill:story:port-strike-2026",
        "urn:newsdistill:story:quarry-collapse-2026",
    ]
    quarry = parsed.entries[1]
    assert quarry.title == "Three workers die in Kessel quarry collapse"
    assert quarry.link == QUARRY_PAGE
    assert _moment(quarry.updated_parsed) == digests[0].created_at
    # A feed item's summary is the digest's short form.
    assert quarry.summary == " ".join(c.text for c in digests[0].summary)


def test_atom_content_is_the_digest_with_citations_pointing_at_the_story_page(
    digest: Digest,
) -> None:
    (entry,) = _atom([digest]).entries
    (content,) = entry.content
    assert content.type == "text/html"
    html = content.value
    assert html.startswith('<article class="digest">')
    assert f'<a href="{QUARRY_PAGE}#source-1" title="Northern Wire, title">1</a>' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
    assert "Four feared dead &lt;b&gt;after&lt;/b&gt; quarry fall" in html
    assert 'href="javascript:' not in html
    assert digest.disclaimer in html


def test_a_new_digest_version_updates_the_same_entry(digest: Digest) -> None:
    newer = _new_version(digest)
    before, after = _atom([digest]).entries[0], _atom([newer]).entries[0]
    assert after.id == before.id and after.link == before.link
    assert _moment(after.updated_parsed) == newer.created_at != _moment(before.updated_parsed)
    item_before, item_after = _json_feed([digest])["items"][0], _json_feed([newer])["items"][0]
    assert item_after["id"] == item_before["id"] == before.id
    assert item_after["date_modified"] == "2026-03-05T09:00:00Z"
    assert item_before["date_modified"] == "2026-03-04T09:00:00Z"


def test_atom_for_no_digests_is_valid() -> None:
    parsed = _atom([])
    assert parsed.entries == []
    assert _moment(parsed.feed.updated_parsed) == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def test_atom_drops_characters_xml_cannot_carry(digest: Digest) -> None:
    digest.headline.text = "Bad\x0bbyte"
    assert _atom([digest]).entries[0].title == "Badbyte"


def test_feeds_strip_bidi_controls_from_titles(digest: Digest) -> None:
    digest.headline.text = "Quarry \u202efer\u202c news"
    assert _atom([digest]).entries[0].title == "Quarry fer news"
    assert _json_feed([digest])["items"][0]["title"] == "Quarry fer news"


def test_json_feed_is_valid_json_feed_1_1(digests: list[Digest]) -> None:
    feed = _json_feed(digests)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "T"
    assert feed["feed_url"] == "https://news.example/feed"
    assert feed["home_page_url"] == "https://news.example"
    assert [item["id"] for item in feed["items"]] == [
        "urn:newsdistill:story:port-strike-2026",
        "urn:newsdistill:story:quarry-collapse-2026",
    ]
    quarry = feed["items"][1]
    assert quarry["url"] == QUARRY_PAGE
    assert quarry["title"] == "Three workers die in Kessel quarry collapse"
    assert quarry["content_html"].startswith('<article class="digest">')
    assert f'href="{QUARRY_PAGE}#source-1"' in quarry["content_html"]


def test_json_feed_without_site_url_has_no_home_page() -> None:
    feed = json.loads(render_json_feed([], feed_url="feed.json", site_url="", title="T"))
    assert "home_page_url" not in feed and feed["items"] == []


@pytest.mark.parametrize(
    "break_feed",
    [
        lambda f: f.pop("version"),
        lambda f: f.update(version="https://jsonfeed.org/version/1"),
        lambda f: f["items"][0].pop("id"),
        lambda f: f["items"][0].pop("content_html"),
        lambda f: f["items"][0].update(date_modified="4 March 2026"),
        lambda f: f.update(authors=[{}]),
    ],
)
def test_the_schema_rejects_feeds_that_break_the_spec(digest: Digest, break_feed: Any) -> None:
    feed = _json_feed([digest])
    break_feed(feed)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(feed, SCHEMA, format_checker=jsonschema.FormatChecker())
