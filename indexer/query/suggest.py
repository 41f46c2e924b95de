""""Menade du …": words of a query that the index knows in no form — not as written, not
inflected, not with å/ä/ö — replaced by the nearest word of the index's own vocabulary."""

from __future__ import annotations

import re

from ..store.engine import Engine


def suggest(searcher: Engine, q: str, unknown: list[str]) -> str | None:
    """The query with each unknown word replaced by its nearest indexed word; None when there is
    nothing near."""
    out = q
    changed = False
    for word in unknown:
        low = word.lower()
        if len(low) < 3 or not low.isalpha():
            continue
        # The first two letters are taken as typed: it keeps the search for neighbours small.
        candidates = searcher.suggest("words", low, limit=1, maxdist=2 if len(low) > 5 else 1, prefix=2)
        if candidates and candidates[0] != low:
            out = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", candidates[0], out, count=1)
            changed = True
    return out if changed else None
