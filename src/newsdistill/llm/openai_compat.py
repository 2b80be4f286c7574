"""Chat completion over HTTP against any OpenAI-compatible server (OpenAI, llama.cpp, vLLM...)."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from typing import Any

import httpx

from newsdistill.llm.backend import BackendError, JsonSchema, Message, Usage, normalise_answers

log = logging.getLogger(__name__)

# How JSON output is requested, strictest first. Servers differ: OpenAI and vLLM take
# `json_schema`; llama-cpp-python's server takes `json_object` with a `schema`; some only plain
# `json_object`. An error that names the response format moves one step down, once per backend
# (llama-cpp-python's server answers such a validation error with HTTP 500, not 400/422).
_FORMATS = ("json_schema", "json_object+schema", "json_object")


def _response_format(kind: str, schema: JsonSchema) -> dict[str, Any]:
    if kind == "json_schema":
        name = str(schema.get("title", "output"))
        return {
            "type": "json_schema",
            "json_schema": {"name": name, "schema": schema, "strict": True},
        }
    if kind == "json_object+schema":
        return {"type": "json_object", "schema": schema}
    return {"type": "json_object"}


class OpenAICompatBackend:
    """POSTs to `<base_url>/chat/completions` with bounded retries on timeouts and 5xx."""

    name = "openai"

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str,
        timeout: float,
        *,
        retries: int = 2,
        backoff: float = 0.5,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.model = model
        self.retries = retries
        self.backoff = backoff
        self.usage = Usage()
        self._format = 0
        self._client = httpx.Client(
            base_url=base_url.rstrip("/") + "/",
            timeout=timeout,
            headers={"Authorization": f"Bearer {api_key}"},
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    def complete(
        self,
        messages: list[Message],
        *,
        schema: JsonSchema | None,
        max_tokens: int,
        temperature: float = 0,
    ) -> str:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": temperature,
        }
        started = time.perf_counter()
        while True:
            if schema is not None:
                body["response_format"] = _response_format(_FORMATS[self._format], schema)
            response = self._post(body)
            if self._format_rejected(response, body):
                self._format += 1
                log.info("server rejected response_format; using %s", _FORMATS[self._format])
                continue
            break
        if response.status_code >= 400:
            raise BackendError(
                f"{self._client.base_url} answered HTTP {response.status_code}: "
                f"{response.text[:300]}"
            )
        try:
            data = response.json()
            text = data["choices"][0]["message"]["content"] or ""
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise BackendError(
                f"unexpected chat completion response: {response.text[:300]}"
            ) from exc
        usage = data.get("usage") or {}
        self.usage.add(
            int(usage.get("prompt_tokens") or 0),
            int(usage.get("completion_tokens") or 0),
            time.perf_counter() - started,
        )
        return str(text)

    def answer_probabilities(
        self, messages: list[Message], answers: Sequence[str]
    ) -> dict[str, float]:
        """One token with its top log-probabilities (OpenAI, vLLM and llama.cpp servers return
        them); a server that returns none still answers, and its word counts as certain."""
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "max_tokens": 1,
            "temperature": 0,
            "logprobs": True,
            "top_logprobs": 10,
        }
        started = time.perf_counter()
        response = self._post(body)
        if response.status_code >= 400:
            raise BackendError(
                f"{self._client.base_url} answered HTTP {response.status_code}: "
                f"{response.text[:300]}"
            )
        try:
            choice = response.json()["choices"][0]
            reply = str(choice["message"].get("content") or "")
            content = (choice.get("logprobs") or {}).get("content") or []
            top = content[0].get("top_logprobs") or [] if content else []
            candidates = [(str(t["token"]), float(t["logprob"])) for t in top]
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise BackendError(
                f"unexpected chat completion response: {response.text[:300]}"
            ) from exc
        if not candidates:
            candidates = [(reply, 0.0)]
        logprobs: dict[str, float] = {}
        for token, logprob in candidates:
            word = token.strip().casefold()
            for answer in answers:
                if word and answer.casefold().startswith(word):
                    logprobs[answer] = float(
                        math.log(math.exp(logprobs[answer]) + math.exp(logprob))
                        if answer in logprobs
                        else logprob
                    )
        self.usage.add(0, 1, time.perf_counter() - started)
        return normalise_answers(logprobs, answers)

    def _format_rejected(self, response: httpx.Response, body: dict[str, Any]) -> bool:
        """True when an error names the response format and a weaker format is left to try."""
        if response.status_code < 400 or "response_format" not in body:
            return False
        if self._format + 1 >= len(_FORMATS):
            return False
        text = response.text.lower()
        return "response_format" in text or "json_schema" in text

    def _post(self, body: dict[str, Any]) -> httpx.Response:
        """POST with retries on transport errors, timeouts, 429 and 5xx; other answers return."""
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = self._client.post("chat/completions", json=body)
            except httpx.TimeoutException:
                problem = f"timed out after {self._client.timeout.read}s"
                continue
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__}: {exc}"
                continue
            if self._format_rejected(response, body):
                return response  # not transient: complete() retries with a weaker format
            if response.status_code == 429 or response.status_code >= 500:
                problem = f"HTTP {response.status_code}: {response.text[:200]}"
                continue
            if response.status_code in (401, 403):
                raise BackendError(
                    f"{self._client.base_url} refused the API key (HTTP {response.status_code}); "
                    "check NEWSDISTILL_OPENAI_API_KEY"
                )
            return response
        raise BackendError(
            f"chat completion at {self._client.base_url} failed after "
            f"{self.retries + 1} attempts: {problem}"
        )
