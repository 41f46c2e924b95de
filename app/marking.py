"""The query's words marked in a report's text, as search matches them: a word is marked when its
own analysed forms (as written, its lemma, a compound with its last part in base form) meet a query
word's, so "2020" marks no 2021 and "trygghetsmedel" no "trygghetsutskottet".
A compound is marked for a query word that is one of its parts ("trygghet" in "trygghetsmedel"),
as search finds it; a part of a compound query word alone marks nothing, as it finds nothing."""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup, escape

from indexer.query.plan import Concept, concept
from indexer.store.analysis import TOKEN_PATTERN, TextAnalysis

TOKEN = re.compile(TOKEN_PATTERN)
# A query word with its sign and prefix star: `-ord`, `INTE ord`, `förskol*`.
QUERY_WORD = re.compile(rf"(?:(?<![\w-])(-))?({TOKEN_PATTERN})(\*?)")
OPERATORS = frozenset({"OCH", "ELLER", "INTE", "AND", "OR", "NOT"})
NEGATIONS = frozenset({"INTE", "NOT"})


def own_forms(c: Concept) -> frozenset[str]:
    """A word's forms, but not a verb the lemmatizer takes a noun for: a word that is its lemma
    less the final -a is a noun on the verb's stem (kost → kosta, plan → plana), never a form of
    the verb (kostar, kostade), so it marks and is marked as itself alone."""
    word = c.word.lower()
    return c.forms - {word + "a"}


def query_concepts(q: str, analysis: TextAnalysis) -> tuple[list[Concept], list[str]]:
    """The words a query looks for (not its operators, nor a word it excludes) and its prefixes."""
    words: list[Concept] = []
    prefixes: list[str] = []
    negated = False
    for m in QUERY_WORD.finditer(q):
        minus, word, star = m.groups()
        if word in OPERATORS:
            negated = word in NEGATIONS
            continue
        if not (minus or negated):
            if star:
                prefixes.append(word.lower())
            elif (c := concept(word, analysis)) is not None:
                words.append(c)
        negated = False
    return words, prefixes


def highlighter(q: str, analysis: TextAnalysis) -> Callable[[str], Markup]:
    """Marks the query's words in a text, escaped."""
    words, prefixes = query_concepts(q, analysis)
    if not (words or prefixes):
        return escape
    wanted = frozenset().union(*(own_forms(c) | c.synonyms for c in words))
    simple = frozenset().union(*(own_forms(c) for c in words if not c.parts))  # may stand as a compound's part
    verdicts: dict[str, bool] = {}

    def hit(token: str) -> bool:
        if token not in verdicts:
            low = token.lower()
            own = concept(token, analysis)
            verdicts[token] = any(low.startswith(p) for p in prefixes) or own is not None and bool(
                own_forms(own) & wanted or set(own.parts) & simple)
        return verdicts[token]

    def mark(text: str) -> Markup:
        out, last = [], 0
        for m in TOKEN.finditer(text):
            if hit(m.group()):
                out += [str(escape(text[last:m.start()])), f"<mark>{escape(m.group())}</mark>"]
                last = m.end()
        out.append(str(escape(text[last:])))
        return Markup("".join(out))

    return mark
