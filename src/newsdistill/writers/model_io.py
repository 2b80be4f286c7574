"""What the model writers' jobs share (writers.llm, writers.compose): how disagreements are
quoted to the model, and how its JSON answers are read."""

from __future__ import annotations

import json
from typing import Any

from newsdistill.models import Disagreement

# A lede or headline is read the same way in either mode.
MAX_LEDE_WORDS = 50
MAX_HEADLINE_WORDS = 14


class Rejected(Exception):
    """The model's answer is malformed or changes facts; the message says why."""


def dispute_payload(disputes: list[Disagreement]) -> list[dict[str, Any]]:
    return [
        {"fact": d.fact, "values": [{"value": v.display, "outlets": v.outlets} for v in d.values]}
        for d in disputes
    ]


def parse_object(raw: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        raise Rejected("the reply was not valid JSON") from None
    if not isinstance(data, dict):
        raise Rejected("the reply must be a JSON object")
    return data


def field(data: dict[str, Any], key: str) -> object:
    if key not in data:
        raise Rejected(f'the reply must be a JSON object with the field "{key}"')
    return data[key]


def text_of(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Rejected(f"{what} must be a non-empty string")
    return " ".join(value.split())


def sentence_of(value: object, what: str) -> str:
    """A non-empty string, ending like a sentence."""
    out = text_of(value, what)
    return out if out[-1] in ".!?\"'”’" else out + "."


def at_most(value: str, most: int, what: str) -> str:
    if len(value.split()) > most:
        raise Rejected(f"the {what} has more than {most} words")
    return value
