from __future__ import annotations

import re
from html.parser import HTMLParser

from newsdistill.models import Claim, Digest
from newsdistill.publish import render_html
from newsdistill.wording import ENGLISH


class _Page(HTMLParser):
    """What a browser would see: the text, every tag name and every attribute."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.text = ""
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text += data

    def hrefs(self) -> list[str]:
        return [v or "" for k, v in self.attrs if k == "href"]


def test_every_sentence_carries_its_source_numbers(
    digest: Digest, marks: list[tuple[Claim, str]]
) -> None:
    text = _Page(render_html(digest)).text
    for claim, mark in marks:
        assert f"{claim.text}{mark}" in text


def test_citations_link_to_numbered_sources_with_positions(digest: Digest) -> None:
    page = render_html(digest)
    assert (
        '<sup class="cite">[<a href="#source-3" title="Valley Post, sentence 5">3</a>, '
        '<a href="#source-1" title="Northern Wire, sentence 6">1</a>]</sup>'
    ) not in page  # numbers are sorted, not in citation order
    assert (
        '<sup class="cite">[<a href="#source-1" title="Northern Wire, sentence 6">1</a>, '
        '<a href="#source-3" title="Valley Post, sentence 5">3</a>]</sup>'
    ) in page
    assert '<a href="#source-1" title="Northern Wire, title">1</a>' in page
    ids = re.findall(r'<li id="(source-\d+)">', page)
    assert ids == ["source-1", "source-2", "source-3"]
    for href in _Page(page).hrefs():
        if href.startswith("#"):
            assert href[1:] in ids


def test_no_script_and_no_unsafe_links(digest: Digest) -> None:
    page = render_html(digest)
    parsed = _Page(page)
    assert "script" not in parsed.tags
    assert "<script" not in page.lower()
    assert not [k for k, _ in parsed.attrs if k.startswith("on")]
    for href in parsed.hrefs():
        assert href.startswith(("#", "https://")), href
    assert "javascript:alert(1)" in parsed.text  # the bad URL is shown, as text
    assert "Four feared dead <b>after</b> quarry fall" in parsed.text


def test_structure(digest: Digest) -> None:
    page = render_html(digest, site_title="Quarry Watch", home_url="../index.html")
    parsed = _Page(page)
    assert page.startswith("<!DOCTYPE html>")
    assert parsed.tags.count("h1") == 1
    assert "<title>Three workers die in Kessel quarry collapse — Quarry Watch</title>" in page
    assert '<nav><a href="../index.html">Quarry Watch</a></nav>' in page
    assert ENGLISH.verified(digest.verification) in parsed.text
    assert "In short" in parsed.text and "Where sources differ" not in parsed.text
    assert "Three workers died when a rock face collapsed at Kessel quarry.[1]" in parsed.text
    assert "Projected path ahead" in parsed.text
    assert '<time datetime="2026-03-03">3 March 2026</time>' in page
    assert "Also published by Coastal Times, Daily Ledger" in parsed.text
    assert 'href="https://northernwire.example/news/quarry?id=1&amp;src=rss"' in page
    assert parsed.text.rstrip().endswith(digest.disclaimer)


def test_unverified_sentence_is_marked(digest: Digest) -> None:
    text = _Page(render_html(digest)).text
    assert "The quarry may stay closed until the summer.[3] [unverified]" in text
    assert text.count("[unverified]") == 1


_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_hostile_source_text_stays_text(digest: Digest) -> None:
    hostile = digest.sources[2]
    hostile.title = '<img src=x onerror="alert(1)">'
    hostile.outlet = '"><script>alert(2)</script>'
    digest.sources[1].url = " JavaScript:alert(3)"
    digest.sections[0].heading = "<svg onload=alert(4)>"
    digest.key_points[0].text = "<a href='javascript:alert(5)'>x</a>"
    page = render_html(digest)
    parsed = _Page(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags and "svg" not in parsed.tags
    assert not [k for k, _ in parsed.attrs if k.startswith("on")]
    assert [h for h in parsed.hrefs() if not h.startswith(("#", "https://"))] == []
    assert len([h for h in parsed.hrefs() if h.startswith("https://")]) == 1
    for text in [hostile.title, hostile.outlet, "JavaScript:alert(3)", "<svg onload=alert(4)>"]:
        assert text in parsed.text
    assert "<a href='javascript:alert(5)'>x</a>" in parsed.text


def test_bidi_controls_in_source_text_are_dropped(digest: Digest) -> None:
    digest.sources[0].outlet = f"Northern{_BIDI} Wire"
    digest.sources[0].title = "Quarry \u202eeerht sllik\u202c collapse"
    for citation in digest.headline.citations:
        citation.outlet = f"\u202e{citation.outlet}"
    page = render_html(digest)
    assert not set(_BIDI) & set(page)
    assert '<li id="source-1"><bdi class="outlet">Northern Wire</bdi> — ' in page
    assert "Quarry eerht sllik collapse" in _Page(page).text
    assert 'title="Northern Wire, title"' in page
