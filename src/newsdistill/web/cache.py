"""Rendered pages and feeds, kept while the store shows the same thing.

Rendering a story page takes tens of milliseconds and a feed renders every digest, so under
load the reader serves each body it has rendered until the store's revision (a marker of what
the pages show, read from the database: `Store.revision`) moves on. `watch` writes from
another process, which is why the marker is read from the database rather than counted here.

Each entry is keyed by what decides the body: the base URL (links are absolute), the route
and its normalised parameters. The cache is a bounded LRU shared by the server's threads; one
thread renders a page while the others asking for it are given the body it replaces (or, for a
page never rendered, wait for that render instead of repeating it): with watch saving a change
every few seconds, the readers would otherwise queue behind each change's renders. The ETag
names the revision and the key, so a feed reader's `If-None-Match` is answered with 304
without sending the body again.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field

from fastapi import Request, Response


@dataclass(frozen=True)
class Rendered:
    """A response's body with what is sent alongside it."""

    body: bytes
    media_type: str
    headers: Mapping[str, str] = field(default_factory=dict)

    def response(self, headers: Mapping[str, str] | None = None) -> Response:
        """The response, with `headers` besides the body's own."""
        return Response(
            self.body, media_type=self.media_type, headers={**self.headers, **(headers or {})}
        )


class RenderCache:
    """At most `entries` rendered bodies, each with the revision it was rendered at."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self.renders = 0  # how many bodies were rendered, hits not counted
        self._lock = threading.Lock()
        self._bodies: OrderedDict[Hashable, tuple[str, Rendered]] = OrderedDict()
        self._rendering: dict[Hashable, threading.Lock] = {}  # held by the thread rendering

    def get(
        self, key: Hashable, revision: str, render: Callable[[], Rendered]
    ) -> tuple[str, Rendered]:
        """The body for `key` and the revision it was rendered at: the one kept if it is of
        `revision`, else rendered by `render`. While one thread renders a page anew, the others
        asking for it are given the body it replaces (older by one render, instead of making
        every reader wait after each change); a page never rendered yet, they wait for. The
        caller reads `revision` before anything `render` reads, so a body is never older than
        the revision it is kept under (at worst newer, and rendered once more next time)."""
        with self._lock:
            kept = self._kept(key, revision)
            if kept is not None:
                return kept
            rendering = self._rendering.get(key)
            mine = rendering is None
            if rendering is None:
                rendering = self._rendering[key] = threading.Lock()
                rendering.acquire()
        if not mine:
            with rendering:  # the page's first render, by another thread
                pass
            with self._lock:
                kept = self._bodies.get(key)
            return kept if kept is not None else self.get(key, revision, render)  # it failed
        try:
            rendered = render()
            with self._lock:
                self.renders += 1
                self._bodies[key] = (revision, rendered)
                self._bodies.move_to_end(key)
                while len(self._bodies) > self.entries:
                    self._bodies.popitem(last=False)
            return revision, rendered
        finally:
            with self._lock:
                del self._rendering[key]
            rendering.release()

    def kept(self, key: Hashable, revision: str) -> tuple[str, Rendered] | None:
        """What `get` gives at once, without rendering or waiting; None: it would render."""
        with self._lock:
            return self._kept(key, revision)

    def _kept(self, key: Hashable, revision: str) -> tuple[str, Rendered] | None:
        kept = self._bodies.get(key)
        if kept is None or (kept[0] != revision and key not in self._rendering):
            return None
        self._bodies.move_to_end(key)
        return kept


class Revision:
    """The store's revision as `read` gives it, read at most once per `max_age` seconds by all
    the server's threads together (0: at every request). Reading it costs a query over several
    tables, which under load cost more than serving the kept page; with a max age a page may
    show a change that long after it was stored."""

    def __init__(
        self,
        read: Callable[[], str],
        max_age: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._read = read
        self.max_age = max_age
        self._clock = clock
        self._reading = threading.Lock()
        self._known: tuple[str, float] | None = None  # the revision and when its read began

    def known(self) -> str | None:
        """The revision if it was read less than `max_age` ago, without reading it."""
        known = self._known
        if known is None or self._clock() - known[1] >= self.max_age:
            return None
        return known[0]

    def current(self) -> str:
        if self.max_age <= 0:
            return self._read()
        revision = self.known()
        if revision is not None:
            return revision
        with self._reading:  # one thread reads; the others waiting here then take its answer
            revision = self.known()
            if revision is None:
                began = self._clock()  # before the read: a write during it is seen next time
                revision = self._read()
                self._known = (revision, began)
            return revision


class Revisions:
    """A `Revision` per scope: None for what the whole site shows (front page, feeds), a story
    id for that story's own pages, so that a change elsewhere leaves a story's pages kept.
    At most `scopes` are remembered, the least recently asked for forgotten first."""

    def __init__(
        self,
        read: Callable[[str | None], str],
        max_age: float,
        clock: Callable[[], float] = time.monotonic,
        scopes: int = 4096,
    ) -> None:
        self._read = read
        self.max_age = max_age
        self._clock = clock
        self._scopes = scopes
        self._lock = threading.Lock()
        self._each: OrderedDict[str | None, Revision] = OrderedDict()

    def of(self, scope: str | None = None) -> Revision:
        with self._lock:
            revision = self._each.get(scope)
            if revision is None:
                revision = Revision(lambda: self._read(scope), self.max_age, self._clock)
                self._each[scope] = revision
                while len(self._each) > self._scopes:
                    self._each.popitem(last=False)
            self._each.move_to_end(scope)
            return revision


def respond(
    request: Request,
    cache: RenderCache,
    revision: str,
    key: tuple[Hashable, ...],
    render: Callable[[], Rendered],
) -> Response:
    """The cached (or newly rendered) response for the request's path with `key` (its
    normalised parameters), or 304 Not Modified when `If-None-Match` names its ETag."""
    full_key = _full_key(request, key)
    if _matches(request.headers.get("if-none-match"), _etag(revision, full_key)):
        return Response(status_code=304, headers=_validators(revision, full_key))
    return _answer(request, full_key, *cache.get(full_key, revision, render))


def respond_kept(
    request: Request, cache: RenderCache, revision: str | None, key: tuple[Hashable, ...]
) -> Response | None:
    """`respond`'s answer when it needs neither a render nor a wait (nor, with `revision`
    None, a read of the revision); None otherwise. Cheap enough for the event loop itself."""
    if revision is None:
        return None
    full_key = _full_key(request, key)
    kept = cache.kept(full_key, revision)
    return None if kept is None else _answer(request, full_key, *kept)


def _full_key(request: Request, key: tuple[Hashable, ...]) -> tuple[Hashable, ...]:
    return (str(request.base_url), request.url.path, *key)


def _answer(request: Request, full_key: Hashable, rendered_at: str, rendered: Rendered) -> Response:
    validators = _validators(rendered_at, full_key)
    if _matches(request.headers.get("if-none-match"), validators["ETag"]):
        return Response(status_code=304, headers=validators)
    return rendered.response(validators)


def _etag(revision: str, key: Hashable) -> str:
    return '"' + hashlib.blake2b(repr((revision, key)).encode(), digest_size=12).hexdigest() + '"'


def _validators(revision: str, key: Hashable) -> dict[str, str]:
    # no-cache: a client may keep the body, and asks again (cheaply, by its ETag) each time.
    return {"ETag": _etag(revision, key), "Cache-Control": "no-cache"}


def _matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names `etag` (weak comparison, as RFC 9110 asks)."""
    if not if_none_match:
        return False
    tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in tags or etag in tags
