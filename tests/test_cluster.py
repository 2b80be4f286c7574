"""The incremental clusterer: average link over meaning and wording, ageing, and a restart
from the store that decides exactly as the uninterrupted run would."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from newsdistill.cluster import (
    ArticleFeatures,
    Assignment,
    Clusterer,
    ClusterParams,
    Member,
    anchor_counts,
    article_features,
    member,
    story_id_for,
    word_counts,
)
from newsdistill.models import Article
from newsdistill.nlp.embed import Embedder, get_embedder
from newsdistill.store import Store
from tests.conftest import make_article

T0 = dt.datetime(2026, 11, 18, 9, tzinfo=dt.UTC)

QUAKE_SEMMET = [
    (
        "Earthquake of magnitude 6.1 strikes Port Semmet",
        "A strong earthquake struck Port Semmet on Sunday, killing two people in the old town. "
        "Ferries to the islands were halted while harbour engineers inspected the quays.",
    ),
    (
        "Two dead as quake hits Port Semmet old town",
        "Two people died in the old town of Port Semmet when the earthquake struck. "
        "The mayor said the harbour and the ferries would stay closed until Tuesday.",
    ),
    (
        "Port Semmet counts the cost of Sunday's earthquake",
        "Harbour traders in Port Semmet said the closure of the ferries was costing them dearly, "
        "as inspections of the old town went on.",
    ),
]
QUAKE_KESTRIN = [
    (
        "Dunmore Highlands quake cuts Route 9 near Kestrin",
        "A farmer from Orsk was killed when a magnitude 5.4 tremor hit the Dunmore Highlands. "
        "Landslides closed Route 9 and a church tower in Kestrin collapsed.",
    ),
    (
        "Farmer killed and church tower falls in Kestrin tremor",
        "Rescuers reached Orsk, where a farmer died, as aftershocks shook Kestrin and the "
        "Dunmore Highlands. Route 9 remains shut by landslides.",
    ),
]
VOTE_RENT = [
    (
        "Assembly passes rent cap by 212 votes to 190",
        "The National Assembly voted 212 to 190 on Wednesday to cap rent rises at 4% a year, "
        "after a debate led by the housing minister, Ilse Marrow.",
    ),
    (
        "Rent cap law clears the Assembly as landlords object",
        "Landlords' groups said they would challenge the 4% cap on rent rises approved on "
        "Wednesday. Ilse Marrow called the vote a win for tenants.",
    ),
    (
        "What the new rent cap means for tenants",
        "From January rent rises are limited to 4% a year under the law the Assembly passed, "
        "the housing ministry of Ilse Marrow said.",
    ),
]
VOTE_DATA = [
    (
        "Assembly rejects the communications data bill",
        "Lawmakers in the National Assembly voted down the communications data bill by 231 "
        "votes to 170 on Thursday, a defeat for the interior minister, Paul Dravic.",
    ),
    (
        "Dravic's surveillance bill defeated in the Assembly",
        "The bill that would have let police read phone and email records without a warrant "
        "was defeated 231-170, leaving Paul Dravic isolated.",
    ),
]
# Other news of the same days: word rarity is learnt from the stream, so a stream of only
# earthquakes would leave "earthquake" as rare as "Kestrin".
OTHER_NEWS = [
    (
        "Rail workers strike over pay on the Saltmarsh line",
        "Trains stopped across Estavia as rail workers began a 48-hour strike over pay.",
    ),
    (
        "Bank of Estavia cuts its interest rate to 3.25%",
        "The central bank lowered its policy rate by a quarter point as inflation eased.",
    ),
    (
        "Four dead in Kelby factory fire",
        "A fire at the Ostrander Polymers plant in Kelby killed four workers overnight.",
    ),
    (
        "Harrowdale Athletic win the cup final against Rovers",
        "Harrowdale Athletic beat Rovers 2-1 in the Estavian Cup final on Saturday night.",
    ),
]


def features_of(pairs: list[tuple[str, str]], start: dt.datetime, first_id: int) -> list[Article]:
    return [
        make_article(
            text,
            title=title,
            article_id=first_id + i,
            published=start + dt.timedelta(hours=3 * i),
            url=f"https://example.test/{first_id + i}",
        )
        for i, (title, text) in enumerate(pairs)
    ]


def run(params: ClusterParams, features: list[ArticleFeatures]) -> list[Assignment]:
    clusterer = Clusterer(params, [], {})
    return [clusterer.assign(f)[0] for f in features]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    """The shipped MiniLM model: the threshold was tuned on its similarities, not a stand-in's."""
    return get_embedder()


TWO_OF_A_KIND = {"earthquakes": (QUAKE_SEMMET, QUAKE_KESTRIN), "votes": (VOTE_RENT, VOTE_DATA)}


def two_events(kind: str, embedder: Embedder) -> list[ArticleFeatures]:
    """Other news, then two events of one kind an hour apart: ids 1-3 tell the first, 10-11
    the second."""
    first, second = TWO_OF_A_KIND[kind]
    articles = (
        features_of(OTHER_NEWS, T0 - dt.timedelta(hours=12), 20)
        + features_of(first, T0, 1)
        + features_of(second, T0 + dt.timedelta(hours=1), 10)
    )
    articles.sort(key=lambda a: a.published)
    return article_features(articles, embedder)


@pytest.mark.parametrize(
    "kind",
    [
        "earthquakes",
        pytest.param(
            "votes",
            marks=pytest.mark.xfail(
                strict=True,
                reason="two votes in one chamber told in the same phrasing ('The National "
                "Assembly voted N to M on <day>') merge: the data bill's first article scores "
                "0.263 against the rent-cap story (threshold 0.25)",
            ),
        ),
    ],
)
def test_two_events_of_one_kind_stay_apart_and_each_grows(kind: str, embedder: Embedder) -> None:
    features = two_events(kind, embedder)
    assignments = run(ClusterParams(), features)
    labels = {f.article_id: a.story_id for f, a in zip(features, assignments, strict=True)}
    assert labels[1] == labels[2] == labels[3]
    assert labels[10] == labels[11]
    assert labels[1] != labels[10]
    assert len(set(labels.values())) == 2 + len(OTHER_NEWS)  # the other news stays apart too


def test_story_ids_come_from_the_first_article_and_never_change(embedder: Embedder) -> None:
    features = two_events("earthquakes", embedder)
    labels = [a.story_id for a in run(ClusterParams(), features)]
    assert labels == [a.story_id for a in run(ClusterParams(), features)]  # deterministic
    first = {label: f.key for f, label in reversed(list(zip(features, labels, strict=True)))}
    assert all(label == story_id_for(key) for label, key in first.items())


def test_an_old_story_is_harder_to_join(embedder: Embedder) -> None:
    first, second, _ = features_of(QUAKE_SEMMET, T0, 1)
    [a] = article_features([first], embedder)
    later = {
        hours: article_features(
            [second.model_copy(update={"published": T0 + dt.timedelta(hours=hours)})],
            embedder,
        )[0]
        for hours in (6, 60, 100)
    }
    scores = {}
    for hours, b in later.items():
        clusterer = Clusterer(ClusterParams(), [], {})
        _, state = clusterer.assign(a)
        scores[hours] = clusterer.score(b, state)
    assert scores[6] == pytest.approx(scores[60] + 0.3 * (60 - 48) / 72, abs=1e-6)
    assert scores[6] > scores[60] > scores[100]
    # Beyond the window of its newest member a story is no candidate at all.
    clusterer = Clusterer(ClusterParams(), [], {})
    clusterer.assign(a)
    far = later[100].published + dt.timedelta(hours=1)
    assert clusterer.candidates(far) == []


def test_word_similarity_is_the_mean_over_members() -> None:
    """Average link: an article like one member of a story but not the other scores the mean,
    so a story does not drift towards whatever resembles its latest member."""
    texts = [
        "Ambry council approves budget for the new Rell river bridge",
        "Ambry mayor opens library extension after council vote",
        "Rell river bridge budget approved, Ambry council says",
    ]
    a, b, c = (
        ArticleFeatures(i, f"k{i}", t, T0, np.eye(3, dtype=np.float32)[i], word_counts(t))
        for i, t in enumerate(texts)
    )
    clusterer = Clusterer(ClusterParams(threshold=9.0), [], {})  # every article stands alone
    _, story_a = clusterer.assign(a)
    _, story_b = clusterer.assign(b)
    clusterer.assign(c)
    like_a = clusterer.word_similarity(c.words, story_a.story_id)
    like_b = clusterer.word_similarity(c.words, story_b.story_id)
    assert like_a > 0.3 > like_b
    clusterer._members["both"] = [
        *clusterer._members[story_a.story_id],
        *clusterer._members[story_b.story_id],
    ]
    assert clusterer.word_similarity(c.words, "both") == pytest.approx((like_a + like_b) / 2)


def test_a_restart_from_the_store_decides_as_the_uninterrupted_run(
    store: Store, embedder: Embedder
) -> None:
    """The pipeline clusters each fetch in a new process from stored states and profiles."""
    articles = (
        features_of(OTHER_NEWS, T0 - dt.timedelta(hours=12), 20)
        + features_of(QUAKE_SEMMET, T0, 1)
        + features_of(QUAKE_KESTRIN, T0 + dt.timedelta(hours=1), 10)
    )
    stored = sorted(
        (store.add_article(a.model_copy(update={"id": None}))[0] for a in articles),
        key=lambda a: a.published,
    )
    features = article_features(stored, embedder)
    params = ClusterParams()
    expected = run(params, features)
    first = Clusterer(params, [], {})
    for f in features[:6]:
        _, state = first.assign(f)
        store.assign_story(f.article_id, state, f.embedding, None, f.profile())
    states = store.cluster_states(T0 - dt.timedelta(days=3))
    profiles = store.article_profiles([m for s in states for m in s.members])
    restarted = Clusterer(params, states, profiles)
    decided = [restarted.assign(f)[0] for f in features[6:]]
    assert [a.story_id for a in decided] == [a.story_id for a in expected[6:]]
    # The same scores, not just the same outcome: nothing the decision rests on was lost.
    assert [a.score for a in decided] == pytest.approx([a.score for a in expected[6:]], abs=1e-6)


def test_settings_override_only_what_they_set() -> None:
    from newsdistill.config import Settings

    assert ClusterParams.from_settings(Settings()) == ClusterParams()
    tuned = ClusterParams.from_settings(Settings(cluster_threshold=0.4))
    assert tuned.threshold == 0.4 and tuned.window_hours == ClusterParams().window_hours


# --- across languages ------------------------------------------------------------------------


def unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return (v / np.linalg.norm(v)).astype(np.float32)


def lingual(
    article_id: int,
    text: str,
    language: str,
    embedding: np.ndarray,
    crosslingual: np.ndarray | None,
    hours: float = 0.0,
) -> ArticleFeatures:
    """Features as article_features makes them, with chosen vectors: the English-only space
    (`embedding`) and the multilingual one (`crosslingual`)."""
    return ArticleFeatures(
        article_id=article_id,
        key=f"k{article_id}",
        title=text,
        published=T0 + dt.timedelta(hours=hours),
        embedding=embedding,
        words=word_counts(text),
        language=language,
        anchors=anchor_counts(text),
        crosslingual=crosslingual,
    )


def test_anchors_read_the_same_in_every_language() -> None:
    english = anchor_counts("Storm Ilka left 40,000 homes in Zürich without power on 18 November")
    german = anchor_counts("Sturm Ilka: 40.000 Haushalte in Zurich ohne Strom, 18. November")
    french = anchor_counts("Tempête Ilka : 40\u202f000 foyers sans courant à Zurich le 18 novembre")
    shared = {"ilka", "zurich", "#40000", "#18"}
    assert shared <= english.keys() & german.keys() & french.keys()
    assert "homes" not in english and "the" not in anchor_counts("The storm")  # names only


def test_a_report_in_another_language_joins_on_meaning_and_anchors_not_words() -> None:
    """The English model sees nothing in common (orthogonal `embedding`); the multilingual
    vectors and the shared names and numbers carry the German report into the story."""
    clusterer = Clusterer(ClusterParams(), [], {})
    english = lingual(
        1,
        "Storm Ilka kills two in Brannock, 40,000 homes without power",
        "en",
        unit(1, 0, 0),
        unit(1, 0.2, 0),
    )
    same_event = lingual(
        2,
        "Sturm Ilka: zwei Tote in Brannock, 40.000 Haushalte ohne Strom",
        "de",
        unit(0, 1, 0),
        unit(1, 0.3, 0),
        hours=2,
    )
    other_event = lingual(
        3,
        "Brauerei Hollweg in Vossberg schließt, 240 Stellen fallen weg",
        "de",
        unit(0, 1, 0),
        unit(0, 0, 1),
        hours=3,
    )
    first, _ = clusterer.assign(english)
    joined, _ = clusterer.assign(same_event)
    apart, _ = clusterer.assign(other_event)
    assert joined.story_id == first.story_id
    assert apart.created and apart.story_id != first.story_id
    # Within German, the German words decide again: the storm story does not pull it in.
    [storm] = [s for s in clusterer.states.values() if s.story_id == first.story_id]
    assert clusterer.score(other_event, storm) < ClusterParams().threshold


def test_words_are_compared_only_within_a_language() -> None:
    text = "Ilka storm power homes Brannock coast ferries trains"
    for language, compared in (("en", True), ("de", False)):
        clusterer = Clusterer(ClusterParams(threshold=9.0), [], {})
        _, state = clusterer.assign(lingual(1, text, "en", unit(1, 0), None))
        other = lingual(2, text.lower(), language, unit(1, 0), None)  # lower case: no anchors
        words, anchors = clusterer._vectors(other)
        article = Member(other.words, other.anchors, other.language)
        wording = clusterer._mean_cosine(article, words, anchors, state.story_id)
        assert (wording > 0.9) if compared else (wording == 0.0)


def test_meaning_is_multilingual_only_where_the_story_holds_another_language() -> None:
    clusterer = Clusterer(ClusterParams(threshold=9.0), [], {})
    _, story = clusterer.assign(lingual(1, "Storm Ilka", "en", unit(1, 0), unit(0, 1)))
    english = lingual(2, "Storm Ilka again", "en", unit(1, 0), unit(1, 0))
    german = lingual(3, "Sturm Ilka", "de", unit(1, 0), unit(0, 1))
    assert clusterer.meaning(english, story) == pytest.approx(1.0)  # the English space
    assert clusterer.meaning(german, story) == pytest.approx(1.0)  # the multilingual one
    assert clusterer.meaning(lingual(4, "x", "de", unit(1, 0), unit(1, 0)), story) == pytest.approx(
        0.0
    )
    # A story begun without the multilingual space compares in the configured one.
    _, old = clusterer.assign(lingual(5, "Alt", "fr", unit(0, 1), None))
    assert clusterer.meaning(german, old) == pytest.approx(0.0)
    clusterer._join(old, german)  # and still grows
    assert len(old.centroid) == 2
    # An article without the multilingual space leaves a story only the space all members have.
    clusterer._join(story, lingual(6, "Storm", "en", unit(1, 0), None))
    assert len(story.centroid) == 2


def test_a_profile_from_before_languages_reads_as_words_alone() -> None:
    assert member({"words": {"ilka": 2}}) == Member({"ilka": 2}, {}, None)
    features = lingual(1, "Storm Ilka in Brannock", "en", unit(1, 0), unit(0, 1))
    assert member(features.profile()) == Member(features.words, features.anchors, "en")


def test_a_restart_keeps_languages_anchors_and_the_multilingual_centroid(store: Store) -> None:
    stream = [
        (
            "Storm Ilka kills two in Brannock, 40,000 homes without power",
            "en",
            (1, 0, 0),
            (1, 0.2, 0),
        ),
        (
            "Sturm Ilka: zwei Tote in Brannock, 40.000 Haushalte ohne Strom",
            "de",
            (0, 1, 0),
            (1, 0.3, 0),
        ),
        (
            "Tempête Ilka : deux morts à Brannock, 40 000 foyers sans courant",
            "fr",
            (0, 0, 1),
            (1, 0.1, 0.1),
        ),
        ("Brauerei Hollweg in Vossberg schließt", "de", (0, 1, 0), (0, 0, 1)),
    ]
    stored = [
        store.add_article(
            make_article(
                t, title=t, published=T0 + dt.timedelta(hours=i), url=f"https://x.test/{i}"
            )
        )[0]
        for i, (t, *_) in enumerate(stream)
    ]
    features = [
        lingual(a.id or 0, text, lang, unit(*e), unit(*x), hours=i)
        for i, (a, (text, lang, e, x)) in enumerate(zip(stored, stream, strict=True))
    ]
    expected = run(ClusterParams(), features)
    first = Clusterer(ClusterParams(), [], {})
    for f in features[:2]:
        _, state = first.assign(f)
        store.assign_story(f.article_id, state, f.embedding, None, f.profile())
    states = store.cluster_states(T0 - dt.timedelta(days=3))
    profiles = store.article_profiles([m for s in states for m in s.members])
    restarted = Clusterer(ClusterParams(), states, profiles)
    decided = [restarted.assign(f)[0] for f in features[2:]]
    assert [a.story_id for a in decided] == [a.story_id for a in expected[2:]]
    assert [a.score for a in decided] == pytest.approx([a.score for a in expected[2:]], abs=1e-6)
    assert expected[0].story_id == expected[1].story_id == expected[2].story_id
    assert expected[3].created
