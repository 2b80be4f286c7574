"""Citation cards: what a citation marker on a story page reveals on hover, focus or tap.

The digest's citations carry an article id and a sentence position; the card shows that
sentence (or the title) as the source wrote it, with its outlet, time and link. The numbers
are publish's `SourceNumbering`, so "[2]" means the same source as in every other format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from newsdistill.models import Article, Citation, Digest
from newsdistill.publish.common import CitedSource, SourceNumbering
from newsdistill.store import Store
from newsdistill.timeutil import as_utc


@dataclass(frozen=True)
class CitationCard(CitedSource):
    """A cited source with what its card shows; `key` makes each marker's ids unique."""

    key: int
    quotes: tuple[str, ...]  # the cited sentences, in the order cited
    title: str | None  # None: the article is not in the store
    url: str | None
    published: dt.datetime | None


class CardNumbering(SourceNumbering):
    """Publish's numbering whose `cite` returns cards, over the cited articles as stored."""

    def __init__(self, digest: Digest, articles: Sequence[Article]) -> None:
        super().__init__(digest)
        self._articles = {a.id: a for a in articles}
        self._keys = count(1)

    def cite(self, citations: Sequence[Citation]) -> list[CitedSource]:
        by_article: dict[int, list[Citation]] = {}
        for citation in citations:
            by_article.setdefault(citation.article_id, []).append(citation)
        cards: list[CitedSource] = []
        for article_id, cited in by_article.items():  # a loop: super() fails in a comprehension
            cards += [self._card(s, self._articles.get(article_id)) for s in super().cite(cited)]
        return sorted(cards, key=lambda c: c.number)

    def _card(self, source: CitedSource, article: Article | None) -> CitationCard:
        return CitationCard(
            source.number,
            source.outlet,
            source.sentences,
            key=next(self._keys),
            quotes=tuple(_quote(article, s) for s in source.sentences) if article else (),
            title=article.title if article else None,
            url=article.url if article else None,
            published=as_utc(article.published) if article else None,
        )


def _quote(article: Article, sentence: int | None) -> str:
    if sentence is None:
        return article.title
    return article.sentences[sentence] if 0 <= sentence < len(article.sentences) else ""


def card_numbering(store: Store, digest: Digest) -> CardNumbering:
    """The numbering for `digest`, with every cited article read from `store` in one query."""
    cited = [c for claim in digest.claims() for c in claim.citations]
    cited += [c for d in digest.disagreements for v in d.values for c in v.citations]
    ids = sorted({s.article_id for s in digest.sources} | {c.article_id for c in cited})
    return CardNumbering(digest, store.get_articles(ids))
