"""Closed word lists of English that several modules test words against.

One definition each, so that the verifier's features, the LLM rewording guard and the number
reader agree on what a stop word, a negation or a number word is. (TF-IDF clustering keeps
scikit-learn's own English stop list: its vectors were tuned with it.)
"""

from __future__ import annotations

import re

#: Function words, reporting verbs and vague quantifiers: words that carry no fact of their
#: own, so a claim may add or drop them without changing what it states.
STOPWORDS = frozenset(
    "a an the and or but of to in on at by for with from as is are was were be been being has "
    "have had it its this that these those he she him they them his her their we our you your "
    "i not no said says say told according report reports reported will would can could should "
    "may might also than then there here which who whom what when where while after before "
    "over into onto about up out off per via amid during since until more most some such other "
    "each both all any very just new least around now".split()
)

#: Words that negate what follows; "n't" contractions and "cannot" are negations too.
NEGATIONS = frozenset("not no never nor none nobody nothing neither without cannot".split())
NEGATION = re.compile(r"\b(?:" + "|".join(sorted(NEGATIONS)) + r"|\w+n['’]t)\b", re.IGNORECASE)

#: Cardinal number words and their values.
UNITS: tuple[str, ...] = tuple(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    " fifteen sixteen seventeen eighteen nineteen".split()
)
TENS: tuple[str, ...] = tuple("twenty thirty forty fifty sixty seventy eighty ninety".split())
CARDINALS: dict[str, int] = {w: i for i, w in enumerate(UNITS)} | {
    w: 10 * i for i, w in enumerate(TENS, start=2)
}
#: Words that multiply the number before them ("two hundred", "a dozen")...
MULTIPLIERS: dict[str, int] = {"dozen": 12, "hundred": 100}
#: ...and those that close a group of them ("two hundred thousand").
SCALES: dict[str, int] = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
