"""Splitting coordinated clauses for clause-by-clause checking."""

from __future__ import annotations

from newsdistill.nlp.clauses import clauses


def test_conjoined_verbs_become_sentences_sharing_the_subject() -> None:
    assert clauses(
        "A mine collapse killed at least two people and left over 50 others missing."
    ) == [
        "A mine collapse killed at least two people.",
        "A mine collapse left over 50 others missing.",
    ]


def test_a_clause_with_its_own_subject_keeps_it() -> None:
    parts = clauses("The union called a strike, and the operator said talks would resume.")
    assert len(parts) == 2
    assert parts[0] == "The union called a strike."
    assert parts[1].startswith("the operator said talks would resume")


def test_a_single_clause_is_not_split() -> None:
    assert clauses("Three workers died in the fire on Monday.") == []
    assert clauses("Rescue teams and volunteers searched the rubble.") == []
    assert clauses("A quiet night.") == []
