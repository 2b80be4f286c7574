"""Parsing RSS/Atom feeds (feedparser) and OPML subscription lists (defusedxml)."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import xml.sax
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
import feedparser
import lxml.html
from defusedxml import DefusedXmlException
from lxml.html.defs import block_tags

from newsdistill.errors import FeedParseError
from newsdistill.ingest.encoding import decode_bytes

# lxml's list predates HTML5 sectioning elements; a <br> also ends a line of text.
_BLOCK_TAGS = block_tags | {
    "article",
    "aside",
    "br",
    "figcaption",
    "figure",
    "footer",
    "header",
    "section",
}
_BLANK_LINE = re.compile(r"\n\s*\n")
# What XML 1.0 cannot carry: C0 controls but tab and newlines, lone surrogates, U+FFFE/U+FFFF.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass
class FeedEntry:
    url: str
    title: str
    summary: str  # plain text
    content_html: str | None  # full content, when the feed carries it
    published: dt.datetime | None  # UTC
    author: str | None
    outlet: str | None  # the feed's title


@dataclass
class ParsedFeed:
    title: str | None
    link: str | None
    entries: list[FeedEntry]


def parse_feed(content: bytes | str, url: str) -> ParsedFeed:
    """Parse an RSS or Atom document fetched from `url` (used to resolve relative links).

    Raises FeedParseError when the document is not a feed at all; a feed with minor
    defects still parses as long as entries can be read from it.
    """
    text = content if isinstance(content, str) else decode_bytes(content)
    # A stream, because feedparser treats a str or bytes argument as a possible URL or path.
    parsed = feedparser.parse(
        io.BytesIO(text.encode("utf-8")),
        response_headers={
            "content-location": url,
            "content-type": "application/xml; charset=utf-8",
        },
    )
    feed_title = _plain(parsed.feed.get("title")) or None
    feed_link = parsed.feed.get("link")
    entries = [
        entry for raw in parsed.entries if (entry := _entry(raw, url, feed_title)) is not None
    ]
    if not entries and (
        not parsed.get("version") or isinstance(parsed.get("bozo_exception"), xml.sax.SAXException)
    ):
        raise FeedParseError(f"not an RSS or Atom feed: {_why_not_feed(text, parsed)}")
    return ParsedFeed(
        title=feed_title,
        link=urljoin(url, feed_link) if feed_link else None,
        entries=entries,
    )


def is_web_url(url: str) -> bool:
    """An absolute http(s) address with a host: the only kind newsdistill follows."""
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


class OpmlFeed(NamedTuple):
    url: str
    title: str | None
    topic: str | None  # the outline's own category, else the group (folder) it sits in


def parse_opml(content: bytes | str) -> list[OpmlFeed]:
    """Every feed of an OPML document, nested outlines included, each URL once, in document
    order. Entity declarations are refused (billion laughs)."""
    try:
        root = SafeET.fromstring(content)
    except DefusedXmlException:
        raise FeedParseError("invalid OPML: entity declarations are not allowed") from None
    except ParseError as exc:
        raise FeedParseError(f"invalid OPML: {exc}") from None
    if root.tag != "opml":
        raise FeedParseError(f"not an OPML document: the root element is <{root.tag}>")
    feeds: dict[str, OpmlFeed] = {}

    def walk(parent: Element, group: str | None) -> None:
        for outline in parent.iterfind("outline"):
            url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
            name = (outline.get("title") or outline.get("text") or "").strip() or None
            if url:
                if is_web_url(url) and url not in feeds:
                    feeds[url] = OpmlFeed(url, name, _opml_category(outline) or group)
            else:
                walk(outline, name or group)

    body = root.find("body")
    walk(root if body is None else body, None)
    return list(feeds.values())


def _opml_category(outline: Element) -> str | None:
    """The last part of the first OPML 2.0 category ("/News/Science,/Tech" → "Science")."""
    first = (outline.get("category") or "").split(",")[0]
    parts = [p.strip() for p in first.split("/") if p.strip()]
    return parts[-1] if parts else None


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: paragraphs separated by blank lines, spaces collapsed."""
    # Control characters cannot live in an XML tree (lxml refuses them) nor mean anything here.
    fragment = _CONTROL.sub("", fragment)
    if not fragment.strip():
        return ""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCK_TAGS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
    paragraphs = (" ".join(p.split()) for p in _BLANK_LINE.split(root.text_content()))
    return "\n\n".join(p for p in paragraphs if p)


def _plain(value: str | None) -> str:
    if not value:
        return ""
    value = _CONTROL.sub("", value)
    return html_to_text(value) if "<" in value or "&" in value else " ".join(value.split())


def _entry(raw: Any, feed_url: str, outlet: str | None) -> FeedEntry | None:
    """The entry, if it links to a web page (feedparser falls back to the id, say a urn:)."""
    link = raw.get("link")
    try:
        url = urljoin(feed_url, link.strip()) if link else ""
    except ValueError:  # a malformed address, e.g. an unclosed IPv6 bracket
        return None
    if not is_web_url(url):
        return None
    contents = [c for c in raw.get("content", []) if "html" in c.get("type", "")]
    author_detail = raw.get("author_detail") or {}
    return FeedEntry(
        url=url,
        title=_plain(raw.get("title")),
        summary=_plain(raw.get("summary")),
        content_html=contents[0]["value"] if contents else None,
        published=_utc(raw.get("published_parsed") or raw.get("updated_parsed")),
        author=author_detail.get("name") or raw.get("author") or None,
        outlet=outlet,
    )


def _utc(parsed: time.struct_time | None) -> dt.datetime | None:
    # feedparser has already converted the date to UTC.
    return dt.datetime(*parsed[:6], tzinfo=dt.UTC) if parsed else None


def _why_not_feed(text: str, parsed: Any) -> str:
    if not text.strip():
        return "the document is empty"
    if re.search(r"<html[\s>]", text[:2048], re.IGNORECASE):
        return "the document is an HTML page"
    error = parsed.get("bozo_exception")
    if isinstance(error, xml.sax.SAXParseException):
        return f"invalid XML at line {error.getLineNumber()}: {error.getMessage()}"
    return "no <rss>, <feed> or <rdf:RDF> element"
