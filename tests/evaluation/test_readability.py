from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from newsdistill.errors import InputError
from newsdistill.evaluation.readability import assess, cut_label, load_digests, readability
from newsdistill.models import (
    Citation,
    Claim,
    Digest,
    KeyDevelopment,
    Section,
    SourceRef,
    Verification,
    VerificationSummary,
)

WHEN = dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC)
OUTLETS = ["Meridian Press Agency", "The Calder Courier", "The Estavian Ledger", "The Daily Flash"]


def claim(text: str, article: int = 1, sentence: int = 0, attribution: str | None = None) -> Claim:
    return Claim(
        text=text,
        citations=[Citation(article_id=article, sentence=sentence, outlet=OUTLETS[0])],
        verification=Verification(verdict="supported", score=1.0),
        attribution=attribution,
    )


def digest(
    body: list[Claim], events: list[KeyDevelopment] | None = None, writer: str = "extractive"
) -> Digest:
    lede, *rest = body
    return Digest(
        story_id="s1",
        version=1,
        created_at=WHEN,
        writer=writer,
        headline=claim("Bank of Estavia cuts rates"),
        dateline="Updated November 18, 2026",
        lede=lede,
        sections=[Section(heading="What happened", kind="details", claims=rest)],
        path_ahead=[],
        key_developments=events or [],
        disagreements=[],
        sources=[
            SourceRef(article_id=i + 1, outlet=o, title="t", url="https://x.test", published=WHEN)
            for i, o in enumerate(OUTLETS)
        ],
        verification=VerificationSummary(sentences=len(body), verified=len(body), sources=4),
        disclaimer="",
    )


CLEAN = [
    claim("The Bank of Estavia cut its main interest rate to 3.25% on Wednesday.", 1, 0),
    claim("Inflation eased to 2.1% in October, the statistics office said.", 2, 3),
    claim("Governor Ilse Marr said further cuts were not guaranteed.", 1, 4),
]


def test_a_clean_digest_has_no_faults() -> None:
    report = assess(digest(CLEAN))
    assert (report.dangling, report.off_register, report.cluttered, report.repeated) == (
        [],
        [],
        [],
        [],
    )
    assert report.reading_ease is not None and report.story_sentences == 3


def test_a_leaning_sentence_counts_unless_its_antecedent_comes_right_before() -> None:
    leaning = claim("But she warned borrowers not to expect a string of further cuts.", 1, 5)
    apart = [CLEAN[0], CLEAN[2], CLEAN[1], leaning]  # after article 2's sentence
    assert len(assess(digest(apart)).dangling) == 1
    together = [CLEAN[0], CLEAN[1], CLEAN[2], leaning]  # right after article 1's sentence 4
    assert assess(digest(together)).dangling == []


def test_off_register_counts_the_sentence_not_our_attribution() -> None:
    shouted = claim(
        "According to The Daily Flash: HOMEOWNERS got an early Christmas present today!",
        4,
        0,
        attribution="The Daily Flash",
    )
    voice = claim("The next rate decision is due on January 20, and we will be watching.", 4, 3)
    report = assess(digest([*CLEAN, shouted, voice]))
    assert len(report.off_register) == 2
    plain = claim(
        "Mortgage rates fell on Thursday, according to The Daily Flash.",
        4,
        2,
        attribution="The Daily Flash",
    )
    assert assess(digest([*CLEAN, plain])).off_register == []


def test_three_outlets_named_inline_is_clutter() -> None:
    listed = claim(
        "Three workers died, according to Meridian Press Agency, The Calder Courier and The "
        "Estavian Ledger.",
        2,
        1,
    )
    assert len(assess(digest([*CLEAN, listed])).cluttered) == 1
    counted = claim("Three workers died, according to three of the four outlets.", 2, 1)
    assert assess(digest([*CLEAN, counted])).cluttered == []
    # Each side of a disagreement named once is no list.
    sides = claim(
        "Sources differ on the toll: Meridian Press Agency reports 13, The Calder Courier 37 "
        "and The Estavian Ledger 40.",
        2,
        1,
    )
    assert assess(digest([*CLEAN, sides])).cluttered == []


def test_a_fact_said_twice_is_repeated() -> None:
    again = claim("On Wednesday the Bank of Estavia cut its main interest rate to 3.25%.", 3, 0)
    assert len(assess(digest([*CLEAN, again])).repeated) == 1


@pytest.mark.parametrize(
    ("label", "cut"),
    [
        ("The Bank of Estavia cut its main interest rate by …", True),
        ("Labour Minister Ilse Carraway told reporters the government would", True),
        ("Bank of Estavia cuts its main interest rate to 3.25% on Monday", False),
        ("The Bank of Estavia cut its main interest rate", False),
        (
            "The Bank of Estavia cut its main interest rate by a quarter point to 3.25% "
            "on Wednesday afternoon",
            True,
        ),
    ],
)
def test_cut_labels(label: str, cut: bool) -> None:
    assert cut_label(label, "The Bank of Estavia cut its main interest rate to 3.25%.") is cut


def test_a_label_repeating_the_whole_sentence_is_cut() -> None:
    text = "Rates were cut."
    assert cut_label("Rates were cut", text)


def test_rows_per_writer(tmp_path: Path) -> None:
    bad = KeyDevelopment(event="The bank cut …", date=WHEN.date(), details=CLEAN[0])
    for name, d in {
        "a": digest(CLEAN),
        "b": digest(CLEAN, [bad], writer="local"),
    }.items():
        (tmp_path / f"{name}.json").write_text(d.model_dump_json(), encoding="utf-8")
    loaded = load_digests([tmp_path])
    rows = {
        w: readability(w, [d for d in loaded if d.writer == w]).row()
        for w in ("extractive", "local")
    }
    assert rows["extractive"]["cut labels"] == 0 and rows["local"]["cut labels"] == 1
    assert rows["extractive"]["digests"] == 1
    assert rows["extractive"]["words/sentence"] == pytest.approx(
        sum(len(c.text.split()) for c in CLEAN) / 3
    )


def test_bad_digest_files_are_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text(json.dumps({"story_id": "s1"}), encoding="utf-8")
    with pytest.raises(InputError, match="not a newsdistill digest"):
        load_digests([tmp_path / "x.json"])
    with pytest.raises(InputError, match="no such file"):
        load_digests([tmp_path / "missing"])
