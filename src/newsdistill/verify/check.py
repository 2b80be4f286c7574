"""Check any summary against any source articles, sentence by sentence.

The library part (`Checker`, `split_units`, `load_passages`) is what `newsdistill check` and
`newsdistill eval factcheck` share; `check_command` is the Typer command the CLI registers.
A claim is "contradicted" when a source gives a different value for what it states, "unsupported"
when a hard check fails or the judge scores it below its threshold, "supported" otherwise.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.table import Table

from newsdistill.errors import ExtractionError, InputError
from newsdistill.extract import extract_article
from newsdistill.ingest.files import load_articles_from_path
from newsdistill.nlp.dates import date_spans
from newsdistill.nlp.embed import CachedEmbedder, Embedder, get_embedder
from newsdistill.nlp.sentences import split_sentences
from newsdistill.verify.checks import fold, hard_checks
from newsdistill.verify.features import EvidenceIndex, Passage, number_conflicts
from newsdistill.verify.judge import Judge, get_judge

UnitKind = Literal["claim", "heading", "byline", "dateline", "question", "repeated"]
Outcome = Literal["supported", "unsupported", "contradicted", "skipped"]

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


def load_passages(paths: Sequence[Path]) -> list[Passage]:
    """Title and sentences of every article in the given files or directories.

    HTML pages go through the same extraction as ingested pages; a file holding several
    articles (JSON) labels them "file#n".
    """
    passages: list[Passage] = []
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
            passages.extend(Passage(s, source, published) for s in sentences)
    if not passages:
        raise InputError("the sources hold no text")
    return passages


@dataclass
class ClaimCheck:
    """The verdict on one claim with the evidence it was judged against."""

    text: str
    verdict: Outcome
    score: float
    reasons: list[str] = field(default_factory=list)
    evidence: list[Passage] = field(default_factory=list)


@dataclass
class RuleResult:
    """What code decides before any judge: a verbatim match, or failed hard checks."""

    exact: bool
    contradicted: list[str]
    unsupported: list[str]


class Checker:
    """Retrieves evidence for each claim, runs the hard checks, then asks the judge."""

    def __init__(
        self, judge: Judge, embedder: Embedder, k_embed: int = 3, k_lexical: int = 2
    ) -> None:
        self.judge = judge
        self.embedder = embedder
        self.k_embed = k_embed
        self.k_lexical = k_lexical

    def index(self, passages: Sequence[Passage]) -> EvidenceIndex:
        return EvidenceIndex(passages, self.embedder)

    def evidence(self, claim: str, index: EvidenceIndex) -> list[Passage]:
        return [index.passages[i] for i in index.retrieve(claim, self.k_embed, self.k_lexical)]

    def rules(
        self, claim: str, evidence: Sequence[Passage], reference: dt.datetime | None = None
    ) -> RuleResult:
        needle = fold(claim)
        if any(needle in fold(p.text) for p in evidence):
            return RuleResult(True, [], [])
        checks = hard_checks(claim, [p.evidence() for p in evidence], reference)
        texts = [p.text for p in evidence]
        conflicts = number_conflicts(claim, texts, self.embedder, checks.contradicted)
        return RuleResult(False, checks.contradicted + conflicts, checks.unsupported)

    def check(
        self, claim: str, index: EvidenceIndex, reference: dt.datetime | None = None
    ) -> ClaimCheck:
        evidence = self.evidence(claim, index)
        rules = self.rules(claim, evidence, reference)
        if rules.exact:
            return ClaimCheck(claim, "supported", 1.0, ["found word for word"], evidence)
        reasons = rules.contradicted + rules.unsupported
        if reasons:
            # A failed hard check decides alone; the judge (maybe an LLM call) is not asked.
            verdict: Outcome = "contradicted" if rules.contradicted else "unsupported"
            return ClaimCheck(claim, verdict, 0.0, reasons, evidence)
        score = self.judge.score(claim, [p.text for p in evidence])
        if score < self.judge.threshold:
            reasons.append(f"{self.judge.name} judge: support {score:.2f} < {self.judge.threshold}")
        verdict = "supported" if score >= self.judge.threshold else "unsupported"
        return ClaimCheck(claim, verdict, round(score, 4), reasons, evidence)

    def check_many(
        self, claims: Sequence[str], index: EvidenceIndex, reference: dt.datetime | None = None
    ) -> list[ClaimCheck]:
        self.embedder.embed(list(claims))  # one batch; the cached embedder keeps the vectors
        return [self.check(c, index, reference) for c in claims]


def default_checker(judge: str = "features") -> Checker:
    """A checker with the named judge; the features judge shares the checker's embedder."""
    from newsdistill.verify import llm_judge, trained  # noqa: F401  (register their judges)

    chosen = get_judge(judge)
    embedder = getattr(chosen, "embedder", None) or CachedEmbedder(get_embedder())
    return Checker(chosen, embedder)


@dataclass
class UnitResult:
    line: int
    kind: UnitKind
    text: str
    verdict: Outcome
    score: float | None = None
    reasons: list[str] = field(default_factory=list)
    evidence: list[dict[str, str]] = field(default_factory=list)


def check_summary(summary: str, passages: Sequence[Passage], checker: Checker) -> list[UnitResult]:
    """Every unit of `summary`, judged against `passages` or marked skipped."""
    units = split_units(summary)
    index = checker.index(passages)
    claims = [u for u in units if u.kind == "claim"]
    verdicts = dict(
        zip(
            (id(u) for u in claims),
            checker.check_many([u.text for u in claims], index),
            strict=True,
        )
    )
    results = []
    for u in units:
        c = verdicts.get(id(u))
        if c is None:
            results.append(UnitResult(u.line, u.kind, u.text, "skipped"))
            continue
        evidence = [{"source": p.source, "text": p.text} for p in c.evidence[:EVIDENCE_SHOWN]]
        results.append(UnitResult(u.line, u.kind, u.text, c.verdict, c.score, c.reasons, evidence))
    return results


_STYLE = {
    "supported": "green",
    "unsupported": "yellow",
    "contradicted": "bold red",
    "skipped": "dim",
}


def _print_table(results: Sequence[UnitResult], console: Console) -> None:
    table = Table("line", "verdict", "score", "text", "reasons", "evidence", show_lines=True)
    for r in results:
        evidence = "\n".join(f"[{e['source']}] {e['text']}" for e in r.evidence)
        table.add_row(
            str(r.line),
            f"[{_STYLE[r.verdict]}]{r.verdict if r.verdict != 'skipped' else r.kind}[/]",
            "" if r.score is None else f"{r.score:.2f}",
            r.text,
            "\n".join(r.reasons),
            evidence,
        )
    console.print(table)


def _counts(results: Sequence[UnitResult]) -> dict[str, int]:
    counts = Counter[str](r.verdict for r in results)
    return {k: counts[k] for k in _STYLE}


def check_command(
    text_file: Annotated[Path, typer.Argument(help="The summary to check (text or Markdown).")],
    sources: Annotated[
        list[Path] | None,
        typer.Option(
            "--sources",
            "-s",
            help="Source files or directories (text, Markdown, HTML, JSON); more may follow.",
        ),
    ] = None,
    more_sources: Annotated[
        list[Path] | None,
        typer.Argument(help="Further sources after --sources.", show_default=False),
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print machine-readable JSON instead of a table.")
    ] = False,
    judge: Annotated[
        str,
        typer.Option(help="Judge: features (default), llm (local model), llm-openai or overlap."),
    ] = "features",
) -> None:
    """Check every sentence of a summary against source articles: supported, unsupported
    (no source says it) or contradicted (a source says otherwise)."""
    paths = [*(sources or []), *(more_sources or [])]
    if not paths:
        raise InputError("give the source articles with --sources FILE_OR_DIR ...")
    try:
        summary = text_file.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{text_file}: cannot read: {exc.strerror or exc}") from None
    passages = load_passages(paths)
    results = check_summary(summary, passages, default_checker(judge))
    counts = _counts(results)
    if json_output:
        payload = {
            "summary": str(text_file),
            "sources": sorted({p.source for p in passages}),
            "judge": judge,
            "counts": counts,
            "units": [asdict(r) for r in results],
        }
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        return
    console = Console()
    _print_table(results, console)
    console.print(", ".join(f"[{_STYLE[k]}]{n} {k}[/]" for k, n in counts.items()))
