"""Verification: no digest sentence is published unless its sources support it."""

from newsdistill.verify import llm_judge, trained  # register the "llm" and "features" judges
from newsdistill.verify.judge import Judge, get_judge
from newsdistill.verify.verifier import Checked, SourcePool, Verifier

__all__ = ["Checked", "Judge", "SourcePool", "Verifier", "get_judge", "llm_judge", "trained"]
