"""`newsdistill serve` under load (`newsdistill bench-serve`), against the same pages as static
files, while `newsdistill watch` ingests into the same store.

Everything runs as it would in use, each in its own process: the app is the real `newsdistill
serve` command (uvicorn, one process), `watch` the real `newsdistill watch` command with short
intervals, and the load comes from `wrk` (Debian's package). The baseline serves the site that
`newsdistill export` writes from the same store with the standard library's file server (a
thread per connection), set up to keep connections alive as uvicorn does (`serve_static`).
Each page kind gets its own wrk run of `clients` connections
for `duration` seconds; a wrk Lua script rotates through the kind's paths and prints one JSON
line of figures, which is what is parsed (never wrk's human-readable text).

While the app is loaded, a feed server on 127.0.0.1 (a thread of this process) publishes one
more article every few seconds, taken from a variant of the demo corpus (see evaluation.bench)
so that none of them is already stored; the number of articles that reached the store during
the load shows that ingestion really happened. The static baseline runs without `watch`.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from newsdistill.config import Settings
from newsdistill.demo import BASE_PLACEHOLDER, CORPUS, run_demo
from newsdistill.demo_corpus import build
from newsdistill.errors import NewsdistillError
from newsdistill.pipeline import Newsroom
from newsdistill.publish.site import ATOM_FILE, JSON_FEED_FILE
from newsdistill.store import Store

# Issue #16: story pages answer within 100 ms at the 95th percentile on 2 cores.
TARGET_STORY_P95_MS = 100.0
STORY_PATHS = 8  # story pages a run rotates through
# wrk's default of 2 s would count a slow page as an error instead of measuring it.
WRK_TIMEOUT_S = 10
STARTUP_TIMEOUT_S = 120.0
FEED_PATH = "/feed.xml"
# A variant of the demo corpus unlike the stored one (evaluation.bench), oldest first.
FEED_VARIANT = 1
FEED_OUTLET = "mpa"  # whose RSS format and feed content (the lede) the growing feed uses
# The app's runs share the variant's articles, so that the feed grows until the last run ends.
APP_KINDS = 3

# The wrk script: `request` rotates through the paths given after `--`, `response` counts the
# answers outside 2xx (wrk itself counts only statuses >= 400), and `done` prints the figures
# as one JSON line. `non_2xx` is global so that the main state can read each thread's count.
WRK_SCRIPT = """\
non_2xx = 0
local paths = {}
local next_path = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for i = 1, #args do
    paths[i] = args[i]
  end
end

function request()
  next_path = next_path % #paths + 1
  return wrk.format(nil, paths[next_path])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non_2xx")
  end
  local e = summary.errors
  io.write("\\n" .. string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "non_2xx": %d, "connect": %d, '
      .. '"read": %d, "write": %d, "timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
      .. '"max_us": %d}\\n',
    summary.requests, summary.duration, summary.bytes, bad, e.connect, e.read, e.write,
    e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max))
end
"""


# --- figures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WrkFigures:
    """One wrk run, as its script's `done` reported it (times in µs)."""

    requests: int
    duration_us: int
    bytes: int
    non_2xx: int
    connect_errors: int
    read_errors: int
    write_errors: int
    timeouts: int
    p50_us: int
    p95_us: int
    p99_us: int
    max_us: int

    @property
    def socket_errors(self) -> int:
        return self.connect_errors + self.read_errors + self.write_errors + self.timeouts

    @property
    def errors(self) -> int:
        return self.socket_errors + self.non_2xx

    @property
    def requests_per_s(self) -> float:
        return self.requests / (self.duration_us / 1e6) if self.duration_us else 0.0


def parse_wrk_output(stdout: str) -> WrkFigures:
    """The figures of the JSON line the script's `done` printed after wrk's own text."""
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise NewsdistillError("wrk printed no JSON line: was it run with the bench script?")
    raw: dict[str, int] = json.loads(lines[-1])
    return WrkFigures(
        requests=raw["requests"],
        duration_us=raw["duration_us"],
        bytes=raw["bytes"],
        non_2xx=raw["non_2xx"],
        connect_errors=raw["connect"],
        read_errors=raw["read"],
        write_errors=raw["write"],
        timeouts=raw["timeout"],
        p50_us=raw["p50_us"],
        p95_us=raw["p95_us"],
        p99_us=raw["p99_us"],
        max_us=raw["max_us"],
    )


@dataclass(frozen=True)
class LoadRun:
    server: str  # "app" (newsdistill serve) or "static"
    kind: str  # "front", "story" or "feeds"
    paths: tuple[str, ...]
    figures: WrkFigures

    def row(self) -> dict[str, Any]:
        f = self.figures
        return {
            "server": self.server,
            "pages": self.kind,
            "paths": len(self.paths),
            "requests": f.requests,
            "req/s": f.requests_per_s,
            "p50 ms": f.p50_us / 1000,
            "p95 ms": f.p95_us / 1000,
            "p99 ms": f.p99_us / 1000,
            "socket errors": f.socket_errors,
            "non-2xx": f.non_2xx,
        }


@dataclass(frozen=True)
class Ratio:
    """The app against the static files for one page kind: below 1 for req/s and above 1 for
    p95 mean the app is slower."""

    kind: str
    requests_per_s: float
    p95: float

    def row(self) -> dict[str, Any]:
        return {
            "pages": self.kind,
            "req/s app/static": self.requests_per_s,
            "p95 app/static": self.p95,
        }


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


def ratios(runs: Sequence[LoadRun]) -> list[Ratio]:
    """App over static for every page kind that has both runs, in the app's order."""
    static = {r.kind: r.figures for r in runs if r.server == "static"}
    return [
        Ratio(
            r.kind,
            _ratio(r.figures.requests_per_s, static[r.kind].requests_per_s),
            _ratio(r.figures.p95_us, static[r.kind].p95_us),
        )
        for r in runs
        if r.server == "app" and r.kind in static
    ]


@dataclass(frozen=True)
class WatchActivity:
    articles_before: int
    articles_after: int
    feed_polls: int  # requests for the growing feed during the load
    published: int  # articles the feed listed by the end

    @property
    def ingested(self) -> int:
        return self.articles_after - self.articles_before


@dataclass
class LoadReport:
    clients: int
    duration_s: int
    cores: int
    runs: list[LoadRun] = field(default_factory=list)
    watch: WatchActivity | None = None

    @property
    def ratios(self) -> list[Ratio]:
        return ratios(self.runs)

    @property
    def errors(self) -> int:
        return sum(r.figures.errors for r in self.runs)

    def story_p95_ms(self) -> float | None:
        story = [r.figures.p95_us for r in self.runs if r.server == "app" and r.kind == "story"]
        return story[0] / 1000 if story else None

    def as_dict(self) -> dict[str, Any]:
        watch = self.watch
        return {
            "clients": self.clients,
            "duration_s": self.duration_s,
            "cores": self.cores,
            "runs": [r.row() for r in self.runs],
            "ratios": [r.row() for r in self.ratios],
            "errors": self.errors,
            "watch": None
            if watch is None
            else {
                "ingested": watch.ingested,
                "feed_polls": watch.feed_polls,
                "published": watch.published,
            },
            "story_p95_ms": self.story_p95_ms(),
            "target_story_p95_ms": TARGET_STORY_P95_MS,
        }


# --- processes -----------------------------------------------------------------------------


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise NewsdistillError("wrk is not installed: apt-get install wrk")
    return found


def free_ports(n: int) -> list[int]:
    """`n` distinct ports of 127.0.0.1 that nothing listens on."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(n)]
        for sock in sockets:  # bound together, so no two get the same port
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in sockets]


def _wait_until_up(url: str, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        if process.poll() is not None:
            raise NewsdistillError(f"{what} exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise NewsdistillError(f"{what} did not answer {url} within {STARTUP_TIMEOUT_S:.0f} s")
        time.sleep(0.2)


@contextlib.contextmanager
def _process(
    args: Sequence[str], env: Mapping[str, str], log: Path, what: str
) -> Iterator[subprocess.Popen[bytes]]:
    """A subprocess that is stopped with SIGTERM (killed if it will not stop) on leaving."""
    with log.open("wb") as out:
        process = subprocess.Popen(args, env=dict(env), stdout=out, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(60)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
    if process.returncode not in (0, -signal.SIGTERM):
        raise NewsdistillError(f"{what} exited with status {process.returncode} (see {log})")


def run_wrk(
    base_url: str, paths: Sequence[str], *, clients: int, duration_s: int, script: Path
) -> WrkFigures:
    threads = max(1, min(clients, os.cpu_count() or 1))
    args = [
        wrk_binary(),
        f"--threads={threads}",
        f"--connections={clients}",
        f"--duration={duration_s}s",
        f"--timeout={WRK_TIMEOUT_S}s",
        f"--script={script}",
        base_url,
        "--",
        *paths,
    ]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise NewsdistillError(f"wrk failed: {done.stderr.strip() or done.stdout.strip()}")
    return parse_wrk_output(done.stdout)


class _StaticHandler(SimpleHTTPRequestHandler):
    # Keep-alive as uvicorn does; without TCP_NODELAY the body, written after the headers,
    # would wait for the client's delayed ACK (40 ms on Linux) on every kept-alive request.
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        """Keep per-request lines out of the log."""


class _StaticServer(ThreadingHTTPServer):
    # All clients connect at once: the default listen backlog of 5 would drop their SYNs,
    # which the kernel resends only after a second.
    request_queue_size = 128
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """wrk resets its connections when a run ends: no traceback for each of those."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve_static(directory: str, port: int) -> None:
    """The baseline: the standard library's file server (a thread per connection) on
    127.0.0.1:`port` until SIGTERM. Run in a process of its own by `run_load_test`."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with _StaticServer(("127.0.0.1", port), partial(_StaticHandler, directory=directory)) as server:
        server.serve_forever()


# --- the growing feed ----------------------------------------------------------------------


class GrowingFeed:
    """An RSS feed on 127.0.0.1 that lists one more article every `every` seconds from
    `start()` on (none before), and serves the articles' pages."""

    def __init__(self, articles: Sequence[build.Article], every: float) -> None:
        self.articles = sorted(articles, key=lambda a: a.published)
        self.every = every
        self.started: float | None = None
        self.polls = 0
        self._lock = threading.Lock()
        outlets = build.load_outlets(CORPUS / "outlets.json")
        self._outlet = outlets[FEED_OUTLET]
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = feed._answer(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, format: str, *args: object) -> None:
                """Keep per-request lines out of the benchmark's output."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._pages = {
            a.url_path: self._fill(build.render_article_page(outlets[a.outlet], a, ()))
            for a in self.articles
        }

    def _fill(self, text: str) -> bytes:
        return text.encode().replace(BASE_PLACEHOLDER, self.base.encode())

    def published(self) -> int:
        with self._lock:
            if self.started is None:
                return 0
            return min(len(self.articles), 1 + int((time.monotonic() - self.started) / self.every))

    def _answer(self, path: str) -> bytes | None:
        if path != FEED_PATH:
            return self._pages.get(path)
        with self._lock:
            self.polls += 1
        return self._fill(build.render_feed(self._outlet, self.articles[: self.published()]))

    def start(self) -> int:
        """Start publishing; returns the polls so far."""
        with self._lock:
            self.started = time.monotonic()
            return self.polls

    def __enter__(self) -> GrowingFeed:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def feed_articles() -> list[build.Article]:
    from newsdistill.evaluation.bench import variant  # loads the pipeline's stages

    return variant(FEED_VARIANT)


# --- the benchmark -------------------------------------------------------------------------


def _copy_sqlite(url: str, to: Path) -> str:
    """A copy of the SQLite store at `url` (the benchmark's watch writes into what it serves)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        raise NewsdistillError(f"bench-serve needs a SQLite store (sqlite:///PATH), not {url}")
    source = Path(url.removeprefix(prefix))
    if not source.is_file():
        raise NewsdistillError(f"no SQLite store at {source}")
    with (
        contextlib.closing(sqlite3.connect(source)) as src,
        contextlib.closing(sqlite3.connect(to)) as dst,
    ):
        src.backup(dst)
    return f"{prefix}{to}"


def page_sets(store: Store) -> dict[str, tuple[str, ...]]:
    """The paths of each page kind; the same on the app and in the exported site."""
    stories = [d.story_id for d in store.latest_digests(STORY_PATHS)]
    if not stories:
        raise NewsdistillError("the store has no digests to serve")
    return {
        "front": ("/",),
        "story": tuple(f"/stories/{s}.html" for s in stories),
        "feeds": (f"/{ATOM_FILE}", f"/{JSON_FEED_FILE}"),
    }


def _article_count(store: Store) -> int:
    by_status: dict[str, int] = store.counts()["articles"]
    return sum(by_status.values())


def _warm(base_url: str, paths: Sequence[str]) -> None:
    """One request per path first: the measured runs should not include first-use costs."""
    for path in paths:
        with urllib.request.urlopen(base_url + path, timeout=60) as answer:
            answer.read()


def run_load_test(
    settings: Settings,
    *,
    clients: int = 50,
    duration_s: int = 30,
    db: str | None = None,
    watch: bool = True,
    work_dir: Path | None = None,
) -> LoadReport:
    """Load the app, with `watch` ingesting unless `watch` is False, then the static site."""
    wrk_binary()
    with contextlib.ExitStack() as stack:
        if work_dir is None:
            work_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="loadtest-")))
        if db is None:
            db = run_demo(work_dir / "demo", settings).db_url
        db = _copy_sqlite(db, work_dir / "served.db")
        script = work_dir / "report.lua"
        script.write_text(WRK_SCRIPT, encoding="utf-8")
        store = stack.enter_context(contextlib.closing(Store.open(db)))
        sets = page_sets(store)
        room = Newsroom(settings.model_copy(update={"db": db}), store)
        room.export(work_dir / "site")

        env = os.environ | {"NEWSDISTILL_HOME": str(work_dir), "NEWSDISTILL_DB": db}
        report = LoadReport(clients, duration_s, os.cpu_count() or 1)

        def load(server: str, base: str) -> None:
            for kind, paths in sets.items():
                _warm(base, paths)
                figures = run_wrk(
                    base, paths, clients=clients, duration_s=duration_s, script=script
                )
                report.runs.append(LoadRun(server, kind, paths, figures))

        # Every process starts at once (the static server idles until its turn); only watch
        # stops before the static site is loaded.
        static_port, app_port = free_ports(2)
        static, app = f"http://127.0.0.1:{static_port}", f"http://127.0.0.1:{app_port}"
        site = str(work_dir / "site")
        static_server = [
            *(sys.executable, "-c"),
            f"from {__name__} import serve_static; serve_static({site!r}, {static_port})",
        ]
        serve = [sys.executable, "-m", "newsdistill", "serve", "--port", str(app_port)]
        watching: contextlib.AbstractContextManager[GrowingFeed | None] = (
            _watching(room, env, work_dir, duration_s) if watch else contextlib.nullcontext()
        )
        with (
            _process(static_server, env, work_dir / "static.log", "the static server") as files,
            _process(serve, env, work_dir / "serve.log", "newsdistill serve") as serving,
        ):
            with watching as feed:
                _wait_until_up(app + "/", serving, "newsdistill serve")
                before = _article_count(store)
                polls = feed.start() if feed else 0
                load("app", app)
                if feed:
                    report.watch = WatchActivity(
                        before, _article_count(store), feed.polls - polls, feed.published()
                    )
            _wait_until_up(static + "/", files, "the static server")
            load("static", static)
        return report


@contextlib.contextmanager
def _watching(
    room: Newsroom, env: Mapping[str, str], work_dir: Path, duration_s: int
) -> Iterator[GrowingFeed]:
    """`newsdistill watch` on the store, polling a feed of its own that stays empty until
    `start()` and then gains articles until the app's last run ends; yields once watch has
    polled it."""
    articles = feed_articles()
    with GrowingFeed(articles, every=APP_KINDS * duration_s / len(articles)) as feed:
        room.add_feed(feed.base + FEED_PATH)
        watch_env = dict(env) | {
            "NEWSDISTILL_FETCH_ALLOW": feed.base.removeprefix("http://"),
            "NEWSDISTILL_POLL_INTERVAL": "1",
            "NEWSDISTILL_POLL_MIN_INTERVAL": "1",
            "NEWSDISTILL_POLL_MAX_INTERVAL": "2",
            "NEWSDISTILL_SETTLE_DELAY": "2",
        }
        watch = [sys.executable, "-m", "newsdistill", "watch"]
        with _process(watch, watch_env, work_dir / "watch.log", "newsdistill watch") as process:
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            while feed.polls == 0:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise NewsdistillError("newsdistill watch never polled its feed")
                time.sleep(0.2)
            yield feed
