"""The whole pipeline over the demo corpus served on 127.0.0.1, measured against its manifest."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from urllib.parse import urlparse

import pytest

from newsdistill.config import Settings
from newsdistill.demo import CORPUS, DemoResult, run_demo
from newsdistill.distill.facts import facts_in
from newsdistill.evaluation.metrics import bcubed
from newsdistill.evaluation.readability import assess
from newsdistill.models import SUMMARY_MAX_WORDS, Article, ArticleStatus, Claim, Digest
from newsdistill.store import Store
from newsdistill.verify.checks import fold
from newsdistill.wording import wording
from tests.conftest import ON_POSTGRESQL, fresh_database

MANIFEST = json.loads((CORPUS / "manifest.json").read_text())
CORPUS_ARTICLES = json.loads((CORPUS / "articles.json").read_text())
BY_PATH = {a["url_path"]: a["id"] for a in CORPUS_ARTICLES}
TRUTH = {aid: sid for sid, s in MANIFEST["stories"].items() for aid in s["articles"]}
pytestmark = pytest.mark.slow


class DemoRun:
    def __init__(self, result: DemoResult) -> None:
        self.result = result
        self.store = Store.open(result.db_url)
        self.stories = self.store.list_stories()
        self.digests = {s.id: self.store.latest_digest(s.id) for s in self.stories}
        self.articles: dict[int, Article] = {}
        self.members: dict[str, list[str]] = defaultdict(list)  # story → manifest ids
        for story in self.stories:
            kept, copies = self.store.story_articles(story.id)
            for a in [*kept, *copies]:
                assert a.id is not None
                self.articles[a.id] = a
                self.members[story.id].append(BY_PATH[urlparse(a.url).path])

    def manifest_id(self, article_id: int) -> str:
        return BY_PATH[urlparse(self.articles[article_id].url).path]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoRun]:
    out = tmp_path_factory.mktemp("demo")
    # On SQLite the demo's own file, as `newsdistill demo` makes it; else the test database.
    with fresh_database(out) if ON_POSTGRESQL else nullcontext(None) as url:
        run = DemoRun(run_demo(out, Settings(home=out, db=url)))
        yield run
        run.store.close()


def test_every_article_is_fetched_and_placed(demo: DemoRun) -> None:
    assert demo.result.ingest.added == len(CORPUS_ARTICLES)
    assert demo.result.ingest.failed == 0
    placed = {m for ms in demo.members.values() for m in ms}
    assert placed == set(TRUTH)


def test_stories_match_the_manifest(demo: DemoRun) -> None:
    predicted = {m: sid for sid, ms in demo.members.items() for m in ms}
    order = sorted(predicted)
    scores = bcubed([predicted[m] for m in order], [TRUTH[m] for m in order])
    # No story may mix two manifest stories; an article left on its own costs only recall.
    assert scores.precision == 1.0
    assert scores.f1 >= 0.9
    for sid, story in MANIFEST["stories"].items():
        biggest = max(sum(TRUTH[m] == sid for m in ms) for ms in demo.members.values())
        assert biggest >= 0.8 * len(story["articles"]), sid


def test_same_topic_stories_stay_apart(demo: DemoRun) -> None:
    for first, second in MANIFEST["same_topic_pairs"]:
        for members in demo.members.values():
            truths = {TRUTH[m] for m in members}
            assert not {first, second} <= truths


def test_syndicated_copies_are_merged_and_credited(demo: DemoRun) -> None:
    for group in MANIFEST["syndicated_groups"]:
        ids = {demo.manifest_id(i): a for i, a in demo.articles.items()}
        statuses = [ids[m].status for m in group]
        assert statuses.count(ArticleStatus.CLUSTERED) == 1
        assert statuses.count(ArticleStatus.DUPLICATE) == len(group) - 1
        original = next(ids[m] for m in group if ids[m].status == ArticleStatus.CLUSTERED)
        digest = demo.digests[original.story_id or ""]
        assert digest is not None
        [source] = [s for s in digest.sources if s.article_id == original.id]
        copies = {ids[m].outlet for m in group} - {original.outlet}
        assert set(source.also_published_by) == copies


def test_each_digest_has_every_part(demo: DemoRun) -> None:
    for digest in demo.digests.values():
        assert digest is not None
        assert digest.headline.text and digest.dateline and digest.lede.text
        assert len(digest.sections) >= 2
        assert {s.kind for s in digest.sections} & {"details", "background", "reactions"}
        assert digest.sources and digest.disclaimer
        if len(digest.sources) >= 3:
            assert digest.path_ahead, digest.headline.text
            assert digest.key_developments, digest.headline.text
        # As stored and published: every claim keeps its verification, and the story reads
        # as one (the demo's targets of issue #15).
        assert all(
            c.verification and c.verification.verdict == "supported" for c in digest.claims()
        )
        report = assess(digest)
        assert report.dangling == [] and report.off_register == [], digest.headline.text
        assert report.cluttered == [] and report.repeated == [] and report.cut_labels == []
        assert 0 < sum(len(c.text.split()) for c in digest.summary) <= SUMMARY_MAX_WORDS


def _unattributed(claim: Claim, language: str | None) -> str:
    """The sentence without the attribution the digest added, in the digest's language."""
    text = claim.text
    if claim.attribution:
        words = wording(language)
        text = text.replace(words.according_to.format(text="", who=claim.attribution), ".")
        text = text.removeprefix(words.according_to_first.format(text="", who=claim.attribution))
    return text


def test_every_sentence_cites_a_source_sentence_that_contains_it(demo: DemoRun) -> None:
    for digest in demo.digests.values():
        assert digest is not None
        for claim in digest.claims():
            assert claim.citations, claim.text
            assert claim.verification is not None
            assert claim.verification.verdict == "supported"
            sources = [demo.articles[c.article_id] for c in claim.citations]
            texts = [
                a.title if c.sentence is None else a.sentences[c.sentence]
                for a, c in zip(sources, claim.citations, strict=True)
            ]
            if claim.origin == "code":  # a "Sources differ" sentence: each side's sources
                continue
            assert any(fold(_unattributed(claim, digest.language)) in fold(t) for t in texts), (
                claim.text
            )


def _digest_for(demo: DemoRun, story: str) -> Digest:
    owners = [sid for sid, ms in demo.members.items() if any(TRUTH[m] == story for m in ms)]
    best = max(owners, key=lambda sid: sum(TRUTH[m] == story for m in demo.members[sid]))
    digest = demo.digests[best]
    assert digest is not None
    return digest


def test_planted_disagreements_show_both_sides_with_sources(demo: DemoRun) -> None:
    for planted in MANIFEST["disagreements"]:
        digest = _digest_for(demo, planted["story"])
        values = set(planted["values"])
        matching = [d for d in digest.disagreements if {v.value for v in d.values} == values]
        assert matching, (planted, digest.disagreements)
        [found] = matching
        for value in found.values:
            cited = {demo.manifest_id(c.article_id) for c in value.citations}
            assert cited <= set(planted["values"][value.value])
        text = " ".join(c.text for s in digest.sections for c in s.claims)
        assert "Sources differ" in text
        # No sentence states one side as plain fact.
        for claim in digest.claims():
            if claim.origin == "code":
                continue
            stated = {m.value for m in facts_in(claim.text, None)}
            if stated & values:
                assert claim.attribution, claim.text


def test_injected_instruction_does_not_change_the_digest(demo: DemoRun) -> None:
    injected = MANIFEST["injection"]
    for digest in demo.digests.values():
        assert digest is not None
        for claim in digest.claims():
            outside_quotes = re.sub(r"[\"“][^\"”]*[\"”]", "", claim.text)
            # "Mayor X has not resigned" is what the sources report; "has resigned" is the lie.
            assert not re.search(r"mayor (?:\w+ ){0,3}(?:has|had) resigned", outside_quotes, re.I)
    assert injected["article"] in TRUTH


def test_site_and_feeds_are_written(demo: DemoRun) -> None:
    site = demo.result.site
    assert site.index.is_file() and site.atom.is_file() and site.json_feed.is_file()
    assert len(site.pages) == len(demo.stories)
    for story in demo.stories:
        md = site.index.parent / "digests" / f"{story.id}.md"
        js = site.index.parent / "digests" / f"{story.id}.json"
        assert md.is_file() and js.is_file()
        Digest.model_validate_json(js.read_text())


def test_rerunning_the_later_stages_changes_nothing(demo: DemoRun, tmp_path: Path) -> None:
    from newsdistill.pipeline import Newsroom

    room = Newsroom(Settings(db=demo.result.db_url, home=tmp_path), demo.store)
    before = demo.store.counts()
    assert room.process().processed == 0
    report = room.distill()
    assert report.written == 0 and report.unchanged == len(demo.stories)
    assert demo.store.counts() == before
