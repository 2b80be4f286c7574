"""`newsdistill eval …`: measurements on external data, next to baselines run in the same
command. The library (newsdistill.evaluation) computes and returns the results; these commands
print them and write the JSON. Its modules import inside the commands, as they load models."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsdistill.cli.check import factcheck_command
from newsdistill.cli.progress import err, progress_bars
from newsdistill.cli.tables import show

eval_app = typer.Typer(
    help="Measure newsdistill on external data, next to baselines run in the same command.",
    no_args_is_help=True,
)
JsonOption = Annotated[
    Path | None, typer.Option("--json", help="Also write the results to this file.")
]


@eval_app.command("cluster")
def cluster_command(
    data: Annotated[Path, typer.Option(help="JSONL of articles with a `cluster` label.")],
    json_out: JsonOption = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N articles.")] = None,
    grid: Annotated[
        bool, typer.Option("--grid", help="Also run the documented ClusterParams grid.")
    ] = False,
    params: Annotated[
        str | None,
        typer.Option(help="Also score these settings, e.g. 'threshold=0.3,age_penalty=0.1'."),
    ] = None,
    density: Annotated[
        str | None,
        typer.Option(
            help="Also score random subsets keeping these shares of the stories, e.g. "
            "'0.33,0.5,0.75' (several seeded draws each): how scores depend on density."
        ),
    ] = None,
    jitter: Annotated[
        int,
        typer.Option(
            "--jitter-seeds",
            min=0,
            help="Also score ours with the times drawn from this many other jitter seeds: "
            "how much of the score is the documented seed's draw. With --grid, settings are "
            "ranked by their mean over the documented and these seeds.",
        ),
    ] = 0,
) -> None:
    """B-cubed and pairwise scores of the incremental clusterer, next to two baselines."""
    from newsdistill.evaluation.cluster import (
        evaluate_clustering,
        jitter_summary,
        parse_fractions,
        parse_params,
    )
    from newsdistill.evaluation.report import write_json

    given = parse_params(params) if params else None
    fractions = parse_fractions(density) if density else []
    with progress_bars() as bars:
        result = evaluate_clustering(
            data, limit, given, grid=grid, density=fractions, jitter=jitter, progress=bars
        )
    show(f"Clustering: {result.articles} articles from {data}", [s.row() for s in result.results])
    if result.tuning:
        show("Grid, best 10 by (mean) B-cubed F1", [g.row() for g in result.tuning[:10]])
    if result.density:
        show("Subsets of whole stories (density)", [p.row() for p in result.density])
    if result.jitter:
        show("Other jitter seeds (ours)", [p.row() for p in result.jitter])
        show("Over those seeds", [jitter_summary(result.jitter)])
    write_json(json_out, result.payload())


@eval_app.command("summarize")
def summarize_command(
    data: Annotated[Path, typer.Option(help="JSONL of {id, documents, references} clusters.")],
    writer: Annotated[str, typer.Option(help="Writer to distill with.")] = "extractive",
    json_out: JsonOption = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N clusters.")] = None,
    budget: Annotated[
        int | None,
        typer.Option(
            help="Words per summary, for every system (default: the median length of the "
            "NeuS/AllSides references)."
        ),
    ] = None,
) -> None:
    """ROUGE of the distilled digests against references, next to lead, LexRank, TextRank."""
    from newsdistill.evaluation.report import write_json
    from newsdistill.evaluation.summarize import evaluate_summaries

    result = evaluate_summaries(data, writer, limit, budget)
    show(
        f"Summaries: {result.clusters} clusters from {data}, {result.budget}-word budget, "
        f"{result.judge} judge",
        result.rows(),
    )
    for line in result.failed:
        err.print(f"failed: {line}", markup=False, highlight=False)
    write_json(json_out, result.payload())


@eval_app.command("readability")
def readability_command(
    digests: Annotated[
        list[Path] | None,
        typer.Argument(help="Digest JSON files or directories (e.g. an export's digests/)."),
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option(help="Or: JSONL of {id, documents} clusters to write digests for first."),
    ] = None,
    writer: Annotated[
        list[str] | None, typer.Option("--writer", "-w", help="Writers, with --data.")
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N clusters.")] = None,
    json_out: JsonOption = None,
    examples: Annotated[int, typer.Option(help="Faulty sentences shown per kind.")] = 3,
) -> None:
    """How digests read: dangling openers, off-register sentences, cluttered attributions,
    repeated facts, cut timeline labels, reading ease."""
    from newsdistill.errors import InputError
    from newsdistill.evaluation.readability import (
        digests_for_clusters,
        load_digests,
        readability,
    )
    from newsdistill.evaluation.report import write_json

    if (data is None) == (not digests):
        raise InputError("give digest JSON files, or --data clusters to write digests for")
    results = []
    if data is None:
        loaded = load_digests(digests or [])
        for name in sorted({d.writer for d in loaded}):
            results.append(readability(name, [d for d in loaded if d.writer == name]))
    else:
        for name in writer or ["extractive"]:
            written, failed = digests_for_clusters(data, name, limit)
            for line in failed:
                err.print(f"failed: {line}", markup=False, highlight=False)
            results.append(readability(name, written))
    show("Readability", [r.row() for r in results])
    for r in results:
        for kind, texts in r.examples(examples).items():
            for text in texts:
                err.print(f"{r.writer} · {kind}: {text}", markup=False, highlight=False)
    write_json(
        json_out,
        {
            "results": [r.row() for r in results],
            "examples": {r.writer: r.examples() for r in results},
        },
    )


# `check` and `eval factcheck` share their printing, in newsdistill.cli.check.
eval_app.command("factcheck")(factcheck_command)
