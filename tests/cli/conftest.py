"""A small news site on 127.0.0.1 for the CLI tests: two outlets' feeds and article pages
about two stories, a feed that is gone (404), and an OPML list of the three feeds."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from newsdistill.cli import app
from tests.ingest.server import Handler, LocalServer, send

ARTICLES = {
    "/velma/ferry.html": (
        "Velma Herald",
        "Port Velma ferry terminal to open in March",
        "Harbour officials in Port Velma said on Tuesday that the new ferry terminal would open "
        "in March after a two-year delay. The terminal cost 84 million crowns, according to "
        "the port authority. Passenger numbers are expected to double by 2028, officials said. "
        "The old terminal, built in 1961, will be turned into a market hall.",
    ),
    "/coast/ferry.html": (
        "Coast Gazette",
        "New ferry terminal in Port Velma opens in March, two years late",
        "The new ferry terminal in Port Velma will open in March, two years later than planned, "
        "harbour officials said on Tuesday. The port authority put the cost of the terminal at "
        "84 million crowns. Officials expect passenger numbers to double by 2028. Ferries to "
        "the islands will leave from the new quay from the first week of March.",
    ),
    "/velma/fire.html": (
        "Velma Herald",
        "Drennan hills wildfire contained after burning 1,200 hectares",
        "Firefighters in the Drennan hills contained a wildfire on Wednesday after it burned "
        "1,200 hectares of forest, the regional fire service said. About 300 residents of Lower "
        "Drennan were evacuated on Monday and allowed home on Wednesday evening. The cause of "
        "the fire is under investigation, the fire service said.",
    ),
    "/coast/fire.html": (
        "Coast Gazette",
        "Residents return home as Drennan wildfire is brought under control",
        "A wildfire that burned 1,200 hectares of forest in the Drennan hills was contained on "
        "Wednesday, the regional fire service said. Some 300 residents of Lower Drennan, who "
        "had been evacuated on Monday, returned home on Wednesday evening. Investigators have "
        "not yet said what started the fire.",
    ),
}
FEEDS = {"/velma/rss.xml": "Velma Herald", "/coast/rss.xml": "Coast Gazette"}
GONE = "/gone/rss.xml"


def page(outlet: str, title: str, body: str) -> bytes:
    paragraphs = "".join(f"<p>{p.strip()}.</p>" for p in body.rstrip(".").split(". "))
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='og:site_name' content='{outlet}'>"
        "<meta property='article:published_time' content='2026-11-17T08:00:00+00:00'>"
        f"</head><body><nav>Home News Sport</nav><article><h1>{title}</h1>{paragraphs}"
        f"</article><footer>© {outlet}</footer></body></html>"
    ).encode()


def rss(base: str, outlet: str) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link>"
        "<pubDate>Tue, 17 Nov 2026 08:00:00 GMT</pubDate>"
        f"<description>{body[:80]}</description></item>"
        for path, (name, title, body) in ARTICLES.items()
        if name == outlet
    )
    return (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>{outlet}</title>"
        f"<link>{base}/</link><description>News</description>{items}</channel></rss>"
    ).encode()


@dataclass
class NewsSite:
    server: LocalServer
    opml: Path

    def url(self, path: str) -> str:
        return self.server.url(path)


def _route(body: bytes, content_type: str) -> Handler:
    def handle(handler: BaseHTTPRequestHandler) -> None:
        send(handler, 200, body, {"Content-Type": content_type})

    return handle


@pytest.fixture(scope="module")
def news_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NewsSite]:
    with LocalServer() as server:
        base = server.url("")
        for path, article in ARTICLES.items():
            server.routes[path] = _route(page(*article), "text/html; charset=utf-8")
        for path, outlet in FEEDS.items():
            server.routes[path] = _route(rss(base, outlet), "application/rss+xml")
        outlines = "".join(
            f'<outline type="rss" text="{title}" xmlUrl="{base}{path}"/>'
            for path, title in [*FEEDS.items(), (GONE, "Gone")]
        )
        opml = tmp_path_factory.mktemp("opml") / "feeds.opml"
        opml.write_text(
            f'<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head>'
            f"<body>{outlines}</body></opml>",
            encoding="utf-8",
        )
        yield NewsSite(server, opml)


def newsdistill(db: Path, *args: str) -> Result:
    """Run the console app on the database `db`, as `newsdistill --db sqlite:///db …` would."""
    return CliRunner().invoke(app, ["--db", f"sqlite:///{db}", *args], env={"COLUMNS": "200"})
