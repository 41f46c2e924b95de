"""The structured query syntax — "phrases", prefix*, wildcards, AND/OR/ANDNOT/NOT and
parentheses — read by Whoosh's query parser over the given text fields' analysis, and handed on
as the product's own query type (engine/query.py): no engine sees a Whoosh query tree."""

from __future__ import annotations

from whoosh import qparser
from whoosh import query as wq
from whoosh.fields import TEXT, Schema

from .analysis import TextAnalysis
from .engine.query import (
    NOTHING,
    And,
    AndMaybe,
    AndNot,
    Every,
    Not,
    Or,
    Phrase,
    Prefix,
    Query,
    Term,
    Wildcard,
)


class Unparsable(ValueError):
    """Operators without words to join ("INTE INTE"): Whoosh's parser asserts on them."""


def parse(text: str, fields: dict[str, TextAnalysis], boosts: dict[str, float]) -> Query:
    """The query `text` means, over `fields` (words required unless joined by OR), each word
    analysed by its field's analysis and scored with the field's boost. No field names ("namn:"
    in a question is no field), ranges or ^boosts are read."""
    schema = Schema(**{name: TEXT(analyzer=analysis.chain) for name, analysis in fields.items()})
    parser = qparser.MultifieldParser(list(fields), schema=schema, fieldboosts=boosts, group=qparser.AndGroup)
    for plugin in (qparser.FieldsPlugin, qparser.RangePlugin, qparser.BoostPlugin):
        parser.remove_plugin_class(plugin)
    try:
        return from_whoosh(parser.parse(text))
    except AssertionError:
        raise Unparsable(text) from None


def from_whoosh(q: wq.Query) -> Query:
    """A parsed Whoosh tree as the product's query type; a word's term keeps where the word
    stands in the parsed text (`Term.span`)."""
    boost = getattr(q, "boost", 1.0)
    if q is wq.NullQuery:
        return NOTHING
    if isinstance(q, wq.Term):
        span = (q.startchar, q.endchar) if getattr(q, "startchar", None) is not None else None
        return Term(q.fieldname, q.text, boost, span)
    if isinstance(q, wq.Phrase):
        return Phrase(q.fieldname, tuple(q.words), q.slop, boost)
    if isinstance(q, wq.Prefix):
        return Prefix(q.fieldname, q.text, boost)
    if isinstance(q, wq.Wildcard):
        return Wildcard(q.fieldname, q.text, boost)
    if isinstance(q, wq.Every):
        return Every(boost)
    if isinstance(q, wq.AndMaybe):
        return AndMaybe(from_whoosh(q.a), from_whoosh(q.b), boost)
    if isinstance(q, wq.AndNot):
        return AndNot(from_whoosh(q.a), from_whoosh(q.b), boost)
    if isinstance(q, wq.Not):
        return Not(from_whoosh(q.query), boost)
    if isinstance(q, wq.And):
        return And(tuple(from_whoosh(c) for c in q.subqueries), boost)
    if isinstance(q, wq.Or) and not q.minmatch and q.scale is None:
        return Or(tuple(from_whoosh(c) for c in q.subqueries), boost)
    raise TypeError(f"the query syntax gave a {type(q).__name__} query, which the engines do not run")
