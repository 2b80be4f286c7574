"""Property-based fuzzing of everything that reads outside input: feeds, OPML, HTML pages,
JSON and JSONL article files, and the `check` text.

The property is the same everywhere: a parser returns a well-formed result or raises the one
documented error for that input (FeedParseError, ExtractionError, InputError), which says why.
Nothing else escapes, and nothing hangs (each example has a deadline).

The default run tries NEWSDISTILL_FUZZ_EXAMPLES inputs per target (100); the documented full
run (docs/security.md) sets it to 2,000: 10,000 inputs over the five targets.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsdistill.errors import ExtractionError, FeedParseError, InputError
from newsdistill.extract import extract_article
from newsdistill.ingest.feeds import parse_feed, parse_opml
from newsdistill.ingest.files import load_articles_from_path
from newsdistill.verify.check import split_units

DATA = Path(__file__).parents[1] / "ingest" / "data"
EXAMPLES = int(os.environ.get("NEWSDISTILL_FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=dt.timedelta(seconds=10),  # a hang, not a slow machine
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Text that exercises escaping and decoding: markup, entities, control and bidi characters.
_NASTY = st.sampled_from(
    [
        "<",
        ">",
        "&",
        "&amp;",
        "&#0;",
        "]]>",
        "<![CDATA[",
        "\x00",
        "\x1b[31m",
        "\u202e",
        "\ufeff",
        "[bold]",
        "javascript:",
        '"',
        "'",
        "\r\n",
        "é",
        "\ud7ff",
        "<!--",
        "-->",
        "<!ENTITY x 'y'>",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=20), _NASTY), max_size=12).map("".join)


def _mutations(seed: str) -> st.SearchStrategy[str]:
    """A real document cut, spliced and salted with hostile text at random places."""

    @st.composite
    def mutate(draw: st.DrawFn) -> str:
        doc = seed
        for _ in range(draw(st.integers(0, 6))):
            at = draw(st.integers(0, len(doc)))
            op = draw(st.sampled_from(["insert", "cut", "truncate", "repeat"]))
            if op == "insert":
                doc = doc[:at] + draw(TEXT) + doc[at:]
            elif op == "cut":
                doc = doc[:at] + doc[at + draw(st.integers(0, 200)) :]
            elif op == "truncate":
                doc = doc[:at]
            else:
                end = min(len(doc), at + draw(st.integers(0, 80)))
                doc = doc[:at] + doc[at:end] * draw(st.integers(1, 20)) + doc[end:]
        return doc

    return mutate()


def _document(seed_file: str) -> st.SearchStrategy[str | bytes]:
    return st.one_of(_page(seed_file), st.binary(max_size=2000))


def _page(seed_file: str) -> st.SearchStrategy[str]:
    return st.one_of(_mutations((DATA / seed_file).read_text(encoding="utf-8")), TEXT)


# Each @example is an input the fuzzer once found that crashed or misled the parser.
@FUZZ
@given(content=st.one_of(_document("rss.xml"), _document("atom.xml")))
@example(
    "<rss version='2.0'><channel><item><link>https://a.test/1</link>"
    "<description>&lt;p&gt;x&lt;/p&gt;\x08</description></item></channel></rss>"
)
@example(
    "<feed xmlns='http://www.w3.org/2005/Atom'><entry><id>urn:uuid:1</id>"
    "<title>No link</title></entry></feed>"
)
def test_feeds_parse_or_are_rejected_with_a_reason(content: str | bytes) -> None:
    try:
        feed = parse_feed(content, "https://feeds.test/rss.xml")
    except FeedParseError as exc:
        assert str(exc).startswith("not an RSS or Atom feed: ")
        return
    for entry in feed.entries:
        assert entry.url.startswith(("http://", "https://"))
        assert "\x00" not in entry.title


@FUZZ
@given(content=_document("subscriptions.opml"))
@example("<opml><body><outline xmlUrl='https:/no-host.test/rss.xml'/></body></opml>")
def test_opml_parses_or_is_rejected_with_a_reason(content: str | bytes) -> None:
    try:
        feeds = parse_opml(content)
    except FeedParseError as exc:
        assert "OPML" in str(exc)
        return
    assert len({f.url for f in feeds}) == len(feeds)
    assert all(f.url.startswith(("http://", "https://")) for f in feeds)


@FUZZ
@given(html=_page("news_page.html"))
@example((DATA / "news_page.html").read_text().replace("https://courier", "https://]courier"))
def test_pages_extract_or_are_rejected_with_a_reason(html: str) -> None:
    try:
        page = extract_article(str(html), "https://news.test/a.html")
    except ExtractionError as exc:
        assert str(exc)
        return
    assert page.text.strip()


_JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
_RECORD = st.fixed_dictionaries(
    {},
    optional={
        "url": st.one_of(TEXT, st.just("https://news.test/x"), _JSON_VALUE),
        "title": st.one_of(TEXT, _JSON_VALUE),
        "text": st.one_of(TEXT, _JSON_VALUE),
        "html": TEXT,
        "published": st.one_of(TEXT, st.just("2026-11-30T10:00:00Z"), _JSON_VALUE),
        "outlet": TEXT,
    },
)


@st.composite
def _article_file(draw: st.DrawFn) -> tuple[str, bytes]:
    import json

    suffix = draw(st.sampled_from([".json", ".jsonl", ".txt", ".md", ".html"]))
    kind = draw(st.sampled_from(["records", "value", "bytes"]))
    if kind == "bytes":
        return suffix, draw(st.binary(max_size=1000))
    if kind == "value":
        return suffix, json.dumps(draw(_JSON_VALUE)).encode()
    records = draw(st.lists(_RECORD, max_size=4))
    if suffix == ".jsonl":
        lines = [json.dumps(r) if draw(st.booleans()) else draw(TEXT) for r in records]
        return suffix, "\n".join(lines).encode("utf-8", "surrogatepass")
    return suffix, json.dumps(records).encode()


@FUZZ
@given(file=_article_file())
def test_article_files_load_or_are_rejected_naming_the_file(file: tuple[str, bytes]) -> None:
    suffix, content = file
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"articles{suffix}"
        path.write_bytes(content)
        try:
            articles = load_articles_from_path(path)
        except InputError as exc:
            assert str(path) in str(exc)
            return
    for article in articles:
        assert article.url


@FUZZ
@given(text=st.one_of(TEXT, st.text(max_size=3000)))
@example("#")
def test_check_input_splits_into_units_of_its_own_text(text: str) -> None:
    units = split_units(text)
    for unit in units:
        assert unit.text.strip()
        assert unit.line >= 1
