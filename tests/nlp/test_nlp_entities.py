"""Named entities with spaCy's small English model, and mention normalisation."""

import pytest

from newsdistill.nlp.entities import ENTITY_LABELS, Entity, entity_key, extract_entities


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
