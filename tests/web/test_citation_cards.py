"""Citation cards: every marker on a story page is a button whose card quotes the cited source
sentence as stored, with its outlet, time and link, in the page itself (no script needed)."""

from __future__ import annotations

import re

import pytest

from tests.cli.conftest import ARTICLES
from tests.web.conftest import LATE_FERRY, Newsdesk

pytestmark = pytest.mark.slow  # the pipeline fills the store: MiniLM embeds every article

CARD = re.compile(
    r'<button type="button" class="cite-ref" aria-expanded="false" aria-controls="(cite-card-\d+)"'
    r'[^>]*>(\d+)</button><span class="card" id="\1" role="note">(.*?)</span></span></span>',
    re.S,
)


def test_each_citation_is_a_button_with_its_card(desk: Newsdesk) -> None:
    html = desk.client.get(f"/stories/{desk.ferry.id}.html").text
    cards = CARD.findall(html)
    assert len(cards) == html.count('class="cite-ref"') > 3
    assert len({card_id for card_id, _, _ in cards}) == len(cards)  # ids are unique
    titles = [title for _, title, _ in ARTICLES.values()] + ["Port Velma ferry terminal cost rises"]
    sources = "\n".join([*titles, *(text for _, _, text in ARTICLES.values()), LATE_FERRY])
    for _, _, body in cards:
        quotes = re.findall(r'<q class="quote">(.*?)</q>', body)
        assert quotes and all(q.replace("&#39;", "'") in sources for q in quotes), body
        assert re.search(r'<time datetime="2026-11-\d\dT[\d:]+Z">', body), body
        assert 'href="https://news.test/' in body and re.search(r'href="#source-\d+"', body)
    courier = [body for _, _, body in cards if "Island Courier" in body]
    assert courier  # the source added in version 2 is cited, and carded


def test_hostile_card_shows_its_sentence_as_text_and_no_link(desk: Newsdesk) -> None:
    html = desk.client.get(f"/stories/{desk.hostile.id}.html").text
    bodies = [body for _, _, body in CARD.findall(html)]
    assert bodies and all("card-link" not in body for body in bodies)  # javascript: is no link
    assert all("<img" not in body and "\u202e" not in body for body in bodies)
