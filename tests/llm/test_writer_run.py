"""A model writer's run through assembly: who is named as the digest's writer, and the published
record of its jobs and calls."""

from __future__ import annotations

import json

import pytest

from newsdistill.distill.assemble import Distiller
from newsdistill.distill.brief import build_brief
from newsdistill.llm import Message
from newsdistill.models import Article, Digest, StoryBrief
from newsdistill.nlp.embed import get_embedder
from newsdistill.publish import render_json
from newsdistill.verify import Verifier, get_judge
from newsdistill.writers.extractive import ExtractiveWriter
from newsdistill.writers.llm import LLMWriter
from tests.llm.fakes import ScriptedBackend
from tests.llm.story import demo_story

FIRE = ("a01", "a02", "a03")  # three reports of a factory fire; they disagree on the toll


@pytest.fixture(scope="module")
def verifier() -> Verifier:
    return Verifier(get_judge("overlap"), get_embedder())


@pytest.fixture(scope="module")
def fire() -> tuple[list[Article], StoryBrief]:
    articles = demo_story("s-fire", FIRE)
    brief, _ = build_brief("s-fire", articles, get_embedder())
    return articles, brief


def distill(writer: LLMWriter, verifier: Verifier, articles: list[Article]) -> Digest:
    return Distiller(writer, verifier, fallback=ExtractiveWriter()).distill(
        "s-fire", articles, [], version=1
    )


def task(messages: list[Message]) -> str:
    return str(json.loads(messages[1]["content"])["task"])


def test_the_digest_is_extractive_when_every_model_job_fell_back(
    verifier: Verifier, fire: tuple[list[Article], StoryBrief]
) -> None:
    backend = ScriptedBackend(default="I'm sorry, I can't help with that.")
    digest = distill(LLMWriter(backend, "local", ExtractiveWriter()), verifier, fire[0])
    assert digest.writer == "extractive"
    run = digest.writer_run
    assert run is not None and run.requested == "local" and run.mode == "narrow"
    assert run.jobs and all(j.worded_by == "fallback" for j in run.jobs)
    assert run.calls and all(c.outcome == "rejected" for c in run.calls)
    published = json.loads(render_json(digest))
    assert published["writer"] == "extractive"
    assert published["writer_run"]["calls"][0]["reason"] == "the reply was not valid JSON"
    assert Digest.model_validate_json(render_json(digest)) == digest


def test_the_digest_names_the_model_writer_when_a_job_was_its(
    verifier: Verifier, fire: tuple[list[Article], StoryBrief]
) -> None:
    def lede_only(messages: list[Message]) -> str:
        # A faithful lede (the sentence itself), and nothing acceptable for any other job.
        if "opening sentence" in task(messages):
            return json.dumps({"lede": json.loads(messages[1]["content"])["text"]})
        return "{}"

    backend = ScriptedBackend(default=lede_only)
    digest = distill(LLMWriter(backend, "local", ExtractiveWriter()), verifier, fire[0])
    assert digest.writer == "local"
    assert digest.writer_run is not None
    assert [j.job for j in digest.writer_run.jobs if j.worded_by == "model"] == ["lede"]
