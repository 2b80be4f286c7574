"""Digests as feeds: Atom (RFC 4287) and JSON Feed 1.1, one entry per story.

An entry's id is stable per story (`urn:newsdistill:story:<story_id>`), so a new version of a
digest updates the reader's existing entry; `updated` is the digest's `created_at`. Content is
the digest's HTML body, whose `#source-N` citation links resolve against the story page.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

from newsdistill.models import Digest
from newsdistill.publish.common import join_url, rfc3339, story_path, utc
from newsdistill.publish.html import render_body

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
GENERATOR = "newsdistill"

_EPOCH = rfc3339(dt.datetime(1970, 1, 1, tzinfo=dt.UTC))  # `updated` of a feed with no entries
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class _Entry:
    id: str
    url: str
    title: str
    summary: str
    content_html: str
    updated: str


def story_urn(story_id: str) -> str:
    return f"urn:newsdistill:story:{story_id}"


def _entries(digests: Sequence[Digest], site_url: str) -> list[_Entry]:
    """Newest first, so readers and the `updated` stamp agree on what changed last."""
    ordered = sorted(digests, key=lambda d: utc(d.created_at), reverse=True)
    return [
        _Entry(
            id=story_urn(d.story_id),
            url=join_url(site_url, story_path(d.story_id)),
            title=d.headline.text,
            summary=d.lede.text,
            content_html=render_body(d),
            updated=rfc3339(d.created_at),
        )
        for d in ordered
    ]


def render_atom(digests: Sequence[Digest], *, feed_url: str, site_url: str, title: str) -> str:
    entries = _entries(digests, site_url)

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, tag, attrs)
        if text is not None:
            element.text = _NOT_XML.sub("", text)
        return element

    feed = ET.Element("feed", xmlns=ATOM_NS)  # unprefixed names below are Atom's
    add(feed, "id", feed_url)
    add(feed, "title", title)
    add(feed, "updated", entries[0].updated if entries else _EPOCH)
    add(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    if site_url:
        add(feed, "link", rel="alternate", type="text/html", href=site_url)
    add(add(feed, "author"), "name", title)
    add(feed, "generator", GENERATOR)
    for entry in entries:
        node = add(feed, "entry")
        add(node, "id", entry.id)
        add(node, "title", entry.title)
        add(node, "updated", entry.updated)
        add(node, "link", rel="alternate", type="text/html", href=entry.url)
        add(node, "summary", entry.summary)
        content = add(node, "content", entry.content_html, type="html")
        content.set(_XML_BASE, entry.url)  # resolves the `#source-N` links to the story page
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def render_json_feed(digests: Sequence[Digest], *, feed_url: str, site_url: str, title: str) -> str:
    items: list[dict[str, Any]] = [
        {
            "id": entry.id,
            "url": entry.url,
            "title": entry.title,
            "summary": entry.summary,
            "content_html": entry.content_html,
            "date_modified": entry.updated,
        }
        for entry in _entries(digests, site_url)
    ]
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": title,
        **({"home_page_url": site_url} if site_url else {}),
        "feed_url": feed_url,
        "authors": [{"name": title}],
        "items": items,
    }
    return json.dumps(feed, indent=2, ensure_ascii=False) + "\n"
