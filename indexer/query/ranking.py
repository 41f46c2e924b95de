"""The ranking's named weights, in one place, each with its reason. They are passed to search as
one frozen `Ranking`; `benchmarks/ablation.py` switches them off one by one (`ABLATION`) and
`rapportsok eval --folds 2` chooses them by 2-fold cross-validation over the dev set."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from ..store.engine import BM25


@dataclass(frozen=True)
class Ranking:
    # BM25 (Whoosh's BM25F): the usual defaults; passages are short and of similar length.
    b: float = 0.75
    k1: float = 1.2
    # Field weights: a real section heading says what the passage is about; the goals above it,
    # its nämnd and period, and the surrounding section only hint at it (they are shared by many
    # passages, or hold the neighbours' topics).
    text_field: float = 1.0
    heading_field: float = 1.5
    about_field: float = 0.3
    context_field: float = 0.3
    # A passage from a year or nämnd the query names gets this share more score: a soft
    # preference, since the query may name the year of a plan in another year's report.
    year: float = 1.0
    namnd: float = 1.0
    # Exponent on query-word coverage (passage and best sentence): passages that hold more of
    # the query's words beat ones that repeat a few.
    coverage: float = 2.0
    # Exponent on the share of the query's words a passage holds at all: 1 for every hit; among
    # the nearest passages (a question's, or when none holds every word), one lacking a single
    # word goes before one lacking three that repeats the others more often.
    held: float = 1.0
    # A question's expected answer (an amount for "hur mycket") favours passages holding one.
    answer_type: float = 0.5
    # Words standing only in a subordinate clause ("Uppfylls målet … trots att upphandlingen har
    # försenats?") say what the question presumes, not what it asks: they lose this share
    # of their weight, so the goal itself is not outranked by prose repeating the clause. Not all
    # of it: the clause often gives the reason the answer states ("eftersom det blir fler elever").
    clause: float = 0.8
    # Synonyms from the curated list count at this share of the word itself.
    synonym: float = 0.5
    # Indexed words sharing the word's stem that its lemmas miss (eldrivna for eldriven,
    # införandet for införa): the same word more often than not, but not always.
    variant: float = 0.5

    def field_boosts(self) -> dict[str, float]:
        return {"text": self.text_field, "heading_text": self.heading_field, "about": self.about_field,
                "context": self.context_field}

    def bm25(self) -> BM25:
        return BM25(self.b, self.k1)

    def without(self, *names: str) -> Ranking:
        """This ranking with the named preferences switched off (for the ablation)."""
        return replace(self, **{name: 0.0 for name in names})

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


DEFAULT = Ranking()

# The ablation's ranking rows, in the order they are added to plain BM25F.
ABLATION = (
    ("year", "+ soft preference for the years the query names"),
    ("namnd", "+ … and for the nämnder it names (their names leave the text query)"),
    ("coverage", "+ query-word coverage of passage and best sentence"),
    ("held", "+ … and the share of the query a nearest passage holds at all"),
    ("answer_type", "+ expected answer type"),
    ("clause", "+ … and a subordinate clause's words at a lower weight"),
    ("synonym", "+ curated public-administration synonyms at a lower weight"),
    ("variant", "+ indexed words sharing the query word's stem, at a lower weight (the product)"),
)
