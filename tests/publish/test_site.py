from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdistill.models import Digest
from newsdistill.publish import write_site


def test_writes_every_file(digests: list[Digest], tmp_path: Path) -> None:
    files = write_site(digests, tmp_path, site_title="Quarry Watch", base_url="https://n.example/")
    assert files.index == tmp_path / "index.html"
    # Newest news first: the quarry story's latest source is newer than the port strike's.
    newest = max(digests, key=lambda d: max(s.published for s in d.sources))
    assert files.pages[0].name == f"{newest.story_id}.html"
    assert [p.name for p in files.pages] == ["quarry-collapse-2026.html", "port-strike-2026.html"]
    assert {p.relative_to(tmp_path).as_posix() for p in files.digests} == {
        f"digests/{d.story_id}.{ext}" for d in digests for ext in ("md", "json")
    }
    for path in [files.index, files.atom, files.json_feed, *files.pages, *files.digests]:
        assert path.is_file() and path.stat().st_size > 0
    feed = json.loads(files.json_feed.read_text(encoding="utf-8"))
    assert feed["feed_url"] == "https://n.example/feed.json"


def test_index_links_every_story(digests: list[Digest], tmp_path: Path) -> None:
    files = write_site(digests, tmp_path)
    index = files.index.read_text(encoding="utf-8")
    for digest in digests:
        assert f'<a href="stories/{digest.story_id}.html">{digest.headline.text}</a>' in index
        assert digest.dateline in index
    assert "3 sources · 8 of 9 sentences verified against 3 sources" in index
    assert 'href="stories/quarry-collapse-2026.html#source-1"' in index
    page = files.pages[0].read_text(encoding="utf-8")
    assert 'href="../index.html"' in page


def test_is_idempotent(digests: list[Digest], tmp_path: Path) -> None:
    first = write_site(digests, tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert write_site(digests, tmp_path) == first
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_refuses_two_digests_for_one_story(digest: Digest, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="more than one digest"):
        write_site([digest, digest], tmp_path)


def test_index_escapes_source_text(digest: Digest, tmp_path: Path) -> None:
    digest.headline.text = "<script>alert(1)</script> \u202eheadline"
    digest.dateline = '<img src=x onerror="alert(2)">'
    index = write_site([digest], tmp_path).index.read_text(encoding="utf-8")
    assert "<script" not in index and "<img" not in index and "\u202e" not in index
    assert "&lt;script&gt;alert(1)&lt;/script&gt; headline</a>" in index
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in index


def test_empty_site_says_so(tmp_path: Path) -> None:
    index = write_site([], tmp_path).index.read_text(encoding="utf-8")
    assert "<li>No stories yet.</li>" in index
