"""Features, the trained judge, the hard checks and the verifier's verdicts on hand-written
fire-story claims."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from newsdistill.errors import ModelLoadError
from newsdistill.models import SourceSentence
from newsdistill.nlp.embed import CachedEmbedder
from newsdistill.verify.checks import check_entities, number_conflicts
from newsdistill.verify.features import FEATURE_NAMES, claim_features
from newsdistill.verify.judge import content_words, get_judge
from newsdistill.verify.trained import FeatureJudge, FeatureModel, default_model_path
from newsdistill.verify.verifier import SourcePool, Verifier, covering
from tests.conftest import make_article
from tests.verify.conftest import check_one

FIRE = "A fire at a fuel depot in Harlow killed three firefighters on Tuesday night."


class CountingEmbedder:
    """A stand-in embedder: one-hot by text length, counting the texts it is asked for."""

    dim = 8

    def __init__(self) -> None:
        self.calls: list[str] = []

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.calls.extend(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i, len(t) % self.dim] = 1.0
        return out


def test_cached_embedder_embeds_each_text_once() -> None:
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner, max_items=3)
    first = cached.embed(["a", "bb", "a"])
    again = cached.embed(["bb", "a"])
    assert inner.calls == ["a", "bb"]
    assert np.array_equal(first[1], again[0])
    cached.embed(["ccc", "dddd"])  # evicts "a", the oldest
    cached.embed(["a"])
    assert inner.calls[-1] == "a"


def test_features_of_a_verbatim_claim(verifier: Verifier) -> None:
    x = dict(zip(FEATURE_NAMES, claim_features(FIRE, [FIRE], verifier.embedder), strict=True))
    assert x["recall_best"] == x["recall_union"] == 1.0
    assert x["cos_max"] == pytest.approx(1.0, abs=1e-4)
    assert x["novel_bigrams"] == 0.0


def test_features_flag_what_the_evidence_does_not_say(verifier: Verifier) -> None:
    claim = "Fire chief Lena Vasquez said the fire at the Harlow depot was not deliberate."
    x = dict(zip(FEATURE_NAMES, claim_features(claim, [FIRE], verifier.embedder), strict=True))
    assert x["recall_best"] == x["recall_union"] <= 0.5
    assert x["novel_bigrams"] > 0.5
    assert x["cos_max"] < 0.9


def test_rival_count_in_other_words_is_a_conflict(verifier: Verifier) -> None:
    evidence = ["The explosion at the mine caused the death of 12 miners, rescuers said."]
    conflicts = number_conflicts(
        "The blast at the mine caused the deaths of 20 workers.", evidence, verifier.embedder
    )
    assert conflicts and "12" in conflicts[0]
    assert not number_conflicts("The mine has 20 lifts.", evidence, verifier.embedder)


def test_demonym_matches_its_country() -> None:
    evidence = [SourceSentence(text="Rescuers in China searched the mine.")]
    assert check_entities("Chinese rescuers searched the mine.", evidence).ok
    assert not check_entities("Iraqi rescuers searched the mine.", evidence).ok


def test_changed_number_is_contradicted(verifier: Verifier, fire_pool: SourcePool) -> None:
    claim = "The depot fire in Harlow killed five firefighters."
    result = check_one(verifier, fire_pool, claim).verification
    assert result.verdict == "contradicted"
    assert any("three" in r for r in result.reasons)


def test_invented_person_is_unsupported(verifier: Verifier, fire_pool: SourcePool) -> None:
    result = check_one(verifier, fire_pool, "Mayor Tomas Ridgeway visited the Harlow depot.")
    assert result.verification.verdict == "unsupported"
    assert any("Tomas Ridgeway" in r for r in result.verification.reasons)


@pytest.mark.parametrize(
    "claim",
    [
        "Three firefighters died when a fuel depot in Harlow caught fire on Tuesday night.",
        "Around 200 people living nearby were evacuated as a precaution.",
    ],
)
def test_paraphrase_is_supported(verifier: Verifier, fire_pool: SourcePool, claim: str) -> None:
    result = check_one(verifier, fire_pool, claim).verification
    assert result.verdict == "supported", result.reasons


def test_judge_scores_support_above_fabrication(verifier: Verifier) -> None:
    judge = verifier.judge
    supported = judge.score("Three firefighters were killed in the Harlow depot fire.", [FIRE])
    invented = judge.score("The mayor announced new fire engines for the city.", [FIRE])
    assert 0.0 <= invented < judge.threshold <= supported <= 1.0


def test_features_judge_is_registered() -> None:
    import newsdistill.verify.trained  # noqa: F401

    judge = get_judge("features")
    assert isinstance(judge, FeatureJudge)
    assert 0.0 < judge.threshold < 1.0


def test_model_file_round_trip(tmp_path: Path) -> None:
    model = FeatureModel.load()
    copy = tmp_path / "model.json"
    model.save(copy)
    again = FeatureModel.load(copy)
    x = np.ones(len(FEATURE_NAMES))
    assert again.probability(x) == pytest.approx(model.probability(x))
    assert "cross_validated" in model.meta


def test_model_with_other_features_is_refused(tmp_path: Path) -> None:
    data = json.loads(default_model_path().read_text(encoding="utf-8"))
    data["features"] = data["features"][::-1]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelLoadError):
        FeatureModel.load(path)


def test_evidence_covers_a_number_the_nearest_sentences_miss(verifier: Verifier) -> None:
    """A claim joining facts from two sentences gets both as evidence: the one nearest in
    meaning and the one holding its number, not the one holding a number that looks alike."""
    sentences = [
        "Halvor Pharma said sales of its flu vaccine fell sharply in the fourth quarter.",
        "Profit for the quarter was $1.5bn, down from a year earlier.",
        "The chief executive thanked staff at the Kelby plant.",
        "Next year, the company expects vaccine sales of $5bn.",
        "Analysts had expected a steeper fall.",
    ]
    pool = SourcePool([SourceSentence(text=s, outlet="doc") for s in sentences], verifier.embedder)
    claim = "Halvor Pharma reported a fourth-quarter fall in flu vaccine sales and expects $5bn."
    checked = check_one(verifier, pool, claim)
    assert sentences[3] in [e.text for e in checked.evidence]
    assert checked.verification.verdict != "contradicted"
    assert covering(claim, [set(content_words(s)) for s in sentences], [0], limit=1) == [3]


def test_covering_stops_when_nothing_more_is_covered() -> None:
    words = [{"depot", "fire"}, {"harlow"}, {"fire"}]
    assert covering("Fire at Harlow depot", words, [0]) == [1]
    assert covering("Fire at the depot", words, [0]) == []


def test_dotted_acronyms_match_their_plain_form() -> None:
    evidence = [SourceSentence(text="A U.S. judge in San Francisco ruled on Monday.")]
    assert check_entities("A US judge in San Francisco ruled.", evidence).ok
    assert check_entities("A U.S. judge ruled.", [SourceSentence(text="A US judge ruled.")]).ok
    assert not check_entities("A UK judge ruled.", evidence).ok


def test_decimal_numbers_are_one_word() -> None:
    assert content_words("Profit was $1.5bn, or 2,000 jobs") == [
        "profit",
        "1.5bn",
        "2,000",
        "jobs",
    ]


def test_a_german_claim_reads_its_numbers_in_german(verifier: Verifier) -> None:
    source = make_article(
        "Bei dem Brand im Tanklager von Harlow starben am Dienstag drei Feuerwehrleute."
    ).model_copy(update={"id": 1, "language": "de"})
    pool = SourcePool.of_articles([source], verifier.embedder)
    claim = "Bei dem Brand in Harlow starben vier Feuerwehrleute."
    german = Verifier(verifier.judge, verifier.embedder, language="de")
    result = check_one(german, pool, claim).verification
    assert result.verdict == "contradicted"
    assert any("drei" in r or "3" in r for r in result.reasons)
