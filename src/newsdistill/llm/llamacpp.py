"""Chat completion in-process with llama-cpp-python (the `local` extra)."""

from __future__ import annotations

import atexit
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsdistill.errors import ModelLoadError
from newsdistill.llm.backend import (
    BackendError,
    JsonSchema,
    Message,
    Reply,
    Usage,
    normalise_answers,
)

# The default native build crashes here: the CPU advertises AMX and the AMX tile instruction
# faults at the first decode. These flags build a portable AVX2 binary instead.
CMAKE_ARGS = (
    "-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON "
    "-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
)
INSTALL_HINT = (
    "llama-cpp-python is not installed; install the local extra: "
    f"CMAKE_ARGS=\"{CMAKE_ARGS}\" pip install 'newsdistill[local]' "
    "(or run scripts/install-local-model.sh)"
)

# Loading the 1.1 GB model takes seconds and 2 GB of RAM: once per process, shared by writers.
_MODELS: dict[tuple[str, int, int], tuple[Any, threading.Lock]] = {}
_LOAD_LOCK = threading.Lock()


def _load(model_path: Path, n_threads: int, n_ctx: int) -> tuple[Any, threading.Lock]:
    key = (str(model_path.resolve()), n_threads, n_ctx)
    with _LOAD_LOCK:
        if key not in _MODELS:
            try:
                from llama_cpp import Llama
            except ImportError as exc:
                raise ModelLoadError(INSTALL_HINT) from exc
            try:
                llama = Llama(
                    model_path=key[0],
                    n_ctx=n_ctx,
                    n_threads=n_threads,
                    n_threads_batch=n_threads,
                    verbose=False,
                )
            except (ValueError, RuntimeError, OSError) as exc:
                raise ModelLoadError(f"cannot load {model_path}: {exc}") from exc
            # A Llama object is not safe to use from two threads at once.
            _MODELS[key] = (llama, threading.Lock())
        llama, lock = _MODELS[key]
    return llama, lock


@atexit.register
def _close_all() -> None:
    # Free models before interpreter teardown, where Llama.__del__ fails noisily.
    for llama, _lock in _MODELS.values():
        llama.close()
    _MODELS.clear()


class LlamaCppBackend:
    """Runs a GGUF chat model in this process; JSON output is grammar-constrained to a schema.
    One model instance serves one call at a time, so batches reach it one after another."""

    name = "llama-cpp"
    concurrency = 1

    def __init__(self, model_path: Path, n_threads: int, n_ctx: int = 4096) -> None:
        self.model_path = model_path
        self.model = model_path.name
        self.n_threads = n_threads
        self.n_ctx = n_ctx
        self.usage = Usage()

    def load(self) -> None:
        """Load the model now rather than at the first call (raises ModelLoadError)."""
        _load(self.model_path, self.n_threads, self.n_ctx)

    def complete(
        self,
        messages: list[Message],
        *,
        schema: JsonSchema | None,
        max_tokens: int,
        temperature: float = 0,
    ) -> Reply[str]:
        llama, lock = _load(self.model_path, self.n_threads, self.n_ctx)
        extra: dict[str, Any] = {}
        if schema is not None:
            extra["response_format"] = {"type": "json_object", "schema": schema}
        with lock:
            started = time.perf_counter()  # once the model is ours: a slot, as for a server
            try:
                response = llama.create_chat_completion(
                    messages=messages, max_tokens=max_tokens, temperature=temperature, **extra
                )
            except (ValueError, RuntimeError) as exc:  # e.g. prompt longer than the context
                raise BackendError(f"llama.cpp completion failed: {exc}") from exc
        usage = response.get("usage") or {}
        reply = Reply(
            str(response["choices"][0]["message"].get("content") or ""),
            int(usage.get("prompt_tokens", 0)),
            int(usage.get("completion_tokens", 0)),
            time.perf_counter() - started,
        )
        self.usage.add(reply)
        return reply

    def answer_probabilities(
        self, messages: list[Message], answers: Sequence[str]
    ) -> Reply[dict[str, float]]:
        """One forward pass over the prompt; the next-token logits of each answer's first token
        (as written and capitalised) give its probability. The prompt's shared prefix (system
        message, instructions) stays in the KV cache between calls, so only the tail is paid."""
        llama, lock = _load(self.model_path, self.n_threads, self.n_ctx)
        with lock:
            started = time.perf_counter()
            tokens = _prompt_tokens(llama, messages)
            if len(tokens) >= self.n_ctx:
                raise BackendError(f"prompt of {len(tokens)} tokens exceeds the context")
            cached = llama.input_ids[: llama.n_tokens]
            reuse = 0
            limit = min(len(cached), len(tokens) - 1)  # at least one token must be evaluated
            while reuse < limit and cached[reuse] == tokens[reuse]:
                reuse += 1
            llama.n_tokens = reuse
            try:
                llama.eval(tokens[reuse:])
            except (ValueError, RuntimeError) as exc:
                raise BackendError(f"llama.cpp evaluation failed: {exc}") from exc
            # Without logits_all only the last position's logits exist, which is all we need.
            logits = np.ctypeslib.as_array(llama._ctx.get_logits(), shape=(llama.n_vocab(),))
            logprobs = {}
            for answer in answers:
                firsts = {
                    llama.tokenize(form.encode(), add_bos=False, special=False)[0]
                    for form in (answer, answer.capitalize())
                }
                logprobs[answer] = float(np.logaddexp.reduce([logits[t] for t in firsts]))
        reply = Reply(
            normalise_answers(logprobs, answers),
            len(tokens) - reuse,
            0,
            time.perf_counter() - started,
        )
        self.usage.add(reply)
        return reply


def _prompt_tokens(llama: Any, messages: list[Message]) -> list[int]:
    """The model's own chat template applied to `messages`, ending where the reply starts."""
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    template = llama.metadata.get("tokenizer.chat_template")
    if not template:
        raise BackendError("the model file has no chat template to score answers with")

    def text(token: int) -> str:
        return llama.detokenize([token], special=True).decode() if token >= 0 else ""

    formatter = Jinja2ChatFormatter(
        template, eos_token=text(llama.token_eos()), bos_token=text(llama.token_bos())
    )
    prompt = formatter(messages=messages).prompt  # type: ignore[arg-type]
    tokens: list[int] = llama.tokenize(prompt.encode(), add_bos=False, special=True)
    return tokens
