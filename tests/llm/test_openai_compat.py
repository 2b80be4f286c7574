"""OpenAICompatBackend against a real HTTP server on 127.0.0.1: response formats, retries, errors.

These exercise the protocol edge cases a real model server rarely produces on demand (5xx,
Retry-After, timeouts, a server that rejects json_schema); test_real_model.py runs it against a
real llama.cpp server.
"""

from __future__ import annotations

import math
import socket
import time
from typing import Any

import pytest

from newsdistill.config import Settings
from newsdistill.errors import ConfigError
from newsdistill.llm import BackendError, OpenAICompatBackend, openai_backend
from newsdistill.retry import RetryPolicy
from tests.llm.fakes import JSON, Answer, ModelServer, ok

SCHEMA = {
    "title": "headline",
    "type": "object",
    "properties": {"headline": {"type": "string"}},
    "required": ["headline"],
    "additionalProperties": False,
}
MESSAGES = [{"role": "user", "content": "hi"}]


def test_json_schema_request_and_usage(model: ModelServer) -> None:
    b = model.backend()
    reply = b.complete(MESSAGES, schema=SCHEMA, max_tokens=20)
    assert (reply.value, reply.prompt_tokens, reply.completion_tokens) == (
        '{"headline": "x"}',
        7,
        3,
    )
    [sent] = model.requests
    assert sent["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "headline", "schema": SCHEMA, "strict": True},
    }
    assert sent["model"] == "m" and sent["messages"] == MESSAGES
    assert sent["max_tokens"] == 20 and sent["temperature"] == 0
    headers = {k.lower(): v for k, v in model.server.last_headers.items()}
    assert headers["authorization"] == "Bearer sk-test"
    assert (b.usage.calls, b.usage.prompt_tokens, b.usage.completion_tokens) == (1, 7, 3)


def test_no_schema_sends_no_response_format(model: ModelServer) -> None:
    model.answers(ok("plain"))
    assert model.backend().complete(MESSAGES, schema=None, max_tokens=5).value == "plain"
    assert "response_format" not in model.requests[0]


def test_rejected_json_schema_falls_back_step_by_step_and_remembers(model: ModelServer) -> None:
    def answer(body: dict[str, Any]) -> Answer:
        kind = body["response_format"]
        if kind["type"] == "json_schema" or "schema" in kind:
            return 422, {"detail": [{"loc": ["body", "response_format"]}]}
        return ok()

    model.answer = answer
    b = model.backend()
    b.complete(MESSAGES, schema=SCHEMA, max_tokens=20)
    b.complete(MESSAGES, schema=SCHEMA, max_tokens=20)
    assert [r["response_format"] for r in model.requests] == [
        {
            "type": "json_schema",
            "json_schema": {"name": "headline", "schema": SCHEMA, "strict": True},
        },
        {"type": "json_object", "schema": SCHEMA},
        {"type": "json_object"},
        {"type": "json_object"},  # the second call starts where the first one ended
    ]


def test_llama_cpp_servers_500_naming_the_format_is_a_downgrade_not_a_retry(
    model: ModelServer,
) -> None:
    # What llama-cpp-python's server really answers to a json_schema request.
    error = {"error": {"message": "('body', 'response_format', 'type') Input should be 'text'"}}
    model.answer = lambda body: (
        (500, error) if body["response_format"]["type"] == "json_schema" else ok()
    )
    waits: list[float] = []
    model.backend(waits=waits).complete(MESSAGES, schema=SCHEMA, max_tokens=20)
    assert [r["response_format"]["type"] for r in model.requests] == ["json_schema", "json_object"]
    assert waits == []


def test_unrelated_400_is_an_error_not_a_downgrade(model: ModelServer) -> None:
    model.answers((400, b"context length exceeded"))
    with pytest.raises(BackendError, match="HTTP 400: context length"):
        model.backend().complete(MESSAGES, schema=SCHEMA, max_tokens=20)
    assert len(model.requests) == 1


def test_server_errors_are_retried_a_bounded_number_of_times(model: ModelServer) -> None:
    model.answers((503, b"busy"), (500, b""), ok())
    waits: list[float] = []
    reply = model.backend(waits=waits).complete(MESSAGES, schema=None, max_tokens=5)
    assert reply.value == '{"headline": "x"}'
    assert len(model.requests) == 3
    assert waits == [0.5, 1.0]

    model.server.bodies.clear()
    model.answer = lambda body: (502, b"bad gateway")
    with pytest.raises(BackendError, match="after 2 attempts: HTTP 502: bad gateway"):
        model.backend(retries=1).complete(MESSAGES, schema=None, max_tokens=5)
    assert len(model.requests) == 2


@pytest.mark.parametrize("status", [503, 429])
def test_retry_after_is_waited_for_then_the_call_retried(model: ModelServer, status: int) -> None:
    model.answers((status, b"slow down", {"Retry-After": "4"}), ok())
    waits: list[float] = []
    assert model.backend(waits=waits).complete(MESSAGES, schema=None, max_tokens=5)
    assert len(model.requests) == 2
    assert waits == [4.0]  # the server's wait, not the 0.5 s backoff


def test_a_long_retry_after_is_capped(model: ModelServer) -> None:
    model.answers((429, b"", {"Retry-After": "86400"}), ok())
    waits: list[float] = []
    model.backend(waits=waits).complete(MESSAGES, schema=None, max_tokens=5)
    assert waits == [30.0]


def test_a_permanent_404_is_not_retried(model: ModelServer) -> None:
    model.answers((404, {"error": {"message": "model 'm' not found"}}))
    waits: list[float] = []
    with pytest.raises(BackendError, match="answered HTTP 404"):
        model.backend(waits=waits).complete(MESSAGES, schema=None, max_tokens=5)
    assert len(model.requests) == 1
    assert waits == []


def test_the_settings_choose_the_retries_and_the_sdk_adds_none(model: ModelServer) -> None:
    model.answer = lambda body: (503, b"busy")
    for retries in (0, 1):
        model.server.bodies.clear()
        settings = Settings(
            openai_base_url=model.server.url("/v1"), llm_retries=retries, llm_backoff=0
        )
        with pytest.raises(BackendError, match=f"after {retries + 1} attempts"):
            openai_backend(settings).complete(MESSAGES, schema=None, max_tokens=5)
        assert len(model.requests) == retries + 1


def test_timeouts_and_refused_connections_become_backend_errors(model: ModelServer) -> None:
    def slow(body: dict[str, Any]) -> Answer:
        time.sleep(1)
        return ok()

    model.answer = slow
    with pytest.raises(BackendError, match=r"after 3 attempts: timed out after 0\.2s"):
        model.backend(timeout=0.2).complete(MESSAGES, schema=None, max_tokens=5)
    assert len(model.requests) == 3

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    closed = OpenAICompatBackend(
        f"http://127.0.0.1:{port}/v1", "m", "k", 2.0, retry=RetryPolicy(0, 0, 30)
    )
    with pytest.raises(BackendError, match="ConnectError"):
        closed.complete(MESSAGES, schema=None, max_tokens=5)


def test_bad_key_and_garbage_responses(model: ModelServer) -> None:
    model.answers((401, b"no"))
    with pytest.raises(BackendError, match="API key"):
        model.backend().complete(MESSAGES, schema=None, max_tokens=5)
    assert len(model.requests) == 1
    html = {"Content-Type": "text/html"}
    for garbage in [
        (b"<html>", html),
        (b"<html>", JSON),
        ({"id": "x"}, JSON),
        ({"choices": []}, JSON),
    ]:
        model.answers((200, *garbage))
        with pytest.raises(BackendError, match="unexpected chat completion response"):
            model.backend().complete(MESSAGES, schema=None, max_tokens=5)


def test_an_empty_api_key_is_a_config_error(model: ModelServer) -> None:
    with pytest.raises(ConfigError, match="NEWSDISTILL_OPENAI_API_KEY"):
        OpenAICompatBackend(model.server.url("/v1"), "m", "", 5.0)


def test_answer_probabilities_from_top_logprobs(model: ModelServer) -> None:
    top = [
        {"token": "Yes", "logprob": -0.2},
        {"token": " yes", "logprob": -2.0},
        {"token": "No", "logprob": -1.9},
        {"token": "Maybe", "logprob": -3.0},
    ]
    logprobs = {"content": [{"token": "Yes", "logprob": -0.2, "top_logprobs": top}]}
    model.answers(ok("Yes", logprobs=logprobs))
    probs = model.backend().answer_probabilities(MESSAGES, ("yes", "no")).value
    sent = model.requests[0]
    assert sent["logprobs"] is True and sent["top_logprobs"] == 10 and sent["max_tokens"] == 1
    # "Yes" and " yes" pool their mass; "Maybe" is no answer and is left out.
    yes = math.exp(-0.2) + math.exp(-2.0)
    assert probs["yes"] == pytest.approx(yes / (yes + math.exp(-1.9)), rel=1e-6)


def test_answer_probabilities_without_logprobs_trusts_the_word(model: ModelServer) -> None:
    model.answers(ok("no"))
    probs = model.backend().answer_probabilities(MESSAGES, ("yes", "no")).value
    assert probs == {"yes": 0.0, "no": 1.0}
