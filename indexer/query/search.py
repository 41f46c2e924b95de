"""Search over the index: Swedish queries, filters, facets, highlights, suggestions, more like this."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from whoosh import highlight, qparser, query, sorting

from ..patterns import SPACED_NUMBER, STATUSES, YEAR, word_key
from ..sentences import sentences
from ..store.analysis import QUESTION_WORDS, TOKEN_PATTERN, phrase_analyzer
from .questions import answer_type, carries
from .ranking import DEFAULT, Ranking
from .suggest import suggest

KINDS = ("goal", "summary", "analysis", "expected_result", "description", "activity", "indicator", "decision",
         "economy", "other")
SORTS = ("relevance", "date", "date_asc")
FACETS = ("namnd", "year", "report_type", "kind", "status", "deviation")
MAX_QUERY = 500
# INTE subtracts (ANDNOT): a plain NOT in an OR group would only add the documents without the word.
_OPERATORS = {"OCH": "AND", "ELLER": "OR", "INTE": "ANDNOT"}


def open_searcher(ix, ranking: Ranking = DEFAULT):
    """A searcher with the product's ranking."""
    return ix.searcher(weighting=ranking.weighting())


class QueryError(ValueError):
    """A query or parameter the user must change; the message says what is wrong."""


@dataclass(frozen=True)
class SearchParams:
    q: str
    limit: int = 10
    offset: int = 0
    namnd: str | None = None
    year: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    report_type: str | None = None
    kind: str | None = None
    status: str | None = None
    deviation: bool | None = None
    doc_id: str | None = None
    sort: str = "relevance"

    def validate(self) -> SearchParams:
        q = (self.q or "").strip()
        if not q:
            raise QueryError("the query q is empty")
        if len(q) > MAX_QUERY:
            raise QueryError(f"the query is {len(q)} characters long; at most {MAX_QUERY} are allowed")
        if not 1 <= self.limit <= 100:
            raise QueryError("limit must be between 1 and 100")
        if self.offset < 0:
            raise QueryError("offset must not be negative")
        for name in ("year", "year_from", "year_to"):
            value = getattr(self, name)
            if value is not None and not 1900 <= value <= 2100:
                raise QueryError(f"{name} must be a year between 1900 and 2100, not {value}")
        if self.kind is not None and self.kind not in KINDS:
            raise QueryError(f"unknown kind {self.kind!r}; choose one of {', '.join(KINDS)}")
        if self.status is not None and self.status not in STATUSES:
            raise QueryError(f"unknown status {self.status!r}; choose one of {', '.join(STATUSES)}")
        if self.sort not in SORTS:
            raise QueryError(f"unknown sort {self.sort!r}; choose one of {', '.join(SORTS)}")
        return replace(self, q=q)

    def filters(self) -> dict:
        """The filters alone, to pass on (to `ask`)."""
        return {name: getattr(self, name) for name in ("namnd", "year", "year_from", "year_to", "report_type", "kind",
                                                       "status", "deviation", "doc_id")}


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
    page_label: str | None = None  # the page as printed
    ocr: bool = False  # read by OCR from a scanned page

    def to_dict(self) -> dict:
        return {"id": self.id, "score": round(self.score, 4), "text": self.text, "snippet": self.snippet,
                "doc": self.doc, "section": self.section, "page": self.page, "page_label": self.page_label,
                "ocr": self.ocr, "lines": self.lines,
                "amounts": self.amounts, "deviation": self.deviation}


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None
    query: str


def _swedish_operators(q: str) -> str:
    return re.sub(r"\b(OCH|ELLER|INTE)\b", lambda m: _OPERATORS[m.group(1)], q)


def _whole_numbers(q: str) -> str:
    """"5 878,8" → "5878,8": the parser splits at spaces, the index holds numbers whole."""
    return SPACED_NUMBER.sub(lambda m: m.group(0).replace(" ", ""), q)


_STRUCTURED = re.compile(r'"|\*|\b(OCH|ELLER|INTE)\b')


def make_parser(schema, structured: bool = False, ranking: Ranking = DEFAULT) -> qparser.QueryParser:
    """Plain Swedish in, a disjunctive BM25F query out: every word helps, none is required,
    and documents with more of them rank higher.

    A structured query (a "phrase", prefix*, OCH/ELLER/INTE) means what it says on the passage
    itself: it searches the passage text and heading with one lemma per word (so phrases keep
    their positions) and compounds kept whole (so `INTE trafiknämnden` does not exclude every
    passage that mentions a nämnd)."""
    boosts = ranking.field_boosts()
    if structured:
        schema = _whole_word_schema(schema)
        fields = ["text", "heading_text"]
    else:
        fields = [f for f in boosts if f in schema]
    parser = qparser.MultifieldParser(fields, schema=schema, fieldboosts=boosts, group=qparser.OrGroup)
    parser.remove_plugin_class(qparser.FieldsPlugin)  # "namn:" in a question is no field
    return parser


def _whole_word_schema(schema):
    """The schema with the index's own analyzer made one token per word, for structured queries."""
    import copy

    whole = copy.deepcopy(schema)
    for name in ("text", "heading_text"):
        whole[name].analyzer = phrase_analyzer(schema[name].analyzer)
    return whole


def strip_filler(q: str) -> str:
    """Question words and filler ("Hur mycket …?") are not required to match: drop them outside
    quoted phrases, and the question mark with them."""
    parts = re.split(r'("[^"]*")', q)
    for i in range(0, len(parts), 2):
        words = [w for w in re.split(r"\s+", parts[i].replace("?", " ")) if w]
        parts[i] = " ".join(w for w in words if w.lower().strip(",.;:!") not in QUESTION_WORDS)
    return " ".join(p for p in parts if p.strip())


# Words that name the report itself ("enligt kommunstyrelsens tertialrapport 2015"), not its content.
_REPORT_WORDS = re.compile(r"^(tertialrapport|delårsrapport|verksamhetsberättelse|årsredovisning|rapport)(en|ens|s)?$",
                           re.IGNORECASE)


def strip_report_words(q: str, mentioned: Mentioned) -> str:
    """Drop the words that name the report (its type, a nämnd the index holds): they select a
    report, which the soft preference does, and would otherwise match administrative boilerplate."""
    parts = re.split(r'("[^"]*")', q)
    for i in range(0, len(parts), 2):
        kept = []
        for word in parts[i].split():
            bare = word.strip(",.;:!?").casefold()
            if _REPORT_WORDS.match(bare) or any(bare.startswith(key) for key in mentioned.keys):
                continue
            kept.append(word)
        parts[i] = " ".join(kept)
    return " ".join(p for p in parts if p.strip())


def build_query(searcher, q: str, ranking: Ranking = DEFAULT):
    mentioned = mentioned_metadata(searcher, q)
    text = strip_filler(q) or q
    text = strip_report_words(text, mentioned) or text
    structured = bool(_STRUCTURED.search(text))
    parsed = make_parser(searcher.schema, structured, ranking).parse(_swedish_operators(_whole_numbers(text)))
    if parsed is query.NullQuery:
        raise QueryError("the query has no searchable words")
    return parsed


@dataclass(frozen=True)
class Mentioned:
    """The years and nämnder a query names ("… på Södermalm 2020") that the index holds."""

    years: frozenset[int]
    namnder: frozenset[str]
    keys: frozenset[str] = frozenset()  # the query words' stems that named the nämnder

    def boost(self, fields: dict, ranking: Ranking = DEFAULT) -> float:
        return (1 + ranking.year * (fields.get("year") in self.years)) * (
            1 + ranking.namnd * (fields.get("namnd") in self.namnder))


def mentioned_metadata(searcher, q: str) -> Mentioned:
    reader = searcher.reader()
    years = {int(y) for y in YEAR.findall(q)}
    words = {w.casefold() for w in re.findall(r"[^\W\d_]{4,}", q)}
    namnder, keys = set(), set()
    for value in (v.decode() for v in reader.lexicon("namnd")):
        key = value.split()[0].casefold().removesuffix("s")  # "Södermalms stadsdelsnämnd" → "södermalm"
        if any(w.startswith(key) for w in words):
            namnder.add(value)
            keys.add(key)
    return Mentioned(frozenset(years), frozenset(namnder), frozenset(keys))


def query_concepts(q: str, mentioned: Mentioned, analyzer) -> list[set[str]]:
    """Each content word of the query as the set of index tokens it analyzes to."""
    text = strip_report_words(strip_filler(q) or q, mentioned) or q
    concepts = []
    for word in re.findall(TOKEN_PATTERN, text.replace('"', " ")):
        forms = {t.text for t in analyzer(word)}
        if forms:
            concepts.append(forms)
    return concepts


def coverage(concepts: list[set[str]], text: str, analyzer) -> float:
    """How much of the query the passage holds (0.5–1): the share of query words found in it,
    and in its best single sentence (words that answer together stand together)."""
    if not concepts:
        return 1.0
    found = [{t.text for t in analyzer(s)} for s in sentences(text)]
    everywhere = set().union(*found) if found else set()

    def share(tokens: set[str]) -> float:
        return sum(bool(forms & tokens) for forms in concepts) / len(concepts)

    best = max((share(s) for s in found), default=0.0)
    return 0.5 + 0.25 * share(everywhere) + 0.25 * best


def _filters(params: SearchParams):
    terms = []
    for name in ("namnd", "report_type", "kind", "status", "doc_id"):
        value = getattr(params, name)
        if value:
            terms.append(query.Term(name, value))
    if params.deviation is not None:
        terms.append(query.Term("deviation", "ja" if params.deviation else "nej"))
    if params.year is not None:
        terms.append(query.NumericRange("year", params.year, params.year))
    elif params.year_from is not None or params.year_to is not None:
        terms.append(query.NumericRange("year", params.year_from, params.year_to))
    return query.And(terms) if terms else None


def _stored_hit(fields: dict, score: float, snippet: str) -> Hit:
    return Hit(
        id=fields["id"], score=score, text=fields["text"], snippet=snippet,
        doc={"id": fields["doc_id"], "title": fields.get("title"), "namnd": fields.get("namnd"),
             "year": fields.get("year"), "report_type": fields.get("report_type"), "period": fields.get("period"),
             "source": fields.get("source")},
        section={"kind": fields.get("kind"), "heading": fields.get("heading") or None,
                 "goal_path": fields.get("goal_path") or []},
        page=fields.get("page"), lines=fields.get("lines") or [], amounts=fields.get("amounts") or [],
        deviation={"ja": True, "nej": False}.get(fields.get("deviation")), page_label=fields.get("page_label"),
        ocr=bool(fields.get("ocr")),
    )


class MarkFormatter(highlight.HtmlFormatter):
    """Escaped text with plain <mark> around the matched words."""

    def format_token(self, text, token, replace=False):
        return f"<mark>{highlight.htmlescape(highlight.get_text(text, token, replace))}</mark>"


def _formatter():
    return MarkFormatter(between=" … ")


def _snippet(hit, text: str) -> str:
    fragment = hit.highlights("text", text=text, top=2)
    if fragment:
        return fragment
    return highlight.htmlescape(text[:300]) + ("…" if len(text) > 300 else "")


def _fingerprint(text: str) -> tuple[set[str], set[str]]:
    """The passage's words, and its long sentences normalised."""
    words = set(re.findall(r"\w+", text.lower()))
    keys = {word_key(s) for s in sentences(text)}
    return words, {s for s in keys if len(s) >= 80}


def _repeats(words: set[str], sentences: set[str], other_words: set[str], other_sentences: set[str]) -> bool:
    """Near-identical: nearly all words of the shorter are in the longer, or a long sentence is shared."""
    if sentences & other_sentences:
        return True
    smaller = min(len(words), len(other_words)) or 1
    return len(words & other_words) / smaller >= 0.9


def search(searcher, params: SearchParams, ranking: Ranking = DEFAULT) -> SearchResult:
    params = params.validate()
    q = build_query(searcher, params.q, ranking)
    flt = _filters(params)
    facets = sorting.Facets()
    for name in FACETS:
        facets.add_field(name, allow_overlap=False)
    sortedby = None
    if params.sort != "relevance":
        sortedby = sorting.FieldFacet("when", reverse=params.sort == "date")
    wanted = params.offset + params.limit
    # Fetch more than needed: near-identical passages (summaries repeat goal texts) collapse.
    fetch = max(wanted * 3, 60)
    results = searcher.search(q, limit=fetch, filter=flt, groupedby=facets, sortedby=sortedby,
                              maptype=sorting.Count)
    results.fragmenter = highlight.ContextFragmenter(maxchars=260, surround=70)
    results.formatter = _formatter()
    mentioned = mentioned_metadata(searcher, params.q)
    analyzer = searcher.schema["text"].analyzer
    concepts = query_concepts(params.q, mentioned, analyzer)
    expected = answer_type(params.q)

    def adjusted(r, fields) -> float:
        # Names of years and nämnder in the query are a soft preference, not a filter; passages
        # that cover more of the query's words beat ones that repeat a few; a question's expected
        # answer (an amount for "hur mycket") favours passages holding one.
        return ((r.score or 0.0) * mentioned.boost(fields, ranking)
                * coverage(concepts, fields["text"], analyzer) ** ranking.coverage
                * (1 + ranking.answer_type * carries(expected, fields["text"])))

    ranked = []
    for r in results[:fetch]:
        fields = r.fields()
        ranked.append((adjusted(r, fields) if params.sort == "relevance" else r.score or 0.0, r, fields))
    if params.sort == "relevance":
        ranked.sort(key=lambda item: -item[0])
    hits: list[Hit] = []
    kept: list[tuple[set[str], set[str]]] = []
    for score, r, fields in ranked:
        words, sentences = _fingerprint(fields["text"])
        if any(_repeats(words, sentences, w, s) for w, s in kept):
            continue  # the same fact again (summaries repeat goal texts word for word)
        kept.append((words, sentences))
        hits.append(_stored_hit(fields, score, _snippet(r, fields["text"])))
        if len(hits) >= wanted:
            break
    facet_counts = {}
    for name in FACETS:
        groups = results.groups(name)
        facet_counts[name] = sorted(((str(k), v) for k, v in groups.items() if k not in (None, "")),
                                    key=lambda kv: (-kv[1], kv[0]))
    return SearchResult(total=len(results), hits=hits[params.offset:wanted], facets=facet_counts,
                        suggestion=suggest(searcher, params.q), query=params.q)


def more_like_this(searcher, passage_id: str, limit: int = 5) -> list[Hit]:
    docnum = searcher.document_number(id=passage_id)
    if docnum is None:
        raise KeyError(passage_id)
    fields = searcher.stored_fields(docnum)
    results = searcher.more_like(docnum, "text", text=fields["text"], top=limit + 5, numterms=12)
    hits = []
    kept = [_fingerprint(fields["text"])]
    for r in results:
        f = r.fields()
        fingerprint = _fingerprint(f["text"])
        if f["id"] == passage_id or any(_repeats(*fingerprint, *other) for other in kept):
            continue
        kept.append(fingerprint)
        hits.append(_stored_hit(f, r.score or 0.0, highlight.htmlescape(f["text"][:300])))
    return hits[:limit]

