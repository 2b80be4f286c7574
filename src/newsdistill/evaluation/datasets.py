"""Reading the evaluation data into the pipeline's own Articles, with only the fields a real
stream would carry."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsdistill import dedupe
from newsdistill.errors import InputError
from newsdistill.models import Article
from newsdistill.nlp.sentences import split_sentences

# The data carries one timestamp per story, shared by its articles: left as is, "same second"
# would give the answer away. Each article moves by its own seeded offset instead.
JITTER_HOURS = 36.0
JITTER_SEED = 20261122


def read_jsonl(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The JSON objects of a JSONL file, one per non-blank line (the first `limit`); a file
    that cannot be read, a line that is not a JSON object, or no rows at all is an InputError
    naming the file and line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise InputError(f"{path}, line {number}: not JSON: {exc}") from None
        if not isinstance(row, dict):
            raise InputError(f"{path}, line {number}: not a JSON object")
        rows.append(row)
        if limit and len(rows) == limit:
            break
    if not rows:
        raise InputError(f"{path}: no rows")
    return rows


def jittered(when: dt.datetime, rng: random.Random) -> dt.datetime:
    return when + dt.timedelta(hours=rng.uniform(-JITTER_HOURS, JITTER_HOURS))


def stream(
    rows: Sequence[dict[str, Any]], source: Path | str = "input", seed: int = JITTER_SEED
) -> tuple[list[Article], list[str]]:
    """Articles oldest first (after the jitter drawn from `seed`) and their gold labels, in the
    same order; a row without cluster, title, text or an ISO date is an InputError naming
    `source` and row."""
    rng = random.Random(seed)
    pairs = []
    for i, row in enumerate(rows, start=1):
        missing = [k for k in ("cluster", "title", "text", "date") if k not in row]
        if missing:
            raise InputError(f"{source}, row {i}: a clustering row needs {', '.join(missing)}")
        try:
            published = dt.datetime.fromisoformat(str(row["date"]))
        except ValueError:
            raise InputError(
                f"{source}, row {i}: date {row['date']!r} is not an ISO date"
            ) from None
        title, text, label = str(row["title"]), str(row["text"]), str(row["cluster"])
        article = Article(
            id=i,
            url=f"eval:article/{i}",  # a neutral key: the data's URL is not the clusterer's
            title=title,
            text=text,
            sentences=split_sentences(text),
            outlet=str(row.get("source") or "unknown"),
            published=jittered(published, rng),
            language=row.get("lang"),
            content_hash=dedupe.content_hash(text),
        )
        pairs.append((article, label))
    pairs.sort(key=lambda p: (p[0].published, p[0].id or 0))
    return [a for a, _ in pairs], [g for _, g in pairs]


# The data has no dates: documents get consecutive hours of one fixed day, in input order.
FIRST_PUBLISHED = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def documents(item: dict[str, Any]) -> list[Article]:
    """The cluster's documents as Articles from "Source 1…n", an hour apart."""
    out = []
    for i, doc in enumerate(item["documents"], start=1):
        text = str(doc["text"])
        out.append(
            Article(
                id=i,
                url=f"eval:{item['id']}/{i}",
                title=str(doc.get("title") or ""),
                text=text,
                sentences=split_sentences(text),
                outlet=f"Source {i}",
                published=FIRST_PUBLISHED + dt.timedelta(hours=i - 1),
                content_hash=dedupe.content_hash(text),
            )
        )
    return out
