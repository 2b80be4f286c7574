"""Hard checks that no model can overrule.

Every number, date, named entity and quotation in a claim must be found in the evidence that
supports it. A number for which the evidence gives a different value of the same kind of count is
a contradiction, not just a gap ("four soldiers" where the source says "three soldiers"), and so
is a count whose surrounding words mean the same as a rival count's (`number_conflicts`, which
compares them by embedding).

Claim and evidence are read in one `language` (ISO 639-1; English when None): the digest's,
whose sources are the ones a claim is checked against. Its numbers, dates and names are read
with that language's rules (see the nlp modules).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from newsdistill.models import SourceSentence
from newsdistill.nlp.dates import DateMention, extract_dates, same_date
from newsdistill.nlp.embed import Embedder
from newsdistill.nlp.entities import Entity, entity_key, extract_entities
from newsdistill.nlp.quantities import Quantity, extract_quantities

_QUOTED = re.compile(r"[\"“”]([^\"“”]{10,}?)[\"“”]")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.I)
_NON_WORD = re.compile(r"[^\w]+")
_ACRONYM = re.compile(r"\b(?:\w\.){2,}")
# A name in capitals ("US", "WHO") folds to a common word ("us", "who"): matched as written.
_CAPITALS = re.compile(r"[A-Z]{2,6}")
# Endings that turn a country into its people or language and back: "China" / "Chinese",
# "Russia" / "Russian", "Israel" / "Israeli", "Britain" / "British".
_DEMONYM_ENDINGS = ("ians", "ans", "ese", "ish", "ian", "ain", "an", "ia", "a", "i", "n", "s")

# Words either side of a number, within its clause, say what is counted ("that killed 4
# American service members"); compared by embedding they tell a rival count from another one.
_WINDOW = 3
_CLAUSE_END = re.compile(r"[,;:()\[\]—–]|\.(?:\s|$)")
#: Cosine between two numbers' contexts above which they count the same thing.
SAME_COUNT_CONTEXT = 0.6
_COUNTABLE = frozenset({"count", "number"})


@dataclass
class CheckResult:
    unsupported: list[str] = field(default_factory=list)
    contradicted: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unsupported and not self.contradicted

    def reasons(self) -> list[str]:
        return [*self.contradicted, *self.unsupported]


def fold(text: str) -> str:
    """Case, accents, quote styles and punctuation folded away: for containment tests."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " " + _NON_WORD.sub(" ", text.casefold()).strip() + " "


def _same_quantity(a: Quantity, b: Quantity) -> bool:
    if a.kind == "money" or b.kind == "money":
        return a.kind == b.kind and a.unit == b.unit and abs(a.value - b.value) < 1e-6 * a.value
    return abs(a.value - b.value) < 1e-9


def check_numbers(
    claim: str, evidence: Sequence[SourceSentence], language: str | None = None
) -> CheckResult:
    result = CheckResult()
    found = [q for e in evidence for q in extract_quantities(e.text, language)]
    for q in extract_quantities(claim, language):
        if any(_same_quantity(q, s) for s in found):
            continue
        rivals = [
            s
            for s in found
            if s.kind == q.kind and q.unit is not None and s.unit == q.unit and s.value != q.value
        ]
        if rivals:
            result.contradicted.append(
                f"sources give {rivals[0].text} {q.unit or ''}, not {q.text}".replace("  ", " ")
            )
        else:
            result.unsupported.append(f"the number '{q.text}' is in no source")
    return result


def check_dates(
    claim: str,
    evidence: Sequence[SourceSentence],
    reference: dt.datetime | None,
    language: str | None = None,
) -> CheckResult:
    """Dates must match a date in the evidence, each side resolved against its own publication.

    Without a reference time, a bare weekday ("on Thursday") can only be matched by name, or by
    an evidence date that falls on that weekday.
    """
    result = CheckResult()
    stated = [(d, e) for e in evidence for d in extract_dates(e.text, e.published, language)]
    folded = fold(" ".join(e.text for e in evidence))
    for mention in extract_dates(claim, reference, language):
        weekday = _WEEKDAY.fullmatch(mention.text.strip().removeprefix("on ").strip())
        if weekday and reference is None:
            name = weekday.group(1).lower()
            on_that_day = any(
                d.value is not None
                and d.granularity == "day"
                and _WEEKDAYS[d.value.weekday()] == name
                for d, _ in stated
            )
            if f" {name} " not in folded and not on_that_day:
                result.unsupported.append(f"no source says it happened on {name.title()}")
            continue
        if mention.value is None:
            if fold(mention.text) not in folded:
                result.unsupported.append(f"the date '{mention.text}' is in no source")
            continue
        if any(_dates_match(mention, d) for d, _ in stated):
            continue
        result.unsupported.append(f"the date '{mention.text}' is in no source")
    return result


def _dates_match(a: DateMention, b: DateMention) -> bool:
    return a.value is not None and b.value is not None and same_date(a, b)


def check_entities(
    claim: str,
    evidence: Sequence[SourceSentence],
    entities: Sequence[Entity] | None = None,
    ignore: Sequence[str] = (),
    language: str | None = None,
) -> CheckResult:
    """Each named person, place or organisation must be named in the evidence too."""
    result = CheckResult()
    # "U.S." in a source is "US" to a claim's key, as entity_key drops the dots.
    undotted = _ACRONYM.sub(
        lambda m: m.group(0).replace(".", ""), " ".join(e.text for e in evidence)
    )
    folded = fold(undotted)
    skip = {entity_key(name) for name in ignore}
    mentions = entities if entities is not None else extract_entities([claim], language)[0]
    for ent in mentions:
        key = entity_key(ent.text)
        if not key or key in skip:
            continue
        capitals = _capitals(ent.text)
        if capitals is not None:
            if not re.search(rf"\b{capitals}\b", undotted):
                result.unsupported.append(f"'{ent.text}' is named in no source")
            continue
        words = fold(key).split()
        # A surname alone ("Haddad") stands for the full name ("Lina Haddad") and vice versa a
        # full name is supported when every part of it is named.
        if all(f" {w} " in folded for w in words):
            continue
        if len(words) == 1 and _demonym_stems(words[0]) & {
            stem for w in folded.split() for stem in _demonym_stems(w)
        }:
            continue
        result.unsupported.append(f"'{ent.text}' is named in no source")
    return result


def _capitals(name: str) -> str | None:
    """The name as an acronym in capitals ("the U.S.'s" → "US"), or None if it is not one."""
    bare = re.sub(r"['’]s?$", "", name.strip()).replace(".", "").removeprefix("the ").strip()
    return bare if _CAPITALS.fullmatch(bare) else None


def _demonym_stems(word: str) -> set[str]:
    """The word and what is left of it without a demonym ending (stems of 4+ letters)."""
    stems = {word[: -len(e)] for e in _DEMONYM_ENDINGS if word.endswith(e)} | {word}
    return {s for s in stems if len(s) >= 4}


def check_quotes(claim: str, evidence: Sequence[SourceSentence]) -> CheckResult:
    """A quotation must match a source word for word (quote marks and spacing aside)."""
    result = CheckResult()
    folded = [fold(e.text) for e in evidence]
    for m in _QUOTED.finditer(claim):
        quote = fold(m.group(1))
        if not any(quote in f for f in folded):
            result.unsupported.append(f"the quotation “{m.group(1).strip()}” matches no source")
    return result


def hard_checks(
    claim: str,
    evidence: Sequence[SourceSentence],
    reference: dt.datetime | None = None,
    ignore_names: Sequence[str] = (),
    language: str | None = None,
) -> CheckResult:
    """All hard checks together."""
    result = CheckResult()
    for part in (
        check_numbers(claim, evidence, language),
        check_dates(claim, evidence, reference, language),
        check_entities(claim, evidence, ignore=ignore_names, language=language),
        check_quotes(claim, evidence),
    ):
        result.unsupported.extend(part.unsupported)
        result.contradicted.extend(part.contradicted)
    return result


def _context(sentence: str, q: Quantity) -> str:
    before, after = sentence[: q.start], sentence[q.end :]
    starts = [m.end() for m in _CLAUSE_END.finditer(before)]
    if starts:
        before = before[starts[-1] :]
    end = _CLAUSE_END.search(after)
    if end:
        after = after[: end.start()]
    return " ".join([*before.split()[-_WINDOW:], *after.split()[:_WINDOW]])


def number_conflicts(
    claim: str,
    evidence: Sequence[str],
    embedder: Embedder,
    already: Sequence[str] = (),
    language: str | None = None,
) -> list[str]:
    """Counts in the claim that an evidence sentence gives differently for the same thing.

    The hard check only sees a rival when both numbers carry the same unit noun ("three
    soldiers" / "four soldiers"); here a rival is any count in the evidence whose surrounding
    words mean the same as the claim's ("death of three American soldiers" / "killed 4
    American service members"). Numbers found in the evidence, or named in `already`, are left
    alone.
    """
    stated = [(s, q) for s in evidence for q in extract_quantities(s, language)]
    values = {q.value for _, q in stated}
    mine = [
        q
        for q in extract_quantities(claim, language)
        if q.kind in _COUNTABLE and q.value not in values and not any(q.text in a for a in already)
    ]
    rivals = [(s, q) for s, q in stated if q.kind in _COUNTABLE]
    if not mine or not rivals:
        return []
    vectors = embedder.embed(
        [_context(claim, q) for q in mine] + [_context(s, q) for s, q in rivals]
    )
    sims = vectors[: len(mine)] @ vectors[len(mine) :].T
    out = []
    for i, q in enumerate(mine):
        j = int(np.argmax(sims[i]))
        if sims[i, j] >= SAME_COUNT_CONTEXT:
            source, rival = rivals[j]
            out.append(f"sources give {rival.text} ({_context(source, rival)!r}), not {q.text}")
    return out
