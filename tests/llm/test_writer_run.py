"""A model writer's run through assembly: who is named as the digest's writer, the published
record of its jobs and calls, and compose mode's fallbacks against a fake server on 127.0.0.1."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest

from newsdistill.config import Settings
from newsdistill.distill.assemble import Distiller
from newsdistill.distill.brief import build_brief
from newsdistill.llm import Message
from newsdistill.models import Article, Digest, StoryBrief
from newsdistill.nlp.embed import get_embedder
from newsdistill.publish import render_json
from newsdistill.verify import Verifier, get_judge
from newsdistill.writers import get_writer
from newsdistill.writers.extractive import ExtractiveWriter
from newsdistill.writers.llm import LLMWriter
from tests.llm.fakes import Answer, ModelServer, ScriptedBackend, ok
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


def test_a_composed_sentence_that_fails_verification_is_revised_or_replaced(
    verifier: Verifier, fire: tuple[list[Article], StoryBrief]
) -> None:
    articles, brief = fire
    first, *rest = [e for e in brief.evidence if not e.stale and e.kind == "details"]
    counted = next(e for e in rest if re.search(r"\b\d+\b", e.text))
    lie = re.sub(r"\b\d+\b", "977", counted.text, count=1)
    composed = {
        "headline": {"text": brief.titles[0].text, "evidence": [brief.titles[0].number]},
        "lede": {"text": first.text, "evidence": [first.number]},
        "sections": [
            {
                "kind": "details",
                "heading": "What happened",
                "sentences": [{"text": lie, "evidence": [counted.number]}],
            }
        ],
        "path_ahead": [],
        "key_developments": [],
        "summary": [{"text": first.text, "evidence": [first.number]}],
        "key_points": [],
    }

    def model(messages: list[Message]) -> str:
        if "news digest" in task(messages):
            return json.dumps(composed)
        # A revision that keeps the invented number: the guard rejects it.
        return json.dumps({"sentence": lie.replace("977", "978")})

    backend = ScriptedBackend(default=model)
    digest = distill(
        LLMWriter(backend, "openai", ExtractiveWriter(), mode="compose"), verifier, articles
    )
    published = [c.text for c in digest.claims()]
    assert not any("977" in t or "978" in t for t in published)
    assert all(c.verification and c.verification.verdict == "supported" for c in digest.claims())
    assert digest.verification.replaced + digest.verification.dropped >= 1
    assert digest.lede.text.startswith(first.text.rstrip("."))
    assert digest.writer == "openai"
    run = digest.writer_run
    assert run is not None
    revisions = [c for c in run.calls if c.job == "revise"]
    assert revisions and all(c.outcome == "rejected" for c in revisions)
    assert "977" not in json.dumps([c.model_dump() for c in run.calls])  # the record, not text
    assert {j.job for j in run.jobs if j.worded_by == "model"} >= {"headline", "lede", "sections"}


def compose_writer(model: ModelServer, timeout: float = 5.0) -> LLMWriter:
    settings = Settings(openai_base_url=model.server.url("/v1"), llm_timeout=timeout, llm_retries=0)
    writer = get_writer("openai", settings)
    assert isinstance(writer, LLMWriter) and writer.mode == "compose"
    return writer


def test_garbage_from_the_server_keeps_the_extractive_draft(
    model: ModelServer, fire: tuple[list[Article], StoryBrief]
) -> None:
    _, brief = fire
    model.answer = lambda body: ok("<html><body>Bad gateway</body></html>")
    writer = compose_writer(model)
    assert writer.write(brief) == ExtractiveWriter().write(brief)
    sent = model.requests[0]
    assert sent["response_format"]["json_schema"]["name"] == "digest"
    run = writer.last_run()
    assert run is not None and not run.model_worded()
    assert [(c.outcome, c.prompt_tokens, c.completion_tokens) for c in run.calls] == [
        ("rejected", 7, 3)
    ] * 2


def test_a_server_slower_than_the_timeout_keeps_the_extractive_digest(
    model: ModelServer, verifier: Verifier, fire: tuple[list[Article], StoryBrief]
) -> None:
    def slow(body: dict[str, Any]) -> Answer:
        time.sleep(1.0)
        return ok("{}")

    model.answer = slow
    writer = compose_writer(model, timeout=0.2)
    digest = distill(writer, verifier, fire[0])
    assert digest.writer == "extractive"
    assert len(model.requests) == 1  # neither retried nor asked to revise once it is down
    run = digest.writer_run
    assert run is not None and run.requested == "openai"
    [call] = run.calls
    assert call.outcome == "backend error" and "timed out after 0.2s" in (call.reason or "")
    assert all("timed out" in (j.reason or "") for j in run.jobs if j.job != "revise")
