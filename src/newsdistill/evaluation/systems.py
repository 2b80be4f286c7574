"""newsdistill's own stages as the harnesses call them: the pipeline's feature extraction and
the incremental clusterer, in memory."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from newsdistill.cluster import ArticleFeatures, Clusterer, ClusterParams
from newsdistill.config import Settings
from newsdistill.models import Article
from newsdistill.nlp.embed import Embedder
from newsdistill.pipeline import Newsroom
from newsdistill.store import Store


def article_features(articles: Sequence[Article], embedder: Embedder) -> list[ArticleFeatures]:
    """Exactly the pipeline's features; its Newsroom wants a store, so it gets a throwaway one."""
    store = Store.open("sqlite:///:memory:")
    try:
        return Newsroom(Settings(), store, embedder=embedder).article_features(articles)
    finally:
        store.close()


def run_clusterer(params: ClusterParams, features: Iterable[ArticleFeatures]) -> list[str]:
    """Story id per article, assigned one article at a time as in `Newsroom.process`."""
    clusterer = Clusterer(params, [], {})
    return [clusterer.assign(f)[0].story_id for f in features]
