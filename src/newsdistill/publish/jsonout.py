"""A digest as JSON: the published, versioned schema of newsdistill.

The JSON form of a digest is exactly `newsdistill.models.Digest` serialised by pydantic, so it
round-trips: `Digest.model_validate_json(render_json(d)) == d`. `json_schema()` gives its JSON
Schema (draft 2020-12, as pydantic emits it); `write_schema(path)` saves that for consumers.

Top-level fields:

- `schema_version` (string): the schema's version (`models.DIGEST_SCHEMA_VERSION`, "1.4"); a
  change that breaks readers bumps the major number.
- `story_id` (string), `version` (integer: the digest's revision for that story),
  `created_at` (ISO 8601 date-time), `writer` (which writer worded it).
- `headline`, `lede` (Claim); `dateline` (string).
- `sections`: list of `{heading, kind, claims: [Claim]}`; `kind` is one of
  "details", "background", "reactions", "next".
- `path_ahead`: list of Claim (the "Projected path ahead" bullets).
- `key_developments`: list of `{event, date (ISO 8601 date), details: Claim}`.
- `disagreements`: list of `{fact, kind, values: [{value, display, outlets, citations}]}`,
  where outlets report different values for one fact.
- `sources`: list of `{article_id, outlet, title, url, published, also_published_by, language}`;
  renderers number sources in this order.
- `language` (ISO 639-1 or null): the one language every sentence of the digest is in.
- `verification`: `{sentences, verified, sources, replaced, dropped}` counts.
- `disclaimer` (string).
- `writer_run` (null, or a model writer's `{requested, mode, jobs, calls}`) and `judge_calls`:
  each model call as `{job, backend, model, prompt_sha256, prompt_tokens, completion_tokens,
  seconds, outcome, reason}`.

A Claim is one published sentence: `{text, citations, verification, origin}`. Each citation is
`{article_id, sentence, outlet}`, `sentence` being a 0-based index into the article's sentences
or null for its title. `verification` is null or `{verdict, score, evidence, reasons,
checked_by}` with `verdict` one of "supported", "unsupported", "contradicted". `origin` says
who produced the text: "writer", "source" (quoted from a source sentence) or "code".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsdistill.models import Digest


def render_json(digest: Digest) -> str:
    return digest.model_dump_json(indent=2) + "\n"


def json_schema() -> dict[str, Any]:
    return Digest.model_json_schema()


def write_schema(path: Path) -> None:
    path.write_text(json.dumps(json_schema(), indent=2) + "\n", encoding="utf-8")
