"""Every article the pipeline builds has its language: declared by the page and checked
against the text, or identified from the text when nothing declares one (a feed entry)."""

from __future__ import annotations

import datetime as dt

from newsdistill.extract import Extracted
from newsdistill.pipeline import build_article

GERMAN = (
    "Die Vossberger Brauerei Hollweg stellt Ende März den Betrieb ein. Das hat der Mutterkonzern "
    "am Dienstagmorgen den Beschäftigten auf einer Betriebsversammlung mitgeteilt. Die "
    "Verhandlungen über einen Sozialplan sollen am 1. Dezember beginnen."
)
WHEN = dt.datetime(2026, 11, 17, 9, tzinfo=dt.UTC)


def page(language: str | None) -> Extracted:
    return Extracted(
        title="Brauerei Hollweg schließt",
        text=GERMAN,
        author=None,
        published=WHEN,
        outlet="Vossberger Tagblatt",
        language=language,
        canonical_url=None,
    )


def test_a_feed_entry_without_a_page_gets_the_language_of_its_text() -> None:
    article = build_article("https://x.test/1", None, title="Hollweg schließt", text=GERMAN)
    assert article.language == "de"


def test_a_page_declaring_another_language_than_its_text_is_corrected() -> None:
    assert build_article("https://x.test/2", page("en")).language == "de"


def test_a_declared_language_the_text_confirms_is_kept() -> None:
    assert build_article("https://x.test/3", page("de")).language == "de"


def test_an_article_is_split_into_sentences_by_the_rules_of_its_language() -> None:
    text = (
        "Der Streik beginnt am 3. März in allen Werken. Betroffen sind z. B. die Standorte "
        "in Vossberg und Hollweg. Die Gewerkschaft rechnet mit hoher Beteiligung."
    )
    article = build_article("https://x.test/4", None, title="Streik ab März", text=text)
    assert article.language == "de"
    assert article.sentences == [
        "Der Streik beginnt am 3. März in allen Werken.",
        "Betroffen sind z. B. die Standorte in Vossberg und Hollweg.",
        "Die Gewerkschaft rechnet mit hoher Beteiligung.",
    ]
