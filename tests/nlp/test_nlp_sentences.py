"""Sentence splitting on the abbreviations, quotations and numbers that news text is full of."""

import pytest

from newsdistill.nlp.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "He arrived on Nov. 18 in the U.S. and met Mr. Smith. It rained.",
            ["He arrived on Nov. 18 in the U.S. and met Mr. Smith.", "It rained."],
        ),
        (
            "The attack happened on Feb. 2. Officials confirmed it on Feb. 3.",
            ["The attack happened on Feb. 2.", "Officials confirmed it on Feb. 3."],
        ),
        (
            "They met at No. 10 Downing St. on Friday. It rained.",
            ["They met at No. 10 Downing St. on Friday.", "It rained."],
        ),
        (
            "Dr. Jones spoke at 10 a.m. on Tuesday. Then he left.",
            ["Dr. Jones spoke at 10 a.m. on Tuesday.", "Then he left."],
        ),
        (
            "The rate rose to 3.5 percent. Prices rose 4.5% in the U.S. The Fed said so.",
            ["The rate rose to 3.5 percent.", "Prices rose 4.5% in the U.S.", "The Fed said so."],
        ),
        (
            "J. R. Smith scored 20 points. The team won.",
            ["J. R. Smith scored 20 points.", "The team won."],
        ),
        (
            'He said "it is over." Then he left.',
            ['He said "it is over."', "Then he left."],
        ),
        (
            '"Are you ready?" she asked. "We are," he said.',
            ['"Are you ready?" she asked.', '"We are," he said.'],
        ),
        (
            "Sen. Elizabeth Warren spoke. Lt. Col. Ann Smith agreed.",
            ["Sen. Elizabeth Warren spoke.", "Lt. Col. Ann Smith agreed."],
        ),
        (
            "Mr. Smith went home. Mr. Jones stayed.",
            ["Mr. Smith went home.", "Mr. Jones stayed."],
        ),
        (
            "He lives on Main St. He moved there in May.",
            ["He lives on Main St.", "He moved there in May."],
        ),
        (  # a German date is a day ordinal: "am 1. Dezember"
            "Die Gespräche beginnen am 1. Dezember in Vossberg. Bis 20. März 2027 läuft alles.",
            [
                "Die Gespräche beginnen am 1. Dezember in Vossberg.",
                "Bis 20. März 2027 läuft alles.",
            ],
        ),
        (  # a number ending a sentence still ends it
            "The team won 3 to 1. November brought the title.",
            ["The team won 3 to 1.", "November brought the title."],
        ),
    ],
)
def test_splits_news_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_paragraphs_never_join_and_whitespace_is_normalised() -> None:
    text = "Headline without a period\n\n  The  first\tsentence.   Second one.\nA new paragraph"
    assert split_sentences(text) == [
        "Headline without a period",
        "The first sentence.",
        "Second one.",
        "A new paragraph",
    ]


def test_empty_and_blank_text_give_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n \t ") == []


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "de",
            "Der Sturm traf die Küste am Dienstag, 3. März. Es gab z. B. Schäden an Dächern.",
            ["Der Sturm traf die Küste am Dienstag, 3. März.", "Es gab z. B. Schäden an Dächern."],
        ),
        (
            "de",
            "Bürgermeister Prof. Dr. Hans Meier sprach am 12. Januar. Er ging dann.",
            ["Bürgermeister Prof. Dr. Hans Meier sprach am 12. Januar.", "Er ging dann."],
        ),
        (
            "de",
            "Laut Nr. 5 der Verordnung gilt das. Die Stadt prüft es.",
            ["Laut Nr. 5 der Verordnung gilt das.", "Die Stadt prüft es."],
        ),
        (
            "fr",
            "Le préfet, M. Dupont, a parlé. Mme Durand est arrivée.",
            ["Le préfet, M. Dupont, a parlé.", "Mme Durand est arrivée."],
        ),
        (
            "es",
            "Se esperan aprox. 300 personas. La Dra. López habló.",
            ["Se esperan aprox. 300 personas.", "La Dra. López habló."],
        ),
    ],
)
def test_abbreviations_and_ordinals_per_language(
    language: str, text: str, expected: list[str]
) -> None:
    assert split_sentences(text, language) == expected


def test_a_german_ordinal_before_a_month_is_no_end_only_in_german() -> None:
    text = "The team won 3 to 1. November brought snow."
    assert split_sentences(text) == ["The team won 3 to 1.", "November brought snow."]
    assert split_sentences(text, "en") == split_sentences(text)
    assert len(split_sentences("Der Vertrag gilt seit 1. Januar.", "de")) == 1
