from __future__ import annotations

from newsdistill.config import Settings
from newsdistill.models import DraftDigest, DraftSentence, StoryBrief
from newsdistill.nlp.embed import Embedder
from newsdistill.pipeline import judge_for, make_distiller


class NamedWriter:
    def __init__(self, name: str) -> None:
        self.name = name

    def write(self, brief: StoryBrief) -> DraftDigest:
        raise NotImplementedError  # never called: only the distiller's make-up is checked

    def revise(self, brief: StoryBrief, sentence: DraftSentence, reason: str) -> DraftSentence:
        raise NotImplementedError


class NoEmbedder:
    name = "none"

    def embed(self, texts: list[str]) -> object:
        raise AssertionError("building a distiller embeds nothing")


def test_a_model_writer_is_verified_by_its_own_model_unless_a_judge_is_set() -> None:
    assert judge_for(Settings(), "local") == "llm"
    assert judge_for(Settings(), "openai") == "llm-openai"
    assert judge_for(Settings(), "extractive") == "features"
    assert judge_for(Settings(judge="overlap"), "openai") == "overlap"


def test_the_distiller_of_an_openai_writer_carries_the_openai_judge() -> None:
    settings = Settings(openai_base_url="http://127.0.0.1:9/v1")
    embedder: Embedder = NoEmbedder()  # type: ignore[assignment]
    distiller = make_distiller(settings, embedder, NamedWriter("openai"))
    assert distiller.verifier.judge.name == "llm-openai"
    assert distiller.fallback.name == "extractive"
