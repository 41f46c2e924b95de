"""What a Swedish question asks for: the expected answer type, read from its question words."""

from __future__ import annotations

import re

# (pattern on the start of the question, answer type); first match wins.
_TYPES = [
    (r"hur (mycket|stort|stora|dyr)|vad (kostar|kostade|väntas .* kosta|beräknas .* kosta)|till vilket belopp", "amount"),
    (r"hur många|hur stor andel|vilken andel", "count"),
    (r"när|sedan när|vilket datum|vilket år", "date"),
    (r"uppfylls|uppfylldes|nåddes|nås|klarade|har .* (uppnåtts|genomförts)|genomfördes|blev .* klar", "status"),
    (r"varför|av vilken anledning", "reason"),
    (r"vilka|vilken|vilket|vem|vilka", "name"),
]
_AMOUNT = re.compile(r"\d[\d ]*(,\d+)?\s*(mnkr|mkr|mdkr|tkr|kr|kronor|miljoner|miljarder|%|procent)", re.IGNORECASE)
_NUMBER = re.compile(r"\b\d[\d ]*(,\d+)?\b")
_DATE = re.compile(r"\b(19|20)\d\d(-\d\d-\d\d)?\b")
_STATUS = re.compile(r"\b(uppfylls|uppnås|uppnåddes|nås|genomförs|avvikelse|avstannat|försenat|inte)\b", re.IGNORECASE)


def answer_type(question: str) -> str | None:
    q = question.strip().lower()
    for pattern, kind in _TYPES:
        if re.match(rf"^(?:{pattern})\b", q):
            return kind
    return None


def carries(kind: str | None, text: str) -> bool:
    """Whether a text holds something of the expected answer type."""
    if kind == "amount":
        return bool(_AMOUNT.search(text))
    if kind == "count":
        return bool(_NUMBER.search(text))
    if kind == "date":
        return bool(_DATE.search(text))
    if kind == "status":
        return bool(_STATUS.search(text))
    return False
