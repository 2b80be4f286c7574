"""`newsdistill check`: splitting a summary into units, and the command end to end."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsdistill.cli.app import app
from newsdistill.verify.check import load_sources, split_units
from tests.verify.conftest import DATA, SOURCES

SUMMARY = DATA / "harbour-fire-summary.md"


def test_units_skip_furniture_and_split_claims() -> None:
    units = split_units(SUMMARY.read_text(encoding="utf-8"))
    kinds = {u.text: u.kind for u in units}
    assert kinds["Harlow depot fire"] == "heading"
    assert kinds["What happened"] == "heading"
    assert kinds["Written by DigestBot"] == "byline"
    assert kinds["Nov 20, 2026"] == "dateline"
    assert kinds["What comes next?"] == "question"
    assert kinds["DigestBot summarises the news for you."] == "repeated"
    assert kinds["Event; Date; Details"] == "heading"
    assert kinds["The blaze killed five firefighters at the Northline Fuels depot."] == "claim"
    row = "Residents return; Wednesday; Evacuated residents were allowed back home"
    assert kinds[f"{row} on Wednesday morning"] == "claim"
    assert not any(u.text.startswith(("|", "-", "#")) for u in units)


def test_html_sources_are_extracted() -> None:
    passages = load_sources(SOURCES)
    gazette = [p for p in passages if p.outlet == "harbour-fire-gazette.html"]
    assert any("Ivo Brandt" in p.text for p in gazette)
    assert not any("newsletter" in p.text for p in gazette)


def test_check_command_json() -> None:
    result = CliRunner().invoke(
        app, ["check", str(SUMMARY), "--sources", *map(str, SOURCES), "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    verdicts = {u["text"]: u for u in report["units"]}
    lede = next(u for u in report["units"] if u["text"].startswith("A fire at a fuel depot"))
    assert lede["verdict"] == "supported"
    five = verdicts["The blaze killed five firefighters at the Northline Fuels depot."]
    assert five["verdict"] == "contradicted"
    assert five["evidence"][0]["source"] == "harbour-fire-wire.txt"
    mayor = verdicts["Mayor Tomas Ridgeway praised the crews and promised new fire engines."]
    assert mayor["verdict"] == "unsupported"
    assert report["counts"]["skipped"] >= 6
    assert sorted(report["sources"]) == ["harbour-fire-gazette.html", "harbour-fire-wire.txt"]


def test_check_command_table(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["check", str(SUMMARY), "-s", str(DATA)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "contradicted" in result.output
    assert "supported" in result.output


def test_check_command_needs_sources() -> None:
    result = CliRunner().invoke(app, ["check", str(SUMMARY)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error:") and "--sources" in result.stderr
