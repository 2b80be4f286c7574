"""OpenAICompatBackend's HTTP handling: response formats, retries and errors.

These exercise the protocol edge cases a real server rarely produces on demand (5xx, timeouts,
a server that rejects json_schema); test_real_model.py runs it against a real server.
"""

from __future__ import annotations

import json

import httpx
import pytest

from newsdistill.llm import BackendError, OpenAICompatBackend

SCHEMA = {
    "title": "headline",
    "type": "object",
    "properties": {"headline": {"type": "string"}},
    "required": ["headline"],
    "additionalProperties": False,
}
MESSAGES = [{"role": "user", "content": "hi"}]


def ok(content: str = '{"headline": "x"}') -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "choices": [{"message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 7, "completion_tokens": 3},
        },
    )


def backend(
    handler: object, retries: int = 2
) -> tuple[OpenAICompatBackend, list[dict[str, object]]]:
    seen: list[dict[str, object]] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        assert request.headers["authorization"] == "Bearer sk-test"
        assert request.url.path == "/v1/chat/completions"
        return handler(request)  # type: ignore[operator, no-any-return]

    b = OpenAICompatBackend(
        "http://server/v1/",
        "m",
        "sk-test",
        5.0,
        retries=retries,
        backoff=0,
        transport=httpx.MockTransport(record),
    )
    return b, seen


def test_json_schema_request_and_usage() -> None:
    b, seen = backend(lambda r: ok())
    assert b.complete(MESSAGES, schema=SCHEMA, max_tokens=20) == '{"headline": "x"}'
    assert seen[0]["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "headline", "schema": SCHEMA, "strict": True},
    }
    assert seen[0]["max_tokens"] == 20 and seen[0]["temperature"] == 0
    assert (b.usage.calls, b.usage.prompt_tokens, b.usage.completion_tokens) == (1, 7, 3)


def test_no_schema_sends_no_response_format() -> None:
    b, seen = backend(lambda r: ok("plain"))
    assert b.complete(MESSAGES, schema=None, max_tokens=5) == "plain"
    assert "response_format" not in seen[0]


def test_rejected_json_schema_falls_back_step_by_step_and_remembers() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        kind = json.loads(request.content)["response_format"]
        if kind["type"] == "json_schema" or "schema" in kind:
            return httpx.Response(422, json={"detail": [{"loc": ["body", "response_format"]}]})
        return ok()

    b, seen = backend(handler)
    b.complete(MESSAGES, schema=SCHEMA, max_tokens=20)
    b.complete(MESSAGES, schema=SCHEMA, max_tokens=20)
    formats = [s["response_format"] for s in seen]
    assert formats == [
        {
            "type": "json_schema",
            "json_schema": {"name": "headline", "schema": SCHEMA, "strict": True},
        },
        {"type": "json_object", "schema": SCHEMA},
        {"type": "json_object"},
        {"type": "json_object"},  # the second call starts where the first one ended
    ]


def test_llama_cpp_servers_500_naming_the_format_is_a_downgrade_not_a_retry() -> None:
    # What llama-cpp-python's server really answers to a json_schema request.
    body = {"error": {"message": "('body', 'response_format', 'type') Input should be 'text'"}}

    def handler(request: httpx.Request) -> httpx.Response:
        kind = json.loads(request.content)["response_format"]["type"]
        return httpx.Response(500, json=body) if kind == "json_schema" else ok()

    b, seen = backend(handler)
    b.complete(MESSAGES, schema=SCHEMA, max_tokens=20)
    assert [s["response_format"]["type"] for s in seen] == ["json_schema", "json_object"]  # type: ignore[index]


def test_unrelated_400_is_an_error_not_a_downgrade() -> None:
    b, seen = backend(lambda r: httpx.Response(400, text="context length exceeded"))
    with pytest.raises(BackendError, match="HTTP 400: context length"):
        b.complete(MESSAGES, schema=SCHEMA, max_tokens=20)
    assert len(seen) == 1


def test_server_errors_are_retried_a_bounded_number_of_times() -> None:
    answers = iter([httpx.Response(503, text="busy"), httpx.Response(500), ok()])
    b, seen = backend(lambda r: next(answers))
    assert b.complete(MESSAGES, schema=None, max_tokens=5) == '{"headline": "x"}'
    assert len(seen) == 3

    b, seen = backend(lambda r: httpx.Response(502, text="bad gateway"), retries=1)
    with pytest.raises(BackendError, match="after 2 attempts: HTTP 502"):
        b.complete(MESSAGES, schema=None, max_tokens=5)
    assert len(seen) == 2


def test_timeouts_and_refused_connections_become_backend_errors() -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    b, seen = backend(timeout)
    with pytest.raises(BackendError, match="timed out"):
        b.complete(MESSAGES, schema=None, max_tokens=5)
    assert len(seen) == 3

    closed = OpenAICompatBackend("http://127.0.0.1:9/v1", "m", "k", 2.0, retries=0)
    with pytest.raises(BackendError, match="ConnectError"):
        closed.complete(MESSAGES, schema=None, max_tokens=5)


def test_bad_key_and_garbage_responses() -> None:
    b, seen = backend(lambda r: httpx.Response(401, text="no"))
    with pytest.raises(BackendError, match="API key"):
        b.complete(MESSAGES, schema=None, max_tokens=5)
    assert len(seen) == 1
    b, _ = backend(lambda r: httpx.Response(200, text="<html>"))
    with pytest.raises(BackendError, match="unexpected chat completion response"):
        b.complete(MESSAGES, schema=None, max_tokens=5)


def test_answer_probabilities_from_top_logprobs() -> None:
    def reply(request: httpx.Request) -> httpx.Response:
        top = [
            {"token": "Yes", "logprob": -0.2},
            {"token": " yes", "logprob": -2.0},
            {"token": "No", "logprob": -1.9},
            {"token": "Maybe", "logprob": -3.0},
        ]
        return httpx.Response(
            200,
            json={
                "choices": [
                    {
                        "message": {"role": "assistant", "content": "Yes"},
                        "logprobs": {"content": [{"token": "Yes", "top_logprobs": top}]},
                    }
                ]
            },
        )

    b, seen = backend(reply)
    probs = b.answer_probabilities(MESSAGES, ("yes", "no"))
    assert seen[0]["logprobs"] is True and seen[0]["max_tokens"] == 1
    # "Yes" and " yes" pool their mass; "Maybe" is no answer and is left out.
    yes = 2.718281828**-0.2 + 2.718281828**-2.0
    assert probs["yes"] == pytest.approx(yes / (yes + 2.718281828**-1.9), rel=1e-6)


def test_answer_probabilities_without_logprobs_trusts_the_word() -> None:
    b, _ = backend(lambda r: ok("no"))
    assert b.answer_probabilities(MESSAGES, ("yes", "no")) == {"yes": 0.0, "no": 1.0}
