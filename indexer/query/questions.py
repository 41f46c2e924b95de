"""What a Swedish question asks for: the expected answer type, read from its question words,
and what a value of each type looks like in the reports."""

from __future__ import annotations

import re

# (pattern on the start of the question, answer type); first match wins.
_TYPES = [
    (r"hur (mycket|stort|stora|dyr)|vad (kostar|kostade|väntas .* kosta|beräknas .* kosta)|till vilket belopp"
     r"|vilken (soliditet|budget|kostnad|summa)", "amount"),
    (r"hur många|hur stor andel|vilken andel", "count"),
    (r"när|sedan när|vilket datum|vilket år|från och med när", "date"),
    (r"uppfylls|uppfylldes|nåddes|nås|klarade|klarar|har .* (uppnåtts|genomförts)|genomfördes|blev .* klar"
     r"|vad hände|hur gick", "status"),
    (r"varför|av vilken anledning", "reason"),
    (r"vilka|vilken|vilket|vem", "name"),
]

_NUMBER = r"[-–]?(?:\d{1,3}(?: \d{3})+|\d+)(?:,\d+)?"
_NUMBER_WORDS = ("en|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|tretton|fjorton|femton|sexton|sjutton"
                 "|arton|nitton|tjugo|trettio|fyrtio|femtio|hundra|tusen")
_MONTHS = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"

VALUE_PATTERNS = {
    "amount": re.compile(
        rf"{_NUMBER}\s*(?:mnkr|mkr|mdkr|tkr|miljoner kronor|miljarder kronor|miljoner|miljarder|kronor|kr|procent|%)"
        rf"(?: per år)?|\b\d{{1,3}}(?: \d{{3}})+(?:,\d+)?\b", re.IGNORECASE),
    "count": re.compile(rf"\b(?:{_NUMBER}|{_NUMBER_WORDS})\b(?: (?:%|procent|st|[a-zåäö]{{3,}}))?", re.IGNORECASE),
    "date": re.compile(rf"\b\d{{4}}-\d\d-\d\d\b|\b\d{{1,2}} (?:{_MONTHS})(?: \d{{4}})?\b|\b(?:{_MONTHS}) \d{{4}}\b"
                       r"|\b(?:19|20)\d\d\b", re.IGNORECASE),
    "status": re.compile(r"Uppfylls (?:helt|delvis|inte)|\bAvvikelse\b|avstannat|försenat|pausats|vilande"
                         r"|inte (?:kunnat|genomförts|nåtts|uppnåtts)|har genomförts|uppnåtts|påbörjats|slutförts",
                         re.IGNORECASE),
    "reason": re.compile(r"(?:på grund av|eftersom|med anledning av|till följd av|beroende på|då)\s[^.;]+",
                         re.IGNORECASE),
    "name": re.compile(r"[A-ZÅÄÖ][\wåäö]+(?:-[A-ZÅÄÖ][\wåäö]+)*(?:(?:, | och )[A-ZÅÄÖ][\wåäö]+(?:-[A-ZÅÄÖ][\wåäö]+)*)*"),
}


def answer_type(question: str) -> str | None:
    q = question.strip().lower()
    for pattern, kind in _TYPES:
        if re.match(rf"^(?:{pattern})\b", q):
            return kind
    return None


def carries(kind: str | None, text: str) -> bool:
    """Whether a text holds a value of the expected answer type."""
    pattern = VALUE_PATTERNS.get(kind or "")
    return bool(pattern and pattern.search(text))
