"""The multilingual embedder (USE multilingual v3): one space for the same event in several
languages, its weights checked, and shared with the configured embedder when it is the same."""

from __future__ import annotations

import numpy as np
import pytest

from newsdistill import plugins
from newsdistill.config import Settings
from newsdistill.errors import ModelLoadError
from newsdistill.nlp import multilingual
from newsdistill.nlp.embed import Embedder, get_embedder
from newsdistill.nlp.multilingual import CROSSLINGUAL_EMBEDDER, crosslingual_embedder

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return plugins.embedders().build(CROSSLINGUAL_EMBEDDER, Settings())


def test_vectors_are_unit_length_and_512_wide(embedder: Embedder) -> None:
    out = embedder.embed(["Storm Ilka kills two.", "Sturm Ilka: zwei Tote."])
    assert out.shape == (2, embedder.dim) == (2, 512)
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert embedder.embed([]).shape == (0, 512)


def test_one_event_in_three_languages_is_closer_than_two_events_in_one(
    embedder: Embedder,
) -> None:
    storm_en, storm_de, storm_fr, brewery_de, rates_en = embedder.embed(
        [
            "A storm killed two people and left 40,000 homes without power in the north.",
            "Ein Sturm hat im Norden zwei Menschen getötet, 40.000 Haushalte sind ohne Strom.",
            "Une tempête a fait deux morts dans le nord et privé 40 000 foyers d'électricité.",
            "Die Brauerei schließt im März, 240 Beschäftigte verlieren ihre Arbeit.",
            "The central bank cut its interest rate to 3.25% as inflation eased.",
        ]
    )
    across = min(storm_en @ storm_de, storm_en @ storm_fr, storm_de @ storm_fr)
    apart = max(storm_de @ brewery_de, storm_en @ rates_en, storm_en @ brewery_de)
    assert across > apart + 0.2


def test_other_weights_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(multilingual, "USE_WEIGHTS_SHA256", "0" * 64)
    with pytest.raises(ModelLoadError, match="sha256"):
        multilingual.MultilingualEmbedder().embed(["text"])


def test_a_multilingual_configured_embedder_is_also_the_crosslingual_one() -> None:
    """One model, loaded once, and article_features embeds once."""
    settings = Settings(embedder=CROSSLINGUAL_EMBEDDER)
    assert crosslingual_embedder(settings) is get_embedder(settings)
    assert crosslingual_embedder(Settings()) is not get_embedder(Settings())
