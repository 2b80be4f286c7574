"""Bad input through the real pipeline: each failure is reported and recorded, the rest goes on,
and nothing stored before is lost."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from newsdistill.config import Settings
from newsdistill.errors import InputError
from newsdistill.models import ArticleStatus
from newsdistill.pipeline import Newsroom, redirected_home
from newsdistill.store import Store
from tests.ingest.server import LocalServer, send

BODY = (
    "Harbour officials in Port Velma said on Tuesday that the new ferry terminal would open "
    "in March after a two-year delay. The terminal cost 84 million crowns, according to the "
    "port authority. Passenger numbers are expected to double by 2028, officials said."
)


def page(title: str, body: str = BODY, charset: str = "utf-8") -> bytes:
    html = (
        f"<html><head><meta charset='{charset}'><title>{title}</title>"
        "<meta property='article:published_time' content='2026-11-17T08:00:00+00:00'>"
        f"</head><body><nav>Home News Sport</nav><article><h1>{title}</h1>"
        + "".join(f"<p>{p}.</p>" for p in body.split(". "))
        + "</article><footer>© Velma Herald</footer></body></html>"
    )
    return html.encode(charset)


def rss(base: str, items: list[str]) -> bytes:
    entries = "".join(
        f"<item><title>Item {i}</title><link>{base}{path}</link>"
        "<pubDate>Tue, 17 Nov 2026 08:00:00 GMT</pubDate>"
        f"<description>Short summary of item {i} about the harbour.</description></item>"
        for i, path in enumerate(items)
    )
    return (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Velma Herald</title>"
        f"<link>{base}/</link><description>x</description>{entries}</channel></rss>"
    ).encode()


def huge(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", str(50 * 1024 * 1024))
    handler.end_headers()
    chunk = b"<p>" + b"x" * 65_533
    try:
        for _ in range(50 * 16):
            handler.wfile.write(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client gave up, as it should


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as s:
        yield s


@pytest.fixture
def room(tmp_path: Path, database: str) -> Iterator[Newsroom]:
    settings = Settings(
        home=tmp_path,
        db=database,
        fetch_timeout=2.0,
        fetch_retries=0,
        fetch_backoff=0.01,
    )
    store = Store.open(settings.database_url())
    yield Newsroom(settings, store)
    store.close()


def test_bad_feeds_and_pages_are_recorded_and_the_rest_goes_on(
    server: LocalServer, room: Newsroom
) -> None:
    base = server.url("")
    latin = page("Caf\u00e9 owners welcome the na\u00efve plan", charset="windows-1252")
    server.routes.update(
        {
            "/good.xml": lambda h: send(
                h, 200, rss(base, ["/ok", "/gone", "/empty", "/latin", "/huge"])
            ),
            "/ok": lambda h: send(h, 200, page("Ferry terminal to open in March")),
            "/empty": lambda h: send(h, 200, b"<html><body><nav>Home</nav></body></html>"),
            "/latin": lambda h: send(h, 200, latin, {"Content-Type": "text/html"}),
            "/huge": huge,
            "/notxml.xml": lambda h: send(h, 200, b"<html><body>Not a feed</body></html>"),
        }
    )
    for path in ("/good.xml", "/notxml.xml", "/missing.xml"):
        room.add_feed(server.url(path))
    room.add_feed("http://127.0.0.1:9/unreachable.xml")

    report = room.fetch()

    feeds = {f.url.rsplit("/", 1)[-1]: f for f in room.store.list_feeds()}
    assert feeds["good.xml"].last_error is None and feeds["good.xml"].last_status == 200
    assert "not an RSS or Atom feed" in (feeds["notxml.xml"].last_error or "")
    assert "404" in (feeds["missing.xml"].last_error or "")
    assert feeds["missing.xml"].last_status == 404
    assert "connection refused" in (feeds["unreachable.xml"].last_error or "")
    assert report.feeds_failed == 3 and report.feeds_ok == 1

    stored = {a.url.rsplit("/", 1)[-1]: a for a in _all_articles(room)}
    assert stored["ok"].status == ArticleStatus.READY and "84 million" in stored["ok"].text
    assert stored["latin"].title == "Caf\u00e9 owners welcome the na\u00efve plan"
    assert stored["gone"].status == ArticleStatus.FAILED and "404" in (stored["gone"].error or "")
    assert stored["huge"].status == ArticleStatus.FAILED
    assert "larger than" in (stored["huge"].error or "")
    # An empty page falls back to the feed entry's own text.
    assert stored["empty"].status == ArticleStatus.READY
    assert "summary of item 2" in stored["empty"].text
    assert report.added == 3 and report.failed == 2

    # Again: nothing stored twice, nothing lost, failures retried (and still failing).
    server.routes["/ok"] = lambda h: send(h, 500)
    again = room.fetch()
    assert again.added == 0
    after = {a.url.rsplit("/", 1)[-1]: a for a in _all_articles(room)}
    assert after["ok"].text == stored["ok"].text and after["ok"].id == stored["ok"].id
    assert room.store.get_article(stored["ok"].id or 0).status == ArticleStatus.READY


def _all_articles(room: Newsroom) -> list:  # type: ignore[type-arg]
    from sqlalchemy import select

    from newsdistill.store.tables import ArticleRow

    with room.store.session() as s:
        ids = list(s.scalars(select(ArticleRow.id)))
    return room.store.get_articles(ids)


def test_ingesting_files_reports_bad_ones_clearly(room: Newsroom, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Ferry terminal to open in March\n\n" + BODY)
    report = room.ingest([str(good)])
    assert report.added == 1
    with pytest.raises(InputError, match="line 2"):
        bad = tmp_path / "bad.jsonl"
        bad.write_text('{"title": "ok", "text": "fine text here"}\n{broken\n')
        room.ingest([str(bad)])
    with pytest.raises(InputError):
        room.ingest([str(tmp_path / "missing.html")])
    assert room.store.counts()["articles"] == {"ready": 1}


def test_an_article_url_that_fails_is_recorded(server: LocalServer, room: Newsroom) -> None:
    server.routes["/a"] = lambda h: send(h, 200, page("Ferry terminal to open in March"))
    report = room.ingest([server.url("/a"), server.url("/nope")])
    assert report.added == 1 and report.failed == 1
    assert any("404" in e for e in report.errors)


def test_a_permalink_that_redirects_to_the_home_page_keeps_the_feeds_own_text(
    server: LocalServer, room: Newsroom
) -> None:
    base = server.url("")
    front = page("Velma Herald: all the news", "Welcome to the Velma Herald. " + BODY)
    server.routes.update(
        {
            "/feed.xml": lambda h: send(h, 200, rss(base, ["/2026/11/17/ferry"])),
            "/2026/11/17/ferry": lambda h: send(h, 302, b"", {"Location": base + "/"}),
            "/": lambda h: send(h, 200, front),
        }
    )
    room.add_feed(server.url("/feed.xml"))
    room.fetch()
    [article] = _all_articles(room)
    assert article.url == base + "/2026/11/17/ferry"
    assert article.status == ArticleStatus.READY
    assert article.text == "Short summary of item 0 about the harbour."
    assert "Welcome" not in article.text


@pytest.mark.parametrize(
    ("requested", "final", "home"),
    [
        ("https://a.test/2026/story", "https://a.test/", True),
        ("https://a.test/2026/story", "https://a.test/index.html", True),
        ("https://a.test/2026/story", "https://a.test/2026/story-renamed", False),
        ("https://a.test/", "https://a.test/", False),  # a feed that links its own front page
    ],
)
def test_what_counts_as_a_redirect_home(requested: str, final: str, home: bool) -> None:
    assert redirected_home(requested, final) is home
