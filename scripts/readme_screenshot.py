"""Take the README's screenshot: a demo story page in the served reader, one citation open.

    python scripts/readme_screenshot.py [docs/images/story-page.png]

Runs `newsdistill demo` into a temporary folder, serves its store with `newsdistill serve`,
opens the front page's first story in Debian's Chromium (driven by Playwright, as the browser
test does) and opens the lede's first citation card.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"newsdistill serve exited with status {server.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("newsdistill serve did not answer within 60 s")


def main(out: Path) -> None:
    cli = [sys.executable, "-m", "newsdistill"]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "NEWSDISTILL_HOME": tmp}
        env.pop("NEWSDISTILL_DB", None)
        demo = Path(tmp) / "demo"
        subprocess.run([*cli, "demo", "--out", str(demo)], env=env, check=True)
        port = _free_port()
        db = f"sqlite:///{demo / 'demo.db'}"
        server = subprocess.Popen(
            [*cli, "--db", db, "serve", "--port", str(port), "--title", "newsdistill demo"],
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(base + "/", server)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                page = browser.new_page(viewport={"width": 1000, "height": 1250})
                page.goto(base + "/")
                page.locator(".stories h2 a").first.click()
                page.wait_for_load_state()
                page.locator("p.lede .cite-ref").first.click()
                out.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=out)
                browser.close()
        finally:
            server.terminate()
            server.wait(30)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images" / "story-page.png")
