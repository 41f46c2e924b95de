"""Swedish numbers and amounts: "12,5 mnkr", "1 899,0", "13 mdkr", "-7,0", "80 mkr"."""

from __future__ import annotations

import re

from ..patterns import MONEY_UNITS, NUMBER, VALUE_UNITS
from ..records import Amount

_NUMBER = re.compile(rf"^(?:{NUMBER})$")
# Longest unit first, so "miljoner kronor" wins over "miljoner"; bare "miljoner" only before "kr".
_MONEY = "|".join(re.escape(u) if " " in u or u not in ("miljoner", "miljarder") else f"{u}(?= kr)"
                  for u in sorted(MONEY_UNITS, key=len, reverse=True))
_AMOUNT = re.compile(rf"(?<![\d,])({NUMBER})\s*({_MONEY})(?![\wåäö])", re.IGNORECASE)


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
            found.append(Amount(m.group(0), round(value * MONEY_UNITS[m.group(2).lower()], 6)))
    return found


_VALUE = re.compile(rf"^({NUMBER})\s*({'|'.join(map(re.escape, VALUE_UNITS))})?$", re.IGNORECASE)


def parse_value(text: str) -> tuple[float, str | None] | None:
    """A table cell as printed ("2,5 %", "9 000 st", "86") → (number, unit), else None."""
    m = _VALUE.match(text.strip())
    if not m:
        return None
    return parse_number(m.group(1)), (m.group(2) or None)
