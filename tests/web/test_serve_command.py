"""`newsdistill serve` runs the app with uvicorn on the store given by `--db`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.cli.conftest import newsdistill
from tests.cli.test_help import HEAVY, PROBE
from tests.web.conftest import Newsdesk

pytestmark = pytest.mark.slow  # the pipeline fills the store: MiniLM embeds every article


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_help_names_the_options_and_loads_no_web_or_model_library(tmp_path: Path) -> None:
    shown = newsdistill(tmp_path / "help.db", "serve", "--help")
    assert shown.exit_code == 0
    assert "--host" in shown.output and "--port" in shown.output
    code = PROBE.format(args=["serve", "--help"], heavy=(*HEAVY, "fastapi", "uvicorn"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_serve_answers_over_http_from_the_store(desk: Newsdesk) -> None:
    port = free_port()
    db = desk.room.settings.database_url()
    env = {**os.environ, "NEWSDISTILL_WRITE_TOKEN": "", "COLUMNS": "300"}
    command = [sys.executable, "-m", "newsdistill", "--db", db, "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120  # a guard against a hung start, not a measurement
        while True:
            assert server.poll() is None, server.communicate()
            try:
                stories = httpx.get(f"{base}/api/stories", timeout=5).json()
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert [s["id"] for s in stories] == [desk.ferry.id, desk.fire.id, desk.hostile.id]
        assert stories[0]["url"] == f"{base}/stories/{desk.ferry.id}.html"
        page = httpx.get(stories[0]["url"], timeout=5)
        assert page.status_code == 200 and "Version history" in page.text
        refused = httpx.post(f"{base}/api/feeds", json={"url": "https://x.test/f"}, timeout=5)
        assert refused.status_code == 403  # an empty token leaves the API read-only
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=30)
    assert f"Serving {db} on http://127.0.0.1:{port}/ (read-only API)" in out.decode()
