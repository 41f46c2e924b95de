"""The product's query type (query.py) as a Whoosh query tree."""

from __future__ import annotations

from whoosh import query as wq

from . import query


def to_whoosh(q: query.Query) -> wq.Query:
    """The product's query type as a Whoosh query tree."""
    boost = getattr(q, "boost", 1.0)
    if isinstance(q, query.Nothing):
        return wq.NullQuery
    if isinstance(q, query.Term):
        return wq.Term(q.field, q.text, boost=boost)
    if isinstance(q, query.Phrase):
        return wq.Phrase(q.field, list(q.words), slop=q.slop, boost=boost)
    if isinstance(q, query.Prefix):
        return wq.Prefix(q.field, q.text, boost=boost)
    if isinstance(q, query.Wildcard):
        return wq.Wildcard(q.field, q.text, boost=boost)
    if isinstance(q, query.Range):
        return wq.NumericRange(q.field, q.start, q.end, boost=boost)
    if isinstance(q, query.Every):
        return wq.Every(boost=boost)
    if isinstance(q, query.And):
        return wq.And([to_whoosh(c) for c in q.children], boost=boost)
    if isinstance(q, query.Or):
        return wq.Or([to_whoosh(c) for c in q.children], boost=boost)
    if isinstance(q, query.Not):
        return wq.Not(to_whoosh(q.query), boost=boost)
    if isinstance(q, query.AndMaybe):
        out = wq.AndMaybe(to_whoosh(q.required), to_whoosh(q.optional))
    elif isinstance(q, query.AndNot):
        out = wq.AndNot(to_whoosh(q.positive), to_whoosh(q.negative))
    else:
        raise TypeError(f"the Whoosh engine cannot run a {type(q).__name__} query")
    out.boost = boost
    return out
