"""Stories across languages on the demo corpus, scored against its manifest.

The corpus's articles pass through the pipeline's own features and clusterer, in memory, oldest
first, with no declared language (as for a feed entry): the detector names each one. Scores:
B-cubed over all articles; per language, B-cubed of the same run restricted to that language's
articles (are the stories within one language right?); across languages, pairwise precision and
recall over the pairs of articles in two different languages (do reports of one event in two
languages meet, and do only those meet?). docs/evaluation.md ("Multilingual") has the figures:

    PYTHONPATH=src python -m newsdistill.demo_corpus.crosslingual
    PYTHONPATH=src python -m newsdistill.demo_corpus.crosslingual --embedder use-multilingual
    PYTHONPATH=src python -m newsdistill.demo_corpus.crosslingual --no-crosslingual
    PYTHONPATH=src python -m newsdistill.demo_corpus.crosslingual --margins  # scores on arrival
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass

from newsdistill.cluster import Clusterer, ClusterParams, article_features
from newsdistill.config import Settings
from newsdistill.demo_corpus import build
from newsdistill.evaluation.metrics import PRF, bcubed
from newsdistill.evaluation.systems import run_clusterer
from newsdistill.models import Article
from newsdistill.nlp.embed import Embedder, get_embedder
from newsdistill.nlp.multilingual import crosslingual_embedder
from newsdistill.nlp.sentences import split_sentences


@dataclass(frozen=True)
class Scores:
    bcubed: PRF
    per_language: dict[str, PRF]  # language → B-cubed of its articles
    across: PRF  # pairwise, over pairs of articles in two languages
    languages: dict[str, str]  # article id → the language it was identified as
    stories: dict[str, str]  # article id → predicted story


def corpus_articles() -> tuple[list[str], list[Article], list[str]]:
    """Ids, Articles (oldest first, nothing declared but the text) and manifest stories."""
    corpus = build.load_articles(build.HERE / "articles.json", {})
    corpus.sort(key=lambda a: (a.published, a.id))
    articles = []
    for i, a in enumerate(corpus, start=1):
        text = "\n\n".join(a.paragraphs)
        articles.append(
            Article(
                id=i,
                url=a.url_path,
                title=a.title,
                text=text,
                sentences=split_sentences(text),
                outlet=a.outlet,
                published=a.published.astimezone(dt.UTC),
            )
        )
    return [a.id for a in corpus], articles, [a.story for a in corpus]


def _across(predicted: Sequence[str], gold: Sequence[str], languages: Sequence[str]) -> PRF:
    together = found = true = 0
    for i, j in itertools.combinations(range(len(gold)), 2):
        if languages[i] == languages[j]:
            continue
        same_pred, same_gold = predicted[i] == predicted[j], gold[i] == gold[j]
        found += same_pred
        true += same_gold
        together += same_pred and same_gold
    # No pair predicted across languages makes no false claim: precision 1 by convention.
    return PRF(together / found if found else 1.0, together / true if true else 1.0)


def measure(
    embedder: Embedder, crosslingual: Embedder | None, params: ClusterParams | None = None
) -> Scores:
    ids, articles, gold = corpus_articles()
    features = article_features(articles, embedder, crosslingual)
    predicted = run_clusterer(params or ClusterParams(), features)
    languages = [f.language or "?" for f in features]
    per_language = {}
    for language in sorted(set(languages)):
        idx = [i for i, lang in enumerate(languages) if lang == language]
        per_language[language] = bcubed([predicted[i] for i in idx], [gold[i] for i in idx])
    return Scores(
        bcubed=bcubed(predicted, gold),
        per_language=per_language,
        across=_across(predicted, gold, languages),
        languages=dict(zip(ids, languages, strict=True)),
        stories=dict(zip(ids, predicted, strict=True)),
    )


@dataclass(frozen=True)
class Margin:
    """How an article scored on arrival: against the story of its manifest story's earlier
    articles (None for the first), and against the best other story."""

    article: str
    own: float | None
    other: float
    other_story: str


def margins(
    embedder: Embedder, crosslingual: Embedder | None, languages: Sequence[str]
) -> list[Margin]:
    """Margins of the articles whose manifest story has a member in one of `languages`."""
    ids, articles, gold = corpus_articles()
    features = article_features(articles, embedder, crosslingual)
    watched = {g for g, f in zip(gold, features, strict=True) if f.language in languages}
    clusterer = Clusterer(ClusterParams(), [], {})
    truth: dict[str, str] = {}  # predicted story → the manifest story of its first article
    out = []
    for aid, story, f in zip(ids, gold, features, strict=True):
        scored = [
            (clusterer.score(f, s), truth[s.story_id]) for s in clusterer.candidates(f.published)
        ]
        if story in watched:
            own = [score for score, g in scored if g == story]
            others = [(score, g) for score, g in scored if g != story] or [(0.0, "-")]
            best = max(others)
            out.append(Margin(aid, max(own) if own else None, best[0], best[1]))
        assignment, _ = clusterer.assign(f)
        truth.setdefault(assignment.story_id, story)
    return out


def _row(name: str, prf: PRF, count: int | str) -> dict[str, object]:
    return {
        "scope": name,
        "articles": count,
        "P": round(prf.precision, 3),
        "R": round(prf.recall, 3),
        "F1": round(prf.f1, 3),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--embedder", help="the same-language embedder (default: the settings')")
    parser.add_argument(
        "--no-crosslingual", action="store_true", help="no multilingual embedding: anchors only"
    )
    parser.add_argument(
        "--margins",
        action="store_true",
        help="instead: each non-English story's article's score against its story and the best"
        " other one, on arrival",
    )
    args = parser.parse_args(argv)
    settings = Settings()
    if args.embedder:
        settings = settings.model_copy(update={"embedder": args.embedder})
    crosslingual = None if args.no_crosslingual else crosslingual_embedder(settings)
    if args.margins:
        found = margins(get_embedder(settings), crosslingual, ("de", "fr"))
        print(json.dumps([dataclasses.asdict(m) for m in found], indent=1))
        return 0
    scores = measure(get_embedder(settings), crosslingual)
    counts = {lang: list(scores.languages.values()).count(lang) for lang in scores.per_language}
    rows = [_row("all (B-cubed)", scores.bcubed, len(scores.languages))]
    rows += [
        _row(f"{lang} (B-cubed)", prf, counts[lang]) for lang, prf in scores.per_language.items()
    ]
    rows.append(_row("across languages (pairs)", scores.across, "-"))
    print(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
