"""Counts, money, percentages and ordinals; years, times and dates are not quantities."""

import pytest

from newsdistill.nlp.quantities import Quantity, extract_quantities, number_from_words


def summary(sentence: str) -> list[tuple[float, str, str | None, str]]:
    found = extract_quantities(sentence)
    for q in found:
        assert sentence[q.start : q.end] == q.text
    return [(q.value, q.kind, q.unit, q.text) for q in found]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Three soldiers were killed.", [(3, "count", "soldier", "Three")]),
        ("At least 3 killed in the blast.", [(3, "count", None, "3")]),
        ("Three Israeli soldiers died.", [(3, "count", "soldier", "Three")]),
        ("Officials sent 1,500 more troops.", [(1500, "count", "troop", "1,500")]),
        ("Twenty-one protesters were held.", [(21, "count", "protester", "Twenty-one")]),
        ("A dozen people were hurt.", [(12, "count", "person", "A dozen")]),
        ("Half a million people marched.", [(500_000, "count", "person", "Half a million")]),
        ("1.2 million people fled.", [(1_200_000, "count", "person", "1.2 million")]),
        (
            "Two hundred and fifty families left.",
            [(250, "count", "family", "Two hundred and fifty")],
        ),
        ("One child died.", [(1, "count", "child", "One")]),
        ("A 6.2 magnitude quake struck.", [(6.2, "number", "magnitude", "6.2")]),
        ("The deal is worth $5.1bn.", [(5.1e9, "money", "USD", "$5.1bn")]),
        ("It cost £3m.", [(3e6, "money", "GBP", "£3m")]),
        ("A grant of €40 million was agreed.", [(40e6, "money", "EUR", "€40 million")]),
        ("They paid 5 billion dollars.", [(5e9, "money", "USD", "5 billion dollars")]),
        ("A US$5 million loan.", [(5e6, "money", "USD", "US$5 million")]),
        ("Debt reached 3 trillion yen.", [(3e12, "money", "JPY", "3 trillion yen")]),
        ("Turnout was 40%.", [(40, "percent", None, "40%")]),
        ("Turnout was 40 per cent.", [(40, "percent", None, "40 per cent")]),
        ("Turnout was forty percent.", [(40, "percent", None, "forty percent")]),
        (
            "Rates rose 0.25 percentage points.",
            [(0.25, "percent", "percentage point", "0.25 percentage points")],
        ),
        ("It was the third attack.", [(3, "ordinal", None, "third")]),
        ("It was the 21st attack.", [(21, "ordinal", None, "21st")]),
        ("It was the twenty-first attack.", [(21, "ordinal", None, "twenty-first")]),
        ("2000 people voted.", [(2000, "count", "person", "2000")]),
        ("He scored 2,024 points.", [(2024, "count", "point", "2,024")]),
    ],
)
def test_extracts_quantities(
    sentence: str, expected: list[tuple[float, str, str | None, str]]
) -> None:
    assert summary(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "It happened in 2024.",
        "The 2024 election was close.",
        "2024 was a hard year.",
        "The talks began on Nov. 18.",
        "He was born on 18 November 1970.",
        "It ended on the 18th of November.",
        "The report is dated 2026-11-18.",
        "The meeting began at 10:30.",
        "The strike hit at 5 p.m. local time.",
        "She lives at No. 10 Downing Street.",
        "An F-16 crashed as COVID-19 cases rose.",
        "Flight 370 vanished.",
        "5G networks and a 5m wall.",
        "No one was hurt.",
        "It is one of the largest.",
        "A third of the town burned.",
        "Hundreds of people and dozens of police were there.",
    ],
)
def test_not_quantities(sentence: str) -> None:
    assert extract_quantities(sentence) == []


def test_quantities_beside_dates_and_years() -> None:
    sentence = "On Nov. 18, 2025, three soldiers died; in 2024 it was 40%."
    assert extract_quantities(sentence) == [
        Quantity(3, "count", "soldier", "three", 18, 23),
        Quantity(40, "percent", None, "40%", 54, 57),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("three", 3),
        ("twenty-one", 21),
        ("ninety-nine", 99),
        ("a dozen", 12),
        ("a hundred", 100),
        ("two hundred and fifty", 250),
        ("three thousand four hundred", 3400),
        ("half a million", 500_000),
        ("one and a half million", 1_500_000),
        ("1.2 million", 1_200_000),
        ("3,000", 3000),
        ("Five Billion", 5e9),
        ("soldiers", None),
        ("a", None),
        ("", None),
    ],
)
def test_number_from_words(text: str, value: float | None) -> None:
    assert number_from_words(text) == value


def in_language(sentence: str, language: str) -> list[tuple[float, str, str | None, str]]:
    found = extract_quantities(sentence, language)
    for q in found:
        assert sentence[q.start : q.end] == q.text
    return [(q.value, q.kind, q.unit, q.text) for q in found]


@pytest.mark.parametrize(
    ("language", "sentence", "expected"),
    [
        ("de", "Es gab drei Tote.", [(3, "count", "tote", "drei")]),
        ("de", "Dreiundzwanzig Menschen starben.", [(23, "count", "menschen", "Dreiundzwanzig")]),
        (
            "de",
            "Zweihundertfünfzig Arbeiter streikten.",
            [(250, "count", "arbeiter", "Zweihundertfünfzig")],
        ),
        (
            "de",
            "Der Schaden liegt bei 3,5 Millionen Euro.",
            [(3_500_000, "money", "EUR", "3,5 Millionen Euro")],
        ),
        ("de", "Rund 3.500 Haushalte waren ohne Strom.", [(3500, "count", "haushalte", "3.500")]),
        ("de", "Die Quote stieg um 3,5 Prozent.", [(3.5, "percent", None, "3,5 Prozent")]),
        ("de", "Eine Million Menschen flohen.", [(1_000_000, "count", "menschen", "Eine Million")]),
        ("de", "Ein Mann wurde um 15 Uhr im Jahr 2019 verletzt.", []),
        ("de", "Der Verein spielt in der 2. Bundesliga.", [(2, "ordinal", None, "2.")]),
        ("fr", "La tempête a fait trois morts.", [(3, "count", "mort", "trois")]),
        ("fr", "On compte vingt et un blessés.", [(21, "count", "blessé", "vingt et un")]),
        (
            "fr",
            "Quatre-vingt-dix personnes ont fui.",
            [(90, "count", "personne", "Quatre-vingt-dix")],
        ),
        ("fr", "Quelque 3 500 foyers sont privés de courant.", [(3500, "count", "foyer", "3 500")]),
        (
            "fr",
            "L'aide atteint 2,5 millions d'euros.",
            [(2_500_000, "money", "EUR", "2,5 millions d'euros")],
        ),
        (
            "fr",
            "Le chômage a baissé de 0,3 point de pourcentage.",
            [(0.3, "percent", "percentage point", "0,3 point de pourcentage")],
        ),
        ("fr", "Un homme est mort à 15 h 30.", []),
        ("es", "La tormenta dejó tres muertos.", [(3, "count", "muerto", "tres")]),
        ("es", "Hubo treinta y dos heridos.", [(32, "count", "herido", "treinta y dos")]),
        ("es", "Doscientas personas fueron evacuadas.", [(200, "count", "persona", "Doscientas")]),
        ("es", "Unas 3.500 viviendas sufrieron daños.", [(3500, "count", "vivienda", "3.500")]),
        (
            "es",
            "El Estado pagará 2,5 millones de euros.",
            [(2_500_000, "money", "EUR", "2,5 millones de euros")],
        ),
        (
            "es",
            "Costó mil millones de dólares.",
            [(1e9, "money", "USD", "mil millones de dólares")],
        ),
        ("es", "Los trabajadores subieron al 5.º piso.", [(5, "ordinal", None, "5.º")]),
    ],
)
def test_numbers_in_other_languages(
    language: str, sentence: str, expected: list[tuple[float, str, str | None, str]]
) -> None:
    assert in_language(sentence, language) == expected


def test_the_language_decides_what_a_comma_means() -> None:
    assert in_language("3,500 homes", "en") == [(3500, "count", "home", "3,500")]
    assert in_language("3,5 Häuser", "de")[0][0] == 3.5
    assert in_language("3,5 maisons", "fr")[0][0] == 3.5
    # With no language known, the English rules read the text, as before.
    assert extract_quantities("3,500 homes") == extract_quantities("3,500 homes", "en")
