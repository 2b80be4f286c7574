"""newsdistill's incremental clusterer as the harnesses call it: in memory, one article at a
time, on the pipeline's own features (`newsdistill.cluster.article_features`)."""

from __future__ import annotations

from collections.abc import Iterable

from newsdistill.cluster import ArticleFeatures, Clusterer, ClusterParams


def run_clusterer(params: ClusterParams, features: Iterable[ArticleFeatures]) -> list[str]:
    """Story id per article, assigned one article at a time as in `Newsroom.process`."""
    clusterer = Clusterer(params, [], {})
    return [clusterer.assign(f)[0].story_id for f in features]
