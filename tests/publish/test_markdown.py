from __future__ import annotations

import re

import pytest

from newsdistill.models import Claim, Digest
from newsdistill.publish import render_markdown
from newsdistill.publish.markdown import escape_markdown
from newsdistill.wording import ENGLISH


def test_every_sentence_carries_its_source_numbers(
    digest: Digest, marks: list[tuple[Claim, str]]
) -> None:
    md = render_markdown(digest)
    for claim, mark in marks:
        assert f"{escape_markdown(claim.text)} {mark}" in md


def test_layout(digest: Digest) -> None:
    md = render_markdown(digest)
    lines = md.splitlines()
    assert lines[0] == "# Three workers die in Kessel quarry collapse [1]"
    assert "*Kessel, 4 March 2026*" in lines
    assert f"**{ENGLISH.verified(digest.verification)}**" in lines
    headings = [line for line in lines if line.startswith("## ")]
    assert headings == [
        "## What happened",
        "## Reactions \\& questions",
        "## Projected path ahead",
        "## Key developments",
        "## Sources",
    ]
    assert "| Event | Date | Details |" in lines
    assert any(line.startswith("| Collapse | 3 March 2026 | The rock face") for line in lines)
    # The short form leads; each disagreement is told once, in place, not again in a list.
    assert (
        lines.index(
            "**In short:** Three workers died when a rock face collapsed at Kessel quarry. [1]"
        )
        < lines.index(f"**{ENGLISH.verified(digest.verification)}**") + 3
    )
    assert "- The regional labour office opened an inquiry. [2]" in lines
    assert "number of workers killed" not in md
    assert md.rstrip().endswith(f"*{escape_markdown(digest.disclaimer)}*")


def test_sources_list_and_unsafe_links(digest: Digest) -> None:
    md = render_markdown(digest)
    assert (
        "1. Northern Wire — Quarry collapse kills three (3 March 2026) "
        "<https://northernwire.example/news/quarry?id=1&src=rss> "
        "— also published by Coastal Times, Daily Ledger"
    ) in md
    assert "3. Valley Post — Four feared dead \\<b\\>after\\</b\\> quarry fall" in md
    assert "<javascript:" not in md and "](javascript:" not in md


def test_markup_in_source_text_is_escaped(digest: Digest) -> None:
    md = render_markdown(digest)
    assert re.search(r"(?<!\\)<(script|b)", md) is None
    assert "\\<script\\>alert(1)\\</script\\>" in md


def test_renders_to_safe_html(digest: Digest) -> None:
    markdown_it = pytest.importorskip("markdown_it")  # installed with rich
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(render_markdown(digest))
    assert "<script" not in html and "<b>" not in html
    assert "javascript:" not in html.replace("javascript:alert(1)</li>", "")
    assert html.count("<table>") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt; is not safety.&quot; [1, 3]" in html


def test_unverified_sentence_is_marked(digest: Digest) -> None:
    md = render_markdown(digest)
    assert "- The quarry may stay closed until the summer. [3] **[unverified]**" in md
    assert md.count("[unverified]") == 1


def test_escape_markdown_neutralises_block_starts() -> None:
    assert escape_markdown("1. first\n  second") == "1\\. first second"
    assert escape_markdown("- not a bullet") == "\\- not a bullet"
    assert escape_markdown("a *b* _c_ [d](e)") == "a \\*b\\* \\_c\\_ \\[d\\](e)"


def test_addresses_in_source_text_do_not_autolink() -> None:
    escaped = escape_markdown("See https://evil.example/x, www.evil.example or tips@evil.example")
    assert escaped == "See https\\://evil.example/x, www\\.evil.example or tips\\@evil.example"
    assert escape_markdown("At 10:30, a www-style name") == "At 10:30, a www-style name"


def test_bidi_controls_are_dropped(digest: Digest) -> None:
    digest.sources[2].outlet = "Valley\u202e Post\u2066"
    md = render_markdown(digest)
    assert "\u202e" not in md and "\u2066" not in md
    assert "3. Valley Post — " in md
