"""Check any summary against any source articles, sentence by sentence.

`newsdistill check` and `newsdistill eval factcheck` run the verifier that guards digests
(`newsdistill.verify.verifier`) on claims without citations: a summary's sentences are split
into units, page furniture (headings, bylines, datelines) is skipped, and every claim is
"contradicted" when a source gives a different value for what it states, "unsupported" when a
hard check fails or the judge scores it below its threshold, "supported" otherwise.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from newsdistill.errors import ExtractionError, InputError
from newsdistill.extract import extract_article
from newsdistill.ingest.files import load_articles_from_path
from newsdistill.models import SourceSentence, Verdict
from newsdistill.nlp.dates import date_spans
from newsdistill.nlp.embed import CachedEmbedder, get_embedder
from newsdistill.nlp.sentences import split_sentences
from newsdistill.verify.judge import get_judge
from newsdistill.verify.verifier import SourcePool, Verifier

UnitKind = Literal["claim", "heading", "byline", "dateline", "question", "repeated"]
Outcome = Verdict | Literal["skipped"]

# Lines that are page furniture rather than statements about the story.
_BULLET = re.compile(r"^(?:[-*+•·▪◦–]|\d{1,2}[.)])\s+")
_BYLINE = re.compile(r"^(?:written\s+|posted\s+)?by\s+\S.{0,60}$", re.I)
_TABLE_RULE = re.compile(r"^\|?[\s:|-]+\|?$")
_TERMINAL = (".", "!", "?", ":", ";", '"', "”", "’", "'", ")")
HEADING_MAX_WORDS = 10
EVIDENCE_SHOWN = 2


@dataclass(frozen=True)
class Unit:
    """A line or sentence of a summary: a claim to judge, or furniture to skip (and why)."""

    line: int
    text: str
    kind: UnitKind


def _furniture(text: str) -> UnitKind | None:
    if _BYLINE.match(text):
        return "byline"
    residue = text
    for start, end in reversed(date_spans(text)):
        residue = residue[:start] + residue[end:]
    if not re.search(r"[^\W\d_]", residue) and date_spans(text):
        return "dateline"
    return None


def split_units(text: str) -> list[Unit]:
    """Split a summary into units: headings, bylines, datelines and repeated boilerplate are
    marked for skipping; paragraphs, bullets and table rows are split into sentence claims."""
    lines = [line.strip() for line in text.splitlines()]
    counts = Counter(line for line in lines if line)
    units: list[Unit] = []
    in_table = False
    for number, raw in enumerate(lines, start=1):
        if not raw or (_TABLE_RULE.match(raw) and "-" in raw):
            in_table = in_table and bool(raw)
            continue
        if raw.startswith("|"):
            cells = [c.strip() for c in raw.strip("|").split("|")]
            # A Markdown table's first row names its columns.
            kind: UnitKind | None = None if in_table else "heading"
            in_table = True
            units.append(Unit(number, "; ".join(c for c in cells if c), kind or "claim"))
            continue
        in_table = False
        bullet = _BULLET.match(raw)
        line = raw[bullet.end() :] if bullet else raw.lstrip("#").strip()
        if not line:  # a bare "#" or bullet mark: nothing to judge or show
            continue
        kind = _furniture(line) or ("repeated" if counts[raw] > 1 else None)
        if (
            kind is None
            and not bullet
            and (
                raw.startswith("#")
                or (len(line.split()) <= HEADING_MAX_WORDS and not line.endswith(_TERMINAL))
            )
        ):
            kind = "heading"
        if kind is not None:
            units.append(Unit(number, line, kind))
            continue
        for sentence in split_sentences(line):
            units.append(Unit(number, sentence, "question" if sentence.endswith("?") else "claim"))
    return units


def load_sources(paths: Sequence[Path]) -> list[SourceSentence]:
    """Title and sentences of every article in the given files or directories, each with the
    file it was read from as its outlet.

    HTML pages go through the same extraction as ingested pages; a file holding several
    articles (JSON) labels them "file#n".
    """
    passages: list[SourceSentence] = []
    for path in paths:
        articles = load_articles_from_path(path)
        for n, raw in enumerate(articles, start=1):
            source = raw.url.removeprefix("file://")
            source = Path(source.split("#")[0]).name + (f"#{n}" if len(articles) > 1 else "")
            title, text, published = raw.title, raw.text or "", raw.published
            if raw.html is not None:
                try:
                    extracted = extract_article(raw.html, raw.url)
                except ExtractionError as exc:
                    raise InputError(f"{source}: {exc}") from None
                title, text = title or extracted.title, extracted.text
                published = published or extracted.published
            sentences = ([title] if title else []) + split_sentences(text)
            passages.extend(
                SourceSentence(text=s, outlet=source, published=published) for s in sentences
            )
    if not passages:
        raise InputError("the sources hold no text")
    return passages


def default_verifier(judge: str = "features") -> Verifier:
    """The verifier with the named judge (the package registers them all on import); the
    features judge shares the verifier's embedder."""
    chosen = get_judge(judge)
    embedder = getattr(chosen, "embedder", None) or CachedEmbedder(get_embedder())
    return Verifier(chosen, embedder)


@dataclass
class UnitResult:
    line: int
    kind: UnitKind
    text: str
    verdict: Outcome
    score: float | None = None
    reasons: list[str] = field(default_factory=list)
    evidence: list[dict[str, str]] = field(default_factory=list)


def check_summary(
    summary: str, sources: Sequence[SourceSentence], verifier: Verifier
) -> list[UnitResult]:
    """Every unit of `summary`, verified against `sources` or marked skipped."""
    units = split_units(summary)
    claims = [u for u in units if u.kind == "claim"]
    pool = SourcePool(sources, verifier.embedder)
    checked = verifier.check(pool, [(u.text, ()) for u in claims])
    verdicts = dict(zip((id(u) for u in claims), checked, strict=True))
    results = []
    for u in units:
        c = verdicts.get(id(u))
        if c is None:
            results.append(UnitResult(u.line, u.kind, u.text, "skipped"))
            continue
        v = c.verification
        reasons = ["found word for word"] if c.decided_by == "exact" else v.reasons
        evidence = [{"source": e.outlet, "text": e.text} for e in c.evidence[:EVIDENCE_SHOWN]]
        results.append(UnitResult(u.line, u.kind, u.text, v.verdict, v.score, reasons, evidence))
    return results


VERDICTS: tuple[Outcome, ...] = ("supported", "unsupported", "contradicted", "skipped")


def verdict_counts(results: Sequence[UnitResult]) -> dict[str, int]:
    counts = Counter[str](r.verdict for r in results)
    return {k: counts[k] for k in VERDICTS}
