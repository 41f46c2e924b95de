"""The tantivy engine (`[index] engine = "tantivy"`, or `auto` past TANTIVY_FROM passages): for
archives Whoosh cannot carry. The Swedish analysis stays ours (tantivy_write.py). Queries arrive
as the product's query type and are translated here. tantivy scores BM25 per field and sums the
fields (Whoosh: BM25F), so rankings differ within the noise of BM25 variants.

A document number is the tantivy address packed into one integer (segment << 32 | document):
valid for one searcher, which is what a generation's requests share.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import asdict
from pathlib import Path
from typing import Callable, Iterable, Iterator

import tantivy
from rapidfuzz.distance import Levenshtein

from ...config import Analysis
from ..analysis import TextAnalysis
from ..schema import make_schema
from . import query
from .base import BM25, FileWatch, Filter, Matched, StoredPassage, Unreadable
from .tantivy_files import Guarded, check_footer, guard, segment_files
from .tantivy_query import translate
from .tantivy_write import GROUP_KEY, NUMERIC, STORED, Preparer, TantivyWriter, tantivy_schema, text_fields, token_fields

Q, Occur = tantivy.Query, tantivy.Occur


class TantivyIndex:
    """One tantivy index generation. Our Whoosh schema (the analyzers, which fields are stored)
    is not kept: the analysis settings are (`analysis.json`), and the schema is made from them."""

    SETTINGS_FILE = "analysis.json"
    COMMIT_FILES = ("meta.json",)  # a commit is done once its meta.json is replaced

    def __init__(self, folder: Path, schema, index: tantivy.Index):
        self.folder = Path(folder)
        self.schema = schema
        self.tantivy = index
        self._lock = threading.Lock()
        self._current: tuple[float, TantivyEngine] | None = None
        self._checked: set[tuple[str, int, int]] = set()  # segment files whose checksum matched
        self._files = FileWatch(self.folder, self._stamp, lambda: ["meta.json", *segment_files(self.folder)])

    @classmethod
    def create(cls, folder: Path, analysis: Analysis) -> TantivyIndex:
        (Path(folder) / cls.SETTINGS_FILE).write_text(json.dumps(asdict(analysis)), encoding="utf-8")
        schema = make_schema(analysis)
        return cls(folder, schema, tantivy.Index(tantivy_schema(schema), path=str(folder), reuse=False))

    @classmethod
    def exists(cls, folder: Path) -> bool:
        return (Path(folder) / cls.SETTINGS_FILE).is_file() and (Path(folder) / "meta.json").is_file()

    @classmethod
    def open(cls, folder: Path) -> TantivyIndex:
        try:
            schema = make_schema(Analysis(**json.loads((Path(folder) / cls.SETTINGS_FILE).read_bytes())))
            ix = cls(folder, schema, guard(tantivy.Index.open, str(folder)))
            ix.searcher()  # opens every segment's files: one deleted fails here
        except ValueError as exc:  # tantivy's read errors
            raise OSError(str(exc)) from exc
        return ix

    def writer(self, workers: int = 1) -> TantivyWriter:
        return TantivyWriter(self.tantivy, self.schema, workers)

    @staticmethod
    def preparer(analysis: Analysis) -> Preparer:
        """What makes passages' fields the documents `TantivyWriter.add_prepared` takes, in the
        process that read the report (the build's own pipeline)."""
        return Preparer(make_schema(analysis))

    def seal(self) -> None:
        """Nothing to record: tantivy ends every segment file with its checksum."""

    def _stamp(self) -> float:
        return (self.folder / "meta.json").stat().st_mtime_ns

    def searcher(self, bm25: BM25 = BM25(), own: bool = False) -> TantivyEngine:
        """The generation's searcher, shared by every thread (tantivy's searchers are), renewed
        when a commit changed the index; the checksums of segments not seen before are checked
        first. tantivy scores BM25 its own way, with its own parameters."""
        retries = 2
        with self._lock:
            while True:
                stamp = self._stamp()
                if self._current is not None and self._current[0] == stamp:
                    return self._current[1]
                try:
                    self._check_segments()
                    guard(self.tantivy.reload)
                    self._current = (stamp, TantivyEngine(guard(self.tantivy.searcher), self.schema,
                                                          self.tantivy.schema))
                    return self._current[1]
                except (OSError, ValueError) as exc:
                    # A commit while this one opened: the files of the segments it merged away are
                    # removed. Damage only if the index stayed as it was.
                    if not retries or self._stamp() == stamp:
                        raise exc if isinstance(exc, OSError) else Unreadable(str(exc)) from exc
                    retries -= 1

    def _check_segments(self) -> None:
        for name in segment_files(self.folder):
            path = self.folder / name
            st = path.stat()
            key = (name, st.st_size, st.st_mtime_ns)
            if key not in self._checked:
                check_footer(path)
                self._checked.add(key)

    def verify(self) -> None:
        """Check every segment file's checksum, then read every posting list: each indexed word
        of each field searched (a damaged one makes tantivy panic, raised as Unreadable), and every
        stored passage."""
        self._checked.clear()
        self._check_segments()
        engine = self.searcher()
        for name in token_fields(self.schema):
            for term, _ in engine.searcher.terms_with_prefix(name, ""):
                engine.searcher.search(Q.term_query(self.tantivy.schema, name, term), 1, count=True)
        for _ in engine.all_stored_fields():
            pass

    def unsound(self) -> str | None:
        return self._files.unsound()

    def files_key(self) -> tuple:
        return self._files.key()


def _pack(address) -> int:
    return address.segment_ord << 32 | address.doc


def _address(docnum: int):
    return tantivy.DocAddress(docnum >> 32, docnum & 0xFFFFFFFF)


class TantivyEngine:
    """A generation as search sees it: the same methods as the Whoosh engine."""

    def __init__(self, searcher: tantivy.Searcher, schema, tschema: tantivy.Schema):
        self.searcher = Guarded(searcher)
        self.schema = schema
        self._tschema = tschema
        self._text = set(text_fields(schema))
        self._lock = threading.Lock()
        self._extra: dict = {}
        self._stored: OrderedDict[int, StoredPassage] = OrderedDict()
        self._analyses: dict[str, TextAnalysis] = {}

    def __enter__(self) -> TantivyEngine:
        return self

    def __exit__(self, *exc) -> None:
        pass

    # --- lookups --------------------------------------------------------------------------

    def doc_count(self) -> int:
        return self.searcher.num_docs

    def doc_frequency(self, field: str, token: str) -> int:
        return self.searcher.doc_freq(field, token)

    def lexicon(self, field: str) -> Iterator[str]:
        return iter(sorted(t for t, _ in self.searcher.terms_with_prefix(field, "")))

    def expand_prefix(self, field: str, prefix: str) -> Iterator[str]:
        return iter(sorted(t for t, _ in self.searcher.terms_with_prefix(field, prefix)))

    def suggest(self, field: str, word: str, limit: int, maxdist: int, prefix: int) -> list[str]:
        """The nearest indexed words by edit distance, then the most used (as Whoosh's corrector)."""
        near = []
        for term, count in self.searcher.terms_with_prefix(field, word[:prefix]):
            distance = Levenshtein.distance(word, term, score_cutoff=maxdist)
            if distance <= maxdist and term != word:
                near.append((distance, -count, term))
        return [term for _, _, term in sorted(near)[:limit]]

    def analysis(self, field: str = "text") -> TextAnalysis:
        if field not in self._analyses:
            self._analyses[field] = TextAnalysis(self.schema[field].analyzer)
        return self._analyses[field]

    def stored_fields(self, docnum: int) -> StoredPassage:
        with self._lock:
            if docnum in self._stored:
                return self._stored[docnum]
        fields = StoredPassage(**json.loads(self.searcher.doc(_address(docnum)).to_dict()[STORED][0]))
        with self._lock:
            self._stored[docnum] = fields
            while len(self._stored) > 10_000:
                self._stored.popitem(last=False)
        return fields

    def groups(self, docnums: list[int]) -> list:
        return self.searcher.fast_field_values(GROUP_KEY, [_address(d) for d in docnums]) if docnums else []

    def _all(self, q) -> list[int]:
        count = self.searcher.search(q, 1, count=True).count
        return [_pack(a) for _, a in self.searcher.search(q, max(count, 1), count=False).hits] if count else []

    def documents(self, **terms) -> list[StoredPassage]:
        return [self.stored_fields(d) for d in self._all(self._translate(_all_of(terms)))]

    def document(self, **terms) -> StoredPassage | None:
        docnum = self.document_number(**terms)
        return None if docnum is None else self.stored_fields(docnum)

    def document_number(self, **terms) -> int | None:
        """The first document holding these values (Whoosh's: the lowest number)."""
        q = self._translate(_all_of(terms))
        hits = self.searcher.search(q, 1, count=False, order_by_field="order", order=tantivy.Order.Asc).hits
        return _pack(hits[0][1]) if hits else None

    # Values of a key per aggregation in `first_documents`: each adds a bucket per value of every
    # field asked for, and tantivy stops an aggregation at 65,000 buckets.
    FIRST_CHUNK = 2_000

    def first_documents(self, key: str, names: tuple[str, ...]) -> list[dict]:
        """For each value of `key`, in order, these fields of its first document (lowest `order`),
        read from the columns by aggregations: reading a stored passage per value instead maps
        a few pages of the store file around each into this process's memory. A field's value is
        the one whose documents hold that lowest `order`; none holds it when the first lacks it."""
        keys = [b["key"] for b in self.searcher.aggregate(Q.all_query(), {"k": {"terms": {
            "field": key, "size": 65_000, "order": {"_key": "asc"}}}}).get("k", {}).get("buckets", [])]
        first = {"first": {"min": {"field": "order"}}}
        fields = {n: {"terms": {"field": n, "size": 1_000}, "aggs": first} for n in names if n != key}
        out = []
        for at in range(0, len(keys), self.FIRST_CHUNK):
            chunk = keys[at:at + self.FIRST_CHUNK]
            agg = {"k": {"terms": {"field": key, "size": len(chunk), "order": {"_key": "asc"}},
                         "aggs": {**first, **fields}}}
            result = self.searcher.aggregate(Q.term_set_query(self._tschema, key, chunk), agg)
            for bucket in result.get("k", {}).get("buckets", []):
                row = {}
                for n in names:
                    values = [v for v in bucket[n]["buckets"] if v["first"]["value"] == bucket["first"]["value"]] \
                        if n != key else [bucket]
                    row[n] = None if not values else int(values[0]["key"]) if n in NUMERIC else values[0]["key"]
                out.append(row)
        return out

    def all_stored_fields(self) -> Iterator[StoredPassage]:
        return (self.stored_fields(d) for d in self._all(Q.all_query()))

    def per_generation(self, name: str, build: Callable[[], object]):
        if name not in self._extra:
            value = build()
            with self._lock:
                self._extra.setdefault(name, value)
        return self._extra[name]

    # --- matching -------------------------------------------------------------------------

    def _filter(self, flt: Filter):
        parts = [(Occur.Must, Q.term_query(self._tschema, name, value)) for name, value in flt.terms]
        if flt.years is not None:
            low, high = flt.years
            parts.append((Occur.Must, Q.range_query(self._tschema, "year", tantivy.FieldType.Integer,
                                                    -(2 ** 31) if low is None else low,
                                                    2 ** 31 if high is None else high)))
        return Q.const_score_query(Q.boolean_query(parts), 0.0)

    def _with(self, q: query.Query, flt: Filter | None):
        translated = self._translate(q)
        if not flt:
            return translated
        return Q.boolean_query([(Occur.Must, translated), (Occur.Must, self._filter(flt))])

    def match(self, q: query.Query, flt: Filter | None, limit: int | None, by_date: str | None = None) -> Matched:
        tq = self._with(q, flt)
        if limit is None:
            count = self.searcher.search(tq, 1, count=True).count
            return Matched(self._top(tq, max(count, 1), by_date, False)[0], count)
        top, found = self._top(tq, limit, by_date, True)
        return Matched(top, found.count)

    def best(self, q: query.Query, flt: Filter | None, limit: int, by_date: str | None = None) -> list[tuple[float, int]]:
        """The best `limit` matches, not counted: tantivy then skips blocks that cannot make the top."""
        return self._top(self._with(q, flt), limit, by_date, False)[0]

    def _top(self, tq, size: int, by_date: str | None, count: bool):
        """(score, docnum) of the best `size` by score or date, and tantivy's result."""
        if by_date:
            order = tantivy.Order.Desc if by_date == "newest" else tantivy.Order.Asc
            found = self.searcher.search(tq, size, count=count, order_by_field="when", order=order)
            return [(0.0, _pack(a)) for _, a in found.hits], found
        found = self.searcher.search(tq, size, count=count)
        return [(float(score), _pack(a)) for score, a in found.hits], found

    def facet_counts(self, q: query.Query, flt: Filter | None, names: Iterable[str]) -> dict[str, dict]:
        """Matched passages per value of each field, counted by tantivy (terms aggregations)."""
        names = list(names)
        result = self.searcher.aggregate(self._with(q, flt), {n: {"terms": {"field": n, "size": 10_000}}
                                                               for n in names})
        return {n: {b["key"]: b["doc_count"] for b in result.get(n, {}).get("buckets", [])} for n in names}

    def find(self, q: query.Query, sortedby: str | None = None, limit: int | None = None) -> list[StoredPassage]:
        tq = self._translate(q)
        size = limit or max(self.searcher.search(tq, 1, count=True).count, 1)
        if sortedby:
            hits = self.searcher.search(tq, size, count=False, order_by_field=sortedby, order=tantivy.Order.Asc).hits
        else:
            hits = self.searcher.search(tq, size, count=False).hits
        return [self.stored_fields(_pack(a)) for _, a in hits]

    def _translate(self, q: query.Query):
        return translate(q, self._tschema)


def _all_of(terms: dict[str, str]) -> query.And:
    return query.And(tuple(query.Term(k, v) for k, v in terms.items()))
