"""`newsdistill serve`: the reader and the JSON API over the store, run by uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

# How long a served page may lag behind the store: checking it costs a query, too dear at
# every one of hundreds of requests a second; a second's delay is nothing to a news reader.
REVISION_MAX_AGE_S = 1.0


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8080,
    title: Annotated[str, typer.Option(help="Site title on pages and feeds.")] = "newsdistill",
    watch: Annotated[
        bool, typer.Option(help="Also run `newsdistill watch` in this process, same store.")
    ] = False,
) -> None:
    """Serve the stories in the browser (front page, story pages, search), as Atom and JSON
    Feed, and as a JSON API with its docs at /docs. Writes need NEWSDISTILL_WRITE_TOKEN."""
    import uvicorn

    # The run's settings and store; imported here since app.py imports this module.
    from newsdistill.cli.app import newsroom, settings, stdout
    from newsdistill.web import create_app

    config = settings()
    web = create_app(
        newsroom(),
        site_title=title,
        write_token=config.write_token,
        revision_max_age=REVISION_MAX_AGE_S,
    )
    mode = "writes need the token" if config.write_token else "read-only API"
    stdout().print(f"Serving {config.database_url()} on http://{host}:{port}/ ({mode})")
    if not watch:
        uvicorn.run(web, host=host, port=port, log_level="warning")
        return
    import asyncio

    from newsdistill.cli.app import _print_watch_event
    from newsdistill.watch import Watcher

    async def both() -> None:
        # uvicorn handles SIGINT/SIGTERM; when it stops, the watcher finishes its step and stops.
        # The watcher has its own Store (WAL + busy_timeout) on the same database URL.
        server = uvicorn.Server(uvicorn.Config(web, host=host, port=port, log_level="warning"))
        watcher = Watcher(newsroom(), _print_watch_event)
        task = asyncio.create_task(watcher.run())
        try:
            await server.serve()
        finally:
            watcher.stop.set()
            await task

    asyncio.run(both())
