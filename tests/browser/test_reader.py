"""The reader in a real browser: Debian's Chromium driven by Playwright over the served app.

Reads like a person would: front page, search, a story, its citation cards by keyboard and by
click, a source link, the version history and what changed; and the hostile story, whose
markup must show as text and never run. Screenshots go to $NEWSDISTILL_SCREENSHOTS (default:
the test's tmp dir). The README's screenshot is made from the demo by
scripts/readme_screenshot.py.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("playwright")
CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

import uvicorn  # noqa: E402
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Route, sync_playwright  # noqa: E402

from newsdistill.web import create_app  # noqa: E402
from tests.web.conftest import HOSTILE_TITLE, Newsdesk, desk  # noqa: E402, F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def site(desk: Newsdesk) -> Iterator[str]:  # noqa: F811
    """The real app over the test store, served by uvicorn on a free local port."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(desk.room, site_title="Test desk"), "127.0.0.1", port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("NEWSDISTILL_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Watched:
    """A page with every dialog and console error it produced recorded."""

    def __init__(self, browser: Browser) -> None:
        self.context = browser.new_context(viewport={"width": 1000, "height": 900})
        self.context.set_default_timeout(8000)
        self.page: Page = self.context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        # Source links point at news.test: answer them here, the test never leaves 127.0.0.1.
        self.context.route("https://news.test/**", self._source)

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.errors.append(message.text)

    @staticmethod
    def _source(route: Route) -> None:
        route.fulfill(body="<title>source article</title>the source", content_type="text/html")


def test_reading_a_story(browser: Browser, site: str, desk: Newsdesk, shots: Path) -> None:  # noqa: F811
    w = Watched(browser)
    page = w.page
    page.goto(site + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Current stories"
    assert page.locator(".stories > li.story").count() == 3
    page.screenshot(path=shots / "front.png", full_page=True)

    page.get_by_label("Search stories").fill("ferry")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/?q=ferry")
    results = page.locator(".stories h2 a")
    assert "ferry" in results.first.inner_text().casefold()
    results.first.click()
    page.wait_for_url(f"**/stories/{desk.ferry.id}.html")
    assert "ferry" in page.locator("article.digest h1").inner_text().casefold()
    page.screenshot(path=shots / "story.png", full_page=True)

    # By keyboard: Tab until the first citation button has focus; its card shows its quote.
    first = page.locator(".cite-ref").first
    card = page.locator(".cite-card .card").first
    assert not card.is_visible()
    for _ in range(60):
        page.keyboard.press("Tab")
        if first.evaluate("b => b === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached a citation")
    assert card.is_visible()
    assert card.locator("q.quote").first.inner_text().strip()
    page.screenshot(path=shots / "citation-keyboard.png")
    page.keyboard.press("Escape")

    # By click: the card is pinned open, aria-expanded says so, then the source link works.
    page.mouse.click(5, 5)  # somewhere neutral, so focus and hover leave the first card
    second = page.locator("p.lede .cite-ref").first
    second_card = page.locator("p.lede .cite-card .card").first
    second.click()
    assert second.get_attribute("aria-expanded") == "true"
    assert second_card.is_visible()
    quote = second_card.locator("q.quote").first.inner_text()
    assert quote and quote in page.evaluate("() => document.body.innerText")
    page.screenshot(path=shots / "citation-revealed.png")
    link = second_card.locator("a.card-link")
    href = link.get_attribute("href")
    assert href and href.startswith("https://news.test/")
    link.click()
    page.wait_for_url(href)
    assert page.inner_text("body") == "the source"
    page.go_back()

    # The version history and what changed between the two versions.
    history = page.locator("section.history")
    assert history.locator("li").count() == 2
    history.get_by_role("link", name="what changed").click()
    page.wait_for_url("**/changes?old=1&new=2")
    changed = page.locator("main").inner_text()
    assert "What changed from version 1 to version 2" in changed
    assert "Island Courier" in changed  # the new source
    page.screenshot(path=shots / "changes.png", full_page=True)
    assert w.dialogs == [] and w.errors == []
    w.context.close()


def test_hostile_story_stays_text(browser: Browser, site: str, desk: Newsdesk) -> None:  # noqa: F811
    w = Watched(browser)
    page = w.page
    page.goto(f"{site}/?q=crane")
    page.locator(".stories h2 a").first.click()
    page.wait_for_url(f"**/stories/{desk.hostile.id}.html")
    shown = page.evaluate("() => document.body.innerText")
    assert "<script>" in shown or "crane" in shown.casefold()
    assert page.locator("main script, main img").count() == 0
    # The hostile source's link stays text: no javascript: href anywhere on the page.
    hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")]
    assert "QuayNews" in shown and "\u202e" not in page.content()
    for button in page.locator(".cite-ref").all():  # every card opened, by keyboard
        button.focus()
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
    page.goto(f"{site}/?q=" + HOSTILE_TITLE[:20])
    assert w.dialogs == [], w.dialogs
    assert w.errors == [], w.errors
    w.context.close()
