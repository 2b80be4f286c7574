from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from newsdistill.models import Digest
from newsdistill.publish import render_atom, render_json_feed

A = "{http://www.w3.org/2005/Atom}"
FEED = {"feed_url": "https://news.example/feed", "site_url": "https://news.example", "title": "T"}


def test_atom_has_one_entry_per_digest_with_stable_ids(digests: list[Digest]) -> None:
    root = ET.fromstring(render_atom(digests, **FEED))
    assert root.tag == f"{A}feed"
    entries = root.findall(f"{A}entry")
    assert [e.findtext(f"{A}id") for e in entries] == [
        "urn:newsdistill:story:port-strike-2026",  # newest first
        "urn:newsdistill:story:quarry-collapse-2026",
    ]
    assert root.findtext(f"{A}updated") == "2026-03-04T12:00:00Z"
    first = entries[1]
    assert first.findtext(f"{A}updated") == "2026-03-04T09:00:00Z"
    assert first.findtext(f"{A}title") == "Three workers die in Kessel quarry collapse"
    link = first.find(f"{A}link")
    assert link is not None
    assert link.get("href") == "https://news.example/stories/quarry-collapse-2026.html"
    content = first.find(f"{A}content")
    assert content is not None and content.get("type") == "html"
    html = content.text or ""
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
    assert '<a href="#source-1"' in html


def test_atom_for_no_digests_is_valid() -> None:
    root = ET.fromstring(render_atom([], **FEED))
    assert root.findall(f"{A}entry") == []
    assert root.findtext(f"{A}updated") == "1970-01-01T00:00:00Z"


def test_atom_drops_characters_xml_cannot_carry(digest: Digest) -> None:
    digest.headline.text = "Bad\x0bbyte"
    root = ET.fromstring(render_atom([digest], **FEED))
    assert root.findtext(f"{A}entry/{A}title") == "Badbyte"


def test_json_feed_shape(digests: list[Digest]) -> None:
    feed = json.loads(render_json_feed(digests, **FEED))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "T"
    assert feed["feed_url"] == "https://news.example/feed"
    assert feed["home_page_url"] == "https://news.example"
    assert len(feed["items"]) == 2
    for item in feed["items"]:
        assert item["id"].startswith("urn:newsdistill:story:")
        assert item["url"] == f"https://news.example/stories/{item['id'].rsplit(':', 1)[1]}.html"
        assert item["content_html"].startswith('<article class="digest">')
        assert item["date_modified"].endswith("Z")
