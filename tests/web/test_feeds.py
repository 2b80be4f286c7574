"""Atom and JSON Feed of all stories: they parse, link to the served pages, and keep each
story's entry id when a new digest version changes its `updated` date."""

from __future__ import annotations

import json

import feedparser
import pytest

from newsdistill.publish.common import rfc3339
from tests.web.conftest import Newsdesk

pytestmark = pytest.mark.slow  # the pipeline fills the store: MiniLM embeds every article


def test_atom_parses_and_keeps_ids_across_versions(desk: Newsdesk) -> None:
    response = desk.client.get("/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    before = feedparser.parse(desk.atom_before)
    after = feedparser.parse(response.text)
    assert not after.bozo and not before.bozo
    ids = {f"urn:newsdistill:story:{s.id}" for s in (desk.ferry, desk.fire, desk.hostile)}
    assert {e.id for e in before.entries} == {e.id for e in after.entries} == ids
    was = {e.id: e for e in before.entries}
    for entry in after.entries:
        changed = entry.updated != was[entry.id].updated
        assert changed == (entry.id == f"urn:newsdistill:story:{desk.ferry.id}")
        assert entry.link == f"http://testserver/stories/{entry.id.rsplit(':', 1)[1]}.html"
        assert desk.client.get(entry.link.removeprefix("http://testserver")).status_code == 200
    ferry = next(e for e in after.entries if desk.ferry.id in e.id)
    assert "Island Courier" in ferry.content[0].value  # the full digest, new source included
    assert after.feed.links[0].href == "http://testserver/feed.atom"


def test_json_feed_keeps_ids_and_moves_date_modified(desk: Newsdesk) -> None:
    response = desk.client.get("/feed.json")
    assert response.headers["content-type"].startswith("application/feed+json")
    before = {i["id"]: i for i in json.loads(desk.json_feed_before)["items"]}
    after = json.loads(response.text)
    assert after["feed_url"] == "http://testserver/feed.json"
    assert {i["id"] for i in after["items"]} == set(before)
    for item in after["items"]:
        digest = desk.room.store.latest_digest(item["id"].rsplit(":", 1)[1])
        assert digest is not None
        assert item["date_modified"] == rfc3339(digest.created_at)
    ferry = f"urn:newsdistill:story:{desk.ferry.id}"
    first, second = desk.room.store.digest_versions(desk.ferry.id)
    assert before[ferry]["date_modified"] == rfc3339(first.created_at)
    assert second.created_at > first.created_at
