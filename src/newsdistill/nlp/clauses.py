"""A sentence's coordinated clauses, each as a sentence of its own, for checking one by one.

"The company reported a decline in sales and guided for $5bn in 2023" makes two claims. Asked
about the whole sentence, a small model lets the true half carry the false one; asked about
each half, it does not (docs/evaluation.md). The split follows spaCy's dependency parse: the
main verb and the verbs conjoined to it, each with its own words, and with the main verb's
subject when it has none of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsdistill.nlp.entities import spacy_pipeline

if TYPE_CHECKING:
    from spacy.tokens import Token

_VERBS = ("VERB", "AUX")
_SUBJECTS = ("nsubj", "nsubjpass")


def _conjoined(root: Token) -> list[Token]:
    """The root and every verb conjoined to it, directly or through another."""
    verbs, stack = [root], [root]
    while stack:
        for child in stack.pop().children:
            if child.dep_ == "conj" and child.pos_ in _VERBS:
                verbs.append(child)
                stack.append(child)
    return verbs


def clauses(sentence: str) -> list[str]:
    """The sentence's clauses, or [] when it has fewer than two (then it is checked whole)."""
    doc = spacy_pipeline("lemmatizer", "ner")(sentence)
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ not in _VERBS:
        return []
    verbs = _conjoined(root)
    if len(verbs) < 2:
        return []
    others = set(verbs[1:])
    subject = [t for c in root.children if c.dep_ in _SUBJECTS for t in c.subtree]
    out = []
    for verb in verbs:
        # The verb's words without the clauses conjoined to it and the "and" or comma between.
        skip: set[int] = set()
        for child in verb.children:
            if child in others:
                skip |= {t.i for t in child.subtree}
            if child.dep_ == "cc" or (child.dep_ == "punct" and child.i < len(doc) - 1):
                skip.add(child.i)
        tokens = {t for t in verb.subtree if t.i not in skip}
        if verb is not root and not any(c.dep_ in _SUBJECTS for c in verb.children):
            tokens |= set(subject)
        text = "".join(t.text_with_ws for t in sorted(tokens, key=lambda t: t.i))
        out.append(text.strip().rstrip(",;:.").rstrip() + ".")
    return out
