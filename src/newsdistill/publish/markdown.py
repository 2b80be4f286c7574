"""A digest as CommonMark: readable as plain text, safe to feed to a Markdown renderer.

Every source-derived string is escaped, so a sentence quoting `<script>` or `*stars*` stays
text, and a bare address in it does not turn into a link where a renderer autolinks
(GitHub-flavoured "www.", "https://" and e-mail addresses); bidi controls are dropped.
Citations follow each sentence as "[1, 3]", numbered like the "Sources" list at the end.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsdistill.models import Citation, Claim, Digest
from newsdistill.publish.common import (
    UNVERIFIED,
    SourceEntry,
    SourceNumbering,
    is_verified,
    safe_url,
    strip_bidi_controls,
)
from newsdistill.wording import wording

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&@])")
# What starts an extended autolink: "scheme://" and "www." (an "@" is escaped everywhere).
_AUTOLINK_START = re.compile(r"(?i)(?<=[a-z0-9]):(?=//)|(?<=\bwww)\.")
_BULLET_START = re.compile(r"^([-+=])")
_NUMBER_START = re.compile(r"^(\d+)([.)])")


def escape_markdown(text: str) -> str:
    """`text` on one line with every Markdown-significant character backslash-escaped."""
    flat = " ".join(strip_bidi_controls(text).split())
    escaped = _AUTOLINK_START.sub(r"\\\g<0>", _SPECIAL.sub(r"\\\1", flat))
    return _NUMBER_START.sub(r"\1\\\2", _BULLET_START.sub(r"\\\1", escaped))


def render_markdown(digest: Digest) -> str:
    numbering = SourceNumbering(digest)

    def claim(c: Claim) -> str:
        return _sentence(c.text, c.citations, numbering, verified=is_verified(c))

    words = wording(digest.language)
    blocks = [
        f"# {claim(digest.headline)}",
        f"*{escape_markdown(digest.dateline)}*",
        f"**{words.verified(digest.verification)}**",
    ]
    if digest.summary or digest.key_points:
        blocks.append(f"**{words.in_short}:** " + " ".join(claim(c) for c in digest.summary))
        if digest.key_points:
            blocks.append("\n".join(f"- {claim(c)}" for c in digest.key_points))
        blocks.append("---")
    blocks.append(claim(digest.lede))
    for section in digest.sections:
        blocks.append(f"## {escape_markdown(section.heading)}")
        blocks.extend(claim(c) for c in section.claims)
    if digest.path_ahead:
        blocks.append(f"## {words.path_ahead}")
        blocks.append("\n".join(f"- {claim(c)}" for c in digest.path_ahead))
    if digest.key_developments:
        rows = [
            f"| {escape_markdown(k.event)} | {words.date(k.date)} | {claim(k.details)} |"
            for k in digest.key_developments
        ]
        blocks.append(f"## {words.key_developments}")
        header = "| " + " | ".join(words.table) + " |"
        blocks.append("\n".join([header, "| --- | --- | --- |", *rows]))
    blocks.append(f"## {words.sources}")
    blocks.append("\n".join(_source(entry, digest.language) for entry in numbering.entries))
    blocks.append(f"---\n\n*{escape_markdown(digest.disclaimer)}*")
    return "\n\n".join(blocks) + "\n"


def _sentence(
    text: str, citations: Sequence[Citation], numbering: SourceNumbering, *, verified: bool
) -> str:
    cited = numbering.cite(citations)
    parts = [escape_markdown(text), f"[{', '.join(str(c.number) for c in cited)}]" if cited else ""]
    if not verified:
        parts.append(f"**{UNVERIFIED}**")
    return " ".join(p for p in parts if p)


def _source(entry: SourceEntry, language: str | None) -> str:
    outlet = escape_markdown(entry.outlet)
    if entry.ref is None:
        return f"{entry.number}. {outlet} — (cited, but missing from the source list)"
    ref = entry.ref
    url = safe_url(ref.url)
    link = f"<{url}>" if url else escape_markdown(ref.url)
    title = escape_markdown(ref.title)
    line = f"{entry.number}. {outlet} — {title} ({wording(language).date(ref.published)})"
    line = f"{line} {link}"
    if ref.language and ref.language != language:
        line += f" — {wording(language).in_language(ref.language)}"
    if ref.also_published_by:
        line += f" — also published by {escape_markdown(', '.join(ref.also_published_by))}"
    return line
