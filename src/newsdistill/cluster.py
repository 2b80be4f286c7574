"""Incremental story clustering.

Each new article joins the best-matching recent story or opens a new one. The match is the
article's mean similarity to the story's members (average link), where the similarity of two
articles mixes meaning (cosine of the sentence embeddings of title and lead) with wording
(cosine of their TF-IDF word vectors, rarity counted over the articles seen so far). Words
carry what tells one event from another of the same kind (the places, people and numbers of
two earthquakes or two votes); meaning carries paraphrase across outlets. Average link, rather
than the closest member or a centroid alone, keeps a story from drifting as it grows: a new
article must resemble the story as a whole. A story also grows harder to join as it ages.

Across languages words do not match, so there two other signals stand in. Wording becomes the
TF-IDF cosine of the anchors, what reads the same in every language: names, numbers and the
day numbers of dates. Meaning comes from a multilingual embedding (`crosslingual`) whenever the
story holds a member in another language than the article; within one language the configured
embedder (MiniLM by default) keeps deciding, because it tells English events apart better
(docs/evaluation.md, "Multilingual"). A story's centroid holds both: the configured embedding's
mean, followed by the multilingual one's.

Story ids are derived from the first article, so they never change as a story grows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from newsdistill.models import Article
from newsdistill.nlp.embed import Embedder
from newsdistill.nlp.language import detect_language

if TYPE_CHECKING:
    from newsdistill.config import Settings

Vector = npt.NDArray[np.float32]
WordCounts = Mapping[str, int]
WordVector = tuple[dict[str, float], float]  # TF-IDF weight per word, and the vector's norm
WORDS = "words"  # the profile signal: word → count in an article, → member count in a story
ANCHORS = "anchors"  # names and numbers, compared across languages; counted like words
LANGUAGE = "language"  # an article's language code → 1 (a profile holds term → count maps)
LEAD_SENTENCES = 1  # title + lead sentence say what happened; more costs time, not accuracy
SIGNAL_CHARS = 3000  # the words of the first ~500 are enough to tell events apart


@dataclass
class ClusterState:
    """What the incremental clusterer keeps per story between runs (the store persists it)."""

    story_id: str
    centroid: Vector
    profile: dict[str, dict[str, float]]  # signal ("words") → term → member count
    first_published: dt.datetime
    last_updated: dt.datetime
    article_count: int
    headline: str
    members: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ClusterParams:
    """Tuned on the clustering dev split (see docs/evaluation.md)."""

    threshold: float = 0.25
    window_hours: float = 72.0  # candidates: stories with a member this close in time
    embedding_weight: float = 0.5  # the rest of the similarity is the TF-IDF word cosine
    age_penalty: float = 0.3  # per window of story age beyond `penalty_free_hours`
    penalty_free_hours: float = 48.0

    @classmethod
    def from_settings(cls, settings: Settings) -> ClusterParams:
        """These defaults with what the settings override."""
        given = {
            "threshold": settings.cluster_threshold,
            "window_hours": settings.cluster_window_hours,
        }
        return cls(**{k: v for k, v in given.items() if v is not None})


@dataclass(frozen=True)
class ArticleFeatures:
    article_id: int
    key: str  # stable text to derive a new story's id from (URL)
    title: str
    published: dt.datetime
    embedding: Vector
    words: WordCounts
    language: str | None = None
    anchors: WordCounts = field(default_factory=dict)
    crosslingual: Vector | None = None  # the multilingual embedding, when one is computed

    def profile(self) -> dict[str, dict[str, int]]:
        """What the store keeps of the article for clustering later arrivals."""
        profile = {WORDS: dict(self.words), ANCHORS: dict(self.anchors)}
        if self.language:
            profile[LANGUAGE] = {self.language: 1}
        return profile

    def vector(self) -> Vector:
        """What a story's centroid averages: the embedding, then the multilingual one."""
        if self.crosslingual is None:
            return self.embedding
        return np.concatenate([self.embedding, self.crosslingual]).astype(np.float32)

    def member(self) -> Member:
        return Member(self.words, self.anchors, self.language)


@dataclass(frozen=True)
class Member:
    """What the clusterer compares of a story's member."""

    words: WordCounts
    anchors: WordCounts
    language: str | None


@dataclass(frozen=True)
class Assignment:
    story_id: str
    created: bool
    score: float


def story_id_for(key: str) -> str:
    return "s" + hashlib.sha256(key.encode()).hexdigest()[:11]


def _counts(profile: Mapping[str, object], signal: str) -> dict[str, int]:
    terms = profile.get(signal)
    if not isinstance(terms, Mapping):
        return {}
    return {str(w): int(c) for w, c in terms.items()}


def member_words(profile: Mapping[str, object]) -> dict[str, int]:
    """An article's stored word counts (empty for a profile without them)."""
    return _counts(profile, WORDS)


def member(profile: Mapping[str, object]) -> Member:
    """A member's stored signals; a profile from before languages has no anchors or language."""
    language = next(iter(_counts(profile, LANGUAGE)), None)
    return Member(member_words(profile), _counts(profile, ANCHORS), language)


def same_language(a: str | None, b: str | None) -> bool:
    """Unknown counts as the same: without a language, words are all there is to compare."""
    return a is None or b is None or a == b


class Clusterer:
    """Holds recent stories in memory; `assign` is the whole per-article decision."""

    def __init__(
        self,
        params: ClusterParams,
        states: Sequence[ClusterState],
        member_profiles: Mapping[int, Mapping[str, object]],
    ) -> None:
        self.params = params
        self.states = {s.story_id: s for s in states}
        self._members: dict[str, list[Member]] = {
            s.story_id: [member(member_profiles.get(m, {})) for m in s.members] for s in states
        }
        # Document frequencies over the articles held, for rarity weights.
        self._df: dict[str, Counter[str]] = {WORDS: Counter(), ANCHORS: Counter()}
        for s in states:
            for signal, df in self._df.items():
                df.update({w: int(c) for w, c in s.profile.get(signal, {}).items()})
        self._seen = sum(s.article_count for s in states)
        # Each word's idf until the counts change (the next `assign`): a word of many members
        # is weighted once per article rather than once per member.
        self._idf: dict[str, dict[str, float]] = {WORDS: {}, ANCHORS: {}}

    def languages(self, features: Sequence[ArticleFeatures]) -> set[str]:
        """The languages of these articles and of the held stories' members: with one (or
        none known), no comparison crosses languages and the multilingual space is not used."""
        held = {m.language for members in self._members.values() for m in members}
        return {f.language for f in features if f.language} | {code for code in held if code}

    def idf(self, word: str, signal: str = WORDS) -> float:
        known = self._idf[signal]
        if word not in known:
            known[word] = math.log((self._seen + 1) / (self._df[signal][word] + 1)) + 1.0
        return known[word]

    def _weights(self, words: WordCounts, signal: str = WORDS) -> WordVector:
        """Sublinear-tf × idf weights of an article's words (or anchors), and their norm."""
        weights = {w: (1.0 + math.log(c)) * self.idf(w, signal) for w, c in words.items()}
        return weights, math.sqrt(sum(v * v for v in weights.values()))

    def word_similarity(self, words: WordCounts, story_id: str) -> float:
        """Mean TF-IDF cosine between the article and each member of the story."""
        article = Member(words, {}, None)
        return self._mean_cosine(article, self._weights(words), ({}, 0.0), story_id)

    @staticmethod
    def _cosine(mine: WordVector, theirs: WordVector) -> float:
        if not mine[1] or not theirs[1]:
            return 0.0
        dot = sum(v * theirs[0][w] for w, v in mine[0].items() if w in theirs[0])
        return dot / (mine[1] * theirs[1])

    def _mean_cosine(
        self, article: Member, words: WordVector, anchors: WordVector, story_id: str
    ) -> float:
        """Mean over the story's members of the TF-IDF cosine: of words with a member in the
        article's language, of anchors with one in another."""
        members = self._members.get(story_id, [])
        if not members:
            return 0.0
        total = 0.0
        for m in members:
            if same_language(article.language, m.language):
                total += self._cosine(words, self._weights(m.words))
            else:
                total += self._cosine(anchors, self._weights(m.anchors, ANCHORS))
        return total / len(members)

    def meaning(self, features: ArticleFeatures, state: ClusterState) -> float:
        """The article's mean embedding cosine with the story's members (the centroid is the
        mean of their unit vectors): in the multilingual space when the story holds another
        language and both sides have that space, else in the configured embedder's."""
        dim = len(features.embedding)
        other_language = any(
            not same_language(features.language, m.language)
            for m in self._members.get(state.story_id, [])
        )
        if other_language and features.crosslingual is not None and len(state.centroid) > dim:
            return float(features.crosslingual @ state.centroid[dim:])
        return float(features.embedding @ state.centroid[:dim])

    def score(self, features: ArticleFeatures, state: ClusterState) -> float:
        """How well the article fits the story: the threshold applies to this."""
        return self._score(features, *self._vectors(features), state)

    def _vectors(self, features: ArticleFeatures) -> tuple[WordVector, WordVector]:
        return self._weights(features.words), self._weights(features.anchors, ANCHORS)

    def _score(
        self,
        features: ArticleFeatures,
        words: WordVector,
        anchors: WordVector,
        state: ClusterState,
    ) -> float:
        p = self.params
        meaning = self.meaning(features, state)
        wording = self._mean_cosine(features.member(), words, anchors, state.story_id)
        age = max(
            abs((features.published - state.first_published).total_seconds()),
            abs((features.published - state.last_updated).total_seconds()),
        )
        aged = max(0.0, age / 3600 - p.penalty_free_hours) / p.window_hours
        similarity = p.embedding_weight * meaning + (1 - p.embedding_weight) * wording
        return similarity - p.age_penalty * aged

    def candidates(self, published: dt.datetime) -> list[ClusterState]:
        window = dt.timedelta(hours=self.params.window_hours)
        return [
            s
            for s in self.states.values()
            if s.first_published - window <= published <= s.last_updated + window
        ]

    def assign(
        self, features: ArticleFeatures, among: Collection[str] | None = None
    ) -> tuple[Assignment, ClusterState]:
        """Join the best candidate story or open a new one; with `among` (the store's nearest
        stories, store/vectors.py), only the candidates among those are scored."""
        self._df[WORDS].update(features.words.keys())
        self._df[ANCHORS].update(features.anchors.keys())
        self._seen += 1
        self._idf = {WORDS: {}, ANCHORS: {}}
        vectors = self._vectors(features)  # once, not once per candidate story
        best: tuple[float, ClusterState] | None = None
        for state in self.candidates(features.published):
            if among is not None and state.story_id not in among:
                continue
            score = self._score(features, *vectors, state)
            if best is None or score > best[0]:
                best = (score, state)
        if best is not None and best[0] >= self.params.threshold:
            state = best[1]
            self._join(state, features)
            return Assignment(state.story_id, False, best[0]), state
        state = ClusterState(
            story_id=story_id_for(features.key),
            centroid=features.vector().copy(),
            profile={
                WORDS: dict.fromkeys(features.words, 1.0),
                ANCHORS: dict.fromkeys(features.anchors, 1.0),
            },
            first_published=features.published,
            last_updated=features.published,
            article_count=1,
            headline=features.title,
            members=[features.article_id],
        )
        self.states[state.story_id] = state
        self._members[state.story_id] = [features.member()]
        return Assignment(state.story_id, True, best[0] if best else 0.0), state

    def _join(self, state: ClusterState, features: ArticleFeatures) -> None:
        n = state.article_count
        vector = features.vector()
        if len(vector) != len(state.centroid):
            # One side lacks the multilingual space (a story begun before it, or an article
            # embedded without it): the mean can only be kept of what all members have.
            vector = features.embedding
            state.centroid = state.centroid[: len(vector)]
        state.centroid = ((state.centroid * n + vector) / (n + 1)).astype(np.float32)
        for signal, terms in ((WORDS, features.words), (ANCHORS, features.anchors)):
            counts = state.profile.setdefault(signal, {})
            for w in terms:
                counts[w] = counts.get(w, 0.0) + 1.0
        state.article_count = n + 1
        state.first_published = min(state.first_published, features.published)
        state.last_updated = max(state.last_updated, features.published)
        state.members.append(features.article_id)
        self._members.setdefault(state.story_id, []).append(features.member())


_WORD = re.compile(r"\b\w\w+\b")


def word_counts(text: str) -> Counter[str]:
    """Words of a text (two letters or more, casefolded, no stop words) and their counts."""
    return Counter(w for w in _WORD.findall(text.casefold()) if w not in ENGLISH_STOP_WORDS)


# Numbers, with the thousands and decimal marks that differ by language ("1,200", "1.200",
# "1 200" with a narrow space): compared as their digits alone.
_NUMBER = re.compile(r"\d(?:[\d.,'\u00a0\u202f]*\d)?")
_NAME = re.compile(r"\b[^\W\d_][\w'’-]{2,}")


def _fold(word: str) -> str:
    """Casefolded without accents, so "Zürich" and "Zurich" are one anchor."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def anchor_counts(text: str) -> Counter[str]:
    """What reads the same in every language: capitalised words (names, and in German every
    noun, which rarity weights and other languages' spellings discount) and numbers, including
    the day and year of dates."""
    anchors: Counter[str] = Counter()
    for m in _NAME.finditer(text):
        if m.group()[0].isupper():
            folded = _fold(m.group())
            if folded not in ENGLISH_STOP_WORDS:
                anchors[folded] += 1
    for m in _NUMBER.finditer(text):
        anchors["#" + re.sub(r"\D", "", m.group())] += 1
    return anchors


def lead(article: Article) -> str:
    """What an article's embeddings are of: its title and lead."""
    return " ".join([article.title, *article.sentences[:LEAD_SENTENCES]])


def article_features(
    articles: Sequence[Article], embedder: Embedder, crosslingual: Embedder | None = None
) -> list[ArticleFeatures]:
    """What the clusterer compares: the embedding of title and lead (and, with `crosslingual`,
    their multilingual embedding), the words and anchors of the text's start, the language."""
    leads = [lead(a) for a in articles]
    vectors = embedder.embed(leads)
    multilingual = None
    if crosslingual is embedder:  # a multilingual configured embedder: one pass does both
        multilingual = vectors
    elif crosslingual is not None:
        multilingual = crosslingual.embed(leads)
    features = []
    for i, a in enumerate(articles):
        start = " ".join([a.title, *a.sentences])[:SIGNAL_CHARS]
        features.append(
            ArticleFeatures(
                article_id=a.id or 0,
                key=a.url,
                title=a.title,
                published=a.published,
                embedding=vectors[i],
                words=word_counts(start),
                language=a.language or detect_language(start),
                anchors=anchor_counts(start),
                crosslingual=None if multilingual is None else multilingual[i],
            )
        )
    return features


def with_crosslingual(
    features: Sequence[ArticleFeatures], leads: Sequence[str], crosslingual: Embedder
) -> list[ArticleFeatures]:
    """The features with the multilingual embeddings of their articles' `leads` added."""
    vectors = crosslingual.embed(leads)
    return [replace(f, crosslingual=v) for f, v in zip(features, vectors, strict=True)]


def complete_centroids(
    states: Sequence[ClusterState],
    dim: int,
    leads: Callable[[Sequence[int]], Mapping[int, str]],
    crosslingual: Embedder,
) -> None:
    """Give the stories whose centroid lacks the multilingual mean (begun, or joined, while
    all articles were in one language, which skips that embedding) the mean of their members'
    multilingual embeddings of their `leads` (article ids → lead), as if every member had had
    one all along."""
    lacking = [s for s in states if len(s.centroid) == dim]
    if not lacking:
        return
    texts = leads([m for s in lacking for m in s.members])
    ids = list(texts)
    vectors = dict(zip(ids, crosslingual.embed([texts[m] for m in ids]), strict=True))
    for state in lacking:
        members = [vectors[m] for m in state.members if m in vectors]
        if members:
            mean = np.mean(members, axis=0)
            state.centroid = np.concatenate([state.centroid, mean]).astype(np.float32)
