"""`newsdistill demo` on the database --db or NEWSDISTILL_DB names: it runs there when the
database is empty or holds a previous demo (which it replaces), and refuses, touching nothing,
a database that holds anything else."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from newsdistill.cli.app import app
from newsdistill.demo import CORPUS
from newsdistill.store import Store
from tests.conftest import ON_POSTGRESQL, make_article


def _demo(out: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [*args, "demo", "--out", str(out)])
    return result.exit_code, result.output


def _demo_process(out: Path, *args: str, env: dict[str, str]) -> None:
    """`newsdistill demo` as a user runs it (a process of its own reads the environment)."""
    done = subprocess.run(
        [sys.executable, "-m", "newsdistill", *args, "demo", "--out", str(out)],
        env=os.environ | {"PYTHONPATH": os.pathsep.join(sys.path)} | env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _rows(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                table: conn.scalar(text(f"SELECT count(*) FROM {table}")) or 0
                for table in ("feeds", "articles", "stories", "digests")
            }
    finally:
        engine.dispose()


@pytest.mark.parametrize("held", ["a feed of the user's", "an article from a file"])
def test_a_database_with_other_data_is_refused_and_left_alone(
    database: str, tmp_path: Path, held: str
) -> None:
    store = Store.open(database)
    if held == "a feed of the user's":
        store.add_feed("https://news.example/feed.xml", "My paper")
    else:
        store.add_article(make_article("The council met on Tuesday.", url="file:///notes.txt"))
    before = store.counts()
    store.close()

    code, output = _demo(tmp_path / "out", "--db", database)

    assert code == 1, output
    assert "holds data that is not the demo's" in " ".join(output.split())
    reopened = Store.open(database)
    assert reopened.counts() == before
    reopened.close()
    assert not (tmp_path / "out" / "site").exists()


@pytest.mark.slow
@pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="needs PostgreSQL: set NEWSDISTILL_TEST_DB=postgresql+psycopg://… to run the demo there",
)
def test_the_demo_runs_on_postgresql_and_a_second_run_replaces_the_first(
    database: str, tmp_path: Path
) -> None:
    _demo_process(tmp_path / "first", env={"NEWSDISTILL_DB": database})
    first = _rows(database)
    corpus = json.loads((CORPUS / "articles.json").read_text(encoding="utf-8"))
    assert first["feeds"] == len(json.loads((CORPUS / "outlets.json").read_text()))
    assert first["articles"] == len(corpus)
    assert first["stories"] >= 8 and first["digests"] == first["stories"]
    assert not (tmp_path / "first" / "demo.db").exists()  # no SQLite file of its own
    pages = list((tmp_path / "first" / "site" / "stories").glob("*.html"))
    assert len(pages) == first["stories"]

    _demo_process(tmp_path / "second", "--db", database, env={})
    assert _rows(database) == first  # the previous demo replaced, not added to
