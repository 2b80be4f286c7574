from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from newsdistill.errors import InputError
from newsdistill.ingest.files import load_articles_from_path

DATA = Path(__file__).parent / "data"


def test_html_file() -> None:
    path = DATA / "news_page.html"
    [article] = load_articles_from_path(path)
    assert article.url == path.resolve().as_uri()
    assert article.html is not None
    assert "Harbour Bridge" in article.html
    assert article.text is None


def test_text_file_takes_its_first_line_as_title(tmp_path: Path) -> None:
    path = tmp_path / "bridge.txt"
    path.write_text("\n\nBridge closed\n\nThe bridge is closed.\nEngineers are on site.\n")
    [article] = load_articles_from_path(path)
    assert article.title == "Bridge closed"
    assert article.text == "The bridge is closed.\nEngineers are on site."
    assert article.url == path.resolve().as_uri()


def test_markdown_heading_becomes_title(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("# Ferry timetable\n\nFerries run every fifteen minutes.\n")
    [article] = load_articles_from_path(path)
    assert (article.title, article.text) == (
        "Ferry timetable",
        "Ferries run every fifteen minutes.",
    )


def test_long_first_line_is_body_and_stem_is_title(tmp_path: Path) -> None:
    long_line = ("The council met on Tuesday. " * 10).strip()
    path = tmp_path / "council-report.txt"
    path.write_text(long_line + "\nSecond paragraph.")
    [article] = load_articles_from_path(path)
    assert article.title == "council-report"
    assert article.text == long_line + "\nSecond paragraph."


def test_text_file_in_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "cafe.txt"
    path.write_bytes("Le café\n\nUne idée – naïve, mais bonne.".encode("cp1252"))
    [article] = load_articles_from_path(path)
    assert article.title == "Le café"
    assert article.text == "Une idée – naïve, mais bonne."


def test_json_object_and_list(tmp_path: Path) -> None:
    single = tmp_path / "one.json"
    single.write_text(
        json.dumps(
            {
                "url": "https://courier.example/a",
                "title": "Bridge closed",
                "text": "The bridge is closed.",
                "published": "2024-03-05T14:30:00+01:00",
                "source": "Riverside Courier",
                "author": "Maria Okafor",
            }
        )
    )
    [article] = load_articles_from_path(single)
    assert article.url == "https://courier.example/a"
    assert article.published == dt.datetime(2024, 3, 5, 13, 30, tzinfo=dt.UTC)
    assert (article.title, article.outlet, article.author) == (
        "Bridge closed",
        "Riverside Courier",
        "Maria Okafor",
    )

    many = tmp_path / "many.json"
    many.write_text(
        json.dumps(
            [
                {"html": "<p>First</p>", "date": "Tue, 05 Mar 2024 13:30:00 GMT"},
                {"text": "Second", "outlet": "Valley Weekly"},
            ]
        )
    )
    first, second = load_articles_from_path(many)
    # Without a url each item still gets a distinct one.
    assert first.url == many.resolve().as_uri() + "#1"
    assert second.url == many.resolve().as_uri() + "#2"
    assert (first.html, first.text) == ("<p>First</p>", None)
    assert first.published == dt.datetime(2024, 3, 5, 13, 30, tzinfo=dt.UTC)
    assert (second.text, second.outlet, second.published) == ("Second", "Valley Weekly", None)


def test_jsonl_skips_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    path.write_text('{"text": "One", "url": "https://w.example/1"}\n\n{"text": "Two"}\n')
    first, second = load_articles_from_path(path)
    assert (first.url, first.text) == ("https://w.example/1", "One")
    assert (second.url, second.text) == (path.resolve().as_uri() + "#3", "Two")


def test_directory_is_read_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Two\n\nSecond body.")
    (tmp_path / "a.md").write_text("One\n\nFirst body.")
    (tmp_path / "notes.csv").write_text("ignored,in,a,directory")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text("Hidden\n\nIgnored.")
    articles = load_articles_from_path(tmp_path)
    assert [a.title for a in articles] == ["One", "Two"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.csv", "a,b", r"unsupported file type \.csv"),
        ("empty.txt", "  \n", "the file is empty"),
        ("bad.json", '{\n  "text": "x",\n  oops\n}', "invalid JSON at line 3"),
        ("bad.jsonl", '{"text": "ok"}\n{"text": \n', r"bad\.jsonl, line 2: invalid JSON"),
        ("scalar.json", "[1]", "item 1: expected a JSON object"),
        ("notext.json", '{"title": "Only a title"}', "needs a non-empty 'text' or 'html'"),
        ("badtype.json", '{"text": "x", "title": 5}', "field 'title' must be a string"),
        ("baddate.jsonl", '{"text": "x", "date": "last Tuesday"}', "line 1: cannot read date"),
    ],
)
def test_bad_input_is_reported_clearly(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        load_articles_from_path(path)


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or directory"):
        load_articles_from_path(tmp_path / "nope.txt")


def test_directory_without_articles(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("a,b")
    with pytest.raises(InputError, match=r"no \.html, \.htm, \.txt, \.md, \.json or \.jsonl files"):
        load_articles_from_path(tmp_path)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Title\n\nBody")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    # Tests may run as root, for whom file permissions do not apply.
    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(InputError, match="cannot read file: Permission denied"):
        load_articles_from_path(path)
