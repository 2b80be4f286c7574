"""Main-text and metadata extraction from article HTML with trafilatura."""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from trafilatura import bare_extraction
from trafilatura.settings import Document
from trafilatura.utils import load_html

from newsdistill.errors import ExtractionError
from newsdistill.ingest.dates import parse_datetime

# htmldate keeps the time of day (and offset) when the page gives one, e.g. in
# article:published_time, instead of the default day-only date.
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
# Shorter "text" is leftover page chrome, such as a lone "Home" link, not an article.
MIN_TEXT_CHARS = 25
NO_TEXT = "no article text found"


@dataclass
class Extracted:
    title: str | None
    text: str  # paragraphs separated by blank lines
    author: str | None
    published: dt.datetime | None  # UTC
    outlet: str | None  # site name
    language: str | None  # ISO 639-1, from the page's markup
    canonical_url: str | None


def extract_article(html: str, url: str) -> Extracted:
    """The article's main text, without navigation, banners, related links or footers,
    and its metadata. Raises ExtractionError when there is no article text."""
    tree = load_html(html)
    if tree is None:
        raise ExtractionError(NO_TEXT)
    language = _language(tree)
    canonical = _canonical_url(tree, url)
    doc = bare_extraction(
        tree,
        url=url,
        favor_precision=True,
        include_comments=False,
        with_metadata=True,
        date_extraction_params={
            "original_date": True,
            "extensive_search": True,
            "outputformat": _DATE_FORMAT,
            # A day ahead, so pages from time zones east of ours keep today's date.
            "max_date": (dt.date.today() + dt.timedelta(days=1)).isoformat(),
        },
    )
    if not isinstance(doc, Document):
        raise ExtractionError(NO_TEXT)
    lines = (line.strip() for line in (doc.text or "").splitlines())
    text = "\n\n".join(line for line in lines if line)
    if len(text) < MIN_TEXT_CHARS:
        raise ExtractionError(NO_TEXT)
    return Extracted(
        title=doc.title or None,
        text=text,
        author=doc.author or None,
        published=_published(tree) or (parse_datetime(doc.date) if doc.date else None),
        outlet=doc.sitename or None,
        language=language,
        canonical_url=canonical,
    )


def _language(tree: Any) -> str | None:
    values = tree.xpath(
        "/html/@lang | //meta[@http-equiv='content-language' or @http-equiv='Content-Language']"
        "/@content | //meta[@property='og:locale']/@content"
    )
    for value in values:
        primary = str(value).strip().replace("_", "-").split("-")[0].lower()
        if primary.isalpha() and len(primary) in (2, 3):
            return primary
    return None


def _canonical_url(tree: Any, url: str) -> str | None:
    """The page's own canonical address; a malformed one (say "https://]x") is ignored."""
    for query in ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"):
        for href in tree.xpath(query):
            if str(href).strip():
                try:
                    return urljoin(url, str(href).strip())
                except ValueError:
                    continue
    return None


def _published(tree: Any) -> dt.datetime | None:
    """The full publication time from the page's own metadata. htmldate prefers a date in the
    URL (/2026/11/16/) when there is one, which loses the time of day."""
    values = tree.xpath(
        "//meta[@property='article:published_time' or @name='article:published_time'"
        " or @itemprop='datePublished' or @name='date' or @name='pubdate']/@content"
        " | //time[@itemprop='datePublished' or @pubdate]/@datetime"
    )
    for value in values:
        with suppress(ValueError):
            parsed = parse_datetime(str(value).strip())
            if parsed is not None:
                return parsed
    return None
