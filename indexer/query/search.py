"""Search over the index: Swedish queries, a match set that means something, true counts,
filters, facets, highlights, suggestions, more like this.

1. The plan (plan.py): every content word of the query is required, each in any of its forms.
   A structured query ("phrases", prefix*, OCH/ELLER/INTE) means what it says on the passage.
2. The match set is scored with BM25F (named weights in ranking.py); near-identical passages of
   a report share a group (found at index time) and only the best of each group is kept. What
   is left is exactly what a user can page through: `total`, the pages and the facet counts
   all count it.
3. The head of the list is re-ranked by the soft preferences (years and nämnder the query
   names, coverage of the query's words, the expected kind of answer).
4. Hits hold every word. When none does — and for a question, whose wording rarely matches
   the report's, after the last hit — the passages that hold the most of them follow as
   `nearest`, each saying which words it lacks: shown apart, never counted as hits.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field

from ..patterns import SPACED_NUMBER
from ..sentences import sentences
from ..store.analysis import TextAnalysis, WordTokens
from ..store.engine import Engine, EngineIndex, Filter, StoredPassage, query
from ..store.engine.query import expansions, leaves, query_terms
from ..store.snippets import escape, snippet
from ..store.syntax import Unparsable, parse
from . import operators
from .params import MAX_EXPORT, MAX_OFFSET, QueryError, SearchParams
from .plan import MATCH_FIELDS, Concept, Plan, concept, known, strip_filler, strip_report_words, with_variants
from .questions import carries
from .reading import Question, read_question
from .ranking import DEFAULT, Ranking
from .suggest import suggest

FACETS = ("namnd", "year", "period", "report_type", "kind", "status", "deviation")
# The head of the BM25F list that the soft preferences re-rank; below it the order is BM25F's.
RERANK_DEPTH = 60
# Passages scored per query: enough, after collapsing, for the deepest page a user can reach
# (and an export); the rest of the match set is counted without scoring.
SCORED_DEPTH = MAX_OFFSET + MAX_EXPORT
# Passages that hold only part of the query, shown after the last hit.
NEAREST_LIMIT = 10
# A prefix*, wildcard or range may stand for at most this many indexed words.
MAX_EXPANSION = 100
# Operators a query may hold: the parser and Whoosh's matching take time exponential in a chain of
# them (12 × "INTE budget" took 0.3 s, 40 would never end).
MAX_OPERATORS = 10
# A request's search work ends after this long with a message, not a stuck thread.
TIME_BUDGET = 5.0
_STRUCTURED = re.compile(rf'"|\*|\?\w|\b(?:{"|".join(operators.OPERATORS)})\b')


def open_searcher(ix: EngineIndex, ranking: Ranking = DEFAULT) -> Engine:
    """The engine for an opened index generation, with the product's ranking: long-lived and
    shared by the generation's requests."""
    return ix.searcher(ranking.bm25())


@dataclass
class Hit:
    id: str
    score: float
    text: str
    snippet: str  # HTML: escaped text with <mark> around matches
    doc: dict
    section: dict
    page: int | None
    lines: list[int]
    amounts: list[float] = field(default_factory=list)
    deviation: bool | None = None
    missing: list[str] = field(default_factory=list)  # query words it lacks (a question's predicate, or nearest)
    page_label: str | None = None  # the page as printed
    ocr: bool = False  # read by OCR from a scanned page

    def to_dict(self) -> dict:
        return {"id": self.id, "score": round(self.score, 4), "text": self.text, "snippet": self.snippet,
                "doc": self.doc, "section": self.section, "page": self.page, "page_label": self.page_label,
                "ocr": self.ocr, "lines": self.lines, "amounts": self.amounts, "deviation": self.deviation,
                "missing": self.missing}


@dataclass
class SearchResult:
    total: int  # passages a user can page through (near-duplicates collapsed)
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None
    query: str
    nearest: list[Hit] = field(default_factory=list)  # after the last hit: passages lacking some words
    operator_hint: str | None = None  # the query with its lowercase "eller" as an operator
    per_report: dict[str, int] = field(default_factory=dict)  # hits in each report of the page's hits

    def ranked(self) -> list[Hit]:
        """Hits, then the nearest passages: the order a results page shows them in."""
        return self.hits + self.nearest
    folded: str | None = None  # the query as searched, with å/ä/ö put back


# --- the query -------------------------------------------------------------------------

def _whole_numbers(q: str) -> str:
    """"5 878,8" → "5878,8": the parser splits at spaces, the index holds numbers whole."""
    return SPACED_NUMBER.sub(lambda m: m.group(0).replace(" ", ""), q)


def _any_field(token: str, boosts: dict[str, float], factor: float = 1.0) -> query.Query:
    # A field weighted 0 is left out: Whoosh divides by a term's boost when it skips ahead.
    return query.Or(tuple(query.Term(f, token, boost=boosts[f] * factor) for f in MATCH_FIELDS if boosts[f] > 0))


def concept_query(c: Concept, ranking: Ranking) -> query.Query:
    """The word in any of its forms, its parts all together, or a synonym or a variant with its
    stem (weighted lower)."""
    boosts = ranking.field_boosts()
    options = [_any_field(form, boosts) for form in sorted(c.forms)]
    if c.parts:  # together in one field: the goal above a passage saying "medel" is no trygghetsmedel
        options += [query.And(tuple(query.Term(f, p, boost=boosts[f]) for p in c.parts)) for f in MATCH_FIELDS
                    if boosts[f] > 0]
    options += [_any_field(s, boosts, ranking.synonym) for s in sorted(c.synonyms) if ranking.synonym > 0]
    options += [_any_field(v, boosts, ranking.variant) for v in sorted(c.variants) if ranking.variant > 0]
    return query.Or(tuple(options))


def strict_query(p: Plan, ranking: Ranking) -> query.Query:
    """Every required concept; a question's predicate words and the surrounding section add to
    the score only."""
    required = query.And(tuple(concept_query(c, ranking) for c in p.concepts if c.required))
    optional = [concept_query(c, ranking) for c in p.concepts if not c.required]
    if ranking.context_field > 0:
        optional += [query.Term("context", t, boost=ranking.context_field) for c in p.concepts for t in sorted(c.forms)]
    return query.AndMaybe(required, query.Or(tuple(optional))) if optional else required


def any_query(p: Plan, ranking: Ranking) -> query.Query:
    return query.Or(tuple(concept_query(c, ranking) for c in p.concepts))


def structured_query(searcher: Engine, text: str, ranking: Ranking) -> query.Query:
    """A "phrase", prefix*, OCH/ELLER/INTE query means what it says on the passage itself: words
    are required unless joined by ELLER. Each plain word counts in any of its forms, as in a
    keyword search (so `a ELLER b` finds at least what `a` finds, and `INTE a` leaves out exactly
    that); a phrase is matched one lemma per word, so it keeps its positions. Prefixes and
    wildcards may stand for at most MAX_EXPANSION words; ranges are not offered."""
    fields = {name: searcher.analysis(name).phrases() for name in ("text", "heading_text")}
    if operators.count(text) > MAX_OPERATORS:
        raise QueryError("q", f"har fler än {MAX_OPERATORS} OCH, ELLER och INTE; högst {MAX_OPERATORS} går i en "
                              "sökning")
    try:
        text = operators.whoosh_operators(_whole_numbers(text))
    except operators.OperatorError as exc:
        raise QueryError("q", str(exc)) from None
    try:
        parsed = parse(text, fields, ranking.field_boosts())
    except Unparsable:  # operators without words ("INTE INTE INTE INTE")
        raise QueryError("q", "har ett OCH, ELLER eller INTE utan sökord efter sig") from None
    for node in leaves(parsed):
        if isinstance(node, query.Every):  # a bare * (also ?* and *?, whose ? is taken for a question mark)
            raise QueryError("q", "har ”*” ensamt, som är för brett: skriv minst två bokstäver före *")
        if isinstance(node, (query.Prefix, query.Wildcard)):
            if len(node.text.strip("*?")) < 2:
                raise QueryError("q", f"har ”{node.text}”, som är för brett: skriv minst två bokstäver före *")
            if sum(1 for _ in zip(range(MAX_EXPANSION + 1), expansions(searcher, node))) > MAX_EXPANSION:
                raise QueryError("q", f"har ”{node.text}”, som står för fler än {MAX_EXPANSION} ord: skriv fler "
                                      "bokstäver")
    return _words_as_concepts(searcher, parsed, text, ranking)


def _words_as_concepts(searcher: Engine, q: query.Query, text: str, ranking: Ranking) -> query.Query:
    """The parser's terms for a plain word (one per field, each knowing where the word stands in
    `text`) replaced by the word's concept query, which covers every field itself."""
    if isinstance(q, query.Term) and q.field in ("text", "heading_text") and q.span is not None:
        if q.field == "heading_text":
            return query.NOTHING
        c = with_variants(searcher, concept(text[q.span[0]:q.span[1]], searcher.analysis()))
        return concept_query(c, ranking) if c else q
    new = tuple(_words_as_concepts(searcher, child, text, ranking) for child in query.children(q))
    if isinstance(q, (query.And, query.Or)):  # the heading's term dropped beside the word's concept
        new = tuple(child for child in new if child != query.NOTHING)
        if not new:
            return query.NOTHING
        if len(new) == 1 and q.boost == 1.0:
            return new[0]
    return query.with_children(q, new)


# --- scoring, collapsing, counting ------------------------------------------------------------

def concept_weights(searcher: Engine, concepts: list[Concept]) -> list[float]:
    """An inverse document frequency per query word (its rarest form in the index); a word the
    index does not know at all weighs most. A passage holding the query's one rare word should
    beat passages holding only its common words."""
    n = max(searcher.doc_count(), 1)
    weights = []
    for c in concepts:
        df = max((searcher.doc_frequency("text", form) for form in c.tokens()), default=0)
        weights.append(math.log(1 + n / max(df, 1)))
    return weights


@dataclass
class Read:
    """A passage as the re-ranking reads it, analysed once per query: its sentences, the tokens
    of each, and the tokens of what it shows around them (heading, goals, nämnd, period)."""

    text: str
    sentences: list[str]
    tokens: list[set[str]]
    around: set[str]

    def shown(self) -> set[str]:
        return set().union(self.around, *self.tokens)


def read(fields: StoredPassage, words: WordTokens) -> Read:
    said = sentences(fields.text)
    return Read(fields.text, said, [words(x) for x in said], words(shown_around(fields)))


def word_tokens(searcher: Engine) -> WordTokens:
    """The text field's analysis with each word's tokens remembered, shared by a generation's
    requests."""
    return searcher.per_generation("word_tokens", lambda: searcher.analysis().word_tokens())


def _share(concepts: list[Concept], weights: list[float], tokens: set[str]) -> float:
    """The rarity-weighted share of the query's words these tokens hold."""
    return sum(w * c.credit(tokens) for c, w in zip(concepts, weights)) / sum(weights)


def answer_fit(concepts: list[Concept], weights: list[float], r: Read, kind: str | None) -> float:
    """How well the passage holds a value of the kind the question asks for (an amount for "hur
    mycket"): 0 without one; 0.5 for a value standing apart from the query's words, up to 1 for
    one in a sentence (or table row) holding them all — a longer passage that repeats the words
    and mentions another figure elsewhere answers less well."""
    if not carries(kind, r.text):
        return 0.0
    if not concepts or not sum(weights):
        return 1.0
    held = [_share(concepts, weights, t) for x, t in zip(r.sentences, r.tokens) if carries(kind, x)]
    return 0.5 + 0.5 * max(held, default=0.0)


def coverage(concepts: list[Concept], weights: list[float], r: Read) -> float:
    """How much of the query the passage holds (0.5–1): the rarity-weighted share of query words
    found in what it shows (its text and around it: heading, goals, nämnd, period — as the match
    set reads it), and in its best single sentence (words that answer together stand together)."""
    if not concepts or not sum(weights):
        return 1.0
    best = max((_share(concepts, weights, t) for t in r.tokens), default=0.0)
    return 0.5 + 0.25 * _share(concepts, weights, r.shown()) + 0.25 * best


def held(concepts: list[Concept], weights: list[float], r: Read) -> float:
    """The rarity-weighted share of the query's words in what a passage shows (1 for a hit
    holding each as written): what sets the nearest passages apart."""
    if not concepts or not sum(weights):
        return 1.0
    return _share(concepts, weights, r.shown())


def shown_text(fields: StoredPassage) -> str:
    """What a hit shows: its text, heading, goal path, nämnd and period."""
    return "\n".join(x for x in (fields.text, shown_around(fields)) if x)


def shown_around(fields: StoredPassage) -> str:
    """What a hit shows around its text: heading, goal path, nämnd and period."""
    goals = " ".join(f"{g.get('number') or ''} {g['title']}" for g in fields.goal_path or [])
    return "\n".join(x for x in (fields.heading or "", goals, fields.namnd or "", fields.period or "") if x)


def _filters(params: SearchParams) -> Filter | None:
    terms = [(name, getattr(params, name)) for name in ("namnd", "period", "report_type", "kind", "status", "doc_id")
             if getattr(params, name)]
    if params.deviation is not None:
        terms.append(("deviation", "ja" if params.deviation else "nej"))
    years = None
    if params.year is not None:
        years = (params.year, params.year)
    elif params.year_from is not None or params.year_to is not None:
        years = (params.year_from, params.year_to)
    flt = Filter(tuple(terms), years)
    return flt or None


@dataclass
class Scored:
    docnum: int
    score: float
    fields: StoredPassage | None = None
    missing: list[str] = field(default_factory=list)


@dataclass
class MatchSet:
    """What a user can page through: the scored head, one passage per near-identical group (enough
    for any page a user can reach), and the number of them all."""

    head: list[Scored]
    total: int
    hidden: list[int]  # matched passages left out for a better one of their group


def matches(searcher: Engine, q: query.Query, flt: Filter | None, by_date: str | None) -> MatchSet:
    """The match set with near-identical passages collapsed. Few passages have near-duplicates
    (they are marked `grouped` at index time), so the ones to leave out are found by running the
    query over those alone, in the same order: the first of each group stays."""
    matched = searcher.match(q, flt, SCORED_DEPTH, by_date)
    if not matched.count:  # nothing matched: no near-duplicates to look for
        return MatchSet([], 0, [])
    grouped = searcher.match(q, (flt or Filter()).plus("grouped", "ja"), None, by_date)
    hidden = _repeats(searcher, [docnum for _, docnum in grouped.top])
    if hidden and matched.count > SCORED_DEPTH:  # enough left for the deepest page after leaving them out
        matched = searcher.match(q, flt, SCORED_DEPTH + len(hidden), by_date)
    left_out = set(hidden)
    head = [Scored(docnum, score) for score, docnum in matched.top if docnum not in left_out]
    return MatchSet(head, matched.count - len(hidden), hidden)


def best_of_groups(searcher: Engine, q: query.Query, flt: Filter | None, by_date: str | None, limit: int) -> list[Scored]:
    """The best `limit` passages of a query, the first of each near-identical group, uncounted:
    what the nearest passages are chosen from (any of the query's words matches a large share of
    an archive; counting it all is most of a query's time at a million passages)."""
    top = searcher.best(q, flt, 2 * limit, by_date)  # few passages have near-duplicates
    repeats = set(_repeats(searcher, [docnum for _, docnum in top]))
    return [Scored(docnum, score) for score, docnum in top if docnum not in repeats][:limit]


def _repeats(searcher: Engine, docnums: list[int]) -> list[int]:
    """The passages, in order, whose near-identical group an earlier one holds."""
    kept: set = set()
    out = []
    for docnum, group in zip(docnums, searcher.groups(docnums)):
        if group in kept:
            out.append(docnum)
        kept.add(group)
    return out


def facet_counts(searcher: Engine, q: query.Query, flt: Filter | None,
                 hidden: list[int]) -> tuple[dict[str, list[tuple[str, int]]], dict[str, int]]:
    """Counts per facet value, and per report, over exactly the passages a user can page through.
    Years and periods stand newest first, the other values most common first."""
    names = (*FACETS, "doc_id")
    counts = searcher.facet_counts(q, flt, names)
    for docnum in hidden:
        fields = searcher.stored_fields(docnum)
        for name in names:
            value = getattr(fields, name)
            if value is not None and counts[name].get(value):
                counts[name][value] -= 1
    order = {"year": lambda kv: -int(kv[0]), "period": lambda kv: (-int(YEAR_END.search(kv[0])[0]) if
                                                                   YEAR_END.search(kv[0]) else 0, kv[0])}
    facets = {name: sorted(((str(v), n) for v, n in counts[name].items() if v not in (None, "") and n),
                           key=order.get(name, lambda kv: (-kv[1], kv[0]))) for name in FACETS}
    return facets, {v: n for v, n in counts["doc_id"].items() if v and n}


# A period's year ("Tertial 1 2020", "2021"): periods are ordered by it.
YEAR_END = re.compile(r"\d{4}$")


class _Budget:
    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds

    def spent(self) -> bool:
        return time.monotonic() > self.deadline

    def check(self) -> None:
        if self.spent():
            raise QueryError("q", "tog för lång tid att söka: gör sökningen smalare (fler ord eller filter)")


def search(searcher: Engine, params: SearchParams, ranking: Ranking = DEFAULT, question: Question | None = None) -> SearchResult:
    """The passages for `params` (`question`: the query already read, as `read_question` reads it)."""
    params = params.validate()
    analysis = searcher.analysis()
    question = question if question is not None and question.text == params.q else read_question(searcher, params.q)
    p = question.plan
    budget = _Budget(TIME_BUDGET)  # from here: loading word lists on a first query is not the query's cost
    text = strip_report_words(strip_filler(params.q) or params.q, p.mentioned) or params.q
    structured = bool(_STRUCTURED.search(text))
    if structured:
        q = structured_query(searcher, text, ranking)
    elif p.concepts:
        q = strict_query(p, ranking)
    else:
        raise QueryError("q", "innehåller inga sökbara ord")
    if isinstance(q, query.Nothing):
        raise QueryError("q", "innehåller inga sökbara ord")
    flt = _filters(params)
    by_date = {"date": "newest", "date_asc": "oldest"}.get(params.sort)
    found = matches(searcher, q, flt, by_date)
    matched = found.head
    budget.check()
    weights = [w * (1 - ranking.clause) if c.word.casefold() in p.presumed else w
               for c, w in zip(p.concepts, concept_weights(searcher, p.concepts))]
    if params.sort == "relevance":
        matched = _reranked(searcher, matched, question, weights, ranking, budget)
    if structured:  # a hit is what the operators asked for: `a ELLER b` lacks nothing without a
        for m in matched:
            m.missing = []
    nearest: list[Scored] = []
    last_page = params.offset + params.limit >= found.total
    if not structured and len(p.concepts) > 1 and last_page:
        wider = any_query(p, ranking)
        held = {m.docnum for m in matched}
        rest = [m for m in best_of_groups(searcher, wider, flt, by_date, RERANK_DEPTH) if m.docnum not in held]
        if params.sort == "relevance":
            rest = _reranked(searcher, rest, question, weights, ranking, budget)
        # The page is filled: a client asking for 50 gets 50 when the index holds them.
        wanted = max(NEAREST_LIMIT, params.offset + params.limit - len(matched))
        nearest = _nearest(searcher, rest, p, wanted)
    page = matched[params.offset:params.offset + params.limit]
    marked = query_terms(searcher, q, "text") if not params.export else None
    hits = [_hit(searcher, m, marked, analysis) for m in page]
    near_terms = query_terms(searcher, wider, "text") if nearest else set()
    shown = [_hit(searcher, m, near_terms, analysis) for m in nearest]
    unknown = [c.word for c in p.concepts if not known(searcher, c)]
    facets, per_report = (facet_counts(searcher, q, flt, found.hidden) if found.total
                          else ({name: [] for name in FACETS}, {}))
    return SearchResult(total=found.total, hits=hits, facets=facets,
                        suggestion=suggest(searcher, params.q, unknown) if unknown else None,
                        query=params.q, nearest=shown, folded=p.folded_query(params.q),
                        operator_hint=operators.operator_hint(params.q),
                        per_report={h.doc["id"]: per_report.get(h.doc["id"], 0) for h in hits})


def _nearest(searcher: Engine, ranked: list[Scored], p: Plan, limit: int = NEAREST_LIMIT) -> list[Scored]:
    """The best passages holding some of the query's words (the ranking favours those holding
    more, and rarer, of them), each with the words it lacks."""
    out = []
    words = word_tokens(searcher)
    for m in ranked:
        m.fields = m.fields or searcher.stored_fields(m.docnum)
        tokens = read(m.fields, words).shown()
        m.missing = [c.word for c in p.concepts if not c.held_by(tokens)]
        if len(m.missing) < len(p.concepts):
            out.append(m)
        if len(out) == limit:
            break
    return out


def _reranked(searcher: Engine, matched: list[Scored], question: Question, weights: list[float], ranking: Ranking,
              budget: _Budget) -> list[Scored]:
    """The head re-ranked by the soft preferences: years and nämnder the query names (not a
    filter), coverage of the query's words, and a value of the kind a question asks for (who
    signed a text: a passage closing with a signature)."""
    p, expected = question.plan, question.expected
    words = word_tokens(searcher)
    head = matched[:RERANK_DEPTH]
    for n, m in enumerate(head):
        if budget.spent():  # out of time: the rest keep their BM25F order, below the re-ranked
            head, rest = head[:n], head[n:]
            return sorted(head, key=lambda m: -m.score) + rest + matched[RERANK_DEPTH:]
        m.fields = m.fields or searcher.stored_fields(m.docnum)
        r = read(m.fields, words)
        shown = r.shown()
        m.missing = [c.word for c in p.concepts if not c.held_by(shown)]
        m.score = ((m.score or 0.0) * p.mentioned.boost(m.fields, ranking.year, ranking.namnd)
                   * coverage(p.concepts, weights, r) ** ranking.coverage
                   * held(p.concepts, weights, r) ** ranking.held
                   * (1 + ranking.answer_type * (0.0 if question.goal_status and m.fields.kind != "goal"
                                                 else answer_fit(p.concepts, weights, r, expected))))
    return sorted(head, key=lambda m: -m.score) + matched[RERANK_DEPTH:]


def _hit(searcher: Engine, m: Scored, marked: set[str] | None, analysis: TextAnalysis) -> Hit:
    """A hit with its snippet: the words the query matched marked (`marked` None: no snippet, the
    whole text escaped, as exports want)."""
    fields = m.fields or searcher.stored_fields(m.docnum)
    shown = snippet(fields.text, marked, analysis) if marked is not None else escape(fields.text)
    hit = stored_hit(fields, m.score, shown)
    hit.missing = m.missing
    return hit


def stored_hit(fields: StoredPassage, score: float, snippet: str) -> Hit:
    return Hit(
        id=fields.id, score=score, text=fields.text, snippet=snippet,
        doc={"id": fields.doc_id, "title": fields.title, "namnd": fields.namnd, "year": fields.year,
             "report_type": fields.report_type, "period": fields.period, "source": fields.source},
        section={"kind": fields.kind, "heading": fields.heading or None, "goal_path": fields.goal_path or []},
        page=fields.page, lines=fields.lines or [], amounts=fields.amounts or [],
        deviation={"ja": True, "nej": False}.get(fields.deviation), page_label=fields.page_label,
        ocr=bool(fields.ocr),
    )


def more_like_this(searcher: Engine, passage_id: str, limit: int = 5) -> list[Hit]:
    docnum = searcher.document_number(id=passage_id)
    if docnum is None:
        raise KeyError(passage_id)
    fields = searcher.stored_fields(docnum)
    seen = {fields.group}
    hits = []
    for score, other in searcher.match(telling_words(searcher, fields.text), None, limit * 3 + 1).top:
        f = searcher.stored_fields(other)
        if f.group not in seen:
            seen.add(f.group)
            hits.append(stored_hit(f, score, escape(f.text[:300])))
    return hits[:limit]


def telling_words(searcher: Engine, text: str, most: int = 12) -> query.Query:
    """The passage's most telling words (frequent in it, rare in the index), any of them."""
    counts: dict[str, int] = {}
    for token in searcher.analysis()(text):
        if len(token) > 2 and not token.isdigit():
            counts[token] = counts.get(token, 0) + 1
    n = max(searcher.doc_count(), 1)
    weight = {w: tf * math.log(n / max(searcher.doc_frequency("text", w), 1)) for w, tf in counts.items()}
    chosen = sorted(weight, key=lambda w: (-weight[w], w))[:most]
    return query.Or(tuple(query.Term("text", w) for w in chosen)) if chosen else query.NOTHING
