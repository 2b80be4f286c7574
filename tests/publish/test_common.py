from __future__ import annotations

import pytest

from newsdistill.models import Citation, Digest
from newsdistill.publish.common import SourceNumbering, safe_url, story_path


def test_sources_are_numbered_in_listed_order(digest: Digest) -> None:
    numbering = SourceNumbering(digest)
    assert [e.number for e in numbering.entries] == [1, 2, 3]
    assert [e.ref.article_id for e in numbering.entries if e.ref] == [101, 102, 103]


def test_cite_groups_positions_per_source(digest: Digest) -> None:
    numbering = SourceNumbering(digest)
    cited = numbering.cite(
        [
            Citation(article_id=103, sentence=4, outlet="Valley Post"),
            Citation(article_id=101, sentence=None, outlet="Northern Wire"),
            Citation(article_id=101, sentence=5, outlet="Northern Wire"),
            Citation(article_id=101, sentence=1, outlet="Northern Wire"),
        ]
    )
    assert [c.number for c in cited] == [1, 3]
    assert cited[0].label() == "Northern Wire, title and sentences 2, 6"
    assert cited[1].label() == "Valley Post, sentence 5"


def test_article_missing_from_sources_still_gets_a_number(digest: Digest) -> None:
    digest.lede.citations.append(Citation(article_id=999, sentence=0, outlet="Stray Gazette"))
    numbering = SourceNumbering(digest)
    assert numbering.entries[-1].number == 4
    assert numbering.entries[-1].ref is None
    assert [c.number for c in numbering.cite(digest.lede.citations)] == [1, 2, 4]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a.example/x?y=1&z=2", "https://a.example/x?y=1&z=2"),
        ('  HTTP://a.example/a b"<c>', "HTTP://a.example/a%20b%22%3Cc%3E"),
        ("javascript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//a.example/x", None),
        ("https:///nohost", None),
        ("/relative/path", None),
    ],
)
def test_safe_url_allows_only_absolute_http(url: str, expected: str | None) -> None:
    assert safe_url(url) == expected


@pytest.mark.parametrize("story_id", ["../etc", "a/b", "", ".hidden", "a b"])
def test_story_path_refuses_unsafe_ids(story_id: str) -> None:
    with pytest.raises(ValueError, match="not safe"):
        story_path(story_id)
