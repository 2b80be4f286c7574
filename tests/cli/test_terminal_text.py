"""Source text on the terminal is shown as text: Rich markup in a title is not styling, and
control sequences (ESC …) and bidi overrides never reach the terminal."""

from __future__ import annotations

from pathlib import Path

from newsdistill.cli.safe import untrusted
from newsdistill.store import Store
from tests.cli.conftest import newsdistill

HOSTILE = "[bold red]Pwned[/] \x1b[2J\x1b]0;owned\x07 \u202eevil\u202c [link=file:///etc]x[/link]"


def test_untrusted_text_is_literal_and_without_controls() -> None:
    text = untrusted(HOSTILE)
    assert text.plain == "[bold red]Pwned[/] [2J]0;owned evil [link=file:///etc]x[/link]"
    assert not text.spans  # no style was parsed out of it


def test_feeds_list_prints_a_hostile_feed_title_as_text(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    store = Store.open(f"sqlite:///{db}")
    store.add_feed("https://example.test/feed.xml", HOSTILE)
    result = newsdistill(db, "feeds", "list")
    assert result.exit_code == 0, result.output
    assert "[bold red]Pwned[/]" in result.stdout
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
