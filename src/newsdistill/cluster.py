"""Incremental story clustering.

Each new article joins the best-matching recent story or opens a new one. The match score mixes
meaning (sentence embedding of title and lead, against the story centroid and its closest
member) with what is specific to one event: the proper names (places, people, organisations)
and the rare content words ("rent cap" against "data retention") the story's members share,
each weighted by rarity, less a penalty for distance in time. Meaning alone cannot tell two
earthquakes or two votes apart; the specifics can. Story ids are derived from the first
article, so they never change as a story grows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from newsdistill.models import Article
from newsdistill.nlp.embed import Embedder
from newsdistill.store import ClusterState
from newsdistill.verify.judge import STOPWORDS

Vector = npt.NDArray[np.float32]
SIGNALS = ("names", "terms")
LEAD_SENTENCES = 1  # title + lead sentence say what happened; more costs time, not accuracy
SIGNAL_CHARS = 3000  # names and words of the first ~500 words are enough to tell events apart


@dataclass(frozen=True)
class ClusterParams:
    """Tuned on the clustering dev split (see docs/evaluation.md)."""

    threshold: float = 0.4
    window_hours: float = 72.0
    weights: Mapping[str, float] = field(default_factory=lambda: {"names": 0.2, "terms": 0.1})
    member_weight: float = 0.3
    time_penalty: float = 0.3  # subtracted per window of distance in time beyond a day


@dataclass(frozen=True)
class ArticleFeatures:
    article_id: int
    key: str  # stable text to derive a new story's id from (URL)
    title: str
    published: dt.datetime
    embedding: Vector
    signals: Mapping[str, frozenset[str]]  # "names", "terms" → the article's set

    def profile(self) -> dict[str, list[str]]:
        return {name: sorted(values) for name, values in self.signals.items()}


@dataclass(frozen=True)
class Assignment:
    story_id: str
    created: bool
    score: float


def story_id_for(key: str) -> str:
    return "s" + hashlib.sha256(key.encode()).hexdigest()[:11]


class Clusterer:
    """Holds recent stories in memory; `assign` is the whole per-article decision."""

    def __init__(
        self,
        params: ClusterParams,
        states: Sequence[ClusterState],
        member_vectors: Mapping[int, Vector],
    ) -> None:
        self.params = params
        self.states = {s.story_id: s for s in states}
        self._members: dict[str, list[Vector]] = {
            s.story_id: [member_vectors[m] for m in s.members if m in member_vectors]
            for s in states
        }
        # Document frequencies over the articles seen, for rarity weights.
        self._df: dict[str, Counter[str]] = {name: Counter() for name in SIGNALS}
        for s in states:
            for name, terms in s.profile.items():
                self._df.setdefault(name, Counter()).update({t: int(c) for t, c in terms.items()})
        self._seen = sum(s.article_count for s in states)

    def idf(self, signal: str, term: str) -> float:
        return math.log((self._seen + 1) / (self._df[signal][term] + 1)) + 1.0

    def overlap(self, signal: str, terms: frozenset[str], state: ClusterState) -> float:
        """Share of the article's terms (rarity-weighted) that the story's members also use."""
        known_terms = state.profile.get(signal, {})
        total = sum(self.idf(signal, t) for t in terms)
        if not total or not known_terms:
            return 0.0
        members = max(state.article_count, 1)
        known = sum(
            self.idf(signal, t) * min(1.0, 2.0 * known_terms.get(t, 0.0) / members) for t in terms
        )
        return known / total

    def score(self, features: ArticleFeatures, state: ClusterState) -> float:
        p = self.params
        centroid = state.centroid / max(float(np.linalg.norm(state.centroid)), 1e-9)
        sim = float(features.embedding @ centroid)
        members = self._members.get(state.story_id)
        if members:
            closest = max(float(features.embedding @ v) for v in members)
            sim = (1 - p.member_weight) * sim + p.member_weight * closest
        # Signals the article has none of (a headline-only tabloid item) are left out, not
        # counted as a mismatch.
        weights = {n: w for n, w in p.weights.items() if features.signals.get(n)}
        total = sim * (1 - sum(weights.values()))
        for name, weight in weights.items():
            total += weight * self.overlap(name, features.signals[name], state)
        gap = abs((features.published - state.last_updated).total_seconds()) / 3600
        return total - p.time_penalty * max(0.0, gap - 24.0) / p.window_hours

    def candidates(self, published: dt.datetime) -> list[ClusterState]:
        window = dt.timedelta(hours=self.params.window_hours)
        return [
            s
            for s in self.states.values()
            if s.first_published - window <= published <= s.last_updated + window
        ]

    def assign(self, features: ArticleFeatures) -> tuple[Assignment, ClusterState]:
        for name, values in features.signals.items():
            self._df.setdefault(name, Counter()).update(values)
        self._seen += 1
        best: tuple[float, ClusterState] | None = None
        for state in self.candidates(features.published):
            score = self.score(features, state)
            if best is None or score > best[0]:
                best = (score, state)
        if best is not None and best[0] >= self.params.threshold:
            state = best[1]
            self._join(state, features)
            return Assignment(state.story_id, False, best[0]), state
        state = ClusterState(
            story_id=story_id_for(features.key),
            centroid=features.embedding.copy(),
            profile={n: dict.fromkeys(v, 1.0) for n, v in features.signals.items()},
            first_published=features.published,
            last_updated=features.published,
            article_count=1,
            headline=features.title,
            members=[features.article_id],
        )
        self.states[state.story_id] = state
        self._members[state.story_id] = [features.embedding]
        return Assignment(state.story_id, True, best[0] if best else 0.0), state

    def _join(self, state: ClusterState, features: ArticleFeatures) -> None:
        n = state.article_count
        state.centroid = ((state.centroid * n + features.embedding) / (n + 1)).astype(np.float32)
        for name, values in features.signals.items():
            counts = state.profile.setdefault(name, {})
            for v in values:
                counts[v] = counts.get(v, 0.0) + 1.0
        state.article_count = n + 1
        state.first_published = min(state.first_published, features.published)
        state.last_updated = max(state.last_updated, features.published)
        state.members.append(features.article_id)
        self._members.setdefault(state.story_id, []).append(features.embedding)


_WORD = re.compile(r"[a-z][a-z'-]{2,}")


def key_terms(text: str) -> frozenset[str]:
    """Content words of a text, crudely stemmed, for the "terms" signal."""
    return frozenset(
        _stem(w) for w in _WORD.findall(text.casefold()) if w not in STOPWORDS and len(w) > 3
    )


def _stem(word: str) -> str:
    for suffix in ("ing", "ies", "es", "ed", "s", "'s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december".split()
)
_NAME = re.compile(r"\b[A-Z][\w'’-]+(?:\s+(?:of|de|la|al|van|von)?\s*[A-Z][\w'’-]+)*")


def proper_names(text: str) -> frozenset[str]:
    """Capitalised phrases ("Port Semmet", "National Assembly"), casefolded: a fast stand-in
    for named entities that costs no model time, so clustering keeps up with a busy stream."""
    out = set()
    for m in _NAME.finditer(text):
        words = m.group(0).split()
        while words and (words[0].casefold() in STOPWORDS or words[0].casefold() in _CALENDAR):
            words = words[1:]  # a sentence-initial "The", "In", "But" is no name
        if words and (len(words) > 1 or len(words[0]) > 2):
            out.add(" ".join(words).casefold().replace("’", "'").removesuffix("'s"))
    return frozenset(out)


def article_features(articles: Sequence[Article], embedder: Embedder) -> list[ArticleFeatures]:
    """What the clusterer compares: the embedding of title and lead, and the proper names and
    content words of the text's start."""
    leads = [" ".join([a.title, *a.sentences[:LEAD_SENTENCES]]) for a in articles]
    vectors = embedder.embed(leads)
    features = []
    for i, a in enumerate(articles):
        text = " ".join([a.title, *a.sentences])[:SIGNAL_CHARS]
        features.append(
            ArticleFeatures(
                article_id=a.id or 0,
                key=a.url,
                title=a.title,
                published=a.published,
                embedding=vectors[i],
                signals={"names": proper_names(text), "terms": key_terms(text)},
            )
        )
    return features
