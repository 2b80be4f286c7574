"""Which language an article is written in.

A page usually declares its language (``<html lang>``, ``og:locale``; see
newsdistill.extract), but a feed entry declares none, and many sites put one language in
every page's template, translated or not. The text itself decides then: py3langid (a naive
Bayes model over byte n-grams, shipped inside the package, numpy only) identifies it. The
declaration is kept unless the text says otherwise with confidence, because a short or
name-heavy text is where a detector errs.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

# The start of an article says what language it is in; more text costs time, not accuracy.
SAMPLE_CHARS = 2000
# Below this a detector guesses (a name, a headline of three words).
MIN_CHARS = 20
# Probabilities are calibrated by text length (py3langid's norm_probs): a guess on a short
# text stays low, a sentence of plain German scores above 0.9.
MIN_CONFIDENCE = 0.5
# Overruling what the page declares takes more: a substantive text and a clear verdict.
OVERRULE_CHARS = 200
OVERRULE_CONFIDENCE = 0.95


def primary_language(code: str | None) -> str:
    """The language subtag of a code, case-folded ("de-AT", "de_AT" → "de"); English when
    unknown, as the language-aware modules read text whose language nobody knows."""
    return (code or "en").replace("_", "-").split("-")[0].casefold()


@cache
def _identifier() -> LanguageIdentifier:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str) -> tuple[str, float] | None:
    """The most likely language of ``text`` (ISO 639 code) and its probability, or None
    when there is too little text to tell."""
    sample = text.strip()[:SAMPLE_CHARS]
    if len(sample) < MIN_CHARS:
        return None
    code, probability = _identifier().classify(sample)
    return str(code), float(probability)


def detect_language(text: str) -> str | None:
    """The language of ``text``, or None when the detector is unsure."""
    found = identify(text)
    if found is None or found[1] < MIN_CONFIDENCE:
        return None
    return found[0]


def article_language(text: str, declared: str | None = None) -> str | None:
    """An article's language: the declared one (a page's markup), checked against the text.

    ``text`` should be title and body. With nothing declared, the detector's verdict (or None
    when unsure); with a declaration, the detector overrules it only on a substantive text
    and a clear verdict.
    """
    declared = (declared or "").strip().lower() or None
    found = identify(text)
    if found is None:
        return declared
    code, probability = found
    if declared is None:
        return code if probability >= MIN_CONFIDENCE else None
    overrules = len(text.strip()) >= OVERRULE_CHARS and probability >= OVERRULE_CONFIDENCE
    return code if overrules and code != declared else declared
