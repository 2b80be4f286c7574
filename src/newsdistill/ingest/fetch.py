"""HTTP fetching: bounded size, conditional GET, decoding to text, retries by newsdistill.retry."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType

import httpx

from newsdistill.config import Settings
from newsdistill.errors import FetchError
from newsdistill.ingest.encoding import decode_bytes
from newsdistill.retry import RetryPolicy, Transient, parse_retry_after

MAX_REDIRECTS = 5
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


class TransientFetchError(FetchError, Transient):
    """A failure that may pass (network trouble, timeout, 429, 5xx): worth retrying later."""

    def __init__(
        self, url: str, reason: str, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(url, reason, status)
        self.retry_after = retry_after


class Fetcher:
    """Fetches URLs over one shared (thread-safe) httpx client; use as a context manager.

    `retry` defaults to the fetch policy of `settings` (fetch_retries, fetch_backoff).
    """

    def __init__(
        self,
        settings: Settings,
        client: httpx.Client | None = None,
        *,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.settings = settings
        self.retry = retry or RetryPolicy.for_fetching(settings)
        self._owns_client = client is None
        self._client = client or httpx.Client(
            headers={"User-Agent": settings.user_agent, "Accept": ACCEPT},
            timeout=httpx.Timeout(settings.fetch_timeout),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
        )

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
        if self._owns_client:
            self._client.close()

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET `url`, retrying transient failures; a 304 gives `not_modified=True`.

        Raises FetchError with a short reason such as "404 Not Found" or "connection refused".
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self.retry.call(lambda: self._get_once(url, headers))

    def _get_once(self, url: str, headers: dict[str, str]) -> FetchResult:
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                return self._result(url, response)
        except httpx.TimeoutException:
            raise self._timed_out(url) from None
        except httpx.UnsupportedProtocol:
            raise FetchError(url, "not an http(s) URL") from None
        except httpx.TransportError as exc:
            raise TransientFetchError(url, _network_reason(exc)) from None
        except httpx.TooManyRedirects:
            raise FetchError(url, f"more than {MAX_REDIRECTS} redirects") from None
        except httpx.DecodingError:
            raise FetchError(url, "response could not be decompressed") from None
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"invalid URL: {exc}") from None

    def _timed_out(self, url: str) -> TransientFetchError:
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
            content = self._read_body(url, response)
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
        )

    def _read_body(self, url: str, response: httpx.Response) -> bytes:
        limit = self.settings.max_response_bytes
        too_large = FetchError(url, f"response larger than {round(limit / 2**20, 1):g} MB")
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_large
        deadline = time.monotonic() + self.settings.fetch_timeout
        chunks: list[bytes] = []
        size = 0
        # iter_bytes yields decompressed bytes, so this also stops gzip bombs.
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise too_large
            # httpx's timeout is per read; this bounds a server that trickles bytes forever.
            if time.monotonic() > deadline:
                raise self._timed_out(url)
            chunks.append(chunk)
        return b"".join(chunks)


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
