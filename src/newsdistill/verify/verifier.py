"""The verifier: every sentence is checked against its sources before it is published.

One path for a digest's sentences, `newsdistill check` and `newsdistill eval factcheck`. For each
claim the evidence is its cited sentences (a summary checked from outside has none), the nearest
other source sentences by embedding, the best by shared words, and sentences that hold the
claim's numbers and names the others lack. A claim found word for word in its evidence is
supported outright; otherwise the hard checks (numbers, dates, names, quotations, rival counts)
must pass and the judge must score it at or above its threshold.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from newsdistill.models import Article, Citation, SourceSentence, Verification
from newsdistill.nlp.embed import Embedder
from newsdistill.verify.checks import fold, hard_checks, number_conflicts
from newsdistill.verify.judge import Judge, content_words, score_all

#: Evidence beyond the cited sentences: nearest by embedding, best by shared words.
NEAREST = 3
LEXICAL = 2
#: At most this many sentences are added to a claim's evidence to cover its words.
COVER_LIMIT = 2
#: Citations a verification keeps as its evidence.
SHOWN = 3

Decision = Literal["exact", "hard checks", "judge"]


class SourcePool:
    """The source sentences claims are checked against, embedded once on first use.

    `citations[k]` points at `sentences[k]`; sentences that come from no article (a file given
    to `newsdistill check`) are numbered in order.
    """

    def __init__(
        self,
        sentences: Sequence[SourceSentence],
        embedder: Embedder,
        citations: Sequence[Citation] | None = None,
    ) -> None:
        self.sentences = list(sentences)
        self.citations = (
            list(citations)
            if citations is not None
            else [
                Citation(article_id=0, sentence=k, outlet=s.outlet)
                for k, s in enumerate(self.sentences)
            ]
        )
        self._index = {(c.article_id, c.sentence): k for k, c in enumerate(self.citations)}
        self._folded = [fold(s.text) for s in self.sentences]
        self.words = [set(content_words(s.text)) for s in self.sentences]
        self.outlets = sorted({s.outlet for s in self.sentences if s.outlet})
        self._embedder = embedder
        self._vectors: npt.NDArray[np.float32] | None = None

    @classmethod
    def of_articles(cls, articles: Sequence[Article], embedder: Embedder) -> SourcePool:
        """Every title and sentence of `articles`."""
        sentences: list[SourceSentence] = []
        citations: list[Citation] = []
        for a in articles:
            for i, text in [(None, a.title), *enumerate(a.sentences)]:
                sentences.append(SourceSentence(text=text, outlet=a.outlet, published=a.published))
                citations.append(Citation(article_id=a.id or 0, sentence=i, outlet=a.outlet))
        return cls(sentences, embedder, citations)

    def vectors(self) -> npt.NDArray[np.float32]:
        if self._vectors is None:
            self._vectors = self._embedder.embed([s.text for s in self.sentences])
        return self._vectors

    def position(self, citation: Citation) -> int | None:
        return self._index.get((citation.article_id, citation.sentence))

    def contains(self, positions: Sequence[int], text: str) -> int | None:
        needle = fold(text)
        return next((p for p in positions if needle in self._folded[p]), None)

    def retrieve(
        self, text: str, vector: npt.NDArray[np.float32], cited: Sequence[int] = ()
    ) -> list[int]:
        """Positions of the evidence for a claim: the cited ones, the nearest by embedding,
        the best by words, then what covers the words they still lack.

        Lexical retrieval catches the sentence a claim copies names and numbers from when the
        embedding prefers a looser paraphrase, and vice versa.
        """
        if not self.sentences:
            return []
        sims = self.vectors() @ vector
        by_embedding = [int(i) for i in np.argsort(-sims, kind="stable")[:NEAREST]]
        words = content_words(text)
        recall = [sum(w in seen for w in words) for seen in self.words]
        by_words = sorted(range(len(recall)), key=lambda i: (-recall[i], -sims[i]))[:LEXICAL]
        chosen = list(dict.fromkeys([*cited, *by_embedding, *by_words]))
        return chosen + covering(text, self.words, chosen)


def covering(
    claim: str,
    sentence_words: Sequence[set[str]],
    chosen: Sequence[int],
    limit: int = COVER_LIMIT,
) -> list[int]:
    """Sentences to add to `chosen` so that the evidence holds the claim's words, greedily:
    each time the sentence with most of the words still missing (earliest on ties), where a
    number or a capitalised word counts three times.

    A summary sentence often joins facts from several source sentences ("$5bn in 2023" from
    one, the product from another); the nearest sentences by meaning can miss the one that
    holds a number or a name, and a hard check would then call it "in no source".
    """
    weights = _word_weights(claim)
    missing = set(weights).difference(*(sentence_words[i] for i in chosen))
    added: list[int] = []
    while missing and len(added) < limit:
        gains = [sum(weights[w] for w in missing & words) for words in sentence_words]
        best = max(range(len(gains)), key=lambda i: (gains[i], -i), default=None)
        if best is None or not gains[best]:
            break
        added.append(best)
        missing -= sentence_words[best]
    return added


_SPECIFIC = re.compile(r"\d|^[A-Z]")


def _word_weights(claim: str) -> dict[str, int]:
    """The claim's content words, weighted: numbers and names (capitalised past the first
    word) are what the hard checks look for."""
    words = set(content_words(claim))
    specific = {
        w
        for i, raw in enumerate(claim.split())
        if _SPECIFIC.search(raw) and (i > 0 or any(c.isdigit() for c in raw))
        for w in content_words(raw)
    }
    return {w: 3 if w in specific else 1 for w in words}


@dataclass(frozen=True)
class Checked:
    """A claim's verification, every sentence it was checked against, and what decided it."""

    verification: Verification
    evidence: list[SourceSentence]
    decided_by: Decision


@dataclass(frozen=True)
class _Undecided:
    """A claim the hard checks passed: the judge decides it."""

    text: str
    evidence: list[SourceSentence]
    citations: list[Citation]


class Verifier:
    """Checks claims against a pool of source sentences: hard checks first, then the judge.

    `language` is the claims' and the sources' one language (a digest's), which decides how
    numbers and dates are read; None reads them as English.
    """

    def __init__(self, judge: Judge, embedder: Embedder, language: str | None = None) -> None:
        self.judge = judge
        self.embedder = embedder
        self.language = language

    def verify(
        self,
        pool: SourcePool,
        claims: Sequence[tuple[str, Sequence[Citation]]],
        reference: dt.datetime | None = None,
        ignore_names: Sequence[str] = (),
    ) -> list[Verification]:
        """Verify a batch of (claim text, cited sources); texts should not carry attribution."""
        return [c.verification for c in self.check(pool, claims, reference, ignore_names)]

    def check(
        self,
        pool: SourcePool,
        claims: Sequence[tuple[str, Sequence[Citation]]],
        reference: dt.datetime | None = None,
        ignore_names: Sequence[str] = (),
    ) -> list[Checked]:
        """`verify`, keeping each claim's evidence and what decided its verdict.

        `reference` resolves relative dates in the claims ("on Tuesday"); `ignore_names` are
        names a claim may carry without a source naming them (the outlets, in attributions).
        """
        vectors = self.embedder.embed([text for text, _ in claims])
        checked = [
            self._before_judge(pool, text, cited, vectors[i], reference, ignore_names)
            for i, (text, cited) in enumerate(claims)
        ]
        # What the hard checks left undecided goes to the judge in one batch.
        undecided = [c for c in checked if isinstance(c, _Undecided)]
        scores = score_all(self.judge, [(c.text, [e.text for e in c.evidence]) for c in undecided])
        judged = iter(scores)
        return [self._judged(c, next(judged)) if isinstance(c, _Undecided) else c for c in checked]

    def _before_judge(
        self,
        pool: SourcePool,
        text: str,
        cited: Sequence[Citation],
        vector: npt.NDArray[np.float32],
        reference: dt.datetime | None,
        ignore_names: Sequence[str],
    ) -> Checked | _Undecided:
        cited_positions = [p for p in (pool.position(c) for c in cited) if p is not None]
        positions = pool.retrieve(text, vector, cited_positions)
        exact = pool.contains(positions, text)  # cited sentences come first
        if exact is not None:
            verification = Verification(
                verdict="supported",
                score=1.0,
                evidence=[pool.citations[exact]],
                checked_by="exact",
            )
            return Checked(verification, [pool.sentences[exact]], "exact")
        evidence = [pool.sentences[p] for p in positions]
        texts = [e.text for e in evidence]
        checks = hard_checks(text, evidence, reference, ignore_names, self.language)
        # "4 service members" against "three soldiers": a rival count for the same thing.
        checks.contradicted.extend(
            number_conflicts(text, texts, self.embedder, checks.contradicted, self.language)
        )
        reasons = checks.reasons()
        citations = [pool.citations[p] for p in positions[:SHOWN]]
        if reasons:
            # A failed hard check decides alone; the judge (maybe an LLM call) is not asked.
            verification = Verification(
                verdict="contradicted" if checks.contradicted else "unsupported",
                score=0.0,
                evidence=citations,
                reasons=reasons,
                checked_by="hard checks",
            )
            return Checked(verification, evidence, "hard checks")
        return _Undecided(text, evidence, citations)

    def _judged(self, claim: _Undecided, score: float) -> Checked:
        supported = score >= self.judge.threshold
        reasons: list[str] = []
        if not supported:
            reasons.append(f"{self.judge.name} judge: support {score:.2f} < {self.judge.threshold}")
        verification = Verification(
            verdict="supported" if supported else "unsupported",
            score=round(score, 4),
            evidence=claim.citations,
            reasons=reasons,
            checked_by=self.judge.name,
        )
        return Checked(verification, claim.evidence, "judge")
