"""Date mentions resolved against the publication date (2024-02-05 is a Monday)."""

import datetime as dt

import pytest

from newsdistill.nlp.dates import DateMention, date_spans, extract_dates, same_date

MONDAY = dt.datetime(2024, 2, 5, 9, 30, tzinfo=dt.UTC)
WEDNESDAY = dt.datetime(2024, 2, 7, 9, 30)


def only(sentence: str, published: dt.datetime | None = MONDAY) -> DateMention:
    (mention,) = extract_dates(sentence, published)
    assert sentence[mention.start : mention.end] == mention.text
    return mention


@pytest.mark.parametrize(
    ("sentence", "text", "value", "granularity"),
    [
        ("The attack happened on Feb. 2, officials said.", "Feb. 2", dt.date(2024, 2, 2), "day"),
        ("Protesters gathered on Friday.", "Friday", dt.date(2024, 2, 2), "day"),
        ("The vote will take place on Friday.", "Friday", dt.date(2024, 2, 9), "day"),
        ("Officials met on Monday.", "Monday", dt.date(2024, 2, 5), "day"),
        ("The talks collapsed last Monday.", "last Monday", dt.date(2024, 1, 29), "day"),
        ("He resigns next Monday.", "next Monday", dt.date(2024, 2, 12), "day"),
        ("The war began on Oct. 7.", "Oct. 7", dt.date(2023, 10, 7), "day"),
        ("The summit is expected on Nov. 18.", "Nov. 18", dt.date(2024, 11, 18), "day"),
        ("He was born on 18 November 1970.", "18 November 1970", dt.date(1970, 11, 18), "day"),
        ("It opened on November 18, 2026.", "November 18, 2026", dt.date(2026, 11, 18), "day"),
        (
            "It opened on Tuesday, Nov. 18, 2025.",
            "Tuesday, Nov. 18, 2025",
            dt.date(2025, 11, 18),
            "day",
        ),
        ("The report is dated 2026-11-18.", "2026-11-18", dt.date(2026, 11, 18), "day"),
        ("It ended on the 18th of January.", "18th of January", dt.date(2024, 1, 18), "day"),
        ("It happened on 13/04/2024.", "13/04/2024", dt.date(2024, 4, 13), "day"),
        ("It snowed yesterday.", "yesterday", dt.date(2024, 2, 4), "day"),
        ("Police said last night that two men died.", "last night", dt.date(2024, 2, 4), "day"),
        ("Talks resume tomorrow.", "tomorrow", dt.date(2024, 2, 6), "day"),
        ("They met two days ago.", "two days ago", dt.date(2024, 2, 3), "day"),
        ("It opened twenty-one days ago.", "twenty-one days ago", dt.date(2024, 1, 15), "day"),
        ("Sales fell last week.", "last week", dt.date(2024, 1, 29), "relative"),
        ("Trading began three weeks ago.", "three weeks ago", dt.date(2024, 1, 15), "relative"),
        ("Earlier this month the bill passed.", "Earlier this month", dt.date(2024, 2, 1), "month"),
        ("The deal was signed in March 2023.", "March 2023", dt.date(2023, 3, 1), "month"),
        ("Troops arrived in November.", "November", dt.date(2023, 11, 1), "month"),
        ("Last February the war began.", "Last February", dt.date(2023, 2, 1), "month"),
        ("Prices have doubled since 2019.", "2019", dt.date(2019, 1, 1), "year"),
        ("Growth slowed last year.", "last year", dt.date(2023, 1, 1), "year"),
    ],
)
def test_resolves_against_publication(
    sentence: str, text: str, value: dt.date, granularity: str
) -> None:
    mention = only(sentence)
    assert (mention.text, mention.value, mention.granularity) == (text, value, granularity)


def test_tense_is_judged_per_clause() -> None:
    arrived, leave = extract_dates("Troops arrived in January and will leave in March.", MONDAY)
    assert arrived.value == dt.date(2024, 1, 1)
    assert leave.value == dt.date(2024, 3, 1)
    said, resign = extract_dates("He said on Monday that he would resign on Friday.", WEDNESDAY)
    assert said.value == dt.date(2024, 2, 5)
    assert resign.value == dt.date(2024, 2, 9)


TUESDAY = dt.datetime(2026, 11, 17, 8, 0, tzinfo=dt.UTC)
THURSDAY = dt.datetime(2026, 11, 19, 8, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("sentence", "published", "values"),
    [
        # Plans and schedules look ahead, whatever the tense of the rest of the sentence.
        (
            "If Athletic win, the club plans an open-top bus parade through Ambry on Saturday.",
            TUESDAY,
            [dt.date(2026, 11, 21)],
        ),
        (
            "Harrowdale will parade the trophy through Ambry on Saturday before returning to "
            "league action away at Tarrow Town on Tuesday.",
            THURSDAY,
            [dt.date(2026, 11, 21), dt.date(2026, 11, 24)],
        ),
        (
            "Army engineers began clearing a landslide that buried Route 9 at the Vell Pass, and "
            "officials said they expected the road to reopen on Saturday.",
            THURSDAY,
            [dt.date(2026, 11, 21)],
        ),
        (
            "The government faces a rebellion on Thursday, when lawmakers are due to vote.",
            TUESDAY,
            [dt.date(2026, 11, 19)],
        ),
        (
            "The ministry plans to open a helpline for tenants and landlords in February.",
            TUESDAY,
            [dt.date(2027, 2, 1)],
        ),
        (
            "A vigil will be held at the church on Thursday at 7pm.",
            TUESDAY,
            [dt.date(2026, 11, 19)],
        ),
        (
            "Investigators would begin examining the site once it was safe, probably on Thursday.",
            TUESDAY,
            [dt.date(2026, 11, 19)],
        ),
        (
            '"If the bill is unchanged on Thursday, we will vote against it," she said.',
            TUESDAY,
            [dt.date(2026, 11, 19)],
        ),
        (
            "The committee is expected to consider the bill, which is based on measures approved "
            "by nine committees, on Thursday.",
            TUESDAY,
            [dt.date(2026, 11, 19)],
        ),
        (
            "Police arrested two men; on Friday the pair will appear in court.",
            THURSDAY,
            [dt.date(2026, 11, 20)],
        ),
        # ... and the past stays the past.
        ("On Friday, police said they would reopen the road.", THURSDAY, [dt.date(2026, 11, 13)]),
        ("As expected, the bank cut rates on Monday.", THURSDAY, [dt.date(2026, 11, 16)]),
        (
            "The Education Department said Monday it will cancel the debt.",
            THURSDAY,
            [dt.date(2026, 11, 16)],
        ),
        (
            "The bill would have required firms to keep data from March.",
            THURSDAY,
            [dt.date(2026, 3, 1)],
        ),
        (
            "Lena Haldor, who will be buried on Monday, had worked at the plant since March.",
            THURSDAY,
            [dt.date(2026, 11, 23), dt.date(2026, 3, 1)],
        ),
    ],
)
def test_tense_of_plans_and_reports(
    sentence: str, published: dt.datetime, values: list[dt.date]
) -> None:
    assert [m.value for m in extract_dates(sentence, published)] == values


def test_unresolvable_mentions() -> None:
    # US and European readings of 3/4/2024 differ.
    assert only("It happened on 3/4/2024.") == DateMention("3/4/2024", 15, 23, None, "unknown")
    # Without a publication date only explicit years can be resolved.
    friday, explicit = extract_dates("It began on Friday and ends on Nov. 18, 2025.", None)
    assert (friday.value, friday.granularity) == (None, "unknown")
    assert (explicit.value, explicit.granularity) == (dt.date(2025, 11, 18), "day")


@pytest.mark.parametrize(
    "sentence",
    [
        "He may march to the square.",
        "Shares rose 2,024 points.",
        "The 2024 election was close.",
        "Turnout was 2024 people.",
        "Shares rose to 2017 points.",
        # Day words in the names of papers and programmes.
        "The Sunday Times reported the sale.",
        'Fauci told ABC\'s "This Week."',
        'Dershowitz spoke on "Tucker Carlson Tonight" about it.',
        # Only counts make "N weeks ago" ("performance weeks ago" is no date).
        "It was a departure from his performance weeks ago.",
        "",
    ],
)
def test_no_false_dates(sentence: str) -> None:
    assert extract_dates(sentence, MONDAY) == []


def test_years_in_ranges_and_after_for() -> None:
    sentence = (
        "Injuries fell between 2022 and 2025; staff worked from 2014 to 2018 on a plan for 2027."
    )
    assert [(m.text, m.value) for m in extract_dates(sentence, MONDAY)] == [
        ("2022", dt.date(2022, 1, 1)),
        ("2025", dt.date(2025, 1, 1)),
        ("2014", dt.date(2014, 1, 1)),
        ("2018", dt.date(2018, 1, 1)),
        ("2027", dt.date(2027, 1, 1)),
    ]


def test_day_words_opening_a_quotation_are_dates() -> None:
    assert only('He said: "Today means security."').value == dt.date(2024, 2, 5)
    assert only("The Sunday market opened.").value == dt.date(2024, 2, 4)


def test_date_spans_cover_the_mentions() -> None:
    sentence = "On Nov. 18, 300 people marched; in 2024 more came."
    assert [sentence[s:e] for s, e in date_spans(sentence)] == ["Nov. 18", "2024"]


def test_same_date_compares_at_the_coarser_granularity() -> None:
    feb2 = only("It happened on Feb. 2.")
    friday = only("It happened on Friday.")
    last_week = only("It happened last week.")
    this_month = only("It happened this month.")
    last_year = only("It happened last year.")
    unknown = only("It happened on 3/4/2024.")
    assert same_date(feb2, friday)
    assert not same_date(feb2, only("It happened on Feb. 3."))
    assert same_date(feb2, last_week)  # Friday Feb. 2 lies in the week before Monday Feb. 5
    # Weeks run Monday to Sunday: yesterday (Sunday) was last week, today is not.
    assert same_date(only("It happened yesterday."), last_week)
    assert not same_date(only("It happened today."), last_week)
    assert same_date(feb2, this_month)
    assert not same_date(feb2, last_year)
    assert not same_date(unknown, unknown)


# --- German, French and Spanish (MONDAY is 5 February 2024) ----------------------------------


@pytest.mark.parametrize(
    ("language", "sentence", "text", "value", "granularity"),
    [
        ("de", "Der Sturm traf am Dienstag die Küste.", "Dienstag", dt.date(2024, 1, 30), "day"),
        (
            "de",
            "Die Untersuchung soll am Dienstag beginnen.",
            "Dienstag",
            dt.date(2024, 2, 6),
            "day",
        ),
        ("de", "Der Damm brach am 3. März 2023.", "3. März 2023", dt.date(2023, 3, 3), "day"),
        ("de", "Die Anhörung ist am 3. März geplant.", "3. März", dt.date(2024, 3, 3), "day"),
        ("de", "Gestern Abend fiel der Strom aus.", "Gestern Abend", dt.date(2024, 2, 4), "day"),
        ("de", "Die Schule öffnet morgen wieder.", "morgen", dt.date(2024, 2, 6), "day"),
        ("de", "Heute Morgen regnete es.", "Heute Morgen", dt.date(2024, 2, 5), "day"),
        ("de", "Das Werk schloss vor drei Tagen.", "vor drei Tagen", dt.date(2024, 2, 2), "day"),
        (
            "de",
            "Die Preise stiegen letzte Woche.",
            "letzte Woche",
            dt.date(2024, 1, 29),
            "relative",
        ),
        ("de", "Am 03.02.2024 war es kalt.", "03.02.2024", dt.date(2024, 2, 3), "day"),
        ("de", "Das Lager brannte im Januar.", "Januar", dt.date(2024, 1, 1), "month"),
        ("fr", "La tempête a frappé le 3 mars 2023.", "3 mars 2023", dt.date(2023, 3, 3), "day"),
        ("fr", "Le procès s'ouvrira mardi.", "mardi", dt.date(2024, 2, 6), "day"),
        ("fr", "Mardi, la digue a cédé.", "Mardi", dt.date(2024, 1, 30), "day"),
        ("fr", "Le marché a rouvert hier.", "hier", dt.date(2024, 2, 4), "day"),
        (
            "fr",
            "L'usine a fermé il y a deux jours.",
            "il y a deux jours",
            dt.date(2024, 2, 3),
            "day",
        ),
        ("fr", "Le vote aura lieu mardi prochain.", "mardi prochain", dt.date(2024, 2, 6), "day"),
        ("fr", "La grève commence le 1er mars.", "1er mars", dt.date(2024, 3, 1), "day"),
        (
            "fr",
            "Les ventes ont chuté la semaine dernière.",
            "la semaine dernière",
            dt.date(2024, 1, 29),
            "relative",
        ),
        ("es", "El martes la tormenta dejó tres muertos.", "martes", dt.date(2024, 1, 30), "day"),
        ("es", "El juicio comenzará el martes.", "martes", dt.date(2024, 2, 6), "day"),
        (
            "es",
            "La presa cedió el 3 de marzo de 2023.",
            "3 de marzo de 2023",
            dt.date(2023, 3, 3),
            "day",
        ),
        ("es", "Ayer llovió en Sevilla.", "Ayer", dt.date(2024, 2, 4), "day"),
        ("es", "La fábrica cerró hace tres días.", "hace tres días", dt.date(2024, 2, 2), "day"),
        (
            "es",
            "Volverá la semana que viene.",
            "la semana que viene",
            dt.date(2024, 2, 12),
            "relative",
        ),
        ("es", "Abrirá mañana a las diez.", "mañana", dt.date(2024, 2, 6), "day"),
    ],
)
def test_resolves_other_languages(
    language: str, sentence: str, text: str, value: dt.date, granularity: str
) -> None:
    (mention,) = extract_dates(sentence, MONDAY, language)
    assert sentence[mention.start : mention.end] == mention.text
    assert (mention.text, mention.value, mention.granularity) == (text, value, granularity)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("de", "Am Morgen kamen die Helfer."),  # "Morgen", the noun: morning, not tomorrow
        ("es", "Por la mañana llegaron los equipos."),  # "la mañana": the morning
        ("fr", "Les habitants de Mars ont voté."),  # a name, not the month
    ],
)
def test_other_languages_words_that_are_no_dates(language: str, sentence: str) -> None:
    assert extract_dates(sentence, MONDAY, language) == []


def test_english_is_read_when_no_language_is_known() -> None:
    sentence = "Le 3 mars, officials met on Friday."
    assert [m.text for m in extract_dates(sentence, MONDAY)] == ["Friday"]
    assert [m.text for m in extract_dates(sentence, MONDAY, "fr")] == ["3 mars"]
    assert extract_dates(sentence, MONDAY, "ja") == extract_dates(sentence, MONDAY)
