"""Sentences per second of the embedders on this machine: MiniLM (int8 ONNX) and the
multilingual USE, on the demo corpus's sentences (about 25 words each), in one call per batch.

    PYTHONPATH=src python scripts/bench_embedders.py            # both, batches of 64
    PYTHONPATH=src python scripts/bench_embedders.py --batch 16 --rounds 5

Models load before the clock starts; each embedder sees the same sentences in the same order,
and the best of `--rounds` passes is reported (the least disturbed by other work on the cores),
in wall-clock time and in the process's CPU time (which other processes disturb less).
"""

from __future__ import annotations

import argparse
import os
import time

from newsdistill import plugins
from newsdistill.config import Settings
from newsdistill.demo_corpus.crosslingual import corpus_articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--embedders", default="minilm,use-multilingual")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sentences", type=int, default=512)
    args = parser.parse_args()
    _, articles, _ = corpus_articles()
    sentences = [s for a in articles for s in a.sentences][: args.sentences]
    words = sum(len(s.split()) for s in sentences) / len(sentences)
    print(
        f"{len(sentences)} sentences, {words:.1f} words on average, batches of {args.batch}, "
        f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}"
    )
    for name in args.embedders.split(","):
        embedder = plugins.embedders().build(name, Settings())
        embedder.embed(sentences[:8])  # load the model
        wall = cpu = float("inf")
        for _ in range(args.rounds):
            started, started_cpu = time.perf_counter(), time.process_time()
            for lo in range(0, len(sentences), args.batch):
                embedder.embed(sentences[lo : lo + args.batch])
            wall = min(wall, time.perf_counter() - started)
            cpu = min(cpu, time.process_time() - started_cpu)
        print(
            f"{name}: {len(sentences) / wall:.0f} sentences/s, "
            f"{len(sentences) / cpu:.0f} per CPU-second (all threads)"
        )


if __name__ == "__main__":
    main()
