"""Verification: no digest sentence is published unless its sources support it."""

from newsdistill.verify.judge import Judge, get_judge, judge_names
from newsdistill.verify.verifier import Checked, SourcePool, Verifier

__all__ = ["Checked", "Judge", "SourcePool", "Verifier", "get_judge", "judge_names"]
