"""The extractive writer: no model, deterministic, always available.

It words nothing itself: every sentence is a source sentence, so it is faithful by construction.
What makes it read as a story is the choice and order of those sentences:
- a sentence that leans on the one before it in its article ("But he warned…") is printed right
  after that one, or not at all;
- the plain voice of wire and broadsheet reports: a sentence that shouts, exclaims or speaks in
  its outlet's own voice is never printed, and a hyped one only when no outlet says it plainly;
- what happened reads in time order, then background, reactions and what comes next; a forward
  look that later reports overtook ("ready for tomorrow's final") is left out; each fact once;
- timeline rows are labelled with the reporting article's title or a clause of the sentence,
  never a sentence cut off mid-clause;
- a short form (a summary of at most 60 words and 3 to 5 key points) for front pages and feeds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from newsdistill.config import Settings
from newsdistill.distill.brief import fact_anchors
from newsdistill.distill.facts import disputed_outlets
from newsdistill.models import (
    SUMMARY_MAX_WORDS,
    DatedEvent,
    DraftDigest,
    DraftEvent,
    DraftSection,
    DraftSentence,
    EvidenceSentence,
    SectionKind,
    StoryBrief,
)
from newsdistill.nlp.dates import extract_dates
from newsdistill.nlp.quantities import extract_quantities
from newsdistill.nlp.style import (
    MAX_PHRASE_WORDS,
    OFF_REGISTER,
    conditional,
    event_phrase,
    news_title,
    register_of,
)
from newsdistill.nlp.text import Matrix, similarity
from newsdistill.plugins import Register, hookimpl
from newsdistill.wording import ENGLISH
from newsdistill.writers.base import Writer

# The draft's headings; the Distiller words them in the digest's language.
HEADINGS: dict[SectionKind, str] = ENGLISH.headings
QUOTAS: dict[SectionKind, int] = {"details": 4, "background": 2, "reactions": 3, "next": 2}
PATH_AHEAD = 3
REDUNDANT = 0.45
RECENT_HOURS = 24
MAX_LEDE_WORDS = 45
KEY_POINTS = (3, 5)
MAX_KEY_POINT_WORDS = 30


class ExtractiveWriter:
    name = "extractive"

    def __init__(self, settings: Settings | None = None) -> None:
        del settings  # nothing to configure: the same brief always gives the same digest

    def write(self, brief: StoryBrief) -> DraftDigest:
        plan = _Plan(brief)
        headline = self._headline(brief)
        lede = plan.lede(headline)
        path = plan.pick([i for i in plan.order if plan.kind(i) == "next"], PATH_AHEAD)
        sections: list[DraftSection] = []
        body = list(lede)
        for kind, quota in QUOTAS.items():
            picked = plan.pick([i for i in plan.order if plan.kind(i) == kind], quota)
            if kind == "details":  # what happened, in the order it happened, after the lede
                picked = lede[1:] + plan.chronological(picked)
            body.extend(picked)
            if picked:
                sections.append(
                    DraftSection(
                        heading=HEADINGS[kind],
                        kind=kind,
                        sentences=[plan.draft(i) for i in picked],
                    )
                )
        if headline is None:  # no title fit to lead: the lede's main clause
            phrase = event_phrase(plan.draft(lede[0]).text) if lede else None
            headline = (
                DraftSentence(text=phrase, evidence=plan.draft(lede[0]).evidence)
                if phrase
                else self._headline(brief, plain=False)
            )
        assert headline is not None
        summary = plan.summary(lede)
        return DraftDigest(
            headline=headline,
            lede=plan.draft(lede[0]) if lede else headline,
            sections=sections,
            path_ahead=[plan.draft(i) for i in path],
            key_developments=plan.events(lede[:1]),
            summary=[plan.draft(i) for i in summary],
            key_points=[plan.draft(i) for i in plan.key_points(body, summary)],
        )

    def revise(self, brief: StoryBrief, sentence: DraftSentence, reason: str) -> DraftSentence:
        """Fall back to the first cited source sentence, verbatim."""
        by_number = brief.by_number()
        for number in sentence.evidence:
            if number in by_number:
                return _draft(by_number[number])
        return sentence

    def _headline(self, brief: StoryBrief, plain: bool = True) -> DraftSentence | None:
        """The title most like the other titles and the evidence (the story's centre), among
        the latest day's titles (a growing story is told by its newest turn) that take no side
        where sources disagree and, when `plain`, report news in a plain voice (an explainer's
        "What … means" or an "Analysis:" is no headline). None when no title fits."""
        titles = brief.titles
        texts = [t.text for t in titles] + [e.text for e in brief.evidence[:10]]
        sims = similarity(texts)
        recent = _recent(brief)
        pool = [
            i
            for i, t in enumerate(titles)
            if t.published >= recent
            and disputed_outlets(t.text, brief.disagreements, t.published, brief.language) is None
            and (not plain or (register_of(t.text, t.outlet) == "plain" and news_title(t.text)))
        ]
        if not pool and plain:
            return None
        best = max(pool or range(len(titles)), key=lambda i: (float(sims[i].sum()), -i))
        return _draft(titles[best])


class _Plan:
    """The choices for one story: which evidence may be printed, and what is already said."""

    def __init__(self, brief: StoryBrief) -> None:
        self.brief = brief
        self.evidence = brief.evidence
        self.order = list(range(len(self.evidence)))  # the brief's order: best first
        self.sims: Matrix = similarity([e.text for e in self.evidence])
        self.anchors = [fact_anchors(e.text, e.published, brief.language) for e in self.evidence]
        at = {e.number: i for i, e in enumerate(self.evidence)}
        self.at = at
        self.same = [{at[n] for n in e.support if n in at} for e in self.evidence]
        self.after: dict[int, list[int]] = {}
        for i, e in enumerate(self.evidence):
            if e.follows is not None and e.follows in at:
                self.after.setdefault(at[e.follows], []).append(i)
        self.register = [register_of(e.text, e.outlet) for e in self.evidence]
        self.used: list[int] = []
        self.labels: set[str] = set()
        self.recent = _recent(brief)

    def kind(self, i: int) -> SectionKind:
        return self.evidence[i].kind

    def iffy(self, i: int) -> bool:
        return conditional(self.evidence[i].text)

    def draft(self, i: int) -> DraftSentence:
        return _draft(self.evidence[i])

    def speakable(self, i: int, *, alone: bool = True) -> bool:
        """May be printed: current, in a fit voice, and (when `alone`) readable without the
        sentence before it. A hyped sentence only when no outlet says the same plainly."""
        e = self.evidence[i]
        if e.stale or (alone and e.follows is not None) or self.register[i] in OFF_REGISTER:
            return False
        if self.iffy(i) or (e.kind == "next" and e.published < self.recent):
            return False  # may never happen; or a look ahead that newer reports overtook
        if self.register[i] == "hype":
            return not any(self.register[j] == "plain" for j in self.same[i])
        return True

    def repeats(self, i: int, said: Sequence[int]) -> bool:
        """Says what one of `said` says: similar words, another outlet's version, or two of
        the same specifics (a day and an amount)."""
        return any(
            self.sims[i, j] >= REDUNDANT
            or j in self.same[i]
            or i in self.same[j]
            or len(self.anchors[i] & self.anchors[j]) >= 2
            for j in said
        )

    def pick(self, pool: list[int], count: int) -> list[int]:
        """Up to `count` sentences of `pool` (best first) that say something new, each followed
        by the sentences that lean on it, when they say something new too."""
        picked: list[int] = []
        for i in pool:
            if len(picked) >= count:
                break
            if not self.speakable(i) or self.repeats(i, self.used):
                continue
            picked.append(i)
            self.used.append(i)
            for d in self.after.get(i, []):
                if self.speakable(d, alone=False) and not self.repeats(d, self.used):
                    picked.append(d)
                    self.used.append(d)
        return picked

    def chronological(self, picked: list[int]) -> list[int]:
        """In the order reported (a leaning sentence stays right after its antecedent)."""
        units: list[list[int]] = []
        for i in picked:
            if self.evidence[i].follows is not None and units:
                units[-1].append(i)
            else:
                units.append([i])

        def when(unit: list[int]) -> tuple[dt.datetime, int]:
            e = self.evidence[unit[0]]
            return e.published, e.sentence

        return [i for unit in sorted(units, key=when) for i in unit]

    def lede(self, headline: DraftSentence | None) -> list[int]:
        """The opening of the report whose title is the headline, so that the two tell the
        same news; else an outlet's own opening sentence, from the latest day, that says what
        happened. Sentences that lean on it come after it."""
        short = [
            i
            for i in self.order
            if len(self.evidence[i].text.split()) <= MAX_LEDE_WORDS and self.register[i] == "plain"
        ]
        titled = (
            {self.brief.by_number()[n].article_id for n in headline.evidence} if headline else set()
        )
        same_report = [
            i
            for i in short
            if self.evidence[i].article_id in titled and self.evidence[i].sentence <= 1
        ]
        details = [i for i in short if self.kind(i) == "details"] or short
        opening = [
            i
            for i in details
            if self.evidence[i].sentence <= 1 and self.evidence[i].published >= self.recent
        ]
        for pool in (same_report, opening, details, self.order):
            chosen = self.pick(pool, 1)
            if chosen:
                return chosen  # the lede, then any sentence that leans on it
        return []

    def summary(self, lede: list[int]) -> list[int]:
        """The lede, then the best sentences that add to it, within SUMMARY_MAX_WORDS."""
        chosen = list(lede[:1])
        words = sum(len(self.evidence[i].text.split()) for i in chosen)
        for i in self.order:
            length = len(self.evidence[i].text.split())
            if words + length > SUMMARY_MAX_WORDS or i in chosen:
                continue
            plain = self.register[i] == "plain"  # the front page speaks plainly
            if plain and self.speakable(i) and not self.repeats(i, chosen):
                chosen.append(i)
                words += length
        return chosen

    def key_points(self, body: list[int], summary: list[int]) -> list[int]:
        """3 to 5 short, plain statements of the story, best first: first those the summary
        does not make, then (to reach 3) the summary's own beyond its lede."""
        low, high = KEY_POINTS
        points: list[int] = []
        for pool, said in ((body, summary), (self.order, summary), (summary[1:], summary[:1])):
            for i in pool:
                if len(points) >= high:
                    return points
                if (
                    len(self.evidence[i].text.split()) <= MAX_KEY_POINT_WORDS
                    and self.register[i] == "plain"
                    and i not in points
                    and self.speakable(i)
                    and not self.repeats(i, [*said, *points])
                ):
                    points.append(i)
            if len(points) >= low:
                break
        return points

    def events(self, lede: list[int]) -> list[DraftEvent]:
        """The brief's dated events as timeline rows, and the lede's own event when it names
        a day no row covers: the news the story leads with is always in the table."""
        events = list(self.brief.events)
        for i in lede:
            e = self.evidence[i]
            days = [
                d.value
                for d in extract_dates(e.text, e.published, self.brief.language)
                if d.value is not None and d.granularity == "day"
            ]
            # Covered by a row of the same day telling the same thing (another outlet's
            # version of it); a row of another day may share its figures, not its news.
            covered = any(
                ev.evidence == e.number
                or (days[:1] == [ev.date] and self.at.get(ev.evidence) in self.same[i])
                for ev in events
            )
            if days and not covered:
                events.append(DatedEvent(date=days[0], evidence=e.number))
        rows = [r for r in map(self.event, events) if r is not None]
        return sorted(rows, key=lambda r: r.date)

    def event(self, event: DatedEvent) -> DraftEvent | None:
        """A timeline row: the event's sentence, labelled by its article's title when the
        sentence opens that article, else by a clause of the sentence or of another outlet's
        version of it; no row when no label states the event without taking a side."""
        if event.evidence not in self.at:
            return None
        i = self.at[event.evidence]
        e = self.evidence[i]
        versions = [e, *(self.evidence[j] for j in sorted(self.same[i]))]
        label = _label(self.brief, versions, event.date, self.labels)
        if label is None:
            return None
        self.labels.add(label)
        return DraftEvent(event=label, date=event.date, details=_draft(e))


def _label(
    brief: StoryBrief, versions: list[EvidenceSentence], day: dt.date, taken: set[str]
) -> str | None:
    """A headline-style label of at most MAX_PHRASE_WORDS words for what the versions report:
    the title of an article that opens with the event on the day it happened (a title names
    its article's news of the day), else a clause of a version. Never one already used."""
    language = brief.language
    disputed = {
        n for d in brief.disagreements for v in d.values for n in _numbers_in(v.display, language)
    }
    titles = {t.article_id: t for t in brief.titles}

    def neutral(text: str) -> bool:
        return not (_numbers_in(text, language) & disputed) and register_of(text) == "plain"

    candidates: list[str | None] = []
    for e in versions:
        title = titles.get(e.article_id)
        if title is not None and e.sentence == 0 and abs((e.published.date() - day).days) <= 1:
            candidates.append(_title_label(title.text))
        candidates.append(event_phrase(e.text))
    details = versions[0].text.rstrip(".")
    for label in candidates:
        for text in (label, _without_leading_count(label, language) if label else None):
            if text and text not in taken and text != details and neutral(text):
                return text
    return None


def _title_label(title: str) -> str | None:
    text = title.strip().rstrip(".")
    if not 3 <= len(text.split()) <= MAX_PHRASE_WORDS or register_of(text) != "plain":
        return None
    return text


def _without_leading_count(label: str, language: str | None) -> str | None:
    """'Three workers killed in fire' → 'Workers killed in fire': a label may not take a side
    on a disputed count, but the event it names is not disputed."""
    quantities = extract_quantities(label, language)
    if not quantities or quantities[0].start != 0:
        return None
    rest = label[quantities[0].end :].strip()
    first = rest.split()[0] if rest else ""
    if not first.endswith("s") or len(rest.split()) < 3:
        return None
    return rest[:1].upper() + rest[1:]


def _numbers_in(text: str, language: str | None) -> set[str]:
    return {f"{q.value:g}" for q in extract_quantities(text, language) if q.kind == "count"}


def _recent(brief: StoryBrief) -> dt.datetime:
    """Start of the story's latest day of reporting."""
    return max(t.published for t in brief.titles) - dt.timedelta(hours=RECENT_HOURS)


def _draft(e: EvidenceSentence) -> DraftSentence:
    return DraftSentence(text=e.text, evidence=[e.number])


@hookimpl
def register_writers(register: Register[Writer]) -> None:
    register("extractive", ExtractiveWriter)
