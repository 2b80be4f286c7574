"""One stylesheet for a digest: the static site inlines publish's digest.css, and the reader
links the same file (and its own reader.css over it)."""

from __future__ import annotations

import re

from newsdistill.publish import render_html
from newsdistill.publish.html import STYLESHEET
from tests.publish.conftest import make_digest
from tests.web.conftest import Newsdesk


def _stylesheets(html: str) -> list[str]:
    return re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)


def test_the_static_page_inlines_the_shared_stylesheet() -> None:
    page = render_html(make_digest())
    style = page[page.index("<style>") + len("<style>") : page.index("</style>")]
    assert style.strip() == STYLESHEET.read_text(encoding="utf-8").strip()
    assert "&#34;" not in style  # not HTML-escaped: CSS strings keep their quotes


def test_the_reader_serves_the_same_file_before_its_own(desk: Newsdesk) -> None:
    front = desk.client.get("/").text
    links = _stylesheets(front)
    assert [link.rsplit("/", 1)[-1] for link in links] == ["digest.css", "reader.css"]
    served = desk.client.get(links[0])
    assert served.status_code == 200 and served.headers["content-type"].startswith("text/css")
    assert served.text == STYLESHEET.read_text(encoding="utf-8")
