"""The demo corpus: the committed site is what the data and templates render, and the data agree."""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from pathlib import Path

import pytest

from newsdistill.demo_corpus import build
from newsdistill.errors import InputError

CORPUS = build.HERE
SITE = CORPUS / "site"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
ARTICLES = build.load_articles(
    CORPUS / "articles.json", build.load_sections(CORPUS / "manifest.json")
)
OUTLETS = build.load_outlets(CORPUS / "outlets.json")


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_the_committed_site_is_a_fresh_build_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "site"
    written = build.build(out)
    fresh, committed = files_under(out), files_under(SITE)
    assert written == len(fresh)
    assert sorted(fresh) == sorted(committed), "rerun python -m newsdistill.demo_corpus.build"
    changed = [path for path in fresh if fresh[path] != committed[path]]
    assert changed == [], "rerun python -m newsdistill.demo_corpus.build"


def test_every_article_has_a_page_and_a_feed_entry() -> None:
    for a in ARTICLES:
        assert (SITE / a.url_path.lstrip("/")).is_file()
        feed = (SITE / OUTLETS[a.outlet].feed_path.lstrip("/")).read_text(encoding="utf-8")
        assert feed.count(f"{build.BASE}{a.url_path}") >= 1, a.id


def test_manifest_stories_agree_with_the_articles() -> None:
    by_story: dict[str, list[build.Article]] = defaultdict(list)
    for a in ARTICLES:
        by_story[a.story].append(a)
    stories = MANIFEST["stories"]
    assert sorted(by_story) == sorted(stories)
    for sid, story in stories.items():
        members = by_story[sid]
        assert story["articles"] == sorted(a.id for a in members), sid
        assert story["outlets"] == sorted({a.outlet for a in members}), sid
        days = sorted({a.published.date().isoformat() for a in members})
        assert story["publication_days"] == days, sid


def test_manifest_references_are_articles_of_the_data() -> None:
    by_id = {a.id: a for a in ARTICLES}
    assert len(by_id) == len(ARTICLES) == 65
    for group in MANIFEST["syndicated_groups"]:
        original, *copies = group
        assert {by_id[c].syndicated_from for c in copies} == {original}
        assert by_id[original].syndicated_from is None
    copies = {a.id for a in ARTICLES if a.syndicated_from}
    assert copies == {c for group in MANIFEST["syndicated_groups"] for c in group[1:]}
    injection = MANIFEST["injection"]
    target = by_id[injection["article"]]
    assert (target.story, target.outlet) == (injection["story"], injection["outlet"])
    assert any(injection["text"] in p for p in target.paragraphs)
    for facts in MANIFEST["consensus_facts"].values():
        assert all(aid in by_id for fact in facts for aid in fact["articles"])


def test_article_text_is_escaped_on_pages_and_in_feeds() -> None:
    outlet = OUTLETS["ledger"]
    article = dataclasses.replace(
        ARTICLES[0], outlet=outlet.id, title="A <b>bold</b> & odd title", paragraphs=("x < y",)
    )
    page = build.render_article_page(outlet, article, ())
    assert "<b>bold</b>" not in page
    assert "<h1>A &lt;b&gt;bold&lt;/b&gt; &amp; odd title</h1>" in page
    assert "<p>x &lt; y</p>" in page
    feed = build.render_feed(outlet, [article])
    assert "<title>A &lt;b&gt;bold&lt;/b&gt; &amp; odd title</title>" in feed
    # the entry's HTML is itself escaped text inside the Atom element
    assert "&lt;p&gt;x &amp;lt; y&lt;/p&gt;" in feed


def test_an_outlet_with_an_unknown_style_is_a_clear_error(tmp_path: Path) -> None:
    raw = json.loads((CORPUS / "outlets.json").read_text(encoding="utf-8"))
    raw["mpa"]["style"] = "gossip"
    path = tmp_path / "outlets.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(InputError, match="unknown style 'gossip'"):
        build.load_outlets(path)


def test_unreadable_data_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "articles.json"
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(InputError, match="cannot be read as JSON"):
        build.load_articles(path, {})
