"""Untrusted text (titles, outlet names, URLs, servers' error messages) on the terminal: never
Rich markup, never control or escape sequences, never a bidi override that reorders the line."""

from __future__ import annotations

import re

from rich.text import Text

# C0 and C1 controls (ESC starts terminal escape sequences) and the bidi embeddings, overrides
# and isolates; tabs and newlines stay.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def untrusted(text: str, style: str = "") -> Text:
    """`text` as literal terminal text: Rich markup in it is not parsed, controls are dropped."""
    return Text(_UNSAFE.sub("", text), style=style)


def marked(mark: str, style: str, text: str) -> Text:
    """'  ! <text>': a styled marker of ours, then untrusted text."""
    return Text.assemble((mark, style), untrusted(text))
