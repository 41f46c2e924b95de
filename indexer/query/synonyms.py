"""The curated synonym list (indexer/data/synonyms.txt): wording that differs from the question's
(kostnad ↔ utgift, höjning ↔ ökning) still finds the passage, at a lower weight."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

SYNONYMS = Path(__file__).resolve().parent.parent / "data" / "synonyms.txt"


@lru_cache(maxsize=1)
def groups() -> tuple[frozenset[str], ...]:
    found = []
    for line in SYNONYMS.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            found.append(frozenset(w.strip().lower() for w in line.split(",") if w.strip()))
    return tuple(found)


def synonyms_of(forms: set[str] | frozenset[str]) -> set[str]:
    """The other words of every group that one of these forms (a word, its lemma) belongs to."""
    out: set[str] = set()
    for group in groups():
        if group & forms:
            out |= group
    return out - set(forms)
