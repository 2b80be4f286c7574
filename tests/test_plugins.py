"""Writers, judges and embedders come from plugins, are built from the settings they are given,
and listing them loads no model."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import numpy.typing as npt
import pytest

from newsdistill import pipeline, plugins
from newsdistill.config import Settings
from newsdistill.errors import ConfigError
from newsdistill.models import DraftDigest, DraftSentence, StoryBrief
from newsdistill.nlp.embed import Embedder, get_embedder
from newsdistill.pipeline import Newsroom
from newsdistill.plugins import Register, hookimpl
from newsdistill.verify import Judge, Verifier, get_judge, judge_names
from newsdistill.writers import Writer, get_writer, writer_names

YES = {
    "choices": [
        {
            "message": {"role": "assistant", "content": "yes"},
            "logprobs": {
                "content": [
                    {
                        "token": "yes",
                        "logprob": -0.1,
                        "top_logprobs": [
                            {"token": "yes", "logprob": -0.1},
                            {"token": "no", "logprob": -2.5},
                        ],
                    }
                ]
            },
        }
    ]
}


class ChatServer:
    """An OpenAI-compatible chat endpoint on 127.0.0.1 that answers "yes" and keeps requests."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], dict[str, object]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append((self.path, dict(self.headers), body))
                payload = json.dumps(YES).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/given/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def chat_server() -> Iterator[ChatServer]:
    running = ChatServer()
    yield running
    running.close()


def test_a_newsroom_builds_its_judge_from_its_own_settings(
    chat_server: ChatServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not from the environment's: Newsroom(Settings(openai_base_url=X)) asks X."""
    monkeypatch.delenv("NEWSDISTILL_OPENAI_BASE_URL", raising=False)
    built: list[Judge] = []

    class RecordingVerifier(Verifier):
        def __init__(self, judge: Judge, embedder: Embedder) -> None:
            built.append(judge)
            super().__init__(judge, embedder)

    monkeypatch.setattr(pipeline, "Verifier", RecordingVerifier)
    settings = Settings(
        home=tmp_path,
        judge="llm-openai",
        openai_base_url=chat_server.url,
        openai_model="judge-model",
        openai_api_key="sk-given",
    )
    room = Newsroom(settings)
    room.distill()  # no stories yet: builds the writer and the verifier only
    (judge,) = built
    assert judge.name == "llm-openai"
    assert judge.score("The port reopened on Monday.", ["The port reopened on Monday."]) > 0.8
    path, headers, body = chat_server.requests[0]
    assert path == "/given/v1/chat/completions"
    # HTTP header names are case-insensitive; the openai SDK sends them in lower case.
    assert {k.lower(): v for k, v in headers.items()}["authorization"] == "Bearer sk-given"
    assert body["model"] == "judge-model"


def test_unknown_names_list_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="unknown writer 'x'; choose one of: extractive, local"):
        get_writer("x", Settings())
    with pytest.raises(ConfigError, match="unknown judge 'x'; choose one of: features, llm"):
        get_judge("x", Settings())
    assert {"extractive", "local", "openai"} <= set(writer_names())
    assert {"features", "llm", "llm-openai", "overlap"} <= set(judge_names())


class HashEmbedder:
    dim = 8

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i, hash(text) % self.dim] = 1.0
        return out


class Renamed:
    """The extractive writer under another name."""

    name = "renamed-test"

    def __init__(self, settings: Settings) -> None:
        self.base = get_writer("extractive", settings)

    def write(self, brief: StoryBrief) -> DraftDigest:
        return self.base.write(brief)

    def revise(self, brief: StoryBrief, sentence: DraftSentence, reason: str) -> DraftSentence:
        return self.base.revise(brief, sentence, reason)


@pytest.fixture
def in_process_plugin() -> Iterator[None]:
    """A plugin registered on the process's plugin manager for one test."""

    @hookimpl
    def register_writers(register: Register[Writer]) -> None:
        register("renamed-test", Renamed)

    @hookimpl
    def register_embedders(register: Register[Embedder]) -> None:
        register("hash-test", lambda settings: HashEmbedder())

    plugin = SimpleNamespace(
        register_writers=register_writers, register_embedders=register_embedders
    )
    manager = plugins.plugin_manager()
    manager.register(plugin, name="in-process-test")
    yield
    manager.unregister(plugin)


@pytest.mark.usefixtures("in_process_plugin")
def test_a_plugin_adds_a_writer_and_the_settings_choose_its_embedder(tmp_path: Path) -> None:
    assert "renamed-test" in writer_names()
    assert get_writer("renamed-test", Settings()).name == "renamed-test"
    room = Newsroom(Settings(home=tmp_path, embedder="hash-test"))
    assert isinstance(room.embedder, HashEmbedder)
    assert get_embedder(Settings(embedder="hash-test")) is room.embedder  # shared, built once


def test_two_plugins_cannot_take_the_same_name() -> None:
    @hookimpl
    def register_writers(register: Register[Writer]) -> None:
        register("extractive", Renamed)

    plugin = SimpleNamespace(register_writers=register_writers)
    manager = plugins.plugin_manager()
    manager.register(plugin, name="duplicate-test")
    try:
        with pytest.raises(ConfigError, match="two plugins register the writer 'extractive'"):
            writer_names()
    finally:
        manager.unregister(plugin)


def test_listing_plugins_loads_no_model_runtime() -> None:
    code = (
        "import sys\n"
        "from newsdistill import plugins\n"
        "names = [r.names() for r in (plugins.writers(), plugins.judges(), plugins.embedders())]\n"
        "print(names)\n"
        "print(sorted(m for m in ('onnxruntime', 'llama_cpp') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    listed, loaded = done.stdout.strip().splitlines()
    assert "'extractive'" in listed and "'minilm'" in listed
    assert loaded == "[]"
