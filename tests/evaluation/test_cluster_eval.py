from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsdistill.cluster import ArticleFeatures, ClusterParams
from newsdistill.errors import InputError
from newsdistill.evaluation import cluster as cluster_eval
from newsdistill.evaluation.cluster import evaluate_clustering, parse_fractions, parse_params
from newsdistill.evaluation.datasets import JITTER_HOURS, JITTER_SEED, read_jsonl, stream
from newsdistill.evaluation.metrics import bcubed
from tests.evaluation.conftest import CLUSTERING_DEV, HashEmbedder, needs

STORIES = {
    "quake": (
        "Earthquake of magnitude {n} strikes Port Semmet",
        "An earthquake shook Port Semmet on the coast, toppling {n} buildings, officials said.",
    ),
    "vote": (
        "National Assembly passes rent cap bill {n}",
        "Lawmakers in the National Assembly approved the rent cap by {n} votes on Tuesday.",
    ),
}


def write_stream(path: Path) -> Path:
    rows = []
    for story, (title, text) in STORIES.items():
        for n in range(3):
            rows.append(
                {
                    "id": f"{story}-{n}",
                    "cluster": story,
                    "title": title.format(n=n + 5),
                    "text": text.format(n=n + 5),
                    "date": "2026-11-18T09:00:00+00:00",
                    "lang": "en",
                    "source": f"Outlet {n}",
                    "story_issue": story,  # reveals the label: must not reach the clusterer
                }
            )
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_stream_keeps_labels_out_and_jitters_dates(tmp_path: Path) -> None:
    rows = read_jsonl(write_stream(tmp_path / "s.jsonl"))
    articles, gold = stream(rows)
    assert sorted(gold) == sorted(r["cluster"] for r in rows)
    story_time = dt.datetime(2026, 11, 18, 9, tzinfo=dt.UTC)
    assert len({a.published for a in articles}) == len(articles)
    for a in articles:
        assert abs(a.published - story_time) <= dt.timedelta(hours=JITTER_HOURS)
        assert "quake" not in a.url and "vote" not in a.url
    assert [a.published for a in articles] == sorted(a.published for a in articles)
    again, _ = stream(rows)
    assert [a.published for a in again] == [a.published for a in articles]  # same seed


def test_evaluate_synthetic_stream(tmp_path: Path, hash_embedder: HashEmbedder) -> None:
    result = evaluate_clustering(write_stream(tmp_path / "s.jsonl"), embedder=hash_embedder)
    systems = [s.system for s in result.results]
    assert systems == ["newsdistill", "TF-IDF + agglomerative", "MiniLM + agglomerative"]
    ours = result.results[0]
    assert ours.true_clusters == 2
    assert ours.bcubed.f1 == pytest.approx(1.0)
    payload = json.loads(json.dumps(result.payload(), default=str))
    assert [r["system"] for r in payload["results"]] == systems
    assert payload["results"][0]["bcubed_f1"] == pytest.approx(1.0)


class RecordedProgress:
    """Stages started, with their totals and how far each was advanced."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, int | None, int]] = []
        self.notes: list[str] = []

    def start(self, stage: str, total: int | None) -> None:
        self.stages.append((stage, total, 0))

    def advance(self, amount: int = 1) -> None:
        stage, total, done = self.stages[-1]
        self.stages[-1] = (stage, total, done + amount)

    def note(self, message: str) -> None:
        self.notes.append(message)


def test_density_sweep_keeps_whole_stories(tmp_path: Path, hash_embedder: HashEmbedder) -> None:
    progress = RecordedProgress()
    result = evaluate_clustering(
        write_stream(tmp_path / "s.jsonl"),
        embedder=hash_embedder,
        density=[0.5, 1.0],
        progress=progress,
    )
    assert progress.stages == [("Clustering, baselines", None, 0), ("Density subsets", 10, 10)]
    assert progress.notes == []  # a clean stream gives nothing to warn about
    half, full = result.density
    assert (half.stories, half.articles) == (1, 3)  # one of two stories, all three articles
    assert (full.stories, full.articles) == (2, 6)
    assert len(half.newsdistill) == len(half.tfidf) == 5
    assert full.newsdistill == pytest.approx((result.results[0].bcubed.f1,) * 5)
    assert half.row()["newsdistill B3 F1"] == pytest.approx(1.0)
    assert json.loads(json.dumps(result.payload()))["density"][0]["fraction"] == 0.5


def test_another_seed_moves_the_times_not_the_stories(tmp_path: Path) -> None:
    rows = read_jsonl(write_stream(tmp_path / "s.jsonl"))
    documented, gold = stream(rows)
    other, other_gold = stream(rows, seed=JITTER_SEED + 1)
    assert sorted(gold) == sorted(other_gold)
    assert {a.id for a in documented} == {a.id for a in other}
    times = {a.id: a.published for a in documented}
    assert all(a.published != times[a.id] for a in other)
    story_time = dt.datetime(2026, 11, 18, 9, tzinfo=dt.UTC)
    assert all(abs(a.published - story_time) <= dt.timedelta(hours=JITTER_HOURS) for a in other)


def test_jitter_sweep_reclusters_the_retimed_stream(
    tmp_path: Path, hash_embedder: HashEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_stream(tmp_path / "s.jsonl")
    seen: list[list[tuple[str, dt.datetime]]] = []
    real = cluster_eval.run_clusterer

    def recording(params: ClusterParams, features: list[ArticleFeatures]) -> list[str]:
        seen.append([(f.title, f.published) for f in features])
        return real(params, features)

    monkeypatch.setattr(cluster_eval, "run_clusterer", recording)
    progress = RecordedProgress()
    result = evaluate_clustering(path, embedder=hash_embedder, jitter=2, progress=progress)
    assert [p.seed for p in result.jitter] == [JITTER_SEED + 1, JITTER_SEED + 2]
    assert progress.stages[-1] == ("Other jitter seeds", 2, 2)
    rows = read_jsonl(path)
    for seed, times in zip((JITTER_SEED + 1, JITTER_SEED + 2), seen[-2:], strict=True):
        # Each article's own features, at its new time, oldest first.
        assert times == [(a.title, a.published) for a in stream(rows, seed=seed)[0]]
    assert all(p.bcubed.f1 == pytest.approx(1.0) for p in result.jitter)  # two clear stories
    payload = json.loads(json.dumps(result.payload(), default=str))
    assert payload["jitter_summary"]["seeds"] == 2
    assert payload["jitter"][0]["seed"] == JITTER_SEED + 1


def test_grid_ranks_settings_by_their_mean_over_seeds(
    tmp_path: Path, hash_embedder: HashEmbedder
) -> None:
    path = write_stream(tmp_path / "s.jsonl")
    progress = RecordedProgress()
    result = evaluate_clustering(
        path, embedder=hash_embedder, grid=True, jitter=1, progress=progress
    )
    assert ("Tuning grid", 480, 480) in progress.stages  # 240 settings x 2 streams
    assert len(result.tuning) == 240
    means = [g.mean_f1 for g in result.tuning]
    assert means == sorted(means, reverse=True)
    assert all(len(g.seed_f1) == 2 for g in result.tuning)
    # The documented stream's scores are the first of the seeds' F1s.
    assert all(g.seed_f1[0] == g.scores.bcubed.f1 for g in result.tuning)
    assert means[-1] < means[0]  # the settings do differ on this stream
    best = next(s for s in result.results if s.system.startswith("newsdistill (grid best"))
    assert best.bcubed == result.tuning[0].scores.bcubed
    assert "mean B3 F1 (2 seeds)" in result.tuning[0].row()

    alone = evaluate_clustering(path, embedder=hash_embedder, grid=True)
    assert all(len(g.seed_f1) == 1 for g in alone.tuning)
    assert [s.system for s in alone.results][1] == "newsdistill (grid best)"
    assert best.system == "newsdistill (grid best by mean of 2 seeds)"
    assert not any(k.startswith("mean") for k in alone.tuning[0].row())


def test_parse_fractions() -> None:
    assert parse_fractions("0.33, 0.5,1") == [0.33, 0.5, 1.0]
    for bad in ("0", "1.5", "half", ""):
        with pytest.raises(InputError):
            parse_fractions(bad)


@needs(CLUSTERING_DEV)
def test_dev_slice_with_the_real_embedder() -> None:
    result = evaluate_clustering(CLUSTERING_DEV, limit=30)
    assert result.articles == 30
    # Deliberately bad baselines on the same slice: every article alone, or all in one story.
    _, gold = stream(read_jsonl(CLUSTERING_DEV, 30))
    trivial = max(bcubed(list(range(len(gold))), gold).f1, bcubed([0] * len(gold), gold).f1)
    for scores in result.results:
        assert scores.true_clusters == len(set(gold))
        assert scores.bcubed.f1 > trivial + 0.2, scores


def test_parse_params() -> None:
    params = parse_params("threshold=0.45, age_penalty=0.1, window_hours=96")
    assert (params.threshold, params.age_penalty, params.window_hours) == (0.45, 0.1, 96.0)
    assert params.embedding_weight == ClusterParams().embedding_weight
    with pytest.raises(InputError, match="unknown clustering parameter 'colour'"):
        parse_params("colour=3")
    with pytest.raises(InputError, match="needs a number"):
        parse_params("threshold=high")


def test_bad_data_files_are_clear_input_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    with pytest.raises(InputError, match="cannot read"):
        read_jsonl(tmp_path / "missing.jsonl")
    path.write_text('{"a": 1}\n\n{"a": 2\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl, line 3: not JSON"):
        read_jsonl(path)
    assert read_jsonl(path, limit=1) == [{"a": 1}]  # stops before the broken line
    path.write_text("[1, 2]\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1: not a JSON object"):
        read_jsonl(path)
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(InputError, match="no rows"):
        read_jsonl(path)
    with pytest.raises(InputError, match=r"s\.jsonl, row 1: date 'yesterday' is not an ISO date"):
        stream([{"cluster": "a", "title": "t", "text": "x", "date": "yesterday"}], "s.jsonl")
    with pytest.raises(InputError, match="row 2: a clustering row needs title, date"):
        stream(
            [
                {"cluster": "a", "title": "t", "text": "x", "date": "2021-05-01"},
                {"cluster": "b", "text": "y"},
            ]
        )


def test_the_command_reports_bad_input_in_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "missing.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "newsdistill", "eval", "cluster", "--data", str(missing)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "Error:" in done.stderr and "cannot read" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
