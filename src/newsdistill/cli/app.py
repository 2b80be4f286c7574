"""The `newsdistill` command and its pipeline sub-commands, over pipeline.Newsroom.

The library modules behind a command import inside it: they load scikit-learn, spaCy and the
models, which `newsdistill --help` (or a typo) should not wait for.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Column, Table
from typer.core import TyperGroup

from newsdistill.cli.bench import bench_command
from newsdistill.cli.bench_serve import bench_serve_command
from newsdistill.cli.check import check_command
from newsdistill.cli.evaluate import eval_app
from newsdistill.cli.progress import RichProgress, err, progress_bars
from newsdistill.cli.safe import marked, untrusted
from newsdistill.cli.serve import serve_command
from newsdistill.cli.worker import dispatch_command, worker_command
from newsdistill.config import Settings, get_settings
from newsdistill.errors import DatabaseError, ModelLoadError, NewsdistillError

if TYPE_CHECKING:
    from newsdistill.models import Article
    from newsdistill.pipeline import IngestReport, Newsroom


# Exit statuses (README, "Exit status"): 0 done; 1 the input or request is at fault (a bad URL,
# an unreadable file, an unknown story, nothing could be fetched); 2 a usage error (Click's);
# 3 the database cannot be used; 4 a model or its runtime is missing.
EXIT_DATABASE = 3
EXIT_MODEL = 4


def exit_status(exc: NewsdistillError) -> int:
    if isinstance(exc, DatabaseError):
        return EXIT_DATABASE
    if isinstance(exc, ModelLoadError):
        return EXIT_MODEL
    return 1


class _ReportingGroup(TyperGroup):
    """A NewsdistillError from any command (sub-commands included) is printed as one clear
    line, not a traceback, with the exit status of its kind."""

    def invoke(self, ctx: Any) -> Any:  # Any: Typer's Context is its vendored click's
        try:
            return super().invoke(ctx)
        except NewsdistillError as exc:
            err.print(marked("Error: ", "bold red", str(exc)), highlight=False, soft_wrap=True)
            raise typer.Exit(exit_status(exc)) from None


app = typer.Typer(
    cls=_ReportingGroup,
    help="Group breaking news into stories and distill each into a verified, cited digest.",
    no_args_is_help=True,
    add_completion=False,
)
feeds_app = typer.Typer(help="Manage the feeds that `fetch` polls.", no_args_is_help=True)
app.add_typer(feeds_app, name="feeds")
app.add_typer(eval_app, name="eval")


def run() -> None:
    """The `newsdistill` console script."""
    app()


_state: dict[str, Any] = {}


@app.callback()
def main(
    db: Annotated[
        str | None,
        typer.Option(
            help="Database URL (default: $NEWSDISTILL_DB or ~/.newsdistill/newsdistill.db)."
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log details.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    settings = get_settings()
    if db:
        settings = settings.model_copy(update={"db": db})
    _state["settings"] = settings
    # Made per run, so that it reads the terminal's width (or COLUMNS) now, not at import.
    _state["console"] = Console()


def stdout() -> Console:
    """Standard output for this run."""
    value: Console = _state.get("console") or Console()
    return value


def settings() -> Settings:
    value: Settings = _state.get("settings") or get_settings()
    return value


def newsroom(progress: RichProgress | None = None) -> Newsroom:
    from newsdistill.pipeline import Newsroom

    return Newsroom(settings(), progress=progress)


def _print_ingest(report: IngestReport) -> None:
    stdout().print(
        f"[green]{report.added}[/] new articles, {report.skipped} already stored, "
        f"[red]{report.failed}[/] failed"
        + (
            f"; feeds: {report.feeds_ok} read, {report.feeds_unchanged} unchanged, "
            f"{report.feeds_failed} failed"
            if report.feeds_ok or report.feeds_failed or report.feeds_unchanged
            else ""
        )
    )
    for line in report.errors[:20]:
        err.print(marked("  ! ", "yellow", line))
    if len(report.errors) > 20:
        err.print(f"  … and {len(report.errors) - 20} more (see `newsdistill feeds list`)")
    if report.all_failed:  # a script must be able to tell that nothing could be read
        raise typer.Exit(1)


def _after_ingest(room: Newsroom, progress: RichProgress, writer: str | None) -> None:
    processed = room.process()
    stdout().print(
        f"{processed.processed} articles placed: {processed.new_stories} new stories, "
        f"{processed.joined} joined stories, {processed.duplicates} syndicated copies merged"
    )
    distilled = room.distill(writer)
    stdout().print(f"{distilled.written} digests written, {distilled.unchanged} unchanged")
    for line in distilled.failed:
        err.print(marked("  ! ", "red", line))


WriterOption = Annotated[
    str | None,
    typer.Option(
        "--writer",
        "-w",
        help="extractive, local, openai or a plugin's writer (`newsdistill plugins` lists "
        "them; default from settings).",
    ),
]
ProcessOption = Annotated[
    bool, typer.Option("--process/--no-process", help="Cluster and distill what was stored.")
]


# --- feeds ---------------------------------------------------------------------------------


@feeds_app.command("add")
def feeds_add(
    url: Annotated[str, typer.Argument(help="RSS or Atom feed URL.")],
    topic: Annotated[
        str | None, typer.Option(help="Your own group for it, e.g. Science (a topic filter).")
    ] = None,
) -> None:
    """Add a feed to poll."""
    feed, new = newsroom().add_feed(url, topic=topic)
    stdout().print(("Added" if new else "Already known:") + f" feed {feed.id}: {feed.url}")


@feeds_app.command("import")
def feeds_import(path: Annotated[Path, typer.Argument(help="An OPML file of feeds.")]) -> None:
    """Add every feed listed in an OPML file."""
    added, known = newsroom().import_opml(path)
    stdout().print(f"Added {added} feeds ({known} already known).")


@feeds_app.command("list")
def feeds_list() -> None:
    """List feeds with their last fetch status."""
    config = settings()
    table = Table(
        "id", "title", "url", "topic", "every", "next poll", "last fetched", "status", "error"
    )
    for f in newsroom().store.list_feeds():
        table.add_row(
            str(f.id),
            untrusted(f.title or ""),
            untrusted(f.url),
            untrusted(f.topic or ""),
            f"{(f.poll_interval or config.poll_interval) / 60:.0f} min",
            f"{f.next_poll_at:%Y-%m-%d %H:%M}" if f.next_poll_at else "due",
            f"{f.last_fetched_at:%Y-%m-%d %H:%M}" if f.last_fetched_at else "never",
            str(f.last_status or ""),
            untrusted((f.last_error or "")[:80]),
        )
    stdout().print(table)


@app.command()
def watch(
    once: Annotated[
        bool, typer.Option(help="Poll every due feed once, cluster and distill, then exit.")
    ] = False,
) -> None:
    """Keep polling the feeds, each on its own schedule, and keep the stories current.
    Intervals come from settings (NEWSDISTILL_POLL_INTERVAL, NEWSDISTILL_SETTLE_DELAY, ...)."""
    from newsdistill.watch import run_watcher

    run_watcher(newsroom(), _print_watch_event, once=once)


def _print_watch_event(event: object) -> None:
    from newsdistill.watch import Distilled, Polled

    if isinstance(event, Polled):
        poll = event.poll
        state = (
            f"failed: {untrusted(poll.feed.last_error or '')}"
            if poll.failed
            else (f"{poll.added} new")
        )
        stdout().print(
            f"poll {untrusted(poll.feed.title or poll.feed.url)}: {state}; "
            f"next in {event.next_in:.0f} s",
            highlight=False,
        )
    elif isinstance(event, Distilled):
        stdout().print(
            f"distilled {event.report.written} stories, {len(event.report.failed)} failed",
            highlight=False,
        )


# --- pipeline ------------------------------------------------------------------------------


@app.command()
def fetch(writer: WriterOption = None, process: ProcessOption = True) -> None:
    """Poll every feed once, store new articles, then cluster and distill them."""
    with progress_bars() as progress:
        room = newsroom(progress)
        if not room.store.list_feeds():
            raise NewsdistillError("no feeds yet: add one with `newsdistill feeds add URL`")
        _print_ingest(room.fetch())
        if process:
            _after_ingest(room, progress, writer)


@app.command()
def ingest(
    sources: Annotated[
        list[str],
        typer.Argument(help="Files or directories (HTML, TXT, MD, JSON, JSONL) or article URLs."),
    ],
    writer: WriterOption = None,
    process: ProcessOption = True,
) -> None:
    """Store articles from local files or single article URLs, then cluster and distill them."""
    with progress_bars() as progress:
        room = newsroom(progress)
        _print_ingest(room.ingest(sources))
        if process:
            _after_ingest(room, progress, writer)


@app.command()
def distill(
    writer: WriterOption = None,
    story: Annotated[list[str] | None, typer.Option(help="Only these story ids.")] = None,
    force: Annotated[bool, typer.Option(help="Write a new version even if unchanged.")] = False,
) -> None:
    """Write new digest versions for stories whose articles changed."""
    with progress_bars() as progress:
        report = newsroom(progress).distill(writer, story, force=force)
    stdout().print(f"{report.written} digests written, {report.unchanged} unchanged")
    for line in report.failed:
        err.print(marked("  ! ", "red", line))


@app.command()
def stories(
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 50,
    language: Annotated[
        str | None, typer.Option(help="Only stories reported in this language (ISO 639-1).")
    ] = None,
) -> None:
    """Table of stories: headline, articles, outlets, languages, last update."""
    store = newsroom().store
    # The id is what `digest` and `story` take: never shortened, however narrow the terminal.
    story = Column("story", no_wrap=True, min_width=12)  # "s" and 11 hex digits
    table = Table(story, "headline", "articles", "outlets", "languages", "last update", "digest")
    for s in store.list_stories(limit, language=language):
        table.add_row(
            s.id,
            untrusted(s.headline),
            str(len(s.article_ids)),
            untrusted(", ".join(s.outlets)),
            untrusted(_languages(store.get_articles(s.article_ids))),
            f"{s.last_updated:%Y-%m-%d %H:%M}",
            f"v{s.digest_version}" if s.digest_version else "-",
        )
    stdout().print(table)


def _languages(articles: Sequence[Article]) -> str:
    """A story's languages, most of its articles' first ("en, de"); "-" when none is known."""
    counts = Counter(a.language for a in articles if a.language)
    return ", ".join(sorted(counts, key=lambda code: (-counts[code], code))) or "-"


@app.command()
def status() -> None:
    """What the store holds, and how a new article finds the stories it may join."""
    from newsdistill.cluster import ClusterParams

    config = settings()
    store = newsroom().store
    counts = store.counts()
    articles = ", ".join(f"{n} {kind}" for kind, n in sorted(counts["articles"].items()))
    stdout().print(
        f"{counts['feeds']} feeds, {sum(counts['articles'].values())} articles"
        + (f" ({articles})" if articles else "")
        + f", {counts['stories']} stories, {counts['digests']} digests"
    )
    window = dt.timedelta(hours=ClusterParams.from_settings(config).window_hours)
    active = store.active_stories(dt.datetime.now(dt.UTC) - window)
    stdout().print(
        "nearest-story lookup: " + store.lookup.describe(active, config.nearest_stories),
        markup=False,
        soft_wrap=True,
    )


@app.command()
def digest(
    story: Annotated[str, typer.Argument(help="Story id (or a unique prefix).")],
    format: Annotated[str, typer.Option("--format", "-f", help="md, html or json.")] = "md",
    version: Annotated[int | None, typer.Option(help="An older version.")] = None,
) -> None:
    """Print a story's digest."""
    from newsdistill.publish import render_html, render_json, render_markdown

    renderers = {"md": render_markdown, "html": render_html, "json": render_json}
    if format not in renderers:
        raise NewsdistillError(f"unknown format {format!r}; use md, html or json")
    store = newsroom().store
    found = store.get_story(story)
    versions = store.digest_versions(found.id)
    chosen = [d for d in versions if version is None or d.version == version]
    if not chosen:
        raise NewsdistillError(
            f"story {found.id} has no digest" + (f" version {version}" if version else "")
        )
    sys.stdout.write(renderers[format](chosen[-1]))


@app.command()
def export(
    out_dir: Annotated[Path, typer.Argument(help="Directory to write the static site into.")],
    base_url: Annotated[str, typer.Option(help="Public URL of the site, for the feeds.")] = "",
) -> None:
    """Write the static site: index, story pages, Atom + JSON feeds, Markdown + JSON digests."""
    files = newsroom().export(out_dir, base_url)
    stdout().print(f"Wrote {len(files.pages)} story pages; open {files.index}")


@app.command()
def demo(
    out: Annotated[
        Path,
        typer.Option(
            help="Where to write the site, and the demo's own SQLite database when no --db "
            "or NEWSDISTILL_DB is given."
        ),
    ] = Path("newsdistill-demo"),
    writer: WriterOption = None,
) -> None:
    """Run the whole pipeline offline on the bundled demo corpus, served from 127.0.0.1.

    With --db or NEWSDISTILL_DB it runs on that database, which must be empty or hold only a
    previous demo (replaced); a database with anything else in it is refused, untouched."""
    from sqlalchemy import make_url

    from newsdistill.demo import run_demo

    started = time.perf_counter()
    with progress_bars() as progress:
        result = run_demo(out, settings(), progress, writer)
    stdout().print(
        f"Demo: {result.feeds} feeds, {result.ingest.added} articles "
        f"({result.ingest.failed} failed), {result.process.new_stories} stories, "
        f"{result.process.duplicates} syndicated copies merged, "
        f"{result.distill.written} digests in {time.perf_counter() - started:.1f} s"
    )
    for line in result.distill.failed:
        err.print(marked("  ! ", "red", line))
    stdout().print(f"Site:      {result.site.index.resolve()}")
    stdout().print(f"Feeds:     {result.site.atom.resolve()}  {result.site.json_feed.resolve()}")
    stdout().print(f"Digests:   {result.site.index.parent.resolve() / 'digests'}")
    stdout().print(f"Database:  {make_url(result.db_url).render_as_string()}")


@app.command("plugins")
def plugins_command() -> None:
    """The writers, judges and embedders the installed plugins provide."""
    from newsdistill import plugins

    table = Table("kind", "name", "from")
    for registry in (plugins.writers(), plugins.judges(), plugins.embedders()):
        for name in registry.names():
            table.add_row(registry.kind, name, plugins.origin(registry.factories[name]))
    stdout().print(table)


app.command("bench")(bench_command)
app.command("bench-serve")(bench_serve_command)
app.command("serve")(serve_command)
app.command("worker")(worker_command)
app.command("dispatch")(dispatch_command)
# Defined with its stage until it moves into this package (the lead rewires it at merge).
app.command("check")(check_command)
