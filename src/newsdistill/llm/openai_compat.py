"""Chat completion against any OpenAI-compatible server (OpenAI, llama.cpp, vLLM...) through the
openai SDK, pointed at the server by `base_url`.

Retries: the SDK's own are switched off (max_retries=0) so that there is one policy, the one in
newsdistill.retry that fetching uses too. A timeout, a refused connection, HTTP 429 or 5xx is
retried after the policy's backoff or the server's Retry-After, whichever is longer (capped at
Settings.retry_max_wait), up to Settings.llm_retries times. When the retries are spent, and on
any other failure, a call raises BackendError, so a writer stops calling a server that is down.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from newsdistill.config import get_settings
from newsdistill.errors import ConfigError
from newsdistill.llm.backend import BackendError, JsonSchema, Message, Usage, normalise_answers
from newsdistill.retry import RetryPolicy, Transient, parse_retry_after

if TYPE_CHECKING:
    import openai
    from openai.types.chat import ChatCompletion, ChatCompletionMessageParam

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


class _Unavailable(BackendError, Transient):
    """A failure that may pass: timeout, unreachable server, HTTP 429 or 5xx."""

    def __init__(self, problem: str, retry_after: float | None = None) -> None:
        super().__init__(problem)
        self.retry_after = retry_after


class _FormatRejected(Exception):
    """The server refused the requested response format and a weaker one is left to try."""


class OpenAICompatBackend:
    """Calls `<base_url>/chat/completions`; `retry` defaults to the model-server policy of the
    settings (llm_retries, llm_backoff)."""

    name = "openai"

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str,
        timeout: float,
        *,
        retry: RetryPolicy | None = None,
    ) -> None:
        # Imported here: the SDK takes half a second to import, and most runs never call it.
        import openai

        self.model = model
        self.retry = retry or RetryPolicy.for_models(get_settings())
        self.usage = Usage()
        self._format = 0
        self._timeout = timeout
        try:
            self._client = openai.OpenAI(
                base_url=base_url, api_key=api_key, timeout=timeout, max_retries=0
            )
        except openai.OpenAIError as exc:
            raise ConfigError(
                f"cannot use the OpenAI-compatible server at {base_url}: {exc} "
                "(set NEWSDISTILL_OPENAI_API_KEY; a local server takes any key)"
            ) from exc

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
        started = time.perf_counter()
        while True:
            response_format = None
            if schema is not None:
                response_format = _response_format(_FORMATS[self._format], schema)
            try:
                completion, raw_text = self._create(
                    messages, response_format, max_tokens=max_tokens, temperature=temperature
                )
            except _FormatRejected:
                self._format += 1
                log.info("server rejected response_format; using %s", _FORMATS[self._format])
                continue
            break
        try:
            text = completion.choices[0].message.content or ""
            usage = completion.usage
            prompt_tokens = usage.prompt_tokens if usage else 0
            completion_tokens = usage.completion_tokens if usage else 0
        except (AttributeError, IndexError, TypeError) as exc:
            raise _unexpected(raw_text) from exc
        self.usage.add(
            int(prompt_tokens or 0), int(completion_tokens or 0), time.perf_counter() - started
        )
        return str(text)

    def answer_probabilities(
        self, messages: list[Message], answers: Sequence[str]
    ) -> dict[str, float]:
        """One token with its top log-probabilities (OpenAI, vLLM and llama.cpp servers return
        them); a server that returns none still answers, and its word counts as certain."""
        started = time.perf_counter()
        completion, raw_text = self._create(
            messages, None, max_tokens=1, temperature=0, logprobs=True, top_logprobs=10
        )
        try:
            choice = completion.choices[0]
            reply = str(choice.message.content or "")
            content = (choice.logprobs.content if choice.logprobs else None) or []
            top = (content[0].top_logprobs or []) if content else []
            candidates = [(str(t.token), float(t.logprob)) for t in top]
        except (AttributeError, IndexError, TypeError, ValueError) as exc:
            raise _unexpected(raw_text) from exc
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

    def _create(
        self, messages: list[Message], response_format: dict[str, Any] | None, **params: Any
    ) -> tuple[ChatCompletion, str]:
        """One chat completion under the retry policy: the parsed reply and its raw text."""
        if response_format is not None:
            # Through extra_body: one of the forms is llama-cpp-python's, not OpenAI's.
            params["extra_body"] = {"response_format": response_format}
        try:
            return self.retry.call(
                lambda: self._attempt(messages, params, response_format is not None)
            )
        except _Unavailable as exc:
            raise BackendError(
                f"chat completion at {self._client.base_url} failed after "
                f"{self.retry.attempts} attempts: {exc}"
            ) from exc

    def _attempt(
        self, messages: list[Message], params: dict[str, Any], format_requested: bool
    ) -> tuple[ChatCompletion, str]:
        import openai

        try:
            raw = self._client.chat.completions.with_raw_response.create(
                model=self.model,
                messages=cast("list[ChatCompletionMessageParam]", messages),
                **params,
            )
        except openai.APITimeoutError:
            raise _Unavailable(f"timed out after {self._timeout:g}s") from None
        except openai.APIConnectionError as exc:
            cause = exc.__cause__ or exc
            raise _Unavailable(f"{type(cause).__name__}: {cause}") from None
        except openai.APIStatusError as exc:
            raise self._status_error(exc, format_requested) from None
        try:
            # Not JSON parses to the text itself, unless the server called it JSON.
            return raw.parse(), raw.http_response.text
        except ValueError as exc:
            raise _unexpected(raw.http_response.text) from exc

    def _status_error(self, exc: openai.APIStatusError, format_requested: bool) -> Exception:
        """What an HTTP error means: a weaker format to try, a retry, or a BackendError."""
        status = exc.status_code
        text = exc.response.text
        if (
            format_requested
            and self._format + 1 < len(_FORMATS)
            and ("response_format" in text.lower() or "json_schema" in text.lower())
        ):
            return _FormatRejected()  # not transient: complete() asks again, more simply
        if status == 429 or status >= 500:
            wait = parse_retry_after(exc.response.headers)
            return _Unavailable(f"HTTP {status}: {text[:200]}", wait)
        if status in (401, 403):
            return BackendError(
                f"{self._client.base_url} refused the API key (HTTP {status}); "
                "check NEWSDISTILL_OPENAI_API_KEY"
            )
        return BackendError(f"{self._client.base_url} answered HTTP {status}: {text[:300]}")


def _unexpected(raw_text: str) -> BackendError:
    return BackendError(f"unexpected chat completion response: {raw_text[:300]}")
