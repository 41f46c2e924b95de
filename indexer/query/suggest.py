""""Menade du …": words of a query that the index does not know, replaced by the nearest word
it does know."""

from __future__ import annotations

import re

from ..store.analysis import QUESTION_WORDS, STOPWORDS


def suggest(searcher, q: str) -> str | None:
    """"Menade du …": words of the query that the index does not know, replaced by the nearest
    indexed word. None when every word is known."""
    reader = searcher.reader()
    words = re.findall(r"[^\W\d_]{3,}", q)
    changed = False
    out = q
    for word in words:
        low = word.lower()
        if low in STOPWORDS or low in QUESTION_WORDS or reader.doc_frequency("words", low) > 0:
            continue
        # The first two letters are taken as typed: it keeps the search for neighbours small.
        candidates = searcher.suggest("words", low, limit=1, maxdist=2 if len(low) > 5 else 1, prefix=2)
        if candidates and candidates[0] != low:
            out = re.sub(rf"\b{re.escape(word)}\b", candidates[0], out, count=1)
            changed = True
    return out if changed else None
