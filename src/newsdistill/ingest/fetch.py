"""HTTP fetching of untrusted URLs: the address guard, limits, robots.txt, conditional GET,
decoding to text; retries by newsdistill.retry. docs/security.md lists what each limit stops.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType
from urllib.parse import urlsplit

import httpcore
import httpx

from newsdistill.config import Settings
from newsdistill.errors import BlockedAddressError, FetchError
from newsdistill.ingest.body import ACCEPT_ENCODING, read_capped, too_large
from newsdistill.ingest.encoding import decode_bytes
from newsdistill.ingest.netguard import (
    AllowList,
    GuardedBackend,
    GuardedTransport,
    Resolver,
    deadline,
    system_resolver,
)
from newsdistill.ingest.robots import MAX_ROBOTS_BYTES, RobotsCache
from newsdistill.retry import RetryPolicy, Transient, parse_retry_after

ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,*/*;q=0.8"
)


@dataclass
class FetchResult:
    url: str  # final URL, after redirects
    status: int
    content: bytes
    text: str
    content_type: str | None  # media type only, lower case, e.g. "text/html"
    etag: str | None
    last_modified: str | None
    not_modified: bool
    # Seconds the server says the response stays fresh (Cache-Control max-age), if it said
    max_age: float | None = None


class TransientFetchError(FetchError, Transient):
    """A failure that may pass (network trouble, timeout, 429, 5xx): worth retrying later."""

    def __init__(
        self, url: str, reason: str, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(url, reason, status)
        self.retry_after = retry_after


class Fetcher:
    """Fetches URLs over one shared (thread-safe) guarded client; use as a context manager.

    One Fetcher is one fetch run: its deadline (`fetch_run_deadline`) starts when it is made.
    robots.txt answers are kept in `robots`, a fresh cache unless the caller shares one across
    runs (as `watch` does). `retry` defaults to the fetch policy of
    `settings`; `resolver` (host, port → addresses) and `backend` (the raw connections) are
    replaceable so tests need no DNS and can see every connection attempt.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        retry: RetryPolicy | None = None,
        resolver: Resolver = system_resolver,
        backend: httpcore.NetworkBackend | None = None,
        robots: RobotsCache | None = None,
    ) -> None:
        self.settings = settings
        self.retry = retry or RetryPolicy.for_fetching(settings)
        self.run_ends = time.monotonic() + settings.fetch_run_deadline
        network = GuardedBackend(
            AllowList.parse(settings.fetch_allow), resolver, backend or httpcore.SyncBackend()
        )
        self._client = httpx.Client(
            transport=GuardedTransport(network, httpx.Limits()),
            headers={
                "User-Agent": settings.http_user_agent(),
                "Accept": ACCEPT,
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            timeout=httpx.Timeout(
                settings.fetch_read_timeout, connect=settings.fetch_connect_timeout
            ),
            follow_redirects=True,
            max_redirects=settings.fetch_max_redirects,
            trust_env=False,
        )
        self._robots = (robots or RobotsCache()) if settings.fetch_robots else None
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._hosts_lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET `url`, retrying transient failures; a 304 gives `not_modified=True`.

        Raises FetchError with a short reason such as "404 Not Found" or "connection refused";
        BlockedAddressError when the URL or a redirect leads to a non-public address.
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self.retry.call(lambda: self._attempt(url, headers))

    def _attempt(self, url: str, headers: dict[str, str]) -> FetchResult:
        with self._host_slot(url):
            if time.monotonic() >= self.run_ends:
                raise FetchError(url, f"not fetched: the run's {self._run_limit()} passed")
            ends = min(time.monotonic() + self.settings.fetch_timeout, self.run_ends)
            with deadline(ends), self._mapped_errors(url, ends):
                if self._robots is not None and not self._robots.allows(url, self._get_robots):
                    raise FetchError(url, "disallowed by the site's robots.txt")
                with self._client.stream("GET", url, headers=headers) as response:
                    return self._result(url, response)

    def _host_slot(self, url: str) -> threading.BoundedSemaphore:
        """The semaphore that keeps fetches from one host to `fetch_per_host` at a time."""
        host = (urlsplit(url).hostname or "").lower()
        with self._hosts_lock:
            return self._hosts.setdefault(
                host, threading.BoundedSemaphore(max(self.settings.fetch_per_host, 1))
            )

    def _get_robots(self, robots_url: str) -> tuple[int, str]:
        with self._client.stream("GET", robots_url) as response:
            if not response.is_success:
                return response.status_code, ""
            body = self._read_body(robots_url, response, MAX_ROBOTS_BYTES)
            return response.status_code, decode_bytes(body, response.charset_encoding)

    def _run_limit(self) -> str:
        return f"{self.settings.fetch_run_deadline:g} s fetch deadline"

    @contextmanager
    def _mapped_errors(self, url: str, ends: float) -> Iterator[None]:
        """httpx's exceptions as FetchErrors that name `url` and say what went wrong."""
        try:
            yield
        except BlockedAddressError as exc:  # raised where the connection was refused
            raise BlockedAddressError(url, exc.reason) from None
        except httpx.TimeoutException as exc:
            raise self._timed_out(url, exc, ends) from None
        except httpx.UnsupportedProtocol:
            raise FetchError(url, "not an http(s) URL") from None
        except httpx.TransportError as exc:
            raise TransientFetchError(url, _network_reason(exc)) from None
        except httpx.TooManyRedirects:
            limit = self.settings.fetch_max_redirects
            raise FetchError(url, f"more than {limit} redirects") from None
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"invalid URL: {exc}") from None

    def _timed_out(self, url: str, exc: httpx.TimeoutException, ends: float) -> FetchError:
        if time.monotonic() < ends:
            if isinstance(exc, httpx.ConnectTimeout):
                limit = self.settings.fetch_connect_timeout
                return TransientFetchError(url, f"connect timed out after {limit:g} s")
            limit = self.settings.fetch_read_timeout
            return TransientFetchError(url, f"timed out: no data for {limit:g} s")
        if ends >= self.run_ends:  # no time left to try again
            return FetchError(url, f"stopped: the run's {self._run_limit()} passed")
        return TransientFetchError(url, f"timed out after {self.settings.fetch_timeout:g} s")

    def _result(self, url: str, response: httpx.Response) -> FetchResult:
        status = response.status_code
        if status == HTTPStatus.NOT_MODIFIED:
            content = b""
        elif status == HTTPStatus.TOO_MANY_REQUESTS or status >= 500:
            wait = parse_retry_after(response.headers)
            raise TransientFetchError(url, _status_reason(response), status, wait)
        elif not response.is_success:
            raise FetchError(url, _status_reason(response), status)
        else:
            content = self._read_body(url, response, self.settings.max_response_bytes)
        content_type = response.headers.get("Content-Type")
        return FetchResult(
            url=str(response.url),
            status=status,
            content=content,
            text=decode_bytes(content, response.charset_encoding) if content else "",
            content_type=content_type.split(";")[0].strip().lower() if content_type else None,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            not_modified=status == HTTPStatus.NOT_MODIFIED,
            max_age=parse_max_age(response.headers),
        )

    def _read_body(self, url: str, response: httpx.Response, limit: int) -> bytes:
        declared = response.headers.get("Content-Length", "")
        encoding = response.headers.get("Content-Encoding")
        if declared.isdigit() and int(declared) > limit:
            raise too_large(url, limit)
        return read_capped(url, response.iter_raw(), encoding, limit)


def fetch_many(
    fetcher: Fetcher, urls: Iterable[str], *, workers: int
) -> Iterator[tuple[str, FetchResult | FetchError]]:
    """Fetch `urls` concurrently, yielding (url, result or error) as each finishes.

    Stopping iteration early cancels fetches that have not started.
    """

    def fetch(url: str) -> FetchResult | FetchError:
        try:
            return fetcher.get(url)
        except FetchError as exc:
            return exc

    pool = ThreadPoolExecutor(max_workers=max(workers, 1), thread_name_prefix="fetch")
    try:
        futures: dict[Future[FetchResult | FetchError], str] = {
            pool.submit(fetch, url): url for url in urls
        }
        for future in as_completed(futures):
            yield futures[future], future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def parse_max_age(headers: Mapping[str, str]) -> float | None:
    """Seconds from Cache-Control's max-age (s-maxage ignored: we are a private cache), or
    None; no-cache / no-store say nothing about how soon to come back, so they give None."""
    for directive in headers.get("Cache-Control", "").split(","):
        name, _, value = directive.strip().partition("=")
        if name.lower() == "max-age" and value.strip().strip('"').isdigit():
            return float(value.strip().strip('"'))
    return None


def _status_reason(response: httpx.Response) -> str:
    phrase = response.reason_phrase
    if not phrase:
        try:
            phrase = HTTPStatus(response.status_code).phrase
        except ValueError:
            phrase = "HTTP error"
    return f"{response.status_code} {phrase}"


def _network_reason(exc: httpx.TransportError) -> str:
    message = str(exc) or type(exc).__name__
    lowered = message.lower()
    if "refused" in lowered:
        return "connection refused"
    if any(s in lowered for s in ("name or service", "nodename nor servname", "name resolution")):
        return "host not found"
    if "certificate" in lowered:
        return "TLS certificate verification failed"
    return f"network error: {message}"
