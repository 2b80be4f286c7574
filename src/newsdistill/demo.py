"""The offline demo: serve the bundled corpus on 127.0.0.1 and run the whole pipeline on it."""

from __future__ import annotations

import io
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import make_url

from newsdistill.config import Settings
from newsdistill.errors import StoreError
from newsdistill.pipeline import DistillReport, IngestReport, Newsroom, ProcessReport
from newsdistill.progress import Progress
from newsdistill.publish import SiteFiles
from newsdistill.store import Store

CORPUS = Path(__file__).parent / "demo_corpus"
SITE = CORPUS / "site"
BASE_PLACEHOLDER = b"{{BASE}}"


class _CorpusHandler(SimpleHTTPRequestHandler):
    """Serves the corpus with its {{BASE}} placeholder replaced by this server's address."""

    def __init__(self, *args: Any, base_ref: list[bytes], **kwargs: Any) -> None:
        self.base = base_ref[0]
        super().__init__(*args, **kwargs)

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            return super().send_head()
        body = path.read_bytes().replace(BASE_PLACEHOLDER, self.base)
        ctype = self.guess_type(str(path))
        if path.suffix == ".xml":
            ctype = "application/xml"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_corpus(root: Path = SITE) -> Iterator[str]:
    """Serve `root` on a free port of 127.0.0.1; yields the base URL."""
    base_ref = [b""]
    handler = partial(_CorpusHandler, directory=str(root), base_ref=base_ref)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    base_ref[0] = base.encode()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


def allowing(settings: Settings, base: str) -> Settings:
    """`settings` that let fetching reach the corpus server at `base`: the guard refuses
    127.0.0.1 otherwise, and this allows that one port only."""
    allowed = [*settings.fetch_allow, urlsplit(base).netloc]
    return settings.model_copy(update={"fetch_allow": allowed})


@dataclass
class DemoResult:
    out_dir: Path
    db_url: str
    feeds: int
    ingest: IngestReport
    process: ProcessReport
    distill: DistillReport
    site: SiteFiles


def run_demo(
    out_dir: Path, settings: Settings, progress: Progress | None = None, writer: str | None = None
) -> DemoResult:
    """Feeds from the corpus OPML, the full pipeline, a static site in `out_dir`.

    The store is the database of `settings.db` when one is given (--db, NEWSDISTILL_DB), else
    a fresh SQLite file of the demo's own in `out_dir`. A given database must be empty or hold
    only a previous demo, which is replaced; anything else in it is left alone and refused.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    db_url = settings.db or f"sqlite:///{out_dir / 'demo.db'}"
    if not settings.db:
        for stale in out_dir.glob("demo.db*"):
            stale.unlink()
    store = Store.open(db_url)
    try:
        if settings.db:
            _make_room_for_the_demo(store, db_url)
        site_dir = out_dir / "site"
        if site_dir.exists():
            shutil.rmtree(site_dir)
        with serve_corpus() as base:
            room = Newsroom(
                allowing(settings, base).model_copy(update={"db": db_url}), store, progress
            )
            opml = out_dir / "demo-feeds.opml"
            opml.write_bytes(
                (SITE / "opml.xml").read_bytes().replace(BASE_PLACEHOLDER, base.encode())
            )
            added, _ = room.import_opml(opml)
            ingest = room.fetch()
        process = room.process()
        distill = room.distill(writer)
        site = room.export(site_dir)
    finally:
        store.close()
    return DemoResult(out_dir, db_url, added, ingest, process, distill, site)


def _demo_feed_urls() -> re.Pattern[str]:
    """What the corpus's feed URLs look like once served: this machine, any port."""
    paths = re.findall(rb'xmlUrl="\{\{BASE\}\}([^"]+)"', (SITE / "opml.xml").read_bytes())
    alternatives = "|".join(re.escape(p.decode()) for p in paths)
    return re.compile(rf"http://127\.0\.0\.1:\d+(?:{alternatives})")


def _make_room_for_the_demo(store: Store, db_url: str) -> None:
    """Empty a database that holds only an earlier demo run (its feeds were the corpus's, on
    127.0.0.1, and every article came from them); refuse one that holds anything else."""
    feeds = store.list_feeds()
    demo_feeds = _demo_feed_urls()
    ours = [f.id for f in feeds if f.id is not None and demo_feeds.fullmatch(f.url)]
    others = len(feeds) - len(ours)
    elsewhere = store.count_articles_not_from(ours)
    if others or elsewhere:
        raise StoreError(
            f"{make_url(db_url).render_as_string()} holds data that is not the demo's "
            f"({others} other feeds, {elsewhere} articles not from the demo's feeds), and the "
            "demo writes only into an empty database or one holding a previous demo: give it "
            "another --db, or none for its own SQLite file"
        )
    store.clear()
