"""From a story's articles to a StoryBrief: code picks the evidence a writer may use.

Sentences are scored by centrality across sources (TF-IDF cosine to other outlets' sentences,
as in LexRank) and by how many outlets report them; near-identical sentences from different
outlets are grouped so that one statement carries every outlet behind it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsdistill.distill.facts import FactValue, find_disagreements, sentence_facts
from newsdistill.models import (
    Article,
    DatedEvent,
    Disagreement,
    EvidenceSentence,
    SectionKind,
    StoryBrief,
)
from newsdistill.nlp.dates import extract_dates
from newsdistill.nlp.embed import Embedder
from newsdistill.nlp.quantities import extract_quantities
from newsdistill.nlp.style import OFF_REGISTER, conditional, leans_on_previous, register_of
from newsdistill.nlp.text import Matrix, clean_sentence, similarity
from newsdistill.wording import ENGLISH, Wording

# Two sentences say the same thing above either similarity: shared words (TF-IDF cosine) or
# shared meaning (embedding cosine), which catches paraphrase ("freed 12" ~ "twelve brought up"),
# or when they share two specifics (see fact_anchors).
SAME_WORDS = 0.55
SAME_MEANING = 0.72
MEANING_POOL = 64
MAX_EVIDENCE = 48
MAX_EVENTS = 8
EVENTS_PER_DAY = 2
NEWS_POSITION = 2  # an article's news is in its first sentences; later ones are detail
# A statement in an outlet's own loud voice is worth less than the same fact said plainly.
HYPE_PENALTY = 0.05

_QUOTE = re.compile(r"[\"“](?:[^\"”\s]+\s+){3,}[^\"”]*[\"”]")  # a quote of 4+ words
_REACTION = re.compile(
    r"\b(condemn\w*|welcom\w*|criticis\w*|criticiz\w*|prais\w*|call(ed)? for|urg\w*|"
    r"denied|vow\w*|expressed|slammed|applaud\w*|demand\w*|apologi\w*|warned)\b",
    re.I,
)
_FORWARD = re.compile(
    r"\b(will|is expected to|are expected to|plans? to|planned|scheduled|next (week|month|"
    r"year)|due to|set to|is to|are to|later this (week|month|year)|upcoming|intends? to|"
    r"aims? to|is likely to|are likely to|could face)\b|"
    # "would" looks ahead in reported speech ("said it would appeal"), not in "as though
    # the final would follow the script".
    r"\b(said|says|told|announced|confirmed|promised|pledged|expects?|warned)\b[^.]{0,80}"
    r"\bwould\b(?!\s+have\b)",
    re.I,
)
_BACKGROUND = re.compile(
    r"\b(last (year|month|decade)|in (19|20)\d\d|previously|earlier this year|has long|"
    r"have long|was founded|was built|decades?|years ago|history|historic|since (19|20)\d\d|"
    r"the (first|last) time|record)\b",
    re.I,
)
_BOILERPLATE = re.compile(
    r"(reporting by|editing by|writing by|sign up|subscribe|newsletter|click here|"
    r"cookies?|all rights reserved|copyright|follow us|read more|related:|advertisement|"
    r"share this|©)",
    re.I,
)


def classify(sentence: str) -> SectionKind:
    """Which section a sentence belongs in, from its surface form."""
    if _QUOTE.search(sentence):
        return "reactions"
    if _FORWARD.search(sentence):
        return "next"
    if _BACKGROUND.search(sentence):
        return "background"
    if _REACTION.search(sentence):
        return "reactions"
    return "details"


def fact_anchors(sentence: str, published: dt.datetime, language: str | None = None) -> set[str]:
    """The checkable specifics of a sentence: calendar days and quantities. Two sentences that
    share two of them ("28 km" on "February 3, 2027") report the same thing, however worded."""
    days = {
        f"date:{d.value}"
        for d in extract_dates(sentence, published, language)
        if d.value is not None and d.granularity == "day"
    }
    amounts = {
        f"{q.kind}:{q.value:g}:{q.unit or ''}" for q in extract_quantities(sentence, language)
    }
    return days | amounts


def balanced_quotes(sentence: str) -> bool:
    """False for a piece of a quotation cut from its context (the splitter broke inside it):
    published alone, quoted words would read as the outlet's own statement."""
    return sentence.count('"') % 2 == 0 and sentence.count("“") == sentence.count("”")


def usable(sentence: str) -> bool:
    words = len(sentence.split())
    return 6 <= words <= 70 and not _BOILERPLATE.search(sentence) and balanced_quotes(sentence)


@dataclass
class Candidate:
    article: Article
    index: int  # position in article.sentences
    text: str
    score: float = 0.0
    leans: bool = False  # needs the sentence before it (see nlp.style.leans_on_previous)
    stale: bool = False


def stale(
    sentence: str, published: dt.datetime, latest: dt.datetime, language: str | None = None
) -> bool:
    """A sentence looking ahead to a day that had come by the story's latest report: what it
    says ("ready for tomorrow's final") was overtaken by what the newer reports tell."""
    return any(
        d.value is not None
        and d.granularity == "day"
        and published.date() < d.value <= latest.date()
        for d in extract_dates(sentence, published, language)
    )


def build_brief(
    story_id: str,
    articles: list[Article],
    embedder: Embedder,
    *,
    words: Wording = ENGLISH,
    foreign: Sequence[Article] = (),
) -> tuple[StoryBrief, list[FactValue]]:
    """Everything the writers and the verifier need for one story, deterministically.

    Evidence comes from `articles` (those in the digest's language); the numbers and dates of
    `foreign` (the story's sources in other languages) take part in the disagreements, which
    are worded in `words`."""
    latest = max(a.published for a in articles)
    candidates = [
        Candidate(
            a,
            i,
            clean_sentence(s),
            leans=leans_on_previous(clean_sentence(s)),
            stale=stale(clean_sentence(s), a.published, latest, a.language),
        )
        for a in articles
        for i, s in enumerate(a.sentences)
        if usable(clean_sentence(s))
    ]
    texts = [c.text for c in candidates]
    sims = similarity(texts)
    anchors = [fact_anchors(c.text, c.article.published, c.article.language) for c in candidates]
    outlets = [c.article.outlet for c in candidates]
    n = len(candidates)
    others = [[j for j in range(n) if outlets[j] != outlets[i]] for i in range(n)]
    same = [
        {j for j in others[i] if sims[i, j] >= SAME_WORDS or len(anchors[i] & anchors[j]) >= 2}
        for i in range(n)
    ]
    _score(candidates, sims, others, same, outlets)
    # Paraphrase needs meaning, and embedding is the costly step: only the strongest
    # candidates, the ones evidence is chosen from, are embedded.
    top = sorted(range(n), key=lambda i: -candidates[i].score)[:MEANING_POOL]
    vectors = embedder.embed([texts[i] for i in top])
    meaning = vectors @ vectors.T
    for a, i in enumerate(top):
        for b, j in enumerate(top):
            if outlets[i] != outlets[j] and meaning[a, b] >= SAME_MEANING:
                same[i].add(j)
    _score(candidates, sims, others, same, outlets)

    facts = [
        f
        for a in [*articles, *foreign]
        for i in range(len(a.sentences))
        for f in sentence_facts(a, i)
    ]
    disagreements = find_disagreements(facts, embedder, words)

    titles = [
        EvidenceSentence(
            number=k + 1,
            article_id=a.id or 0,
            sentence=-1,
            outlet=a.outlet,
            published=a.published,
            text=a.title,
        )
        for k, a in enumerate(articles)
    ]
    chosen = _choose(candidates, same)
    number_of: dict[int, int] = {ci: len(titles) + k + 1 for k, ci in enumerate(chosen)}
    position = {(c.article.id, c.index): ci for ci, c in enumerate(candidates)}
    evidence = []
    for ci in chosen:
        c = candidates[ci]
        support = sorted(number_of[j] for j in same[ci] if j in number_of)
        before = position.get((c.article.id, c.index - 1)) if c.leans else None
        evidence.append(
            EvidenceSentence(
                number=number_of[ci],
                article_id=c.article.id or 0,
                sentence=c.index,
                outlet=c.article.outlet,
                published=c.article.published,
                text=c.text,
                kind=classify(c.text),
                support=support,
                outlets=sorted({c.article.outlet, *(outlets[j] for j in same[ci])}),
                follows=number_of[before] if before is not None else None,
                stale=c.stale,
            )
        )
    brief = StoryBrief(
        story_id=story_id,
        titles=titles,
        evidence=evidence,
        disagreements=disagreements,
        events=_events(evidence, articles, _disputed_dates(disagreements)),
        outlets=sorted({a.outlet for a in articles}),
        language=words.language,
    )
    return brief, facts


def _score(
    candidates: list[Candidate],
    sims: Matrix,
    others: list[list[int]],
    same: list[set[int]],
    outlets: list[str],
) -> None:
    """Centrality across the other outlets, how many outlets report it, and lead position."""
    for i, c in enumerate(candidates):
        centrality = float(sims[i, others[i]].mean()) if others[i] else 0.0
        reporters = len({outlets[j] for j in same[i]}) + 1
        position = 1.0 - min(c.index, 10) / 10
        hype = register_of(c.text, c.article.outlet) != "plain"
        c.score = centrality + 0.08 * (reporters - 1) + 0.06 * position - HYPE_PENALTY * hype


def _choose(candidates: list[Candidate], same: list[set[int]]) -> list[int]:
    """The best-scored statements, each with the other outlets' versions of it, in score order.
    A sentence that leans on the one before it comes with that one (a writer may print the two
    together), or not at all when that one is not a candidate."""
    order = sorted(range(len(candidates)), key=lambda i: (-candidates[i].score, i))
    position = {(c.article.id, c.index): i for i, c in enumerate(candidates)}
    chosen: list[int] = []
    taken: set[int] = set()

    def take(i: int) -> None:
        if i in taken or len(chosen) >= MAX_EVIDENCE:
            return
        c = candidates[i]
        before = position.get((c.article.id, c.index - 1))
        if c.leans:
            if before is None or candidates[before].leans or len(chosen) + 2 > MAX_EVIDENCE:
                return
            take(before)
        chosen.append(i)
        taken.add(i)

    for i in order:
        if len(chosen) >= MAX_EVIDENCE:
            break
        if i in taken:
            continue
        take(i)
        if i not in taken:
            continue
        for j in sorted(same[i], key=lambda j: -candidates[j].score)[:3]:
            take(j)
    return chosen


def disputed_sentences(disagreements: list[Disagreement]) -> set[tuple[int, int | None]]:
    return {
        (c.article_id, c.sentence) for d in disagreements for v in d.values for c in v.citations
    }


def _disputed_dates(disagreements: list[Disagreement]) -> set[tuple[int, int | None]]:
    """The sentences stating one side of a disagreement on a date."""
    return disputed_sentences([d for d in disagreements if d.kind == "date"])


def _events(
    evidence: list[EvidenceSentence],
    articles: list[Article],
    disputed_dates: set[tuple[int, int | None]],
) -> list[DatedEvent]:
    """Dated developments, best-scored first, then in date order: each from a sentence at the
    top of its article (where news goes) or naming a calendar date outright, that reads on its
    own, in a plain voice, about something that happened or is set to (no "if"); one row per
    statement (another outlet's version of it, or one sentence naming two days, is not a second
    row), at most EVENTS_PER_DAY a day. A sentence stating one side of a disputed date dates
    no row (the date column would take that side); one stating a disputed figure may: assembly
    attributes it, and its row's label states no disputed value."""
    published = {a.id: a.published for a in articles}
    language = {a.id: a.language for a in articles}
    outlet = {a.id: a.outlet for a in articles}
    events: list[DatedEvent] = []
    covered: set[int] = set()
    per_day: dict[dt.date, int] = {}
    for e in evidence:
        if e.number in covered or e.follows is not None or e.stale or conditional(e.text):
            continue
        if (e.article_id, e.sentence) in disputed_dates:
            continue
        if register_of(e.text, outlet[e.article_id]) in OFF_REGISTER:
            continue
        days = [
            d
            for d in extract_dates(e.text, published[e.article_id], language[e.article_id])
            if d.value is not None and d.granularity == "day"
        ]
        explicit = any(re.search(r"\d", d.text) for d in days)
        if not days or (e.sentence > NEWS_POSITION and not explicit):
            continue
        day = days[0].value
        assert day is not None
        if per_day.get(day, 0) >= EVENTS_PER_DAY:
            continue
        per_day[day] = per_day.get(day, 0) + 1
        events.append(DatedEvent(date=day, evidence=e.number))
        covered.update([e.number, *e.support])
        if len(events) >= MAX_EVENTS:
            break
    return sorted(events, key=lambda ev: (ev.date, ev.evidence))
