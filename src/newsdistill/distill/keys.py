"""Whether a story's digest is current: it is, while the story's membership is unchanged."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def article_set_key(article_ids: Iterable[int]) -> str:
    """Identifies a story's membership, so a digest is rewritten only when it changes."""
    joined = ",".join(str(i) for i in sorted(article_ids))
    return hashlib.sha256(joined.encode()).hexdigest()[:32]
