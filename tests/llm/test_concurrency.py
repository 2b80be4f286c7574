"""Calls to an OpenAI-compatible server at once: the per-process limit, batches that give what
sequential calls give, and the record of every call (model, tokens, latency, outcome), against
the fake server on 127.0.0.1, which counts the requests it answers at once."""

from __future__ import annotations

import json
import re
import threading
import time
from typing import Any

import pytest

from newsdistill.config import Settings
from newsdistill.distill.assemble import Distiller
from newsdistill.distill.brief import build_brief
from newsdistill.llm import openai_backend
from newsdistill.models import Digest, DraftDigest, DraftSentence, WriterRun
from newsdistill.nlp.embed import get_embedder
from newsdistill.publish import render_json
from newsdistill.verify import Verifier
from newsdistill.verify.llm_judge import LLMJudge
from newsdistill.writers.extractive import ExtractiveWriter
from newsdistill.writers.llm import LLMWriter
from tests.llm.fakes import Answer, FixedWriter, ModelServer, ScriptedBackend, echo, ok
from tests.llm.story import bridge_brief, demo_story

MESSAGES = [{"role": "user", "content": "hi"}]


def call_at_once(calls: int, fn: Any) -> None:
    threads = [threading.Thread(target=fn) for _ in range(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_the_limit_is_never_exceeded(model: ModelServer) -> None:
    model.gather = 3  # the server would take three at once
    backend = model.backend(concurrency=2)
    call_at_once(8, lambda: backend.complete(MESSAGES, schema=None, max_tokens=5))
    assert len(model.requests) == 8 and backend.usage.calls == 8
    assert model.most_in_flight == 2


def test_the_backends_of_a_process_share_a_servers_limit(model: ModelServer) -> None:
    model.gather = 4
    settings = Settings(openai_base_url=model.server.url("/v1"), llm_concurrency=2)
    writer_side, judge_side = openai_backend(settings), openai_backend(settings)
    call_at_once(4, lambda: writer_side.complete(MESSAGES, schema=None, max_tokens=5))
    call_at_once(4, lambda: judge_side.complete(MESSAGES, schema=None, max_tokens=5))

    def both() -> None:
        writer_side.complete(MESSAGES, schema=None, max_tokens=5)
        judge_side.complete(MESSAGES, schema=None, max_tokens=5)

    call_at_once(4, both)
    assert model.most_in_flight == 2


def test_llm_concurrency_must_be_positive() -> None:
    with pytest.raises(ValueError, match="llm_concurrency"):
        Settings(llm_concurrency=0)


def narrow(model: ModelServer, concurrency: int) -> tuple[DraftDigest, WriterRun]:
    base = ExtractiveWriter()
    writer = LLMWriter(model.backend(concurrency=concurrency), "openai", base, mode="narrow")
    draft = writer.write(bridge_brief())
    run = writer.last_run()
    assert run is not None
    return draft, run


def test_a_batch_gives_what_one_call_after_another_gives(model: ModelServer) -> None:
    model.answer_with(echo)
    sequential, one_by_one = narrow(model, concurrency=1)
    assert model.most_in_flight == 1
    model.gather = 3
    batched, together = narrow(model, concurrency=4)
    assert model.most_in_flight > 1  # the jobs did reach the server together
    assert batched == sequential
    assert together.jobs == one_by_one.jobs
    jobs = [j.job for j in together.jobs]
    assert jobs[:2] == ["lede", "headline"] and {"fuse", "label"} <= set(jobs)

    def calls(run: WriterRun) -> list[tuple[Any, ...]]:
        return [(c.job, c.prompt_sha256, c.outcome, c.reason) for c in run.calls]

    assert calls(together) == calls(one_by_one)


def test_a_backend_of_concurrency_one_is_called_from_the_callers_thread() -> None:
    # The in-process model is one llama.cpp instance: a batch must not reach it from threads.
    threads: list[threading.Thread] = []

    def model(messages: list[dict[str, str]]) -> str:
        threads.append(threading.current_thread())
        return echo(messages)

    backend = ScriptedBackend(default=model)
    LLMWriter(backend, "local", ExtractiveWriter(), mode="narrow").write(bridge_brief())
    assert len(threads) > 2 and set(threads) == {threading.current_thread()}


def test_every_call_records_backend_model_tokens_latency_and_outcome(model: ModelServer) -> None:
    def slow_echo(body: dict[str, Any]) -> Answer:
        time.sleep(0.01)
        return ok(echo(body["messages"]))

    model.answer = slow_echo
    _, run = narrow(model, concurrency=2)
    assert run.calls and len(run.calls) == len(model.requests)
    for call in run.calls:
        assert (call.backend, call.model) == ("openai", "m")
        assert (call.prompt_tokens, call.completion_tokens) == (7, 3)  # the server's counts
        assert call.seconds >= 0.01
        # echo's answers all parse; the guard rejects some (a headline the lede lacks words of).
        assert call.outcome == "accepted" or (call.outcome == "rejected" and call.reason)
    assert any(call.outcome == "accepted" for call in run.calls)


def test_a_timed_out_call_is_recorded_and_the_writer_keeps_its_draft(model: ModelServer) -> None:
    def stuck(body: dict[str, Any]) -> Answer:
        time.sleep(1)
        return ok()

    model.answer = stuck
    base = ExtractiveWriter()
    backend = model.backend(retries=0, timeout=0.2, concurrency=2)
    writer = LLMWriter(backend, "openai", base, mode="narrow")
    brief = bridge_brief()
    assert writer.write(brief) == base.write(brief)
    run = writer.last_run()
    assert run is not None and run.calls
    for call in run.calls:
        assert (call.backend, call.model, call.outcome) == ("openai", "m", "backend error")
        assert "timed out after 0.2s" in (call.reason or "")
    assert run.jobs and all(j.worded_by == "fallback" for j in run.jobs)
    # Once the server is found down, the jobs not yet sent are not sent.
    assert any(j.reason == "back-end unavailable" for j in run.jobs)


def yes_unless_2024(body: dict[str, Any]) -> Answer:
    """A judge's answer from its prompt alone: "no" to claims mentioning 2024."""
    claim = body["messages"][1]["content"].split("CLAIM:")[1]
    yes = -3.0 if "2024" in claim else -0.1
    top = [{"token": "yes", "logprob": yes}, {"token": "no", "logprob": -1.0}]
    logprobs = {"content": [{"token": "yes", "logprob": yes, "top_logprobs": top}]}
    return ok("yes", logprobs=logprobs)


def test_the_judge_scores_a_batch_as_it_scores_claims_one_by_one(model: ModelServer) -> None:
    model.answer = yes_unless_2024
    evidence = ["The company reported lower sales and expects $5bn of sales in 2023."]
    pairs = [
        (f"The company reported a decline in sales and guided for $5bn in {year}.", evidence)
        for year in (2023, 2024, 2025, 2024, 2023, 2026)
    ]
    one_by_one = LLMJudge(model.backend(concurrency=1), name="llm-openai")
    expected = [one_by_one.score(claim, ev) for claim, ev in pairs]
    sequential_calls = one_by_one.take_calls()
    model.gather = 3
    batched = LLMJudge(model.backend(concurrency=4), name="llm-openai")
    assert batched.score_many(pairs) == expected
    assert model.most_in_flight > 1
    calls = batched.take_calls()
    assert [c.prompt_sha256 for c in calls] == [c.prompt_sha256 for c in sequential_calls]
    assert len(calls) == 3 * len(pairs)  # each claim and its two clauses
    assert {(c.job, c.backend, c.model, c.outcome) for c in calls} == {
        ("judge", "openai", "m", "accepted")
    }
    assert batched.take_calls() == []  # taken once


def test_the_digest_carries_the_judges_calls_and_old_digests_still_load(
    model: ModelServer,
) -> None:
    model.answer = yes_unless_2024
    articles = demo_story("s-fire", ("a01", "a02", "a03"))
    base = ExtractiveWriter()
    embedder = get_embedder()
    brief, _ = build_brief("s-fire", articles, embedder)
    draft = base.write(brief)

    def reword(sentence: DraftSentence) -> DraftSentence:
        # Not word for word in the sources: the judge is asked about it.
        text = re.sub(r"^(\S+) ", r"\1 reportedly ", sentence.text, count=1)
        return sentence.model_copy(update={"text": text})

    first = draft.sections[0]
    draft = draft.model_copy(
        update={
            "lede": reword(draft.lede),
            "sections": [
                first.model_copy(update={"sentences": [reword(s) for s in first.sentences]}),
                *draft.sections[1:],
            ],
        }
    )
    judge = LLMJudge(model.backend(concurrency=2), name="llm-openai")
    distiller = Distiller(FixedWriter(draft), Verifier(judge, embedder), fallback=base)
    model.gather = 2
    digest = distiller.distill("s-fire", articles, [], version=1)
    assert model.most_in_flight == 2  # the draft's sentences were judged together
    assert digest.lede.text.startswith(draft.lede.text.rstrip("."))  # attributed, maybe
    assert digest.lede.verification is not None
    assert digest.lede.verification.checked_by == "llm-openai"
    assert digest.judge_calls and len(digest.judge_calls) == len(model.requests)
    assert all(c.job == "judge" and c.model == "m" for c in digest.judge_calls)
    assert Digest.model_validate_json(render_json(digest)) == digest
    again = distiller.distill("s-fire", articles, [], version=2)
    assert len(again.judge_calls) == len(digest.judge_calls)  # this story's, not the last's

    old = json.loads(render_json(digest))
    old["schema_version"] = "1.3"
    del old["judge_calls"]
    loaded = Digest.model_validate(old)
    assert loaded.judge_calls == [] and loaded.schema_version == "1.3"
