"""The `eval cluster` and `eval summarize` commands themselves, options and all, on a slice of
the dev data, so that what docs/evaluation.md runs cannot rot behind the library calls."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsdistill.cli import app
from newsdistill.evaluation.datasets import JITTER_SEED
from tests.evaluation.conftest import CLUSTERING_DEV, MDS_DEV, needs


def invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


@needs(CLUSTERING_DEV)
def test_eval_cluster_with_every_option(tmp_path: Path) -> None:
    out = tmp_path / "cluster.json"
    shown = invoke(
        "eval", "cluster", "--data", str(CLUSTERING_DEV), "--limit", "40", "--grid",
        "--jitter-seeds", "2", "--density", "0.5", "--params", "threshold=0.3",
        "--json", str(out),
    )  # fmt: skip
    tables = ("Clustering: 40", "Grid, best 10", "Subsets of", "Other jitter seeds", "Over those")
    assert all(title in shown for title in tables)
    report = json.loads(out.read_text(encoding="utf-8"))
    systems = [r["system"] for r in report["results"]]
    assert systems[:2] == ["newsdistill", "newsdistill (given)"]
    assert systems[2] == "newsdistill (grid best by mean of 3 seeds)"
    assert [p["seed"] for p in report["jitter"]] == [JITTER_SEED + 1, JITTER_SEED + 2]
    assert len(report["tuning"]) == 240 and "mean B3 F1 (3 seeds)" in report["tuning"][0]
    assert report["density"][0]["fraction"] == 0.5


@needs(MDS_DEV)
def test_eval_summarize_on_two_clusters(tmp_path: Path) -> None:
    out = tmp_path / "summarize.json"
    shown = invoke("eval", "summarize", "--data", str(MDS_DEV), "--limit", "2", "--json", str(out))
    assert "Summaries: 2 clusters" in shown and "ROUGE-2" in shown
    report = json.loads(out.read_text(encoding="utf-8"))
    assert (report["clusters"], report["writer"], report["failed"]) == (2, "extractive", [])
    rows = {r["system"]: r for r in report["results"]}
    assert {"lead", "LexRank", "TextRank"} <= set(rows)
    ours = rows["newsdistill extractive (summary view)"]
    assert ours["verified"] == 1.0  # every published sentence checked against its sources
    assert 0.0 < ours["ROUGE-1"] <= 1.0 and 0 < ours["words"] <= report["budget_words"]


def test_a_bad_setting_is_one_error_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["eval", "cluster", "--data", str(tmp_path / "x.jsonl"), "--params", "colour=3"]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: unknown clustering parameter 'colour'; known:")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
