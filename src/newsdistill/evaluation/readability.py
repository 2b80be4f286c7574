"""How well digests read as news stories, counted per digest and summed per writer.

Faults counted (each a share of the digest's sentences, or a count where it should be zero):
- **dangling openers**: a sentence that leans on the one before it in its article ("But he
  warned…", see `nlp.style.leans_on_previous`) printed without that sentence right before it;
- **off-register** sentences: shouting, exclaiming or an outlet's own voice (`nlp.style`);
- **cluttered attributions**: three or more outlets named inline in one sentence;
- **repeated facts**: a sentence of the story that says again what an earlier one said, or a
  disagreement note given twice;
- **cut event labels**: a key-developments label that is a sentence cut off (an ellipsis, more
  than 12 words, ending on a function word) or the whole details sentence again;
and, for reading ease, Flesch reading ease and words per sentence over the story's sentences.

The fault definitions are the writer's own rules (one definition of each), applied here to any
writer's digests: the model writers' wordings are measured by the same yardstick.
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from newsdistill.config import Settings
from newsdistill.errors import InputError, NewsdistillError
from newsdistill.evaluation.datasets import FIRST_PUBLISHED, documents, read_jsonl
from newsdistill.models import Claim, Digest
from newsdistill.nlp.quantities import extract_quantities
from newsdistill.nlp.style import (
    FUNCTION_WORD_END,
    MAX_PHRASE_WORDS,
    OFF_REGISTER,
    flesch_reading_ease,
    leans_on_previous,
    register_of,
)
from newsdistill.nlp.text import similarity

SAME_STATEMENT = 0.6  # TF-IDF cosine above which two sentences of a story say the same
_ELLIPSIS = re.compile(r"(?:…|\.\.\.)\s*$")


@dataclass
class DigestReadability:
    """The fault counts of one digest."""

    story_id: str
    sentences: int  # every sentence a reader meets: the story, the summary, the key points
    story_sentences: int  # the story's own (lede, sections, path ahead), for reading ease
    words: int
    dangling: list[str] = field(default_factory=list)
    off_register: list[str] = field(default_factory=list)
    cluttered: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)
    cut_labels: list[str] = field(default_factory=list)
    reading_ease: float | None = None


def _own_words(claim: Claim) -> str:
    """The claim without the "according to …" that assembly added (that is ours, not the
    source's voice: "According to X: HOMEOWNERS…" is still a shouting sentence)."""
    who = claim.attribution
    text = claim.text
    if who is None:
        return text
    suffix = f", according to {who}."
    if text.endswith(suffix):
        return text.removesuffix(suffix) + "."
    return text.removeprefix(f"According to {who}: ")


def _story(digest: Digest) -> list[Claim]:
    """The sentences a reader reads as the story, in order: lede, sections, path ahead."""
    return digest.body()


def _dangling(claims: Sequence[Claim]) -> list[str]:
    """Leaning sentences whose antecedent (the sentence before it in its article) is not the
    claim printed right before it."""
    out = []
    for k, claim in enumerate(claims):
        if claim.origin == "code" or not leans_on_previous(_own_words(claim)):
            continue
        before = {(c.article_id, c.sentence) for c in claims[k - 1].citations} if k else set()
        antecedents = {
            (c.article_id, c.sentence - 1) for c in claim.citations if c.sentence is not None
        }
        if not antecedents & before:
            out.append(claim.text)
    return out


def _cluttered(claim: Claim, outlets: Iterable[str]) -> bool:
    """Three or more outlets listed one after another ("A, B and C") in a sentence."""
    names = sorted(set(outlets), key=len, reverse=True)
    if len(names) < 3:
        return False
    name = "(?:" + "|".join(map(re.escape, names)) + ")"
    return re.search(rf"{name}(?:,\s*{name})+,?\s+(?:and|or)\s+{name}", claim.text) is not None


def _repeated(claims: Sequence[Claim]) -> list[str]:
    """Story sentences that say what an earlier one said: most of the same words, or two of
    the same amounts; and disagreement notes given twice."""
    texts = [_own_words(c) for c in claims]
    sims = similarity(texts)
    amounts = [
        {f"{q.kind}:{q.value:g}:{q.unit or ''}" for q in extract_quantities(t)} for t in texts
    ]
    out = []
    for i in range(len(texts)):
        for j in range(i):
            if sims[i, j] >= SAME_STATEMENT or len(amounts[i] & amounts[j]) >= 2:
                out.append(claims[i].text)
                break
    return out


def cut_label(label: str, details: str) -> bool:
    """A timeline label that is a sentence cut off, or the whole sentence again."""
    text = label.strip()
    return (
        bool(_ELLIPSIS.search(text))
        or len(text.split()) > MAX_PHRASE_WORDS
        or bool(FUNCTION_WORD_END.search(text.rstrip(".,;:")))
        or text.rstrip(".") == details.strip().rstrip(".")
    )


def assess(digest: Digest) -> DigestReadability:
    story = _story(digest)
    outlets = [s.outlet for s in digest.sources]
    every = [*story, *digest.summary, *digest.key_points]
    sentences = [_own_words(c) for c in story if c.origin != "code"]
    return DigestReadability(
        story_id=digest.story_id,
        sentences=len(every),
        story_sentences=len(sentences),
        words=sum(len(t.split()) for t in sentences),
        dangling=_dangling(story) + _dangling(digest.summary),
        off_register=[
            c.text
            for c in every
            if c.origin != "code" and register_of(_own_words(c)) in OFF_REGISTER
        ],
        cluttered=[c.text for c in every if _cluttered(c, outlets)],
        repeated=_repeated(story),
        cut_labels=[k.event for k in digest.key_developments if cut_label(k.event, k.details.text)],
        reading_ease=flesch_reading_ease(sentences),
    )


@dataclass
class WriterReadability:
    """Faults summed over one writer's digests: the row of the readability table."""

    writer: str
    digests: list[DigestReadability] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        sentences = sum(d.sentences for d in self.digests) or 1
        story_sentences = [d for d in self.digests if d.reading_ease is not None]

        def share(name: str) -> float:
            return sum(len(getattr(d, name)) for d in self.digests) / sentences

        def total(name: str) -> int:
            return sum(len(getattr(d, name)) for d in self.digests)

        return {
            "writer": self.writer,
            "digests": len(self.digests),
            "sentences": sum(d.sentences for d in self.digests),
            "dangling openers": share("dangling"),
            "off-register": total("off_register"),
            "cluttered attributions": total("cluttered"),
            "repeated facts": total("repeated"),
            "cut labels": total("cut_labels"),
            "reading ease": (
                statistics.fmean(d.reading_ease for d in story_sentences if d.reading_ease)
                if story_sentences
                else None
            ),
            "words/sentence": (
                sum(d.words for d in self.digests)
                / max(sum(d.story_sentences for d in self.digests), 1)
            ),
        }

    def examples(self, limit: int = 3) -> dict[str, list[str]]:
        """A few faulty sentences of each kind, to show what was counted."""
        kinds = ("dangling", "off_register", "cluttered", "repeated", "cut_labels")
        return {k: [t for d in self.digests for t in getattr(d, k)][:limit] for k in kinds}


def readability(writer: str, digests: Iterable[Digest]) -> WriterReadability:
    return WriterReadability(writer, [assess(d) for d in digests])


def load_digests(paths: Sequence[Path]) -> list[Digest]:
    """Digests from JSON files (newsdistill's digest schema) or directories of them."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.json")))
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    digests = []
    for file in files:
        try:
            digests.append(Digest.model_validate(json.loads(file.read_text(encoding="utf-8"))))
        except (OSError, ValueError, ValidationError) as exc:
            reason = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
            raise InputError(f"{file}: not a newsdistill digest ({reason})") from None
    if not digests:
        raise InputError(f"no digest JSON files in {', '.join(map(str, paths))}")
    return digests


def digests_for_clusters(
    data: Path, writer: str, limit: int | None = None, settings: Settings | None = None
) -> tuple[list[Digest], list[str]]:
    """Digests written by `writer` for the clusters of a JSONL of {id, documents} (as `eval
    summarize` reads); with the clusters that failed, and why."""
    from newsdistill.nlp.embed import get_embedder
    from newsdistill.pipeline import make_distiller
    from newsdistill.writers import get_writer

    settings = settings or Settings()
    distiller = make_distiller(settings, get_embedder(), get_writer(writer, settings))
    digests, failed = [], []
    for item in read_jsonl(data, limit):
        try:
            digests.append(
                distiller.distill(f"eval-{item['id']}", documents(item), [], 1, FIRST_PUBLISHED)
            )
        except NewsdistillError as exc:
            failed.append(f"{item['id']}: {exc}")
    return digests, failed
