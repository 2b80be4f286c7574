from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsdistill.errors import FeedParseError
from newsdistill.ingest.feeds import html_to_text, parse_feed, parse_opml

DATA = Path(__file__).parent / "data"
UTC = dt.UTC


def test_parses_rss() -> None:
    feed = parse_feed((DATA / "rss.xml").read_bytes(), "https://courier.example/rss.xml")
    assert feed.title == "The Riverside Courier & Gazette"
    assert feed.link == "https://courier.example/"
    assert len(feed.entries) == 2  # the item without a link is skipped
    first, second = feed.entries
    assert first.url == "https://courier.example/news/2024/03/harbour-bridge-closed"
    assert first.title == "Harbour bridge closed after cargo ship strikes pier"
    assert (
        first.summary
        == "The bridge is closed to all traffic.\n\nEngineers are inspecting the pier."
    )
    assert first.content_html is not None
    assert "No one was injured." in first.content_html
    assert first.published == dt.datetime(2024, 3, 5, 13, 30, tzinfo=UTC)
    assert first.author == "Maria Okafor"
    assert first.outlet == "The Riverside Courier & Gazette"
    assert second.published is None
    assert second.content_html is None
    assert second.summary == "Ferries will run every fifteen minutes."


def test_parses_atom() -> None:
    feed = parse_feed((DATA / "atom.xml").read_text(), "https://valley.example/feed.atom")
    assert feed.title == "Valley Weekly"
    first, second = feed.entries
    assert first.url == "https://valley.example/stories/port-expansion"
    assert first.title == "Council approves port expansion plan"
    assert first.summary == "Councillors voted 7–2 in favour."
    assert (
        first.content_html == "<p>Councillors voted 7–2 in favour of the plan on Tuesday night.</p>"
    )
    assert first.published == dt.datetime(2024, 3, 5, 23, 15, tzinfo=UTC)
    assert first.author == "Sam Reyes"
    assert first.outlet == "Valley Weekly"
    # Without <published>, the updated date stands in.
    assert second.published == dt.datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
    assert second.author is None


def test_tolerates_a_feed_with_minor_defects() -> None:
    # A bare "&" makes the XML ill-formed, but the entries are still readable.
    rss = (DATA / "rss.xml").read_text().replace("Ferries will", "Ferries & boats will")
    feed = parse_feed(rss, "https://courier.example/rss.xml")
    assert len(feed.entries) == 2
    assert feed.entries[1].summary == "Ferries & boats will run every fifteen minutes."


@pytest.mark.parametrize("declaration", ['<?xml version="1.0" encoding="windows-1252"?>', ""])
def test_decodes_a_windows_1252_feed(declaration: str) -> None:
    rss = (
        f'{declaration}<rss version="2.0"><channel><title>Café – naïve</title>'
        "<item><title>Été</title><link>https://x.example/1</link></item></channel></rss>"
    )
    feed = parse_feed(rss.encode("cp1252"), "https://x.example/rss")
    assert (feed.title, feed.entries[0].title) == ("Café – naïve", "Été")


def test_empty_but_valid_feed_has_no_entries() -> None:
    rss = b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    feed = parse_feed(rss, "https://quiet.example/rss")
    assert feed.title == "Quiet"
    assert feed.entries == []


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<!DOCTYPE html><html><body><p>Welcome!</p></body></html>", "HTML page"),
        (b"just some plain text", "invalid XML at line"),
        ((DATA / "rss.xml").read_bytes()[:400], "invalid XML at line"),
        (b'<?xml version="1.0"?><catalog><book>Dune</book></catalog>', "no <rss>"),
        (b" \n", "the document is empty"),
    ],
    ids=["html", "text", "truncated", "other-xml", "empty"],
)
def test_rejects_what_is_not_a_feed(content: bytes, reason: str) -> None:
    with pytest.raises(FeedParseError, match=f"^not an RSS or Atom feed: .*{reason}"):
        parse_feed(content, "https://example.com/feed")


def test_does_not_read_local_files_named_by_the_content(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes((DATA / "rss.xml").read_bytes())
    with pytest.raises(FeedParseError):
        parse_feed(str(secret), "https://example.com/feed")


def test_parses_nested_opml() -> None:
    feeds = parse_opml((DATA / "subscriptions.opml").read_bytes())
    assert feeds == [
        ("https://courier.example/rss.xml", "The Riverside Courier", "Local"),
        ("https://valley.example/feed.atom", "Valley Weekly", "Regional"),
        ("https://wire.example/top.xml", None, "Wire"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<opml><body><outline xmlUrl='x'></body>", "invalid OPML"),
        ("<html><body></body></html>", "not an OPML document"),
        (
            '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<opml><body><outline text="&b;" xmlUrl="https://x.example/"/></body></opml>',
            "entity declarations are not allowed",
        ),
    ],
    ids=["malformed", "not-opml", "entities"],
)
def test_rejects_invalid_opml(content: str, message: str) -> None:
    with pytest.raises(FeedParseError, match=message):
        parse_opml(content)


def test_html_to_text_keeps_paragraphs_and_collapses_spaces() -> None:
    html = "<div>Intro <b>bold</b>\n  text<ul><li>one</li><li>two</li></ul>tail<br>after</div>"
    assert html_to_text(html) == "Intro bold text\n\none\n\ntwo\n\ntail\n\nafter"
    assert html_to_text("Profits &amp; losses") == "Profits & losses"
    assert html_to_text("  ") == ""
