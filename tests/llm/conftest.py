"""Fixtures for the real-model tests: they skip, saying why, when the model cannot run here."""

from __future__ import annotations

import contextlib
import importlib.util
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import newsdistill.writers.llm  # noqa: F401  registers the "local" and "openai" writers
from newsdistill.config import Settings
from newsdistill.errors import ModelLoadError
from newsdistill.llm.model_files import resolve_model_path
from tests.ingest.server import LocalServer
from tests.llm.fakes import ModelServer

SERVER_START_TIMEOUT = 180.0


@pytest.fixture
def model() -> Iterator[ModelServer]:
    """A fake model server on 127.0.0.1 (see ModelServer)."""
    with LocalServer() as server:
        yield ModelServer(server)


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The GGUF the local writer would load (assembled from the chunk packages if needed)."""
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed (pip install 'newsdistill[local]')")
    try:
        return resolve_model_path(Settings())
    except ModelLoadError as exc:
        pytest.skip(f"the local model is not available: {exc}")


@pytest.fixture(scope="session")
def llama_server(model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real llama-cpp-python OpenAI-compatible server on a free port; yields its /v1 URL."""
    if importlib.util.find_spec("uvicorn") is None or importlib.util.find_spec("fastapi") is None:
        pytest.skip("llama-cpp-python's server extra is not installed (uvicorn, fastapi, ...)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log_path = tmp_path_factory.mktemp("llama-server") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model_path),
        "--host", "127.0.0.1", "--port", str(port),
        "--n_threads", "2", "--n_ctx", "8192",  # room for a composed digest
    ]  # fmt: skip
    with log_path.open("wb") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited: {log_path.read_text()[-2000:]}")
            with contextlib.suppress(httpx.TransportError):  # not listening yet
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not start: {log_path.read_text()[-2000:]}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
