"""Comparable facts: the values each outlet gives for the same fact, and where they differ.

A fact is keyed by what is counted (people killed, people injured, a fine in euros) or by which
scheduled event a date belongs to (the hearing, the vote). Code decides these; no model does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from newsdistill.models import Article, Citation, Disagreement, DisagreementValue
from newsdistill.nlp.dates import extract_dates
from newsdistill.nlp.quantities import Quantity, extract_quantities

# What a count of people is a count of, by the words around it.
_OUTCOMES: dict[str, tuple[str, re.Pattern[str]]] = {
    "killed": (
        "the number of people killed",
        re.compile(r"\b(kill\w*|died|dead|deaths?|death toll|lost their lives|fatal\w*)\b", re.I),
    ),
    "injured": (
        "the number of people injured",
        re.compile(r"\b(injur\w*|wounded|hurt|hospitali[sz]ed)\b", re.I),
    ),
    "missing": ("the number of people missing", re.compile(r"\bmissing\b", re.I)),
    "arrested": (
        "the number of people arrested",
        re.compile(r"\b(arrest\w*|detained|in custody)\b", re.I),
    ),
    "evacuated": (
        "the number of people evacuated",
        re.compile(r"\b(evacuat\w*|displaced|homeless)\b", re.I),
    ),
}
_PEOPLE = re.compile(
    r"^(people|persons?|workers?|soldiers?|troops?|residents?|passengers?|children|child|"
    r"students?|employees?|staff|firefighters?|officers?|civilians?|miners?|patients?|"
    r"victims?|men|man|women|woman|villagers?|crew|members?|pupils?|migrants?|"
    r"casualties|tourists?|climbers?|fishermen|visitors?|suspects?|protesters?|others)$",
    re.I,
)
# Scheduled or dated events whose date outlets may state differently.
_EVENT_NOUNS = re.compile(
    r"\b(hearing|vote|trial|inquest|election|meeting|summit|strike|launch|deadline|funeral|"
    r"ceremony|referendum|sentencing|debate|session|talks|inquiry|reopening|opening|closure|"
    r"walkout|ballot|verdict|auction|match|final|release|announcement)\b",
    re.I,
)
_MONEY_NOUNS = re.compile(
    r"\b(fine|damages|budget|package|loan|deal|cost|bill|compensation|funding|investment|"
    r"price|bail|reward|payout|penalty|bond|grant|contract|settlement|aid)\b",
    re.I,
)


def _count_key(sentence: str, q: Quantity) -> tuple[str, str] | None:
    """The outcome word nearest the number says what it counts ("3 dead and 12 hurt")."""
    if q.unit is not None and not _PEOPLE.match(q.unit):
        return None
    best: tuple[int, str, str] | None = None
    for key, (label, pattern) in _OUTCOMES.items():
        for m in pattern.finditer(sentence):
            distance = max(m.start() - q.end, q.start - m.end(), 0)
            if distance <= 60 and (best is None or distance < best[0]):
                best = (distance, f"count:{key}", label)
    return None if best is None else (best[1], best[2])


def _nearest(pattern: re.Pattern[str], sentence: str, start: int, end: int) -> str | None:
    best: tuple[int, str] | None = None
    for m in pattern.finditer(sentence):
        distance = max(m.start() - end, start - m.end(), 0)
        if distance <= 60 and (best is None or distance < best[0]):
            best = (distance, m.group(1).lower())
    return None if best is None else best[1]


def _format_number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


@dataclass(frozen=True)
class FactMention:
    fact: str
    label: str
    kind: str
    value: str
    display: str


@dataclass(frozen=True)
class FactValue(FactMention):
    """A fact as one outlet's sentence states it."""

    article_id: int
    sentence: int
    outlet: str
    published: dt.datetime


def facts_in(sentence: str, published: dt.datetime | None) -> list[FactMention]:
    """The comparable facts a sentence states; dates resolve against `published`."""
    out: list[FactMention] = []
    for q in extract_quantities(sentence):
        if q.kind == "count":
            found = _count_key(sentence, q)
            if found:
                out.append(
                    FactMention(found[0], found[1], "number", _format_number(q.value), q.text)
                )
        elif q.kind == "money" and q.unit:
            noun = _nearest(_MONEY_NOUNS, sentence, q.start, q.end)
            if noun:
                value = f"{q.unit} {_format_number(q.value)}"
                out.append(
                    FactMention(
                        f"money:{noun}", f"the amount of the {noun}", "number", value, q.text
                    )
                )
    for d in extract_dates(sentence, published):
        if d.value is None or d.granularity != "day":
            continue
        noun = _nearest(_EVENT_NOUNS, sentence, d.start, d.end)
        if noun:
            out.append(
                FactMention(
                    f"date:{noun}", f"the date of the {noun}", "date", d.value.isoformat(), d.text
                )
            )
    return out


def sentence_facts(article: Article, index: int) -> list[FactValue]:
    """The comparable facts stated in one sentence of an article, attributed to its outlet."""
    return [
        FactValue(
            m.fact,
            m.label,
            m.kind,
            m.value,
            m.display,
            article_id=article.id or 0,
            sentence=index,
            outlet=article.outlet,
            published=article.published,
        )
        for m in facts_in(article.sentences[index], article.published)
    ]


def find_disagreements(facts: list[FactValue]) -> list[Disagreement]:
    """Facts for which outlets give different values; each value keeps its sources.

    One outlet repeating a figure in several sentences counts once; an outlet that gives two
    values for the same fact itself (e.g. "three dead, one of them a firefighter, four hurt")
    is too ambiguous to set against others, so only each outlet's most frequent value counts.
    """
    by_fact: dict[str, list[FactValue]] = defaultdict(list)
    for f in facts:
        by_fact[f.fact].append(f)
    out: list[Disagreement] = []
    for key in sorted(by_fact):
        values = by_fact[key]
        per_outlet: dict[str, dict[str, list[FactValue]]] = defaultdict(lambda: defaultdict(list))
        for f in values:
            per_outlet[f.outlet][f.value].append(f)
        chosen: dict[str, list[FactValue]] = defaultdict(list)
        for outlet_values in per_outlet.values():
            value, items = max(outlet_values.items(), key=lambda kv: (len(kv[1]), kv[0]))
            chosen[value].extend(items)
        if len(chosen) < 2:
            continue
        ordered = sorted(chosen.items(), key=lambda kv: (-len({f.outlet for f in kv[1]}), kv[0]))
        out.append(
            Disagreement(
                fact=values[0].label,
                kind="date" if values[0].kind == "date" else "number",
                values=[
                    DisagreementValue(
                        value=value,
                        display=_common_display(items),
                        outlets=sorted({f.outlet for f in items}),
                        citations=[
                            Citation(article_id=f.article_id, sentence=f.sentence, outlet=f.outlet)
                            for f in items
                        ],
                    )
                    for value, items in ordered
                ],
            )
        )
    return out


def _common_display(items: list[FactValue]) -> str:
    counts: dict[str, int] = defaultdict(int)
    for f in items:
        counts[f.display] += 1
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]


def disagreement_sentence(d: Disagreement) -> str:
    """The in-place sentence showing every side: 'Sources differ on …: three (A) or 4 (B).'"""
    sides = " or ".join(f"{v.display} ({', '.join(v.outlets)})" for v in d.values)
    return f"Sources differ on {d.fact}: {sides}."
