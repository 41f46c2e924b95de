"""The product's own query type: what search and answers plan, and each engine translates.

Small on purpose: the node kinds the query plan, the structured syntax ("phrases", prefix*,
OCH/ELLER/INTE) and the list answers need. Words are index tokens (already analysed); a boost
multiplies a node's score. An engine that cannot run a node raises TypeError.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field, replace
from typing import Iterator, Protocol, Union


@dataclass(frozen=True)
class Term:
    """A token in a field (a whole value in an ID field, a number in a numeric one). `span`: where
    the word stands in the query text it was parsed from (the structured syntax), else None."""

    field: str
    text: str
    boost: float = 1.0
    span: tuple[int, int] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Phrase:
    """Tokens next to each other in order (`slop` 1), or within `slop` positions."""

    field: str
    words: tuple[str, ...]
    slop: int = 1
    boost: float = 1.0


@dataclass(frozen=True)
class Prefix:
    """Every indexed token beginning with `text` (prefix*)."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Wildcard:
    """Every indexed token matching a pattern of * and ?."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Range:
    """A number between `start` and `end`, both included (None: open)."""

    field: str
    start: int | None
    end: int | None
    boost: float = 1.0


@dataclass(frozen=True)
class And:
    children: tuple[Query, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Or:
    children: tuple[Query, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class AndMaybe:
    """`required` matches; `optional` only adds to the score where it matches too."""

    required: Query
    optional: Query
    boost: float = 1.0


@dataclass(frozen=True)
class AndNot:
    """`positive` without what `negative` matches."""

    positive: Query
    negative: Query
    boost: float = 1.0


@dataclass(frozen=True)
class Not:
    """Every passage `query` does not match."""

    query: Query
    boost: float = 1.0


@dataclass(frozen=True)
class Every:
    """Every passage (a bare * of the structured syntax)."""

    boost: float = 1.0


@dataclass(frozen=True)
class Nothing:
    """No passage."""

    boost: float = 1.0


NOTHING = Nothing()

Query = Union[Term, Phrase, Prefix, Wildcard, Range, And, Or, AndMaybe, AndNot, Not, Every, Nothing]
LEAVES = (Term, Phrase, Prefix, Wildcard, Range, Every, Nothing)


def children(q: Query) -> tuple[Query, ...]:
    if isinstance(q, (And, Or)):
        return q.children
    if isinstance(q, AndMaybe):
        return q.required, q.optional
    if isinstance(q, AndNot):
        return q.positive, q.negative
    if isinstance(q, Not):
        return (q.query,)
    return ()


def with_children(q: Query, new: tuple[Query, ...]) -> Query:
    """`q` over other children (as many as `children(q)` gave)."""
    if isinstance(q, (And, Or)):
        return replace(q, children=new)
    if isinstance(q, AndMaybe):
        return replace(q, required=new[0], optional=new[1])
    if isinstance(q, AndNot):
        return replace(q, positive=new[0], negative=new[1])
    if isinstance(q, Not):
        return replace(q, query=new[0])
    return q


def leaves(q: Query) -> Iterator[Query]:
    if isinstance(q, LEAVES):
        yield q
    for child in children(q):
        yield from leaves(child)


class Vocabulary(Protocol):
    """What expanding a prefix asks of an engine (base.Engine has it)."""

    def expand_prefix(self, field: str, prefix: str) -> Iterator[str]: ...


def expansions(engine: Vocabulary, node: Prefix | Wildcard) -> Iterator[str]:
    """The indexed words a prefix* or wildcard stands for."""
    literal = re.split(r"[*?]", node.text, maxsplit=1)[0]
    pattern = re.compile(fnmatch.translate(node.text))
    return (w for w in engine.expand_prefix(node.field, literal) if pattern.match(w))


def query_terms(engine: Vocabulary, q: Query, field: str) -> set[str]:
    """The words the query looks for in `field` (prefixes expanded): what a snippet marks."""
    out: set[str] = set()
    for node in leaves(q):
        if getattr(node, "field", None) != field:
            continue
        if isinstance(node, Term):
            out.add(str(node.text))
        elif isinstance(node, Phrase):
            out.update(node.words)
        elif isinstance(node, (Prefix, Wildcard)):
            out.update(expansions(engine, node))
    return out
