"""Test doubles for the writer's logic tests: a scripted chat back-end, a fixed base draft, and a
model server on 127.0.0.1 whose answers each test sets."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

from newsdistill.llm import BackendError, JsonSchema, Message, OpenAICompatBackend, Reply, Usage
from newsdistill.models import DraftDigest, DraftSentence, StoryBrief, WriterRun
from newsdistill.retry import RetryPolicy
from tests.ingest.server import LocalServer, send

Scripted = str | BackendError | Callable[[list[Message]], str]


class ScriptedBackend:
    """Answers each call with the next scripted reply (text, an error to raise, or a function)."""

    name = "scripted"
    model = "script"
    concurrency = 1

    def __init__(self, *replies: Scripted, default: Scripted | None = None) -> None:
        self.replies = list(replies)
        self.default = default
        self.calls: list[tuple[list[Message], JsonSchema | None]] = []
        self.usage = Usage()

    def complete(
        self,
        messages: list[Message],
        *,
        schema: JsonSchema | None,
        max_tokens: int,
        temperature: float = 0,
    ) -> Reply[str]:
        self.calls.append((messages, schema))
        reply = self.replies.pop(0) if self.replies else self.default
        if reply is None:
            raise AssertionError("the writer called the back-end more often than scripted")
        if isinstance(reply, BackendError):
            raise reply
        text = reply(messages) if callable(reply) else reply
        # Tokens as a server would count them, roughly: what each call used can be told apart.
        reply = Reply(
            text, sum(len(m["content"].split()) for m in messages), len(text.split()), 0.0
        )
        self.usage.add(reply)
        return reply

    def payloads(self) -> list[dict[str, object]]:
        """The JSON user payload of every call (the first user message)."""
        return [json.loads(messages[1]["content"]) for messages, _ in self.calls]


class FixedWriter:
    """A base writer that returns a given draft and revises to a marker sentence."""

    name = "fixed"

    def __init__(self, draft: DraftDigest) -> None:
        self.draft = draft

    def write(self, brief: StoryBrief) -> DraftDigest:
        return self.draft

    def revise(self, brief: StoryBrief, sentence: DraftSentence, reason: str) -> DraftSentence:
        return DraftSentence(text="BASE REVISION", evidence=sentence.evidence)


def accepted(run: WriterRun | None) -> list[str]:
    """The jobs the model worded."""
    assert run is not None
    return [j.job for j in run.jobs if j.worded_by == "model"]


def fallbacks(run: WriterRun | None) -> list[str]:
    """The jobs that fell back, as "job: reason"."""
    assert run is not None
    return [f"{j.job}: {j.reason}" for j in run.jobs if j.worded_by == "fallback"]


PATH = "/v1/chat/completions"
JSON = {"Content-Type": "application/json"}
Answer = tuple[int, Any] | tuple[int, Any, dict[str, str]]  # status, JSON body, headers


def ok(content: str = '{"headline": "x"}', **choice: Any) -> Answer:
    return (
        200,
        {
            "choices": [{"message": {"role": "assistant", "content": content}, **choice}],
            "usage": {"prompt_tokens": 7, "completion_tokens": 3},
        },
    )


def echo(messages: list[Message]) -> str:
    """A well-behaved model: valid, faithful answers for every narrow job, each a function of
    the prompt alone (so that answers do not depend on the order calls arrive in)."""
    data: dict[str, Any] = json.loads(messages[1]["content"])
    key = re.search(r'Reply as \{"(\w+)"', str(data["task"]))
    assert key
    answer = {
        "lede": data.get("text"),
        "headline": "Bridge collapses in Porto Vell",
        "sentence": (data.get("sentences") or ["x"])[0],
        "label": "Council meets on repairs",
    }[key.group(1)]
    return json.dumps({key.group(1): answer})


class ModelServer:
    """The local server answering chat completions with `answer(request body)`. It counts the
    requests it is answering at once; with `gather` set, each request waits (a moment at most)
    for that many to be in flight before it is answered, so that concurrency shows."""

    def __init__(self, server: LocalServer) -> None:
        self.server = server
        self.answer: Callable[[dict[str, Any]], Answer] = lambda body: ok()
        self.gather = 0
        self.in_flight = 0
        self.most_in_flight = 0
        self._changed = threading.Condition()
        server.routes[PATH] = self._handle

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        with self._changed:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            self._changed.notify_all()
            self._changed.wait_for(lambda: self.in_flight >= self.gather, timeout=0.2)
        try:
            status, body, *headers = self.answer(json.loads(self.server.body()))
            payload = body if isinstance(body, bytes) else json.dumps(body).encode()
            send(handler, status, payload, {**JSON, **(headers[0] if headers else {})})
        finally:
            with self._changed:
                self.in_flight -= 1

    def answer_with(self, model: Callable[[list[Message]], str]) -> None:
        """Answer every request with `model(its messages)`."""
        self.answer = lambda body: ok(model(body["messages"]))

    def answers(self, *answers: Answer) -> None:
        """Answer each request with the next of `answers`."""
        pending = iter(answers)
        self.answer = lambda body: next(pending)

    @property
    def requests(self) -> list[dict[str, Any]]:
        return [json.loads(body) for body in self.server.bodies]

    def backend(
        self,
        retries: int = 2,
        waits: list[float] | None = None,
        timeout: float = 5.0,
        concurrency: int = 1,
    ) -> OpenAICompatBackend:
        sleep = waits.append if waits is not None else (lambda _: None)
        policy = RetryPolicy(retries=retries, backoff=0.5, max_wait=30.0, sleep=sleep)
        return OpenAICompatBackend(
            self.server.url("/v1/"),
            "m",
            "sk-test",
            timeout,
            concurrency=concurrency,
            retry=policy,
        )
