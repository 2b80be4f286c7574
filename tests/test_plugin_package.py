"""A plugin installed as a distribution (tests/plugin_pkg) is found through its entry point and
its writer runs end to end in the real CLI."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import ARTICLES, page

PACKAGE = Path(__file__).parent / "plugin_pkg"
pytestmark = pytest.mark.slow  # pip and two model-loading CLI runs: about 20 s


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsdistill", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )


def test_an_installed_writer_plugin_runs_end_to_end(tmp_path: Path) -> None:
    # Built from a copy, so that setuptools writes its build files there, not into tests/.
    source = shutil.copytree(PACKAGE, tmp_path / "src")
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(source)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    assert any(target.glob("newsdistill_shout-*.dist-info/entry_points.txt"))
    paths = [str(target), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    db = f"sqlite:///{tmp_path / 'news.db'}"

    listed = run(env, "plugins")
    assert listed.returncode == 0, listed.stderr
    (row,) = [line for line in listed.stdout.splitlines() if " shout " in line]
    assert "writer" in row and "newsdistill_shout" in row

    articles = tmp_path / "articles"
    articles.mkdir()
    ferry = [(p, a) for p, a in ARTICLES.items() if p.endswith("ferry.html")]
    for path, article in ferry:
        (articles / path.replace("/", "-").lstrip("-")).write_bytes(page(*article))
    ingested = run(env, "--db", db, "ingest", str(articles), "--writer", "shout")
    assert ingested.returncode == 0, ingested.stderr
    assert "2 new articles" in ingested.stdout and "1 digests written" in ingested.stdout

    shown = run(env, "--db", db, "stories")
    (story_id,) = re.findall(r"\bs[0-9a-f]{11}\b", shown.stdout)
    digest = json.loads(run(env, "--db", db, "digest", story_id, "--format", "json").stdout)
    assert digest["writer"] == "shout"
    assert digest["headline"]["text"] == digest["headline"]["text"].upper()
    assert digest["verification"]["verified"] == digest["verification"]["sentences"]

    unknown = run(env, "--db", db, "distill", "--writer", "whisper")
    assert unknown.returncode == 1
    assert "unknown writer 'whisper'; choose one of: extractive, local, openai, shout" in (
        unknown.stderr
    )
