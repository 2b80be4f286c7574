"""Digests as feeds: Atom (RFC 4287, written by feedgen) and JSON Feed 1.1, one entry per story.

An entry's id is the story's, `urn:newsdistill:story:<story_id>`: the same id the story's
permalink `stories/<story_id>.html` is named after, independent of the digest version and of
where the site is hosted, so a new version of a digest updates the reader's existing entry.
`updated` (`date_modified`) is the digest's `created_at`. Content is the digest's HTML body
with its citation links pointing at the story page.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, NotRequired, TypedDict

from feedgen.feed import FeedGenerator

from newsdistill.models import Digest
from newsdistill.publish.common import join_url, rfc3339, story_path, strip_bidi_controls
from newsdistill.publish.html import render_body
from newsdistill.timeutil import as_utc

JSON_FEED_VERSION: Literal["https://jsonfeed.org/version/1.1"] = "https://jsonfeed.org/version/1.1"
GENERATOR = "newsdistill"

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # `updated` of a feed with no entries
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class _Entry:
    id: str
    url: str
    title: str
    summary: str
    content_html: str
    updated: dt.datetime


def story_urn(story_id: str) -> str:
    return f"urn:newsdistill:story:{story_id}"


def _entries(digests: Sequence[Digest], site_url: str) -> list[_Entry]:
    """Newest first, so readers and the `updated` stamp agree on what changed last."""
    ordered = sorted(digests, key=lambda d: as_utc(d.created_at), reverse=True)
    entries = []
    for digest in ordered:
        url = join_url(site_url, story_path(digest.story_id))
        entries.append(
            _Entry(
                id=story_urn(digest.story_id),
                url=url,
                title=strip_bidi_controls(digest.headline.text),
                summary=strip_bidi_controls(
                    " ".join(c.text for c in digest.summary or [digest.lede])
                ),
                content_html=render_body(digest, source_href=url),
                updated=as_utc(digest.created_at),
            )
        )
    return entries


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def render_atom(digests: Sequence[Digest], *, feed_url: str, site_url: str, title: str) -> str:
    entries = _entries(digests, site_url)
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(_xml(title))
    feed.updated(entries[0].updated if entries else _EPOCH)
    feed.link(href=feed_url, rel="self", type="application/atom+xml")
    if site_url:
        feed.link(href=site_url, rel="alternate", type="text/html")
    feed.author(name=_xml(title))
    feed.generator(GENERATOR)
    for entry in entries:
        node = feed.add_entry(order="append")
        node.id(entry.id)
        node.title(_xml(entry.title))
        node.updated(entry.updated)
        node.link(href=entry.url, rel="alternate", type="text/html")
        node.summary(_xml(entry.summary))
        node.content(_xml(entry.content_html), type="html")
    atom: bytes = feed.atom_str(pretty=True, encoding="UTF-8")
    return atom.decode("utf-8")


class JsonFeedAuthor(TypedDict):
    name: str


class JsonFeedItem(TypedDict):
    id: str
    url: str
    title: str
    summary: str
    content_html: str
    date_modified: str


class JsonFeed(TypedDict):
    """The JSON Feed 1.1 top level, with the fields newsdistill fills in."""

    version: Literal["https://jsonfeed.org/version/1.1"]
    title: str
    home_page_url: NotRequired[str]
    feed_url: str
    authors: list[JsonFeedAuthor]
    items: list[JsonFeedItem]


def render_json_feed(digests: Sequence[Digest], *, feed_url: str, site_url: str, title: str) -> str:
    feed = JsonFeed(
        version=JSON_FEED_VERSION,
        title=title,
        feed_url=feed_url,
        authors=[JsonFeedAuthor(name=title)],
        items=[
            JsonFeedItem(
                id=entry.id,
                url=entry.url,
                title=entry.title,
                summary=entry.summary,
                content_html=entry.content_html,
                date_modified=rfc3339(entry.updated),
            )
            for entry in _entries(digests, site_url)
        ],
    )
    if site_url:
        feed["home_page_url"] = site_url
    return json.dumps(feed, indent=2, ensure_ascii=False) + "\n"
