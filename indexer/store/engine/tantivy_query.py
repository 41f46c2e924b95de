"""The product's query type (query.py) in tantivy's terms: text fields hold our analyzer's
tokens, a field's phrases its words one token each (tantivy_write.py)."""

from __future__ import annotations

import fnmatch
import re

import tantivy

from . import query
from .tantivy_write import NUMERIC, PHRASES

Q, Occur = tantivy.Query, tantivy.Occur


def translate(q: query.Query, s: tantivy.Schema):
    """The query in tantivy's terms, over the schema `s` (tantivy_write.tantivy_schema)."""
    boost = getattr(q, "boost", 1.0)
    if isinstance(q, query.Nothing):
        return Q.empty_query()
    if isinstance(q, query.Term):
        value = int(q.text) if q.field in NUMERIC else q.text
        out = Q.term_query(s, q.field, value)
    elif isinstance(q, query.Every):
        out = Q.all_query()
    elif isinstance(q, query.AndMaybe):
        out = Q.boolean_query([(Occur.Must, translate(q.required, s)),
                               (Occur.Should, translate(q.optional, s))])
    elif isinstance(q, query.AndNot):
        out = Q.boolean_query([(Occur.Must, translate(q.positive, s)),
                               (Occur.MustNot, translate(q.negative, s))])
    elif isinstance(q, query.Not):
        out = Q.boolean_query([(Occur.Must, Q.all_query()), (Occur.MustNot, translate(q.query, s))])
    elif isinstance(q, query.And):
        out = _boolean(q.children, Occur.Must, s)
    elif isinstance(q, query.Or):
        out = _boolean(q.children, Occur.Should, s)
    elif isinstance(q, query.Phrase):
        # Whoosh's slop 1 is next to each other, tantivy's 0.
        out = Q.phrase_query(s, PHRASES.format(q.field), list(q.words), q.slop - 1)
    elif isinstance(q, (query.Prefix, query.Wildcard)):
        out = Q.regex_query(s, q.field, _regex(q))
    elif isinstance(q, query.Range):
        out = Q.range_query(s, q.field, tantivy.FieldType.Integer,
                            -(2 ** 31) if q.start is None else q.start, 2 ** 31 if q.end is None else q.end)
    else:
        raise TypeError(f"the tantivy engine cannot run a {type(q).__name__} query")
    return Q.boost_query(out, boost) if boost != 1.0 else out


def _boolean(children, occur, s: tantivy.Schema):
    children = [c for c in children if not isinstance(c, query.Nothing)]
    if not children:
        return Q.empty_query()
    return Q.boolean_query([(occur, translate(c, s)) for c in children])


def _regex(node: query.Prefix | query.Wildcard) -> str:
    if isinstance(node, query.Prefix):
        return re.escape(node.text) + ".*"
    return fnmatch.translate(node.text).removeprefix("(?s:").removesuffix(")\\Z")
