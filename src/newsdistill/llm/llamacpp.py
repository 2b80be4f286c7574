"""Chat completion in-process with llama-cpp-python (the `local` extra)."""

from __future__ import annotations

import atexit
import threading
import time
from pathlib import Path
from typing import Any

from newsdistill.errors import ModelLoadError
from newsdistill.llm.backend import BackendError, JsonSchema, Message, Usage

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
    """Runs a GGUF chat model in this process; JSON output is grammar-constrained to a schema."""

    name = "llama-cpp"

    def __init__(self, model_path: Path, n_threads: int, n_ctx: int = 4096) -> None:
        self.model_path = model_path
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
    ) -> str:
        llama, lock = _load(self.model_path, self.n_threads, self.n_ctx)
        extra: dict[str, Any] = {}
        if schema is not None:
            extra["response_format"] = {"type": "json_object", "schema": schema}
        started = time.perf_counter()
        with lock:
            try:
                response = llama.create_chat_completion(
                    messages=messages, max_tokens=max_tokens, temperature=temperature, **extra
                )
            except (ValueError, RuntimeError) as exc:  # e.g. prompt longer than the context
                raise BackendError(f"llama.cpp completion failed: {exc}") from exc
        usage = response.get("usage") or {}
        self.usage.add(
            int(usage.get("prompt_tokens", 0)),
            int(usage.get("completion_tokens", 0)),
            time.perf_counter() - started,
        )
        return str(response["choices"][0]["message"].get("content") or "")
