"""What changed between two versions of a story's digest: pure functions over `Digest`s.

A disagreement counts as new when its fact or who says what changed (a new outlet joining
one side is news to a reader); it is settled when the new version no longer has it.

Sentences compare as the story reads (`Digest.body()`), by their text with spacing and case
folded. Numbers compare as comparable facts (`distill.facts.facts_in`: counts of people killed,
amounts of a fine, dates of a hearing), so "three killed" in one version and "four people
died" in the next is one changed number even though the sentences differ.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from newsdistill.distill.facts import UNKEYED, facts_in
from newsdistill.models import Claim, Digest, Disagreement, SourceRef


@dataclass(frozen=True)
class NumberChange:
    """A fact both versions state, with different values (as each version wrote them)."""

    label: str  # e.g. "the number of people killed"
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class DigestChanges:
    old_version: int
    new_version: int
    headline: tuple[str, str] | None  # (before, after) when it was reworded
    new_sources: tuple[SourceRef, ...]
    dropped_sources: tuple[SourceRef, ...]
    added: tuple[str, ...]  # sentences, in the new version's reading order
    removed: tuple[str, ...]  # sentences, in the old version's reading order
    numbers: tuple[NumberChange, ...]
    # Facts the outlets now differ on, with the new version's accounts; and facts they no
    # longer differ on (or that the new version no longer states).
    disputed: tuple[Disagreement, ...] = ()
    settled: tuple[str, ...] = ()

    @property
    def unchanged(self) -> bool:
        return not (
            self.headline
            or self.new_sources
            or self.dropped_sources
            or self.added
            or self.removed
            or self.numbers
            or self.disputed
            or self.settled
        )


def compare(old: Digest, new: Digest) -> DigestChanges:
    """What a reader of `old` finds changed in `new`."""
    old_ids = {s.article_id for s in old.sources}
    new_ids = {s.article_id for s in new.sources}
    old_text = {_key(c.text) for c in old.body()}
    new_text = {_key(c.text) for c in new.body()}
    old_accounts = {_accounts(d) for d in old.disagreements}
    new_facts = {d.fact for d in new.disagreements}
    headline = (
        (old.headline.text, new.headline.text)
        if _key(old.headline.text) != _key(new.headline.text)
        else None
    )
    return DigestChanges(
        old_version=old.version,
        new_version=new.version,
        headline=headline,
        new_sources=tuple(s for s in new.sources if s.article_id not in old_ids),
        dropped_sources=tuple(s for s in old.sources if s.article_id not in new_ids),
        added=_distinct(c.text for c in new.body() if _key(c.text) not in old_text),
        removed=_distinct(c.text for c in old.body() if _key(c.text) not in new_text),
        numbers=number_changes(old, new),
        disputed=tuple(d for d in new.disagreements if _accounts(d) not in old_accounts),
        settled=_distinct(d.fact for d in old.disagreements if d.fact not in new_facts),
    )


def number_changes(old: Digest, new: Digest) -> tuple[NumberChange, ...]:
    """The facts whose values differ between the two versions, in the new one's order."""
    before = _facts(old)
    after = _facts(new)
    changes = []
    for fact, (label, values) in after.items():
        if fact in before and set(before[fact][1]) != set(values):
            changes.append(
                NumberChange(label, tuple(before[fact][1].values()), tuple(values.values()))
            )
    return tuple(changes)


def _facts(digest: Digest) -> dict[str, tuple[str, dict[str, str]]]:
    """fact → (its label, value → how the digest first wrote it), over the story's body."""
    found: dict[str, tuple[str, dict[str, str]]] = {}
    claims: list[Claim] = [*digest.body(), *(k.details for k in digest.key_developments)]
    for claim in claims:
        for mention in facts_in(claim.text, digest.created_at, digest.language):
            if mention.fact.endswith(UNKEYED) or not mention.label:
                continue  # a date whose event is not named compares with nothing
            _, values = found.setdefault(mention.fact, (mention.label, {}))
            values.setdefault(mention.value, mention.display)
    return found


def _accounts(disagreement: Disagreement) -> tuple[str, frozenset[tuple[str, frozenset[str]]]]:
    """A disagreement as what it is about and who says what, to tell a new one from an old."""
    values = frozenset((v.value, frozenset(v.outlets)) for v in disagreement.values)
    return disagreement.fact, values


def _key(sentence: str) -> str:
    return " ".join(sentence.split()).casefold()


def _distinct(sentences: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(sentences))
