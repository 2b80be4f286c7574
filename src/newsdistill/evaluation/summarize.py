"""The real distill stage on multi-document clusters, scored with ROUGE against reference
summaries, next to lead, LexRank and TextRank in the same run (`newsdistill eval summarize`).

Every system is cut to the same fixed word budget (default 55, the median reference length of
the NeuS/AllSides data) by the same function. A digest enters as its "summary view": the lede,
then the sections' sentences in order, without headline, sources, disclaimer or citation
markup. Two kinds of text are provenance, not content, and are left out of the view: the
"…, according to X" attribution of a single-source claim (the outlet names are the harness's
own "Source 1…3") and the code-written "Sources differ on …" sentences. A row with the
attributions kept shows what that choice is worth.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsdistill.config import Settings
from newsdistill.errors import NewsdistillError
from newsdistill.evaluation.datasets import FIRST_PUBLISHED, documents, read_jsonl
from newsdistill.evaluation.metrics import ROUGE_TYPES, rouge
from newsdistill.models import Article, Claim, Digest
from newsdistill.nlp.embed import Embedder, get_embedder
from newsdistill.nlp.sentences import split_sentences
from newsdistill.pipeline import judge_for, make_distiller
from newsdistill.writers import get_writer

BUDGET_WORDS = 55
_WORD = re.compile(r"\w+(?:['’-]\w+)*")

Summarizer = Callable[[Sequence[Article], int], list[str]]


def cut(sentences: Iterable[str], budget: int) -> str:
    """The sentences joined, cut after `budget` words (mid-sentence if need be): one rule for
    every system, so no system gains from being longer."""
    return " ".join(" ".join(sentences).split()[:budget])


def plain(claim: Claim) -> str:
    """A claim's text without the "according to X" its assembly added."""
    who = claim.attribution
    if who is None:
        return claim.text
    suffix = f", according to {who}."
    if claim.text.endswith(suffix):
        return claim.text.removesuffix(suffix) + "."
    return claim.text.removeprefix(f"According to {who}: ")


def summary_view(digest: Digest, attributions: bool = False) -> list[str]:
    """Lede, then each section's sentences in order; no code-written "Sources differ" lines."""
    claims = [digest.lede, *(c for s in digest.sections for c in s.claims)]
    return [c.text if attributions else plain(c) for c in claims if c.origin != "code"]


def short_form(digest: Digest) -> list[str]:
    """The digest's short form: its summary, then its key points."""
    return [plain(c) for c in [*digest.summary, *digest.key_points] if c.origin != "code"]


def lead(articles: Sequence[Article], budget: int) -> list[str]:
    """First sentences of each document in turn, then second sentences, … up to the budget."""
    out: list[str] = []
    depth = 0
    while sum(len(s.split()) for s in out) < budget and any(
        depth < len(a.sentences) for a in articles
    ):
        out.extend(a.sentences[depth] for a in articles if depth < len(a.sentences))
        depth += 1
    return out


class _Tokenizer:
    """sumy's tokenizer interface without NLTK's punkt data (not installable offline)."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(sentence))


def sumy_summarizer(name: str) -> Summarizer:
    """LexRank or TextRank: the best-rated sentences until the budget, in document order."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    summarizer = {"lexrank": LexRankSummarizer, "textrank": TextRankSummarizer}[name](
        Stemmer("english")
    )
    summarizer.stop_words = get_stop_words("english")
    tokenizer = _Tokenizer()

    def summarize(articles: Sequence[Article], budget: int) -> list[str]:
        document = ObjectDocumentModel(
            [Paragraph([Sentence(s, tokenizer) for s in a.sentences]) for a in articles]
        )

        def within_budget(ranked: Sequence[Any]) -> list[Any]:
            chosen: list[Any] = []
            words = 0
            for info in ranked:  # best rated first
                if words >= budget:
                    break
                chosen.append(info)
                words += len(str(info.sentence).split())
            return chosen

        return [str(s) for s in summarizer(document, within_budget)]

    return summarize


@dataclass
class SystemScores:
    system: str
    rouge: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in ROUGE_TYPES})
    words: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    verified: list[float] = field(default_factory=list)

    def add(self, text: str, references: Sequence[str], seconds: float) -> None:
        for kind, value in rouge(text, references).items():
            self.rouge[kind].append(value)
        self.words.append(len(text.split()))
        self.seconds.append(seconds)

    def row(self) -> dict[str, Any]:
        def mean(values: Sequence[float]) -> float | None:
            return statistics.fmean(values) if values else None

        return {
            "system": self.system,
            "ROUGE-1": mean(self.rouge["rouge1"]),
            "ROUGE-2": mean(self.rouge["rouge2"]),
            "ROUGE-L": mean(self.rouge["rougeL"]),
            "words": mean(self.words),
            "verified": mean(self.verified),
            "s/cluster": mean(self.seconds),
        }


@dataclass(frozen=True)
class SummarizeEval:
    data: str
    writer: str
    judge: str
    budget: int
    clusters: int
    failed: list[str]
    systems: list[SystemScores]

    def rows(self) -> list[dict[str, Any]]:
        return [s.row() for s in self.systems]

    def payload(self) -> dict[str, Any]:
        return {
            "data": self.data,
            "writer": self.writer,
            "judge": self.judge,
            "budget_words": self.budget,
            "clusters": self.clusters,
            "failed": self.failed,
            "results": self.rows(),
        }


def evaluate_summaries(
    path: Path,
    writer: str = "extractive",
    limit: int | None = None,
    budget: int | None = None,
    settings: Settings | None = None,
    embedder: Embedder | None = None,
) -> SummarizeEval:
    """Every system's summaries cut to `budget` words (default BUDGET_WORDS)."""
    budget = budget or BUDGET_WORDS
    settings = settings or Settings()
    embedder = embedder or get_embedder(settings)
    embedder.embed(["warm-up"])  # model loading is not per-cluster cost
    distiller = make_distiller(settings, embedder, get_writer(writer, settings))
    ours = SystemScores(f"newsdistill {writer} (summary view)")
    attributed = SystemScores(f"newsdistill {writer} (summary view, with attributions)")
    short = SystemScores(f"newsdistill {writer} (short form: summary, key points)")
    full = SystemScores(f"newsdistill {writer} (whole digest, no budget)")
    baselines: dict[str, Summarizer] = {
        "lead": lead,
        "LexRank": sumy_summarizer("lexrank"),
        "TextRank": sumy_summarizer("textrank"),
    }
    scores = {name: SystemScores(name) for name in baselines}
    items = read_jsonl(path, limit)
    failed = []
    for item in items:
        articles = documents(item)
        references = [str(r) for r in item["references"]]
        started = time.perf_counter()
        try:
            digest = distiller.distill(f"eval-{item['id']}", articles, [], 1, FIRST_PUBLISHED)
        except NewsdistillError as exc:  # scored as an empty summary, never skipped
            failed.append(f"{item['id']}: {exc}")
            digest = None
        seconds = time.perf_counter() - started
        if digest is None:
            for system in (ours, attributed, short, full):
                system.add("", references, seconds)
                system.verified.append(0.0)
        else:
            share = digest.verification.verified / max(digest.verification.sentences, 1)
            ours.add(cut(summary_view(digest), budget), references, seconds)
            attributed.add(cut(summary_view(digest, True), budget), references, seconds)
            short.add(cut(short_form(digest), budget), references, seconds)
            full.add(" ".join(summary_view(digest)), references, seconds)
            for system in (ours, attributed, short, full):
                system.verified.append(share)
        for name, summarize in baselines.items():
            started = time.perf_counter()
            text = cut(summarize(articles, budget), budget)
            scores[name].add(text, references, time.perf_counter() - started)
    return SummarizeEval(
        str(path),
        writer,
        judge_for(settings, writer),
        budget,
        len(items),
        failed,
        [ours, attributed, short, full, *scores.values()],
    )
