from __future__ import annotations

import socket
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler

import pytest

from newsdistill.config import Settings
from newsdistill.errors import FetchError
from newsdistill.ingest.fetch import Fetcher, FetchResult, TransientFetchError, fetch_many
from newsdistill.retry import RetryPolicy

from .server import Handler, LocalServer, send

PAGE = b"<html><body><p>Hello from the test server.</p></body></html>"
HTML = {"Content-Type": "text/html; charset=utf-8"}


def page(handler: BaseHTTPRequestHandler) -> None:
    send(handler, 200, PAGE, HTML)


def test_fetches_a_page_with_our_user_agent(server: LocalServer, settings: Settings) -> None:
    server.routes["/page"] = page
    settings = settings.model_copy(update={"contact_url": "https://example.org/our-crawler"})
    with Fetcher(settings) as fetcher:
        result = fetcher.get(server.url("/page"))
    assert result.status == 200
    assert result.content == PAGE
    assert result.text == PAGE.decode()
    assert result.content_type == "text/html"
    assert not result.not_modified
    agent = server.last_headers["User-Agent"]
    assert agent.startswith("newsdistill/") and "+https://example.org/our-crawler" in agent


def test_follows_redirects_and_reports_the_final_url(
    server: LocalServer, settings: Settings
) -> None:
    server.routes["/page"] = page
    server.routes["/old"] = lambda h: send(h, 301, headers={"Location": "/page"})
    server.routes["/loop"] = lambda h: send(h, 302, headers={"Location": "/loop"})
    with Fetcher(settings) as fetcher:
        assert fetcher.get(server.url("/old")).url == server.url("/page")
        with pytest.raises(FetchError, match="more than 5 redirects"):
            fetcher.get(server.url("/loop"))


def test_conditional_get_returns_not_modified(server: LocalServer, settings: Settings) -> None:
    validators = {"ETag": '"v1"', "Last-Modified": "Tue, 05 Mar 2024 13:30:00 GMT"}

    def cached(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == validators["ETag"]:
            send(handler, 304, headers=validators)
        else:
            send(handler, 200, PAGE, {**HTML, **validators})

    server.routes["/cached"] = cached
    with Fetcher(settings) as fetcher:
        first = fetcher.get(server.url("/cached"))
        again = fetcher.get(
            server.url("/cached"), etag=first.etag, last_modified=first.last_modified
        )
    assert (first.etag, first.last_modified) == (validators["ETag"], validators["Last-Modified"])
    assert again.not_modified
    assert again.status == 304
    assert again.content == b""
    assert again.text == ""
    assert server.last_headers["If-Modified-Since"] == validators["Last-Modified"]


def recording(settings: Settings, waits: list[float]) -> Fetcher:
    """A Fetcher with the settings' retry policy that notes each wait instead of sleeping."""
    return Fetcher(settings, retry=replace(RetryPolicy.for_fetching(settings), sleep=waits.append))


def busy_once(server: LocalServer, path: str, status: int, retry_after: str) -> None:
    def handler(h: BaseHTTPRequestHandler) -> None:
        if server.hits[path] == 1:
            send(h, status, b"busy", {"Retry-After": retry_after})
        else:
            page(h)

    server.routes[path] = handler


def test_retries_a_503_then_succeeds(server: LocalServer, settings: Settings) -> None:
    def flaky(handler: BaseHTTPRequestHandler) -> None:
        if server.hits["/flaky"] == 1:
            send(handler, 503, b"busy")
        else:
            page(handler)

    server.routes["/flaky"] = flaky
    with Fetcher(settings) as fetcher:
        assert fetcher.get(server.url("/flaky")).content == PAGE
    assert server.hits["/flaky"] == 2


@pytest.mark.parametrize("status", [503, 429])
def test_waits_as_long_as_retry_after_says_then_retries(
    server: LocalServer, settings: Settings, status: int
) -> None:
    busy_once(server, "/busy", status, "7")
    waits: list[float] = []
    with recording(settings, waits) as fetcher:
        assert fetcher.get(server.url("/busy")).content == PAGE
    assert server.hits["/busy"] == 2
    assert waits == [7.0]  # not the 0.01 s backoff of these settings


def test_retry_after_as_an_http_date(server: LocalServer, settings: Settings) -> None:
    busy_once(server, "/busy", 503, "Thu, 01 Jan 2026 00:00:00 GMT")  # already past
    waits: list[float] = []
    with recording(settings, waits) as fetcher:
        assert fetcher.get(server.url("/busy")).content == PAGE
    assert waits == [settings.fetch_backoff]


def test_a_long_retry_after_is_capped(server: LocalServer, settings: Settings) -> None:
    busy_once(server, "/busy", 429, "3600")
    waits: list[float] = []
    with recording(settings, waits) as fetcher:
        fetcher.get(server.url("/busy"))
    assert waits == [settings.retry_max_wait]


def test_gives_up_after_the_configured_retries(server: LocalServer, settings: Settings) -> None:
    server.routes["/down"] = lambda h: send(h, 502)
    with Fetcher(settings) as fetcher, pytest.raises(TransientFetchError) as caught:
        fetcher.get(server.url("/down"))
    assert caught.value.reason == "502 Bad Gateway"
    assert server.hits["/down"] == settings.fetch_retries + 1


@pytest.mark.parametrize("retries", [0, 1, 3])
def test_backs_off_doubling_for_each_configured_retry(server: LocalServer, retries: int) -> None:
    server.routes["/down"] = lambda h: send(h, 503)
    settings = Settings(fetch_retries=retries, fetch_backoff=0.5)
    waits: list[float] = []
    with recording(settings, waits) as fetcher, pytest.raises(TransientFetchError):
        fetcher.get(server.url("/down"))
    assert server.hits["/down"] == retries + 1
    assert waits == [0.5, 1.0, 2.0][:retries]


def test_404_is_not_retried(server: LocalServer, settings: Settings) -> None:
    url = server.url("/missing")
    waits: list[float] = []
    with recording(settings, waits) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(url)
    assert caught.value.status == 404
    assert caught.value.reason == "404 Not Found"
    assert str(caught.value) == f"{url}: 404 Not Found"
    assert not isinstance(caught.value, TransientFetchError)
    assert server.hits["/missing"] == 1
    assert waits == []


def test_connection_refused_fails_fast(settings: Settings) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()
    with Fetcher(settings) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(f"http://127.0.0.1:{port}/")
    assert caught.value.reason == "connection refused"
    assert caught.value.status is None
    assert time.monotonic() - started < 2


def test_slow_server_times_out(server: LocalServer) -> None:
    server.routes["/slow"] = lambda h: time.sleep(1)
    settings = Settings(fetch_timeout=0.2, fetch_retries=0)
    with Fetcher(settings) as fetcher, pytest.raises(FetchError, match=r"timed out after 0\.2 s"):
        fetcher.get(server.url("/slow"))


def test_non_http_url_is_refused(settings: Settings) -> None:
    with Fetcher(settings) as fetcher, pytest.raises(FetchError, match="not an http"):
        fetcher.get("file:///etc/passwd")


FIFTY_MB = 50 * 1024 * 1024


def stream_50_mb(declare_length: bool) -> Handler:
    """A 50 MB body written in chunks, so it never exists in memory as a whole."""

    def handler(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/octet-stream")
        if declare_length:
            h.send_header("Content-Length", str(FIFTY_MB))
        h.end_headers()
        chunk = b"x" * 65536
        try:
            for _ in range(FIFTY_MB // len(chunk)):
                h.wfile.write(chunk)
        except OSError:
            pass  # the client hung up, as it should

    return handler


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "streamed"])
def test_oversize_response_is_aborted(
    server: LocalServer, settings: Settings, declare_length: bool
) -> None:
    server.routes["/big"] = stream_50_mb(declare_length)
    started = time.monotonic()
    with Fetcher(settings) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(server.url("/big"))
    assert caught.value.reason == "response larger than 10 MB"
    assert server.hits["/big"] == 1
    assert time.monotonic() - started < 5


CAFE = "<p>café – naïve</p>"


@pytest.mark.parametrize(
    ("content_type", "head"),
    [
        ("text/html; charset=windows-1252", ""),
        ("text/html; charset=ISO-8859-1", ""),  # decoded as windows-1252, like browsers do
        ("text/html", '<meta charset="windows-1252">'),
        ("text/html", ""),  # no declaration at all: detected
    ],
    ids=["header", "latin1-header", "meta", "undeclared"],
)
def test_decodes_windows_1252(
    server: LocalServer, settings: Settings, content_type: str, head: str
) -> None:
    body = f"<html><head>{head}</head><body>{CAFE}</body></html>".encode("cp1252")
    server.routes["/cafe"] = lambda h: send(h, 200, body, {"Content-Type": content_type})
    with Fetcher(settings) as fetcher:
        result = fetcher.get(server.url("/cafe"))
    assert CAFE in result.text


def test_fetch_many_yields_results_and_errors(server: LocalServer, settings: Settings) -> None:
    server.routes["/page"] = page
    server.routes["/other"] = page
    urls = [server.url("/page"), server.url("/other"), server.url("/missing")]
    with Fetcher(settings) as fetcher:
        results = dict(fetch_many(fetcher, urls, workers=3))
    assert set(results) == set(urls)
    assert isinstance(results[urls[0]], FetchResult)
    assert isinstance(results[urls[1]], FetchResult)
    error = results[urls[2]]
    assert isinstance(error, FetchError)
    assert error.status == 404
