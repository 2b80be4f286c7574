from __future__ import annotations

import json
from pathlib import Path

from newsdistill.models import DIGEST_SCHEMA_VERSION, Digest
from newsdistill.publish import json_schema, render_json, write_schema


def test_round_trips_to_an_equal_digest(digest: Digest) -> None:
    out = render_json(digest)
    assert json.loads(out)["schema_version"] == DIGEST_SCHEMA_VERSION
    assert Digest.model_validate_json(out) == digest


def test_schema_is_written(tmp_path: Path) -> None:
    path = tmp_path / "digest.schema.json"
    write_schema(path)
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema == json_schema()
    assert schema["title"] == "Digest"
    assert {"story_id", "headline", "sources", "verification"} <= set(schema["required"])
