"""What every output format shares: source numbering, citation labels, safe links, dates.

Citations point at articles; readers see numbers. `SourceNumbering` gives each cited article
one number, in the order of `Digest.sources`, so that "[2]" means the same source in the
Markdown, the HTML page and the feeds. A citation to an article missing from `Digest.sources`
is still numbered (after the listed sources, in reading order) rather than dropped, so the
problem shows in the published sources list instead of vanishing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from newsdistill.models import Citation, Claim, Digest, SourceRef
from newsdistill.timeutil import as_utc

UNVERIFIED = "[unverified]"

# Explicit bidi embeddings, overrides and isolates (LRE..RLO, LRI..PDI): in source text they can
# reorder the published text around them ("Trojan Source" spoofing), and news text needs none.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_STORY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# Characters a URL may keep as they are; everything else (spaces, quotes, <, >, ...) is
# percent-encoded so the URL cannot break out of an attribute, autolink or XML text.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


@dataclass(frozen=True)
class CitedSource:
    """One source cited by a sentence, with the positions cited in it."""

    number: int
    outlet: str
    sentences: tuple[int | None, ...]  # indexes into Article.sentences; None: the title

    def label(self) -> str:
        """E.g. "Northern Wire, sentence 4" or "Northern Wire, title and sentences 2, 5"."""
        parts: list[str] = []
        if None in self.sentences:
            parts.append("title")
        positions = sorted(s + 1 for s in self.sentences if s is not None)
        if positions:
            noun = "sentence" if len(positions) == 1 else "sentences"
            parts.append(f"{noun} {', '.join(map(str, positions))}")
        return f"{self.outlet}, {' and '.join(parts)}"


@dataclass(frozen=True)
class SourceEntry:
    """A numbered line of the sources list; `ref` is None for an article cited but not listed."""

    number: int
    outlet: str
    ref: SourceRef | None


class SourceNumbering:
    """Maps cited articles to the source numbers readers see, shared by every format."""

    def __init__(self, digest: Digest) -> None:
        self._numbers: dict[int, int] = {}
        self.entries: list[SourceEntry] = []
        for ref in digest.sources:
            self._add(ref.article_id, ref.outlet, ref)
        for citation in _all_citations(digest):
            self._add(citation.article_id, citation.outlet, None)

    def _add(self, article_id: int, outlet: str, ref: SourceRef | None) -> None:
        if article_id not in self._numbers:
            self._numbers[article_id] = len(self.entries) + 1
            self.entries.append(SourceEntry(len(self.entries) + 1, outlet, ref))

    def cite(self, citations: Sequence[Citation]) -> list[CitedSource]:
        """The distinct sources behind `citations`, ordered by number."""
        positions: dict[int, list[int | None]] = {}
        outlets: dict[int, str] = {}
        for citation in citations:
            number = self._numbers[citation.article_id]
            outlets.setdefault(number, citation.outlet)
            if citation.sentence not in positions.setdefault(number, []):
                positions[number].append(citation.sentence)
        return [
            CitedSource(number, outlets[number], tuple(positions[number]))
            for number in sorted(positions)
        ]


def _all_citations(digest: Digest) -> Iterable[Citation]:
    for claim in digest.claims():
        yield from claim.citations
    for disagreement in digest.disagreements:
        for value in disagreement.values:
            yield from value.citations


def is_verified(claim: Claim) -> bool:
    return claim.verification is not None and claim.verification.verdict == "supported"


def safe_url(url: str) -> str | None:
    """The URL made safe to emit as a link, or None if it is not an absolute http(s) URL."""
    quoted = quote(url.strip(), safe=_URL_SAFE)
    if not quoted.lower().startswith(("http://", "https://")):
        return None
    return quoted if urlsplit(quoted).netloc else None


def strip_bidi_controls(text: str) -> str:
    return _BIDI_CONTROLS.sub("", text)


def story_path(story_id: str) -> str:
    """Where a story's page lives, relative to the site root: `stories/<story_id>.html`."""
    return f"stories/{checked_story_id(story_id)}.html"


def checked_story_id(story_id: str) -> str:
    """The story id, refused if it is unfit for a file name or URL path segment."""
    if not _STORY_ID.fullmatch(story_id):
        raise ValueError(f"story id {story_id!r} is not safe to publish as a file name")
    return story_id


def join_url(base: str, path: str) -> str:
    """`path` under `base` ("" keeps it relative)."""
    return f"{base.rstrip('/')}/{path}" if base else path


def rfc3339(moment: dt.datetime) -> str:
    return as_utc(moment).isoformat(timespec="seconds").replace("+00:00", "Z")


def human_date(day: dt.date) -> str:
    """E.g. "7 February 2024"."""
    return f"{day.day} {day:%B %Y}"
