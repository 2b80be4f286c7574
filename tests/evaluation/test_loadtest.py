"""The serving load benchmark (`newsdistill bench-serve`): wrk's JSON line read right, the app
compared with the static files right, the wrk script's path rotation and status counting, the
growing feed, and the real command end to end on a tiny load."""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

import pytest
from typer.testing import CliRunner

from newsdistill.cli import app
from newsdistill.errors import NewsdistillError
from newsdistill.evaluation.loadtest import (
    FEED_PATH,
    WRK_SCRIPT,
    GrowingFeed,
    LoadReport,
    LoadRun,
    WrkFigures,
    feed_articles,
    parse_wrk_output,
    ratios,
    run_wrk,
)

needs_wrk = pytest.mark.skipif(
    shutil.which("wrk") is None, reason="needs wrk (apt-get install wrk)"
)

# Captured from Debian's wrk 4.1 with WRK_SCRIPT, 2 threads and 4 connections for 2 s on
# three paths of a local server, one of them missing (a third of the answers were 404).
CAPTURED = """\
Running 2s test @ http://127.0.0.1:8765
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    18.47ms   18.42ms  51.98ms   75.77%
    Req/Sec   130.32     13.02   180.00     87.80%
  532 requests in 2.10s, 155.40KB read
  Non-2xx or 3xx responses: 178
Requests/sec:    253.30
Transfer/sec:     73.99KB

{"requests": 532, "duration_us": 2100271, "bytes": 159134, "non_2xx": 178, "connect": 0, \
"read": 0, "write": 0, "timeout": 0, "p50_us": 15861, "p95_us": 46752, "p99_us": 47558, \
"max_us": 51976}
"""


def test_the_json_line_after_wrks_own_text_is_what_is_read() -> None:
    figures = parse_wrk_output(CAPTURED)
    assert (figures.requests, figures.duration_us, figures.non_2xx) == (532, 2100271, 178)
    assert (figures.p50_us, figures.p95_us, figures.p99_us) == (15861, 46752, 47558)
    assert figures.requests_per_s == pytest.approx(253.30, abs=0.01)  # wrk's own figure
    assert figures.socket_errors == 0
    assert figures.errors == 178


def test_wrk_output_without_the_scripts_line_is_an_error() -> None:
    with pytest.raises(NewsdistillError, match="no JSON line"):
        parse_wrk_output(CAPTURED.split("\n\n")[0])


def _figures(requests: int, p95_ms: float, *, timeouts: int = 0, non_2xx: int = 0) -> WrkFigures:
    return WrkFigures(
        requests=requests,
        duration_us=10_000_000,
        bytes=0,
        non_2xx=non_2xx,
        connect_errors=0,
        read_errors=1,
        write_errors=0,
        timeouts=timeouts,
        p50_us=1000,
        p95_us=int(p95_ms * 1000),
        p99_us=int(p95_ms * 2000),
        max_us=int(p95_ms * 3000),
    )


def test_the_app_is_compared_with_the_static_files_page_kind_by_page_kind() -> None:
    runs = [
        LoadRun("app", "front", ("/",), _figures(1000, 80)),
        LoadRun("app", "story", ("/s/a", "/s/b"), _figures(500, 120, timeouts=2)),
        LoadRun("app", "feeds", ("/feed.atom",), _figures(300, 50)),  # no static run
        LoadRun("static", "story", ("/s/a", "/s/b"), _figures(5000, 10, non_2xx=3)),
        LoadRun("static", "front", ("/",), _figures(4000, 20)),
    ]
    by_kind = {r.kind: r for r in ratios(runs)}
    assert list(by_kind) == ["front", "story"]  # the app's order; feeds have nothing to compare
    assert by_kind["front"].requests_per_s == pytest.approx(0.25)
    assert by_kind["front"].p95 == pytest.approx(4.0)
    assert by_kind["story"].requests_per_s == pytest.approx(0.1)
    assert by_kind["story"].p95 == pytest.approx(12.0)

    report = LoadReport(clients=50, duration_s=10, cores=2, runs=runs)
    assert report.errors == 5 * 1 + 2 + 3  # a read error in every run, the timeouts, the 404s
    assert report.story_p95_ms() == pytest.approx(120)
    summary = report.as_dict()
    assert [r["pages"] for r in summary["ratios"]] == ["front", "story"]
    assert summary["runs"][1]["socket errors"] == 3 and summary["runs"][1]["req/s"] == 50.0


class _Half(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        found = self.path == "/ok"
        self.send_response(200 if found else 404)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:
        """Requests are not logged: the test's output stays readable."""


@pytest.fixture
def half_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Half)
    server.daemon_threads = True
    Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@needs_wrk
def test_the_wrk_script_rotates_paths_and_counts_answers_outside_2xx(
    half_server: str, tmp_path: Path
) -> None:
    script = tmp_path / "report.lua"
    script.write_text(WRK_SCRIPT, encoding="utf-8")
    figures = run_wrk(half_server, ["/ok", "/missing"], clients=2, duration_s=1, script=script)
    assert figures.requests > 10
    # Each connection alternates between the two paths: half the answers are 404s.
    assert abs(figures.non_2xx - figures.requests / 2) <= 2
    assert figures.socket_errors == 0
    assert 0 < figures.p50_us <= figures.p95_us <= figures.p99_us <= figures.max_us


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as answer:
        body: bytes = answer.read()
        return body


def test_the_feed_lists_nothing_until_started_then_one_article_more_every_interval() -> None:
    articles = feed_articles()
    with GrowingFeed(articles, every=3600) as feed:
        assert b"<item>" not in _get(feed.base + FEED_PATH)
        feed.start()
        first = _get(feed.base + FEED_PATH).decode()
        assert first.count("<item>") == 1
        oldest = min(articles, key=lambda a: a.published)
        assert f"{feed.base}{oldest.url_path}" in first  # the links point at this server
        assert oldest.title in html.unescape(_get(feed.base + oldest.url_path).decode())
        assert feed.polls == 2
    with GrowingFeed(articles, every=1e-9) as feed:
        feed.start()
        assert _get(feed.base + FEED_PATH).decode().count("<item>") == len(articles)


def test_without_wrk_the_command_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no wrk on it
    result = CliRunner().invoke(app, ["bench-serve"], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: wrk is not installed: apt-get install wrk"
    ]


@pytest.mark.slow  # builds the demo store and starts serve, watch and the static server
@needs_wrk
def test_the_command_loads_every_page_kind_while_watch_ingests(tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    env = os.environ | {"NEWSDISTILL_HOME": str(tmp_path), "COLUMNS": "200"}
    cli = [sys.executable, "-m", "newsdistill", "bench-serve", "--clients", "2", "--duration", "2"]
    done = subprocess.run(
        [*cli, "--json", str(out)], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    kinds = {(r["server"], r["pages"]): r for r in report["runs"]}
    assert set(kinds) == {(s, k) for s in ("app", "static") for k in ("front", "story", "feeds")}
    assert all(r["requests"] > 0 for r in kinds.values())
    assert kinds["app", "story"]["paths"] > 1
    assert report["errors"] == 0
    assert report["watch"]["ingested"] >= 1
    assert [r["pages"] for r in report["ratios"]] == ["front", "story", "feeds"]
    assert "watch ingested" in done.stdout
