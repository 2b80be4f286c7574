"""A static site of digests: an index, a page per story, feeds, and each digest as MD and JSON.

Layout under `out_dir` (rewritten on every call; files of stories no longer passed are left):

    index.html                  every story, newest first
    stories/<story_id>.html     one page per story
    digests/<story_id>.md       the digest as Markdown
    digests/<story_id>.json     the digest in the published JSON schema
    feed.atom, feed.json        Atom and JSON Feed 1.1

Pages link to each other relatively, so the site also works from disk. Feeds need absolute
links to be useful to readers: pass the site's public address as `base_url`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from newsdistill.models import Digest
from newsdistill.publish.common import checked_story_id, join_url, story_path
from newsdistill.publish.html import render_html, render_page
from newsdistill.publish.jsonout import render_json
from newsdistill.publish.markdown import render_markdown
from newsdistill.publish.syndication import render_atom, render_json_feed
from newsdistill.timeutil import as_utc

ATOM_FILE = "feed.atom"
JSON_FEED_FILE = "feed.json"


@dataclass(frozen=True)
class SiteFiles:
    """Every file `write_site` wrote."""

    index: Path
    atom: Path
    json_feed: Path
    pages: tuple[Path, ...]  # stories/<story_id>.html, newest story first
    digests: tuple[Path, ...]  # digests/<story_id>.md and .json, in the same order


def write_site(
    digests: Sequence[Digest], out_dir: Path, *, site_title: str = "newsdistill", base_url: str = ""
) -> SiteFiles:
    """Write the site for `digests` (one per story) under `out_dir`, overwriting what is there."""
    repeated = [s for s, n in Counter(d.story_id for d in digests).items() if n > 1]
    if repeated:
        raise ValueError(f"more than one digest for stories {sorted(repeated)}")
    # Newest news first: by the latest report in each story, not by when it was distilled.
    ordered = sorted(
        digests,
        key=lambda d: max((as_utc(s.published) for s in d.sources), default=as_utc(d.created_at)),
        reverse=True,
    )

    pages: list[Path] = []
    digest_files: list[Path] = []
    for digest in ordered:
        pages.append(
            _write(
                out_dir / story_path(digest.story_id),
                render_html(digest, site_title=site_title, home_url="../index.html"),
            )
        )
        stem = out_dir / "digests" / checked_story_id(digest.story_id)
        digest_files.append(_write(stem.parent / f"{stem.name}.md", render_markdown(digest)))
        digest_files.append(_write(stem.parent / f"{stem.name}.json", render_json(digest)))

    feed_args = {"site_url": base_url, "title": site_title}
    atom = _write(
        out_dir / ATOM_FILE,
        render_atom(ordered, feed_url=join_url(base_url, ATOM_FILE), **feed_args),
    )
    json_feed = _write(
        out_dir / JSON_FEED_FILE,
        render_json_feed(ordered, feed_url=join_url(base_url, JSON_FEED_FILE), **feed_args),
    )
    index = _write(out_dir / "index.html", render_index(ordered, site_title=site_title))
    return SiteFiles(index, atom, json_feed, tuple(pages), tuple(digest_files))


def render_index(digests: Sequence[Digest], *, site_title: str) -> str:
    """The story list, in the order given, linking to `stories/<story_id>.html`."""
    return render_page(
        "index.html",
        digests=digests,
        site_title=site_title,
        atom_file=ATOM_FILE,
        json_feed_file=JSON_FEED_FILE,
    )


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
