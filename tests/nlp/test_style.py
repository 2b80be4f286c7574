from __future__ import annotations

import pytest

from newsdistill.nlp.style import (
    conditional,
    event_phrase,
    flesch_reading_ease,
    leans_on_previous,
    news_title,
    register_of,
)


@pytest.mark.parametrize(
    "sentence",
    [
        "But he warned borrowers not to expect a string of further cuts.",
        "Both have argued in recent speeches that wage growth is slowing.",
        '"We are ready," he said.',
        "The 21-year-old came off the bench to score in the 87th minute.",
        "The move comes after months of pressure from the unions.",
        "On Tuesday, he said the plan was dead.",
        "The company also said profits rose in the third quarter.",
        "However, the ministry declined to comment.",
        "and then the roof fell in.",
    ],
)
def test_sentences_that_lean_on_the_one_before(sentence: str) -> None:
    assert leans_on_previous(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Callander said his side were ready for the final.",
        "Firefighters said they found three bodies in the rear of the plant.",
        "Emeka Rossiter gave Harrowdale the lead in the 23rd minute.",
        "Rovers, who have won the cup 11 times, finished with 10 men.",
        '"Nobody gives us a chance," Callander said at Millfield Park.',
    ],
)
def test_sentences_that_stand_alone(sentence: str) -> None:
    assert not leans_on_previous(sentence)


@pytest.mark.parametrize(
    ("sentence", "outlet", "register"),
    [
        ("SUPER-SUB Teodor Vasko broke Rovers hearts with a late winner.", None, "shouting"),
        ("The bank cut rates today, and TRAIN STRIKE CHAOS looms.", None, "shouting"),
        ("Homeowners got an early Christmas present today!", None, "exclamation"),
        (
            "The next decision is due in January, and the Flash will be watching.",
            "The Daily Flash",
            "outlet voice",
        ),
        ("We asked the minister to explain the figures.", None, "outlet voice"),
        ("Last night I was there with my son.", None, "outlet voice"),
        ("Terrified staff fled as a fireball tore through the plant.", None, "hype"),
        ("The US and the WHO agreed on a plan on Monday.", None, "plain"),
        # A speaker's words are theirs: quotation marks keep the register plain.
        ('"We will fight this!" the union leader said.', None, "plain"),
    ],
)
def test_register(sentence: str, outlet: str | None, register: str) -> None:
    assert register_of(sentence, outlet) == register


def test_an_outlet_naming_another_is_not_its_own_voice() -> None:
    sentence = "The Flash reported four deaths, a figure no other outlet gave."
    assert register_of(sentence, "The Calder Courier") == "plain"


def test_conditionals() -> None:
    assert conditional("If Athletic win, the club plans a parade on Saturday.")
    assert conditional("The strike will go ahead on Monday, if talks fail.")
    assert not conditional("The club will hold a parade on Saturday.")


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        (
            "Estavian police on Wednesday arrested two men on suspicion of gross negligence "
            "manslaughter over a fire at a plastics plant in Kelby that killed three workers.",
            "Estavian police arrested two men on suspicion of gross negligence manslaughter",
        ),
        (
            "Teodor Vasko scored in the 87th minute as Harrowdale Athletic beat holders Port "
            "Calder Rovers 2-1 in the Estavian Cup final on Wednesday.",
            "Teodor Vasko scored in the 87th minute",
        ),
        (
            "Labour Minister Ilse Carraway told the National Assembly on Wednesday afternoon "
            "that the inquiry would be led by Oskar Feldt, a retired judge.",
            "The inquiry would be led by Oskar Feldt, a retired judge",
        ),
        (
            "At a packed meeting in the Miners' Institute this evening, Dario Mensch said "
            "the union had warned the company.",
            "Dario Mensch said the union had warned the company",
        ),
        (
            "An inquiry will begin on Thursday 19 November, the inspectorate said.",
            "An inquiry will begin",
        ),
        (
            "Lanterna's next Enceladus flyby, at 28 km, is scheduled for February 3, 2027.",
            "Lanterna's next Enceladus flyby is scheduled for February 3, 2027",
        ),
    ],
)
def test_event_phrases_end_where_a_clause_or_phrase_ends(sentence: str, label: str) -> None:
    phrase = event_phrase(sentence)
    assert phrase == label
    assert len(phrase.split()) <= 12


@pytest.mark.parametrize(
    "sentence",
    [
        '"This is a complex investigation," Detective Superintendent Ewan Castell said.',
        "At a packed meeting in the Miners' Institute this evening.",
    ],
)
def test_no_phrase_when_nothing_stands_alone(sentence: str) -> None:
    assert event_phrase(sentence) is None


def test_news_titles() -> None:
    assert news_title("Two arrested over deadly Estavian factory fire")
    assert not news_title("What the new rent cap means for tenants and landlords")
    assert not news_title("Analysis: Kelby fire exposes the thinning ranks of inspectors")
    assert not news_title("Will the strike go ahead?")


def test_reading_ease_falls_with_long_words_and_sentences() -> None:
    easy = flesch_reading_ease(["The cat sat on the mat.", "It was warm."])
    hard = flesch_reading_ease(
        [
            "Notwithstanding considerable institutional opposition, the administration "
            "promulgated comprehensive regulatory amendments affecting telecommunications."
        ]
    )
    assert easy is not None and hard is not None
    assert easy > 90 > 0 > hard
    assert flesch_reading_ease([]) is None
