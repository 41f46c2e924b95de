"""OCH/ELLER/INTE (and AND/OR/NOT) in a query: written in capitals they are operators, in lower
case they are words of the text ("skola eller förskola" as a phrase would be written), and the
page asks whether the operator was meant."""

from __future__ import annotations

import re

from .questions import is_question

# Each operator in both languages, as Whoosh's parser names it. INTE subtracts (ANDNOT): a plain
# NOT in an OR group would only add the passages without the word.
OPERATORS = {"OCH": "AND", "AND": "AND", "ELLER": "OR", "OR": "OR", "INTE": "ANDNOT", "NOT": "ANDNOT"}
_NAMES = frozenset(OPERATORS.values())
_OPERATOR = re.compile(rf"\b(?:{'|'.join(OPERATORS)})\b")
# A lowercase word that is an operator in capitals, as the hint writes it.
_MEANT = {"eller": "ELLER", "or": "ELLER", "and": "OCH", "not": "INTE"}
# A quoted phrase (or a lone quote), a bracket, or a run of anything else.
_TOKEN = re.compile(r'"[^"]*"|"|[()]|[^\s()"]+')


class OperatorError(ValueError):
    """An operator without a word on a side it needs one; the message says so in Swedish."""


def count(text: str) -> int:
    """How many operators a query holds."""
    return len(_OPERATOR.findall(text))


def whoosh_operators(text: str) -> str:
    """The query in Whoosh's syntax: operators in capitals translated ("OCH INTE" is one ANDNOT).
    An operator needs a word on each side: "OCH" alone or a leading "INTE" is refused rather
    than searched as the word "and" or "andnot"."""
    tokens = _TOKEN.findall(text)
    out: list[str] = []
    for i, token in enumerate(tokens):
        op = OPERATORS.get(token)
        if op is None:
            out.append(token)
            continue
        if op == "ANDNOT" and out and out[-1] == "AND":  # OCH INTE
            out.pop()
        after = tokens[i + 1] if i + 1 < len(tokens) else ")"
        if (not out or out[-1] in _NAMES or out[-1] == "(" or after == ")"
                or after in OPERATORS and not (op == "AND" and OPERATORS[after] == "ANDNOT")):
            raise OperatorError(f"har ”{token}”, som behöver ett sökord på var sida, som i: skola {token} förskola "
                                "(OCH, ELLER och INTE med versaler binder ihop sökord)")
        out.append(op)
    return " ".join(out)


def operator_hint(q: str) -> str | None:
    """For a keyword query holding a lowercase operator word between two words ("budget eller
    skola"): the query with the operator in capitals, which the page offers ("Menade du …?")."""
    if is_question(q):
        return None
    tokens = _TOKEN.findall(q)
    changed = False
    for i in range(1, len(tokens) - 1):
        meant = _MEANT.get(tokens[i])
        if meant and tokens[i - 1] not in "()" and tokens[i + 1] not in "()":
            tokens[i] = meant
            changed = True
    return " ".join(tokens) if changed else None
