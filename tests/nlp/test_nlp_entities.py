"""Named entities with spaCy's small English model, and mention normalisation."""

import pytest

from newsdistill.nlp.entities import (
    ENTITY_LABELS,
    Entity,
    capitalised_spans,
    entity_key,
    extract_entities,
)


@pytest.mark.slow
def test_extracts_entities_in_batch_with_offsets() -> None:
    texts = [
        "Kataib Hezbollah's fighters attacked a U.S. base in Jordan on Nov. 18, "
        "killing three soldiers, the Pentagon said.",
        "President Joe Biden met Emmanuel Macron in Paris.",
        "",
    ]
    first, second, empty = extract_entities(texts)
    assert empty == []
    for text, entities in zip(texts, (first, second), strict=False):
        for entity in entities:
            assert text[entity.start : entity.end] == entity.text
            assert entity.label in ENTITY_LABELS
    keys = {entity_key(e.text) for e in first}
    # The militia is found (whatever type the model gives it) without its possessive.
    assert {"kataib hezbollah", "us", "jordan", "pentagon"} <= keys
    # Dates and numbers are left to the dates and quantities modules.
    assert not any(e.text in ("Nov. 18", "three") for e in first)
    assert Entity("Joe Biden", "PERSON", 10, 19) in second
    assert Entity("Paris", "GPE", 43, 48) in second


@pytest.mark.parametrize(
    ("mention", "key"),
    [
        ("the U.S.", "us"),
        ("U.S.", "us"),
        ("Kataib Hezbollah's", "kataib hezbollah"),
        ("Kataib Hezbollah’s", "kataib hezbollah"),
        ("The Affordable Care Act", "affordable care act"),
        ("  The   Pentagon ", "pentagon"),
        ("México", "mexico"),
        ("Iran-backed", "iran backed"),
        ("Theresa May", "theresa may"),
    ],
)
def test_entity_key(mention: str, key: str) -> None:
    assert entity_key(mention) == key


@pytest.mark.slow
def test_french_has_its_model() -> None:
    text = "Le maire de Lyon, Grégory Doucet, a rencontré mardi les responsables de Météo-France."
    (found,) = extract_entities([text], "fr")
    assert Entity("Grégory Doucet", "PERSON", 18, 32) in found
    assert {"lyon", "meteo france"} <= {entity_key(e.text) for e in found}
    assert all(e.label in ENTITY_LABELS for e in found)


@pytest.mark.parametrize(
    ("language", "text", "names"),
    [
        (
            "de",
            "Beim Einsturz eines Stollens in der Zeche Greyfell sind am Montag drei Bergleute "
            "ums Leben gekommen, sagte Innenminister Karl Bremer in Hamburg.",
            ["Zeche Greyfell", "Innenminister Karl Bremer", "Hamburg"],
        ),
        (
            "es",
            "El presidente del Banco de España, Pablo Hernández de Cos, habló en Madrid.",
            ["Banco de España", "Pablo Hernández de Cos", "Madrid"],
        ),
        ("ru", "Шторм «Илка» обрушился на побережье Бретани.", ["Илка", "Бретани"]),
    ],
)
def test_languages_without_a_model_get_capitalised_spans(
    language: str, text: str, names: list[str]
) -> None:
    found = extract_entities([text], language)[0]
    assert [e.text for e in found] == names
    assert found == capitalised_spans(text, language)
    assert all(text[e.start : e.end] == e.text and e.label == "MISC" for e in found)
