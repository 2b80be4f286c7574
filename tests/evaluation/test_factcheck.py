"""`newsdistill eval factcheck` on a tiny synthetic file and on a slice of the real dev split."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from newsdistill.cli.app import app
from newsdistill.cli.check import _print_report
from newsdistill.evaluation.factcheck import (
    FactcheckReport,
    balanced_accuracy,
    best_threshold,
    load_pairs,
    run_factcheck,
)
from tests.evaluation.conftest import SHARED

DEV = SHARED / "factcons_news" / "dev.jsonl"
DOCUMENT = (
    "A fire at a fuel depot in the port town of Harlow killed three firefighters on Tuesday. "
    "The blaze burned for six hours before crews brought it under control. "
    "About 200 residents were evacuated from nearby streets as a precaution."
)
ROWS = [
    ("ok-1", "A fire at a Harlow fuel depot killed three firefighters on Tuesday.", 1, "wire"),
    ("ok-2", "The blaze burned for six hours. About 200 residents were evacuated.", 1, "wire"),
    ("bad-1", "A fire at a Harlow fuel depot killed seven firefighters on Tuesday.", 0, "wire"),
    ("bad-2", "Mayor Tomas Ridgeway said the depot will be rebuilt by Christmas.", 0, "blog"),
    ("ok-3", "Residents near the depot were evacuated as a precaution.", 1, "blog"),
]


@pytest.fixture
def synthetic(tmp_path: Path) -> Path:
    path = tmp_path / "pairs.jsonl"
    lines = [
        json.dumps(
            {"id": i, "document": DOCUMENT, "summary": s, "label": y, "origin": o, "group": i}
        )
        for i, s, y, o in ROWS
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_balanced_accuracy_and_threshold() -> None:
    assert balanced_accuracy([1, 1, 0, 0], [1, 0, 0, 0]) == 0.75
    assert balanced_accuracy([1, 1], [1, 0]) == 0.5
    assert best_threshold([0, 0, 1, 1], [0.1, 0.4, 0.5, 0.9]) == (0.5, 1.0)


def test_factcheck_on_synthetic_pairs(synthetic: Path) -> None:
    report = run_factcheck(synthetic)
    assert report.n == {"all": 5, "blog": 2, "wire": 3}
    assert report.ours["all"] == 1.0
    assert set(report.baseline) == {"all", "blog", "wire"}
    assert report.sentences == 6 and report.sentences_per_second > 0
    assert report.training_cross_validated is None  # not the file the model was trained on


def test_factcheck_command_writes_json(synthetic: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = CliRunner().invoke(
        app,
        ["eval", "factcheck", "--data", str(synthetic), "--json", str(out)],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "sentences/s" in result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["ours"]["all"] == 1.0 and report["sentences_per_second"] > 0


@pytest.mark.skipif(not DEV.is_file(), reason="factcons_news dev split not present")
def test_factcheck_on_a_slice_of_dev(tmp_path: Path) -> None:
    lines = DEV.read_text(encoding="utf-8").splitlines()
    # Both SummEdits (first rows) and QAGS (last rows), a few of each.
    sliced = tmp_path / "slice.jsonl"
    sliced.write_text("\n".join(lines[:6] + lines[-6:]) + "\n", encoding="utf-8")
    assert len(load_pairs(sliced)) == 12
    report = run_factcheck(sliced)
    assert 0.0 <= report.ours["all"] <= 1.0
    assert set(report.n) >= {"all", "summedits_news", "qags_xsum"}


def test_training_figures_are_labelled_as_such() -> None:
    """The cross-validated column is read from the model file, and the table says so."""
    report = FactcheckReport(
        n={"all": 4},
        ours={"all": 0.75},
        baseline={"all": 0.5},
        baseline_threshold=0.6,
        judge="features",
        judge_threshold=0.5,
        sentences=4,
        seconds=1.0,
        index_seconds=1.0,
        training_cross_validated={"all": 0.6123},
    )
    out = StringIO()
    _print_report(report, Console(file=out, width=300))
    text = out.getvalue()
    assert "cross-validated in its training run (not recomputed)" in text
    assert "0.612" in text and "in-sample" in text
