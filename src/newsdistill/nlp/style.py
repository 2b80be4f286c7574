"""How a sentence reads on its own: whether it leans on the sentence before it, whether it is in
the plain register of a wire report, and a headline-style phrase cut from it.

These are the writer's rules for choosing sentences and the readability measure's rules for
counting faults (`newsdistill.evaluation.readability`): one definition of each fault.
Everything here is surface patterns: cheap enough to run on every candidate sentence of a story.
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = [
    "Register",
    "conditional",
    "event_phrase",
    "flesch_reading_ease",
    "leans_on_previous",
    "news_title",
    "outside_quotes",
    "register_of",
    "syllables",
]

Register = Literal["plain", "hype", "shouting", "exclamation", "outlet voice"]
#: Registers that are never published as our own sentence.
OFF_REGISTER: frozenset[Register] = frozenset({"shouting", "exclamation", "outlet voice"})

_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]|‘[^’]*’(?!\w)")
_OPENERS = re.compile(
    r"^(?:but|however|and|also|meanwhile|still|yet|instead|moreover|furthermore|nevertheless|"
    r"nonetheless|even so|in addition|as a result|besides|likewise|similarly|indeed|then|thus|"
    r"therefore|otherwise|so|this|these|those|that|such|both|neither|either|another|others|"
    r"it|its|he|she|they|his|her|their|him|them|the latter|the former|the two|the pair|"
    r"the three|the couple|the same)\b",
    re.I,
)
# "The 21-year-old came off the bench", "The move comes after …": a definite description
# whose referent the previous sentence named.
_BACK_REFERENCE = re.compile(
    r"^the\s+(?:\d+-year-old|man|woman|boy|girl|victim|suspect|pair|couple|latter|former)\b|"
    r"^the\s+(?:move|decision|announcement|comments?|remarks?|statement|incident|attack|cut|"
    r"deal|change|plan|news|report|findings?|figures?|ruling|step|measure|news)\s+"
    r"(?:comes?|came|follows?|followed|means?|meant|is|was|marks?|marked|has|had|will|would|"
    r"could|sparked|prompted|drew|puts?|leaves?|left)\b",
    re.I,
)
_ALSO_EARLY = re.compile(r"^(?:\S+\s+){1,5}?(?:also|too|as well|again)\b", re.I)
_LEADING_PHRASE = re.compile(r"^[^,]{2,40},\s+")
_SINGULAR_PERSON = re.compile(r"\b(?:he|she|him|his|her)\b", re.I)
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:[-'’][A-Za-z]+)?\b")
_CALENDAR = re.compile(
    r"^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
    r"April|May|June|July|August|September|October|November|December|On|In|At|After|Before|"
    r"When|While|As|Asked|Speaking|Later|Earlier|The|A|An|Yesterday|Today|Last|Late|Early|"
    r"Meanwhile|But|And|However|Also|For|With|By|From|During|Since|Until|Although|Though|If)$"
)


def outside_quotes(sentence: str) -> str:
    """The sentence with quoted passages blanked out: what the outlet itself says."""
    return _QUOTED.sub(lambda m: " " * len(m.group()), sentence)


def leans_on_previous(sentence: str) -> bool:
    """Whether the sentence needs the one before it to be understood: it opens with a
    connective or a pronoun ("But he warned…", "Both have argued…"), refers back with a
    definite description ("The 21-year-old…", "The move comes after…"), says "also" early,
    or names a person only as "he"/"she" ('"We are ready," he said.')."""
    text = sentence.strip().lstrip("\"'“‘(")
    if not text or text[0].islower():
        return True  # a fragment the splitter cut from its sentence
    own = outside_quotes(sentence).strip()
    opening = _LEADING_PHRASE.sub("", own, count=1) if own else own
    for part in {own, opening}:
        if _OPENERS.match(part) or _BACK_REFERENCE.match(part):
            return True
    if _ALSO_EARLY.match(own):
        return True
    person = _SINGULAR_PERSON.search(own)
    if person:
        before = own[: person.start()]
        if not any(not _CALENDAR.match(w) for w in _CAPITALISED.findall(before)):
            return True
    return False


_SHOUT_WORD = re.compile(r"\b[A-Z][A-Z'’]{6,}\b|\b[A-Z]{2,}-[A-Z]{2,}\b")
_SHOUT_RUN = re.compile(r"\b[A-Z]{3,}\s+[A-Z]{2,}\b")
_OUTLET_VOICE = re.compile(
    r"\b(?:we|our|ours|us|me|my)\b|\bI\b(?!['’.-])|"
    r"\bthis (?:newspaper|paper|website|site|column)\b|\b(?:our|dear) readers?\b|\byou\b",
    re.I,
)
_HYPE = re.compile(
    r"\b(?:slash\w*|chaos|chaotic|terror|terrified|terrifying|horror|horrific|inferno|shock\w*|"
    r"dramatic\w*|sensational|stunning|stunned|fury|furious|outrage\w*|bombshell|heroes|hero|"
    r"carnage|nightmare|misery|heartbreak\w*|brutal|wild scenes|fireball|hell|meltdown|"
    r"mayhem|frenzy|devastat\w*|jaw-dropping|incredible|unbelievable|epic|blasted|slammed|"
    r"axed|sunk|rocked|fled for their lives)\b",
    re.I,
)


def register_of(sentence: str, outlet: str | None = None) -> Register:
    """The register of what the outlet itself says (quotations are the speakers' words):
    "shouting" (words in capitals), "exclamation", "outlet voice" (we, our readers, "the Flash
    will be watching"), "hype" (tabloid vocabulary), or "plain"."""
    own = outside_quotes(sentence)
    if _SHOUT_WORD.search(own) or _SHOUT_RUN.search(own):
        return "shouting"
    if "!" in own:
        return "exclamation"
    if _OUTLET_VOICE.search(own.replace("US", "")) or _names_itself(own, outlet):
        return "outlet voice"
    if _HYPE.search(own):
        return "hype"
    return "plain"


def _names_itself(own: str, outlet: str | None) -> bool:
    """'…, and the Flash will be watching': an outlet speaking of itself by its short name."""
    if not outlet:
        return False
    short = outlet.split()[-1]
    if len(short) < 3:
        return False
    return re.search(rf"\bthe {re.escape(short)}\b(?! of)", own) is not None


_NOT_NEWS_TITLE = re.compile(
    r"^(?:what|how|why|who|when|where|analysis|explainer|explained|comment|opinion|view|"
    r"editorial|live|watch|q&a|quiz|letters?)\b|\?|\bexplained\b|\banalysis:",
    re.I,
)


def news_title(title: str) -> bool:
    """A title that reports news ("Two arrested over factory fire"), not an explainer's or a
    column's ("What the new rent cap means for tenants", "Analysis: …")."""
    return _NOT_NEWS_TITLE.search(title.strip().strip("\"“”'")) is None


_CONDITIONAL = re.compile(r"^(?:if|unless|should)\b|,\s+if\s+|\bin the event that\b", re.I)


def conditional(sentence: str) -> bool:
    """'If Athletic win, the club plans a parade': a development that may never happen."""
    return _CONDITIONAL.search(outside_quotes(sentence)) is not None


# --- headline-style phrases for timeline rows ----------------------------------------------

_LEADING_TIME = re.compile(
    r"^(?:on|by|late on|early on|earlier on|late|early|earlier|later)\s+[^,]{3,30},\s*|"
    r"^(?:yesterday|today|tonight|on \w+day),?\s*",
    re.I,
)
_ATTRIBUTION_TAIL = re.compile(
    r",\s+(?:(?:the|a|an)\s+)?[^,]{2,60}?\s+(?:said|says|told \w+|reported|announced|confirmed)"
    r"(?:\s+[^,]{2,25})?\s*\.?$|,\s+according to [^,]+\.?$",
    re.I,
)
# Relative clauses, brackets and appositions (", a retired judge, said"): asides a label drops.
_ASIDE = re.compile(
    r",\s+(?:who|which|where|whose)\b[^,]*,|\s+\([^)]*\)|"
    r",\s+[^,]{2,40}?,(?=\s+(?:has|have|had|was|were|is|are|said|will)\b)"
)
_CLAUSE_CUT = re.compile(
    r",\s+(?:and|but|while|as|after|before|when|which|with|sparking|leaving|bringing|"
    r"prompting|saying|adding)\b|\s+(?:when|while|after|before|because|as|amid|despite|"
    r"following|since|until|in what|so that)\s+|;\s+|\s+[-–—]\s+",
    re.I,
)
_DAY_PART = r"(?:morning|evening|night|afternoon)"
_DAYS = r"\w+day(?:\s+(?:or|and)\s+\w+day)?"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_CALENDAR_DAY = rf"{_MONTH} \d{{1,2}}(?:,? \d{{4}})?|\d{{1,2}} {_MONTH}(?: \d{{4}})?"
# Time phrases after a preposition ("on Wednesday afternoon", "by this evening"): a label
# drops them (the row's date column says when). Bare ones ("spent this morning visiting")
# may be objects, and stay.
_TIME_PHRASE = re.compile(
    rf"\s+(?:(?:early|late|earlier|later)\s+)?(?:on|by|from|at|until|since)\s+"
    rf"(?:(?:{_DAYS}),?\s+(?:{_CALENDAR_DAY})|{_DAYS}|{_CALENDAR_DAY}|(?:this|last|next|the)\s+(?:weekend|week|day|{_DAY_PART}))"
    rf"(?:\s+{_DAY_PART})?(?=[\s,.;]|$)|\s+(?:yesterday|today|tonight|tomorrow)"
    rf"(?:\s+{_DAY_PART})?$",
    re.I,
)
_REPORTED = re.compile(
    r"^[^,\"“]{3,80}?\b(?:said|says|told [^,]{2,60}?|announced|confirmed|warned)\s+that\s+(.+)$"
)
_PREPOSITION = re.compile(
    r"\s+(?:in|at|on|to|for|from|with|by|over|into|after|during|against|near|under|amid)\s+",
    re.I,
)
# "At a packed meeting in the Miners' Institute, X said …": the scene-setting opener goes.
_LEADING_SCENE = re.compile(
    r"^(?:in|at|on|for|from|with|by|after|during|amid|before|following|speaking)\s+[^,]{2,60},\s+",
    re.I,
)
# A phrase ending on one of these was cut mid-clause.
FUNCTION_WORD_END = re.compile(
    r"\b(?:the|a|an|of|to|in|on|at|by|for|with|and|or|but|that|from|as|its|their|his|her|"
    r"would|will|could|should|has|have|had|is|are|was|were|be|been|not|than|said|says)$",
    re.I,
)
_VERB_HINT = re.compile(
    r"\b\w+(?:ed|es)\b|\b(?:is|are|was|were|has|have|had|will|win|wins|won|cut|cuts|set|sets|"
    r"hit|hits|put|puts|quit|quits|held|hold|holds|kill|kills|led|lead|leads|sank|sink|sinks|"
    r"beat|beats|rose|fell|falls|rise|rises|struck|strike|strikes|shook|shake|shakes|took|"
    r"take|takes|made|make|makes|gave|give|gives|begin|begins|began|left|leave|leaves|met|"
    r"meet|meets|say|says|said|lost|lose|loses|found|find|finds|ran|run|runs|went|go|goes|"
    r"arrest\w*|approv\w*|pass\w*|open\w*|close\w*|announc\w*|launch\w*|order\w*|vot\w*)\b",
    re.I,
)
MAX_PHRASE_WORDS = 12


def event_phrase(sentence: str, max_words: int = MAX_PHRASE_WORDS) -> str | None:
    """A headline-style phrase for a timeline row, cut from the sentence at clause and phrase
    boundaries only, so that every word of it is the sentence's own and it ends where a clause
    or phrase ends: "Police arrested two men on suspicion of gross negligence manslaughter" from
    "Estavian police on Wednesday arrested two men …, a spokesman said." None when nothing of
    the sentence stands alone in `max_words` (a label is never a sentence cut mid-clause)."""
    text = re.split(r"\s*[\"“‘]", sentence, maxsplit=1)[0].rstrip(" ,:")  # never into a quote
    text = _LEADING_TIME.sub("", text.rstrip(".!?"))
    text = _LEADING_SCENE.sub("", text)
    text = _TIME_PHRASE.sub("", text)
    reported = _REPORTED.match(text)
    if reported:  # "X told the Assembly that the inquiry would …": the news is what was told
        text = reported.group(1)
    text = _ATTRIBUTION_TAIL.sub("", text)
    text = _ASIDE.sub("", text)
    for _ in range(6):  # keep the main clause, then its leading phrases, until it fits
        if len(text.split()) <= max_words:
            break
        boundary = next(
            (m for m in _CLAUSE_CUT.finditer(text) if _VERB_HINT.search(text[: m.start()])), None
        )
        if boundary is None and "," in text:
            text = text[: text.rindex(",")]
            continue
        if boundary is None:
            cuts = [m for m in _PREPOSITION.finditer(text) if _VERB_HINT.search(text[: m.start()])]
            if not cuts:
                break
            boundary = cuts[-1]
        text = text[: boundary.start()]
    text = text.strip(" ,;:")
    words = text.split()
    if not (3 <= len(words) <= max_words) or FUNCTION_WORD_END.search(text):
        return None
    if not _VERB_HINT.search(text) or text.count("(") != text.count(")"):
        return None
    if _PREPOSITION.match(" " + text + " "):  # "At a packed meeting in …": no subject
        return None
    return text[:1].upper() + text[1:]


# --- reading ease ---------------------------------------------------------------------------
# textstat would do this, but it reads English syllables from NLTK's cmudict, which it
# downloads at first use (impossible offline); the vowel-group estimate is the usual fallback.

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """English syllables by vowel groups, a silent final e dropped."""
    w = word.lower()
    count = len(_VOWEL_GROUPS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(count, 1)


def flesch_reading_ease(sentences: list[str]) -> float | None:
    """Flesch reading ease (206.835 − 1.015 words/sentence − 84.6 syllables/word); higher
    reads easier, 30–50 is a broadsheet's level. None for no words."""
    words = [w for s in sentences for w in _WORD.findall(s)]
    if not words or not sentences:
        return None
    per_sentence = len(words) / len(sentences)
    per_word = sum(map(syllables, words)) / len(words)
    return 206.835 - 1.015 * per_sentence - 84.6 * per_word
