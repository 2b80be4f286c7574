"""What changed between two digest versions: sources, sentences, numbers, headline."""

from __future__ import annotations

import datetime as dt

from newsdistill.models import Digest, SourceRef, Story
from newsdistill.web.changes import NumberChange, compare
from newsdistill.web.frontpage import FrontItem, rank
from newsdistill.web.templating import TEMPLATES
from tests.publish.conftest import cite, claim, make_digest


def next_version(old: Digest) -> Digest:
    """The quarry story a day on: a fourth death, a new source, one sentence gone."""
    new = old.model_copy(deep=True)
    new.version = old.version + 1
    new.lede = claim(
        "A rock face collapsed at the Kessel limestone quarry on Tuesday, killing four "
        "workers and injuring two more.",
        cite(101, 0),
    )
    dropped = new.sections[0].claims.pop()
    new.sources.append(
        SourceRef(
            article_id=104,
            outlet="Kessel Evening News",
            title="Fourth quarry worker dies in hospital",
            url="https://kessel.test/quarry",
            published=dt.datetime(2026, 3, 5, 8, 0, tzinfo=dt.UTC),
        )
    )
    assert dropped.text not in {c.text for c in new.body()}
    return new


def test_identical_versions_have_no_changes() -> None:
    digest = make_digest()
    same = digest.model_copy(update={"version": digest.version + 1})
    changes = compare(digest, same)
    assert changes.unchanged
    assert (changes.old_version, changes.new_version) == (digest.version, digest.version + 1)


def test_new_sources_sentences_and_numbers() -> None:
    old = make_digest()
    new = next_version(old)
    changes = compare(old, new)
    assert not changes.unchanged
    assert [s.outlet for s in changes.new_sources] == ["Kessel Evening News"]
    assert changes.dropped_sources == ()
    assert changes.added == (new.lede.text,)
    assert set(changes.removed) == {old.lede.text, old.sections[0].claims[-1].text}
    assert NumberChange("the number of people killed", ("three",), ("four",)) in changes.numbers
    assert changes.headline is None


def test_disagreements_that_appear_change_sides_or_go() -> None:
    old = make_digest()
    (dispute,) = old.disagreements
    joined = old.model_copy(deep=True)
    joined.version += 1
    joined.disagreements[0].values[1].outlets.append("Kessel Evening News")
    changes = compare(old, joined)
    assert changes.disputed == tuple(joined.disagreements) and changes.settled == ()

    settled = old.model_copy(update={"disagreements": [], "version": old.version + 1})
    assert compare(old, settled).settled == (dispute.fact,)
    assert compare(old, settled).disputed == ()
    assert compare(settled, old).disputed == (dispute,)
    assert compare(old, old).disputed == () == compare(old, old).settled


def test_spacing_and_case_are_no_change_but_a_headline_rewording_is() -> None:
    old = make_digest()
    new = old.model_copy(deep=True)
    new.lede.text = "  " + old.lede.text.upper().replace(" ", "  ")
    new.headline.text = "Quarry collapse kills three in Kessel"
    changes = compare(old, new)
    assert changes.added == changes.removed == () and changes.numbers == ()
    assert changes.headline == (old.headline.text, "Quarry collapse kills three in Kessel")


def test_a_number_stated_the_same_in_other_words_is_unchanged() -> None:
    old = make_digest()
    new = old.model_copy(deep=True)
    new.lede.text = "Three workers were killed when a rock face collapsed at the quarry."
    changes = compare(old, new)
    assert changes.added and changes.removed
    assert not [n for n in changes.numbers if n.label == "the number of people killed"]


def story(story_id: str, outlets: list[str], hour: int) -> Story:
    moment = dt.datetime(2026, 3, 4, hour, tzinfo=dt.UTC)
    return Story(
        id=story_id,
        headline=story_id,
        first_published=moment,
        last_updated=moment,
        outlets=outlets,
    )


def test_front_page_ranks_by_distinct_outlets_then_freshness() -> None:
    digest = make_digest()
    lone = digest.model_copy(update={"sources": []})  # coverage from the story alone
    wire = digest.sources[0]
    items = [
        FrontItem(story("old-pair", ["A", "B"], 8), lone),
        FrontItem(story("fresh-one", [wire.outlet], 11), lone),
        FrontItem(story("fresh-pair", ["A", "B"], 10), lone),
        FrontItem(story("wide", [wire.outlet], 9), digest),  # copies count for their outlets
    ]
    assert len(items[3].outlets) > 2
    assert [i.story.id for i in rank(items)] == ["wide", "fresh-pair", "old-pair", "fresh-one"]


def test_the_changes_list_names_new_disputes_and_escapes_them() -> None:
    old = make_digest()
    new = old.model_copy(deep=True)
    new.version += 1
    new.disagreements[0].fact = "the number of <b>workers</b> killed"
    shown = str(
        TEMPLATES.get_template("changes_macros.html").module.changes_list(compare(old, new))
    )
    assert "<h3>Where sources now differ</h3>" in shown
    assert "the number of &lt;b&gt;workers&lt;/b&gt; killed: three (<bdi>" in shown
    assert (
        '<h3>Sources no longer differ on</h3>\n<ul class="settled">\n'
        "<li>the number of workers killed</li>" in shown
    )
