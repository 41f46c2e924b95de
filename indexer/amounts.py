"""Swedish numbers and amounts: "12,5 mnkr", "1 899,0", "13 mdkr", "-7,0", "80 mkr"."""

from __future__ import annotations

import re

from .records import Amount

# A Swedish number: optional sign, groups of three separated by spaces, decimal comma.
NUMBER = r"[-–]?\d{1,3}(?: \d{3})+(?:,\d+)?|[-–]?\d+(?:,\d+)?"
_NUMBER = re.compile(rf"^(?:{NUMBER})$")

# Unit → factor to mnkr. "miljoner kronor" and "miljarder kronor" spelled out count too.
_UNITS = {
    "mnkr": 1.0, "mkr": 1.0, "mn kr": 1.0, "miljoner kronor": 1.0, "miljoner": 1.0,
    "mdkr": 1000.0, "mdr kr": 1000.0, "miljarder kronor": 1000.0, "miljarder": 1000.0,
    "tkr": 0.001, "tusen kronor": 0.001,
}
_AMOUNT = re.compile(
    rf"(?<![\d,])({NUMBER})\s*(mnkr|mkr|mn kr|mdkr|mdr kr|tkr|miljoner kronor|miljarder kronor|tusen kronor"
    r"|miljoner(?= kr)|miljarder(?= kr))(?![\wåäö])",
    re.IGNORECASE,
)


def parse_number(text: str) -> float | None:
    """"1 234,5" → 1234.5; "-7,0" → -7.0; anything else → None."""
    text = text.strip().replace("–", "-")
    if not _NUMBER.match(text):
        return None
    return float(text.replace(" ", "").replace(",", "."))


def find_amounts(text: str) -> list[Amount]:
    """Amounts whose unit is written out, converted to mnkr."""
    found = []
    for m in _AMOUNT.finditer(text):
        value = parse_number(m.group(1))
        if value is not None:
            found.append(Amount(m.group(0), round(value * _UNITS[m.group(2).lower()], 6)))
    return found


_VALUE = re.compile(rf"^({NUMBER})\s*(%|st|kr|tkr|mnkr|mdkr|dagar|år|timmar|index|procent)?$", re.IGNORECASE)


def parse_value(text: str) -> tuple[float, str | None] | None:
    """A table cell as printed ("2,5 %", "9 000 st", "86") → (number, unit), else None."""
    m = _VALUE.match(text.strip())
    if not m:
        return None
    return parse_number(m.group(1)), (m.group(2) or None)
