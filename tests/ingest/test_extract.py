from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsdistill.errors import ExtractionError
from newsdistill.extract import extract_article

DATA = Path(__file__).parent / "data"
URL = "https://courier.example/news/2024/03/harbour-bridge-closed?utm_source=rss"

BOILERPLATE = [
    "cookies",  # banner
    "Opinion",  # navigation
    "Related stories",
    "Ferry timetable changes announced",
    "Sign up for our newsletter",
    "Subscribe",
    "All rights reserved",  # footer
    "Privacy policy",
]


def test_extracts_body_and_metadata_without_boilerplate() -> None:
    article = extract_article((DATA / "news_page.html").read_text(), URL)
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith("The Harbour Bridge was closed to all traffic")
    assert "two tugboats reached the ship" in article.text.lower()
    assert paragraphs[-1].endswith("the deputy mayor told reporters at the quayside.")
    for phrase in BOILERPLATE:
        assert phrase not in article.text, phrase
    assert article.title == "Harbour bridge closed after cargo ship strikes pier"
    assert article.author == "Maria Okafor"
    # article:published_time, with its time and offset, not just the day.
    assert article.published == dt.datetime(2024, 3, 5, 13, 30, tzinfo=dt.UTC)
    assert article.outlet == "The Riverside Courier"
    assert article.language == "en"
    assert article.canonical_url == "https://courier.example/news/2024/03/harbour-bridge-closed"


def test_page_without_metadata() -> None:
    html = (
        "<html><body><article><p>A short report about the weather that is long enough "
        "to count as the text of an article.</p></article></body></html>"
    )
    article = extract_article(html, "https://plain.example/weather")
    assert article.text.startswith("A short report about the weather")
    assert (article.author, article.published, article.language, article.canonical_url) == (
        None,
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<html><head><title>Nothing</title></head><body></body></html>",
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
    ],
    ids=["empty", "empty-body", "only-navigation"],
)
def test_page_without_text_raises(html: str) -> None:
    with pytest.raises(ExtractionError, match="no article text found"):
        extract_article(html, "https://empty.example/")
