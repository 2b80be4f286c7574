"""The main commands through the console app, against feeds and pages served on 127.0.0.1."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newsdistill.models import Article, Story
from newsdistill.store import Store
from tests.cli.conftest import ARTICLES, GONE, NewsSite, newsdistill, page

CITED = re.compile(r"\[\d+(?:, \d+)*\]$")


def stories_in(db: Path) -> list[Story]:
    store = Store.open(f"sqlite:///{db}")
    try:
        return store.list_stories()
    finally:
        store.close()


def one_error_line(result_stderr: str, expected: str) -> None:
    assert result_stderr.startswith(f"Error: {expected}")
    assert result_stderr.count("\n") == 1
    assert "Traceback" not in result_stderr


# --- no model needed -----------------------------------------------------------------------


def test_feeds_add_import_and_list(news_site: NewsSite, tmp_path: Path) -> None:
    db = tmp_path / "feeds.db"
    velma = news_site.url("/velma/rss.xml")
    assert newsdistill(db, "feeds", "add", velma).output == f"Added feed 1: {velma}\n"
    assert newsdistill(db, "feeds", "add", velma).output == f"Already known: feed 1: {velma}\n"
    imported = newsdistill(db, "feeds", "import", str(news_site.opml))
    assert imported.output == "Added 2 feeds (1 already known).\n"
    listed = newsdistill(db, "feeds", "list")
    assert listed.exit_code == 0
    rows = [line for line in listed.output.splitlines() if "http://" in line]
    assert len(rows) == 3 and all("never" in row for row in rows)
    assert news_site.url(GONE) in listed.output


def test_bad_arguments_are_one_error_line(news_site: NewsSite, tmp_path: Path) -> None:
    db = tmp_path / "errors.db"
    result = newsdistill(db, "feeds", "add", "ftp://example.org/feed")
    assert result.exit_code == 1
    one_error_line(result.stderr, "not an http(s) URL: ftp://example.org/feed")
    result = newsdistill(db, "feeds", "import", str(tmp_path / "missing.opml"))
    assert result.exit_code == 1
    one_error_line(result.stderr, "cannot read")
    result = newsdistill(db, "fetch")
    assert result.exit_code == 1
    one_error_line(result.stderr, "no feeds yet")
    result = newsdistill(db, "digest", "s0000000000")
    assert result.exit_code == 1
    one_error_line(result.stderr, "no story with id 's0000000000'")


def test_ingest_stores_files_once(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, article in zip(("ferry.html", "fire.html"), ARTICLES.values(), strict=False):
        (folder / name).write_bytes(page(*article))
    db = tmp_path / "ingest.db"
    first = newsdistill(db, "ingest", str(folder), "--no-process")
    assert first.output == "2 new articles, 0 already stored, 0 failed\n"
    again = newsdistill(db, "ingest", str(folder), "--no-process")
    assert again.output == "0 new articles, 2 already stored, 0 failed\n"
    bad = newsdistill(db, "ingest", str(tmp_path / "nothing-here.html"), "--no-process")
    assert bad.exit_code == 1 and "Error:" in bad.stderr and "Traceback" not in bad.output


def test_a_storys_languages_most_articles_first() -> None:
    from newsdistill.cli.app import _languages
    from tests.conftest import make_article

    def written_in(*codes: str | None) -> list[Article]:
        return [make_article("Text.").model_copy(update={"language": c}) for c in codes]

    assert _languages(written_in("de", "en", "fr", "en", None)) == "en, de, fr"
    assert _languages(written_in(None)) == "-"


# --- the whole path: fetch, cluster, distill, then read and publish ------------------------


@pytest.fixture(scope="module")
def fetched(news_site: NewsSite, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A database after `feeds import` and one `fetch`; the fetch's output."""
    db = tmp_path_factory.mktemp("fetched") / "news.db"
    assert newsdistill(db, "feeds", "import", str(news_site.opml)).exit_code == 0
    result = newsdistill(db, "fetch")
    assert result.exit_code == 0, result.output
    return db, result.stdout


@pytest.mark.slow
def test_fetch_stores_clusters_and_distills(fetched: tuple[Path, str], news_site: NewsSite) -> None:
    db, output = fetched
    assert output.splitlines() == [
        "4 new articles, 0 already stored, 0 failed; feeds: 2 read, 0 unchanged, 1 failed",
        "4 articles placed: 2 new stories, 2 joined stories, 0 syndicated copies merged",
        "2 digests written, 0 unchanged",
    ]
    listed = newsdistill(db, "feeds", "list").output
    (gone,) = [line for line in listed.splitlines() if news_site.url(GONE) in line]
    assert "404" in gone
    again = newsdistill(db, "fetch")
    assert "0 new articles, 4 already stored" in again.stdout
    assert "0 digests written, 2 unchanged" in again.stdout


@pytest.mark.slow
def test_stories_table_shows_every_story(fetched: tuple[Path, str]) -> None:
    db, _ = fetched
    shown = newsdistill(db, "stories").output
    stories = stories_in(db)
    assert len(stories) == 2
    for story in stories:
        (row,) = [line for line in shown.splitlines() if story.id in line]
        cells = [c.strip() for c in row.strip("│ ").split("│")]
        assert cells[2:5] == ["2", "Coast Gazette, Velma Herald", "en"] and cells[6] == "v1"


@pytest.mark.slow
def test_digest_prints_cited_sentences(fetched: tuple[Path, str]) -> None:
    db, _ = fetched
    (ferry,) = [s for s in stories_in(db) if "ferry" in s.headline.casefold()]
    as_json = json.loads(newsdistill(db, "digest", ferry.id, "--format", "json").stdout)
    assert (as_json["story_id"], as_json["version"], as_json["writer"]) == (
        ferry.id,
        1,
        "extractive",
    )
    markdown = newsdistill(db, "digest", ferry.id[:6], "--format", "md").stdout  # a prefix
    lines = markdown.splitlines()
    claims = [c for s in as_json["sections"] for c in s["claims"]] + as_json["path_ahead"]
    assert claims
    for claim in claims:  # the short form may print a claim again: every printing is cited
        printed = [ln for ln in lines if claim["text"] in ln]
        assert printed and all(CITED.search(line) for line in printed), printed
    assert "84 million crowns" in markdown
    sources = markdown[markdown.index("## Sources") :]
    assert sum(f"{path}>" in sources for path in ARTICLES) == 2  # both outlets' ferry pages
    older = newsdistill(db, "digest", ferry.id, "--version", "2")
    assert older.exit_code == 1
    one_error_line(older.stderr, f"story {ferry.id} has no digest version 2")
    wrong = newsdistill(db, "digest", ferry.id, "--format", "pdf")
    one_error_line(wrong.stderr, "unknown format 'pdf'")


@pytest.mark.slow
def test_export_writes_the_site(fetched: tuple[Path, str], tmp_path: Path) -> None:
    db, _ = fetched
    site = tmp_path / "site"
    result = newsdistill(db, "export", str(site), "--base-url", "https://news.example/")
    assert result.stdout.startswith("Wrote 2 story pages; open ")
    index = (site / "index.html").read_text(encoding="utf-8")
    for story_id in (s.id for s in stories_in(db)):
        assert f"stories/{story_id}.html" in index
        assert (site / "stories" / f"{story_id}.html").is_file()
    atom = (site / "feed.atom").read_text(encoding="utf-8")
    assert atom.count("<entry>") == 2 and "https://news.example/" in atom
    assert len(json.loads((site / "feed.json").read_text(encoding="utf-8"))["items"]) == 2
    assert len(list((site / "digests").iterdir())) == 4  # Markdown and JSON per story


@pytest.mark.slow
def test_demo_runs_offline(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = newsdistill(tmp_path / "unused.db", "demo", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert re.search(r"^Demo: 10 feeds, 65 articles \(0 failed\), \d+ stories", result.stdout)
    assert (out / "site" / "index.html").is_file()
    assert (out / "site" / "feed.atom").is_file()
