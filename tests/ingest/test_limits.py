"""Fetch limits against real local servers that misbehave: trickling, redirecting forever,
compressing bombs, hogging concurrency, and the robots.txt they serve."""

from __future__ import annotations

import gzip
import threading
import time
import tracemalloc
import zlib
from functools import cache
from http.server import BaseHTTPRequestHandler

import pytest

from newsdistill.config import Settings
from newsdistill.errors import FetchError
from newsdistill.ingest.fetch import Fetcher, TransientFetchError, fetch_many
from newsdistill.ingest.robots import RobotsCache, rules_from_response

from .server import Handler, LocalServer, send

PAGE = b"<html><body><p>Hello from the test server.</p></body></html>"


def page(handler: BaseHTTPRequestHandler) -> None:
    send(handler, 200, PAGE, {"Content-Type": "text/html"})


def trickle(head: bytes, body_bytes: int = 100_000) -> Handler:
    """Sends `head` and then the rest a byte at a time, each well within the read timeout, for
    up to 20 s: only a deadline on the whole fetch stops it."""

    def handler(h: BaseHTTPRequestHandler) -> None:
        stop = time.monotonic() + 20
        try:
            for i in range(len(head) + body_bytes):
                h.wfile.write(head[i : i + 1] if i < len(head) else b"x")
                time.sleep(0.05)
                if time.monotonic() > stop:
                    return
        except OSError:
            pass  # the client gave up, as it should

    return handler


HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"


@pytest.mark.parametrize(
    "handler",
    [trickle(HEAD), trickle(HEAD[:20], 0)],  # a trickling body; trickling headers
    ids=["body", "headers"],
)
def test_a_trickling_server_hits_the_deadline(server: LocalServer, handler: Handler) -> None:
    server.routes["/slow"] = handler
    settings = Settings(fetch_timeout=1.0, fetch_read_timeout=0.5, fetch_retries=0)
    with Fetcher(settings) as fetcher, pytest.raises(TransientFetchError) as caught:
        fetcher.get(server.url("/slow"))
    assert caught.value.reason == "timed out after 1 s"


def test_a_silent_server_hits_the_read_timeout(server: LocalServer) -> None:
    server.routes["/silent"] = lambda h: time.sleep(2)
    settings = Settings(fetch_timeout=5.0, fetch_read_timeout=0.3, fetch_retries=0)
    with Fetcher(settings) as fetcher, pytest.raises(TransientFetchError) as caught:
        fetcher.get(server.url("/silent"))
    assert caught.value.reason == "timed out: no data for 0.3 s"


def test_the_run_deadline_stops_a_fetch_and_the_ones_after_it(server: LocalServer) -> None:
    server.routes["/silent"] = lambda h: time.sleep(3)
    server.routes["/page"] = page
    settings = Settings(fetch_run_deadline=0.5, fetch_timeout=5.0, fetch_read_timeout=5.0)
    with Fetcher(settings) as fetcher:
        with pytest.raises(FetchError) as stopped:
            fetcher.get(server.url("/silent"))
        with pytest.raises(FetchError) as skipped:
            fetcher.get(server.url("/page"))
    assert stopped.value.reason == "stopped: the run's 0.5 s fetch deadline passed"
    assert not isinstance(stopped.value, TransientFetchError)  # no time left for retries
    assert skipped.value.reason == "not fetched: the run's 0.5 s fetch deadline passed"
    assert server.hits["/silent"] == 1 and server.hits["/page"] == 0


def redirect_to(path: str) -> Handler:
    return lambda h: send(h, 302, headers={"Location": path})


def test_endless_redirects_stop_at_the_configured_limit(server: LocalServer) -> None:
    for i in range(10):  # each hop sends on to a new path, so no loop is ever seen
        server.routes[f"/hop{i}"] = redirect_to(f"/hop{i + 1}")
    with Fetcher(Settings(fetch_max_redirects=2)) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(server.url("/hop0"))
    assert caught.value.reason == "more than 2 redirects"
    assert [server.hits[f"/hop{i}"] for i in range(4)] == [1, 1, 1, 0]


BOMB_SIZE = 64 * 1024 * 1024


@cache
def bomb(encoding: str) -> bytes:
    """64 MB of zeros, compressed to some 64 KB."""
    zeros = bytes(BOMB_SIZE)
    return gzip.compress(zeros) if encoding == "gzip" else zlib.compress(zeros, 9)


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_decompression_bomb_is_cut_off_without_expanding(
    server: LocalServer, encoding: str
) -> None:
    body = bomb(encoding)
    assert len(body) < 1024 * 1024  # small on the wire: the wire size alone would pass it
    server.routes["/bomb"] = lambda h: send(
        h, 200, body, {"Content-Type": "text/html", "Content-Encoding": encoding}
    )
    settings = Settings(max_response_bytes=1024 * 1024, fetch_retries=0)
    tracemalloc.start()
    try:
        with Fetcher(settings) as fetcher, pytest.raises(FetchError) as caught:
            fetcher.get(server.url("/bomb"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.reason == "response larger than 1 MB"
    # Whole-read decompression (what httpx does) would hold tens of MB at once.
    assert peak < 8 * 1024 * 1024


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "identity"])
def test_compressed_pages_still_read(server: LocalServer, encoding: str) -> None:
    compress = {"gzip": gzip.compress, "deflate": zlib.compress, "identity": bytes}[encoding]
    server.routes["/page"] = lambda h: send(
        h, 200, compress(PAGE), {"Content-Type": "text/html", "Content-Encoding": encoding}
    )
    with Fetcher(Settings()) as fetcher:
        assert fetcher.get(server.url("/page")).text == PAGE.decode()
    assert server.last_headers["Accept-Encoding"] == "gzip, deflate"


def test_fetches_from_one_host_are_limited(server: LocalServer) -> None:
    in_flight = [0]
    most = [0]
    lock = threading.Lock()

    def slow_page(h: BaseHTTPRequestHandler) -> None:
        with lock:
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
        time.sleep(0.3)
        with lock:
            in_flight[0] -= 1
        page(h)

    urls = [server.url(f"/p{i}") for i in range(6)]
    for i in range(6):
        server.routes[f"/p{i}"] = slow_page
    with Fetcher(Settings(fetch_per_host=2)) as fetcher:
        results = dict(fetch_many(fetcher, urls, workers=6))
    assert all(not isinstance(r, FetchError) for r in results.values())
    assert most[0] == 2


# --- robots.txt -----------------------------------------------------------------------------


def robots(server: LocalServer, text: str, status: int = 200) -> None:
    server.routes["/robots.txt"] = lambda h: send(
        h, status, text.encode(), {"Content-Type": "text/plain"}
    )


def test_robots_txt_is_honoured_and_read_once(server: LocalServer) -> None:
    robots(server, "User-agent: *\nDisallow: /private/\n")
    server.routes["/public"] = page
    server.routes["/private/page"] = page
    with Fetcher(Settings(fetch_retries=0)) as fetcher:
        assert fetcher.get(server.url("/public")).content == PAGE
        assert fetcher.get(server.url("/public")).content == PAGE
        with pytest.raises(FetchError) as caught:
            fetcher.get(server.url("/private/page"))
    assert caught.value.reason == "disallowed by the site's robots.txt"
    assert server.hits["/private/page"] == 0
    assert server.hits["/robots.txt"] == 1


def test_a_shared_robots_cache_spans_fetch_runs_and_expires_after_a_day(
    server: LocalServer,
) -> None:
    robots(server, "User-agent: *\nAllow: /\n")
    server.routes["/public"] = page
    now = [0.0]
    shared = RobotsCache(clock=lambda: now[0])
    for _ in range(2):  # two fetch runs, as `watch` makes one per poll
        with Fetcher(Settings(fetch_retries=0), robots=shared) as fetcher:
            fetcher.get(server.url("/public"))
    assert server.hits["/robots.txt"] == 1
    now[0] = shared.max_age  # a day later the site's rules are asked for again
    with Fetcher(Settings(fetch_retries=0), robots=shared) as fetcher:
        fetcher.get(server.url("/public"))
    assert server.hits["/robots.txt"] == 2


def test_robots_rules_for_our_agent_apply(server: LocalServer) -> None:
    robots(server, "User-agent: newsdistill\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    server.routes["/public"] = page
    with Fetcher(Settings()) as fetcher, pytest.raises(FetchError, match=r"robots\.txt"):
        fetcher.get(server.url("/public"))
    assert server.hits["/public"] == 0


def test_robots_can_be_turned_off(server: LocalServer) -> None:
    robots(server, "User-agent: *\nDisallow: /\n")
    server.routes["/public"] = page
    with Fetcher(Settings(fetch_robots=False)) as fetcher:
        assert fetcher.get(server.url("/public")).content == PAGE
    assert server.hits["/robots.txt"] == 0


def test_a_failing_robots_txt_disallows(server: LocalServer) -> None:
    robots(server, "", status=503)
    server.routes["/public"] = page
    with Fetcher(Settings()) as fetcher, pytest.raises(FetchError, match=r"robots\.txt"):
        fetcher.get(server.url("/public"))
    assert server.hits["/public"] == 0


@pytest.mark.parametrize(
    ("status", "text", "allowed"),
    [
        (200, "User-agent: *\nDisallow: /x\n", False),
        (200, "User-agent: other\nDisallow: /\n", True),
        (200, "", True),
        (404, "", True),  # no robots.txt: everything allowed
        (401, "", True),  # RFC 9309: any 4xx means "unavailable", so allowed
        (500, "", False),  # "unreachable": nothing may be assumed allowed
        (503, "", False),
    ],
)
def test_what_a_robots_answer_means(status: int, text: str, allowed: bool) -> None:
    assert rules_from_response(status, text).can_fetch("newsdistill", "https://a.example/x") is (
        allowed
    )
