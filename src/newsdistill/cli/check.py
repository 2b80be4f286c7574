"""`newsdistill check` and `newsdistill eval factcheck`: arguments in, tables or JSON out.

The work is done by `newsdistill.verify.check` and `newsdistill.evaluation.factcheck`; both run
the verifier that guards digests.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import track
from rich.table import Table

from newsdistill.cli.safe import untrusted
from newsdistill.errors import InputError

if TYPE_CHECKING:  # the library loads models: imported inside the commands, not for --help
    from newsdistill.evaluation.factcheck import FactcheckReport
    from newsdistill.verify.check import UnitResult

_STYLE = {
    "supported": "green",
    "unsupported": "yellow",
    "contradicted": "bold red",
    "skipped": "dim",
}


def _print_units(results: Sequence[UnitResult], console: Console) -> None:
    table = Table("line", "verdict", "score", "text", "reasons", "evidence", show_lines=True)
    for r in results:
        evidence = "\n".join(f"[{e['source']}] {e['text']}" for e in r.evidence)
        table.add_row(
            str(r.line),
            f"[{_STYLE[r.verdict]}]{r.verdict if r.verdict != 'skipped' else r.kind}[/]",
            "" if r.score is None else f"{r.score:.2f}",
            untrusted(r.text),
            untrusted("\n".join(r.reasons)),
            untrusted(evidence),
        )
    console.print(table)


def check_command(
    text_file: Annotated[Path, typer.Argument(help="The summary to check (text or Markdown).")],
    sources: Annotated[
        list[Path] | None,
        typer.Option(
            "--sources",
            "-s",
            help="Source files or directories (text, Markdown, HTML, JSON); more may follow.",
        ),
    ] = None,
    more_sources: Annotated[
        list[Path] | None,
        typer.Argument(help="Further sources after --sources.", show_default=False),
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print machine-readable JSON instead of a table.")
    ] = False,
    judge: Annotated[
        str,
        typer.Option(help="Judge: features (default), llm (local model), llm-openai or overlap."),
    ] = "features",
) -> None:
    """Check every sentence of a summary against source articles: supported, unsupported
    (no source says it) or contradicted (a source says otherwise)."""
    paths = [*(sources or []), *(more_sources or [])]
    if not paths:
        raise InputError("give the source articles with --sources FILE_OR_DIR ...")
    try:
        summary = text_file.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{text_file}: cannot read: {exc.strerror or exc}") from None
    from newsdistill.verify.check import (
        check_summary,
        default_verifier,
        load_sources,
        verdict_counts,
    )

    loaded = load_sources(paths)
    results = check_summary(summary, loaded, default_verifier(judge))
    counts = verdict_counts(results)
    if json_output:
        payload = {
            "summary": str(text_file),
            "sources": sorted({s.outlet for s in loaded}),
            "judge": judge,
            "counts": counts,
            "units": [asdict(r) for r in results],
        }
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        return
    console = Console()
    _print_units(results, console)
    console.print(", ".join(f"[{_STYLE[k]}]{n} {k}[/]" for k, n in counts.items()))


def _print_report(report: FactcheckReport, console: Console) -> None:
    table = Table(title="Balanced accuracy (label 1 = consistent)")
    table.add_column("origin")
    table.add_column("pairs", justify="right")
    trained = report.training_cross_validated
    if trained:
        table.add_column(
            f"{report.judge}, cross-validated in its training run (not recomputed)",
            justify="right",
        )
    in_sample = " (trained on this file: in-sample)" if trained else ""
    table.add_column(f"ours, {report.judge}{in_sample}", justify="right")
    table.add_column(f"overlap ≥ {report.baseline_threshold:.2f} (tuned here)", justify="right")
    for origin, n in report.n.items():
        row = [origin, str(n)]
        if trained:
            row.append(f"{trained.get(origin, float('nan')):.3f}")
        row += [f"{report.ours[origin]:.3f}", f"{report.baseline[origin]:.3f}"]
        table.add_row(*row)
    console.print(table)
    if trained:
        console.print(
            "The judge was trained on this file. Its cross-validated figures are those its "
            "training run (scripts/train_judge.py, grouped 5-fold, settings chosen inside each "
            "fold) recorded in the model file; this command does not retrain it."
        )
    console.print(
        f"Speed (models warm): {report.sentences} summary sentences verified in "
        f"{report.seconds:.1f} s = {report.sentences_per_second:.1f} sentences/s once their "
        f"sources are embedded (retrieval, hard checks, judge); {report.end_to_end_per_second:.1f}"
        f" sentences/s counting the {report.index_seconds:.1f} s spent embedding the documents."
    )


def factcheck_command(
    data: Annotated[Path, typer.Option(help="JSONL of {id, document, summary, label, origin}.")],
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Also write the report as JSON here.")
    ] = None,
    judge: Annotated[
        str,
        typer.Option(help="Judge for our verifier: features, llm, llm-openai or overlap."),
    ] = "features",
    limit: Annotated[int | None, typer.Option(help="Only the first N pairs.", min=1)] = None,
) -> None:
    """Balanced accuracy of the verifier on factual-consistency pairs, next to lexical overlap."""
    bar = Console(stderr=True)
    from newsdistill.evaluation.factcheck import run_factcheck

    report = run_factcheck(
        data,
        judge,
        limit,
        lambda pairs: track(
            pairs, "Verifying summaries", console=bar, transient=True, disable=not bar.is_terminal
        ),
    )
    _print_report(report, Console())
    if json_path is not None:
        json_path.write_text(json.dumps(report.as_json(), indent=2) + "\n", encoding="utf-8")
