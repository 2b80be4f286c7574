"""Language identification: the detector's verdict, and when it overrules a page's declaration."""

from __future__ import annotations

import pytest

from newsdistill.nlp.language import article_language, detect_language, primary_language

GERMAN = (
    "Die Brauerei stellt Ende März den Betrieb ein. Das hat der Mutterkonzern am Dienstag den "
    "Beschäftigten auf einer Betriebsversammlung mitgeteilt. Die Verhandlungen über einen "
    "Sozialplan sollen im Dezember beginnen, sagte der Betriebsratsvorsitzende."
)
ENGLISH = (
    "Two people were killed and thousands of homes were left without electricity after the "
    "storm swept across the north overnight, bringing strong gusts to the coast, the "
    "authorities said on Wednesday. Rail services were suspended after trees fell on the line."
)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (ENGLISH, "en"),
        (GERMAN, "de"),
        ("La tempête a fait deux morts dans la nuit de mardi à mercredi dans le nord.", "fr"),
        ("El banco central bajó los tipos de interés por segunda vez este año.", "es"),
    ],
)
def test_the_detector_names_the_language_of_a_sentence(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_too_little_text_is_no_verdict() -> None:
    assert detect_language("Kelby") is None
    assert article_language("Kelby") is None
    assert article_language("Kelby", "de") == "de"  # nothing to check the declaration against


def test_a_declaration_is_kept_when_the_text_agrees_or_is_too_short_to_overrule() -> None:
    assert article_language(GERMAN, "DE") == "de"
    # A headline alone reads as German, but a short text is where detectors err.
    assert article_language("Zwei Tote nach dem Sturm", "en") == "en"


def test_a_template_wide_declaration_is_overruled_by_a_substantive_text() -> None:
    """Many sites put one lang attribute on every page, translated or not."""
    assert article_language(GERMAN, "en") == "de"
    assert article_language(ENGLISH, "fr") == "en"


def test_without_a_declaration_the_text_decides() -> None:
    assert article_language(GERMAN) == "de"
    assert article_language(ENGLISH, "") == "en"


def test_the_language_rules_are_looked_up_by_the_primary_subtag() -> None:
    assert [primary_language(c) for c in ("de-AT", "FR", "es_ES", None, "")] == [
        "de",
        "fr",
        "es",
        "en",
        "en",
    ]
