"""Synonyms (swedish.SYNONYMS): wording that differs from the question's (höjning ↔ ökning,
klotter ↔ graffiti) still finds the passage, at a lower weight."""

from __future__ import annotations

from ..swedish import SYNONYMS


def groups() -> tuple[frozenset[str], ...]:
    return tuple(group.words for group in SYNONYMS)


def synonyms_of(forms: set[str] | frozenset[str]) -> set[str]:
    """The other words of every group that one of these forms (a word, its lemma) belongs to."""
    out: set[str] = set()
    for group in groups():
        if group & forms:
            out |= group
    return out - set(forms)
