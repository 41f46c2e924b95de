"""The tantivy engine (`pip install 'rapportsok[tantivy]'`, `[index] engine = "tantivy"`): for
archives Whoosh cannot carry. The Swedish analysis stays ours: each text field holds our
analyzer's tokens, joined by spaces and split again by tantivy's whitespace tokenizer, so both
engines match the same passages for the same query. Queries arrive as the Whoosh query tree the
product plans and are translated here. tantivy scores BM25 per field and sums the fields (Whoosh:
BM25F), so rankings differ within the noise of BM25 variants.

A document number is the tantivy address packed into one integer (segment << 32 | document):
valid for one searcher, which is what a generation's requests share.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import json
import mmap
import pickle
import re
import struct
import threading
import zlib
from collections import OrderedDict, deque
from pathlib import Path
from concurrent.futures import Future
from typing import Callable, Iterable, Iterator, NamedTuple

import tantivy
from rapidfuzz.distance import Levenshtein
from whoosh import fields as whoosh_fields
from whoosh import query

from .analysis import phrase_analyzer
from .engine import FileWatch, Filter, Matched, Unreadable
from .workers import pool as worker_pool

Q, Occur = tantivy.Query, tantivy.Occur
STORED = "stored"  # every stored field of a passage, as JSON: one read per hit
GROUP_KEY = "group_key"  # the near-identical group, as a number in a column
HEAP = 256_000_000  # the writer's memory, split between its threads
NUMERIC = ("year", "when", "order")
# Fields filtered or counted on, or read for every report (tantivy reads these as columns).
FAST = ("namnd", "report_type", "kind", "status", "deviation", "doc_id", "period")
# Where a field's "phrases" are matched: its words one token each (the phrase analysis), so a
# token's position is its word's, as in Whoosh, where a word's lemma and compound parts share it.
PHRASES = "{}_phrases"


def _text_fields(schema) -> list[str]:
    return [name for name, f in schema.items() if isinstance(f, whoosh_fields.TEXT)]


def token_fields(schema) -> dict[str, tuple[str, object]]:
    """tantivy's text fields: name → (the passage field it holds, the analyzer of its tokens)."""
    out = {name: (name, schema[name].analyzer) for name in _text_fields(schema)}
    for name in _text_fields(schema):
        if schema[name].format.supports("positions"):
            out[PHRASES.format(name)] = (name, phrase_analyzer(schema[name].analyzer))
    return out


def tantivy_schema(schema) -> tantivy.Schema:
    """The passage schema in tantivy terms: text fields hold our tokens; ID fields are whole
    values; numbers are indexed and fast; what is stored is stored once, as JSON."""
    sb = tantivy.SchemaBuilder()
    for name in token_fields(schema):  # positions only where phrases are matched
        sb.add_text_field(name, tokenizer_name="whitespace",
                          index_option="position" if name.endswith(PHRASES.format("")) else "freq")
    for name, f in schema.items():
        if isinstance(f, whoosh_fields.NUMERIC):
            sb.add_integer_field(name, indexed=True, fast=True)
        elif isinstance(f, whoosh_fields.ID):
            sb.add_text_field(name, tokenizer_name="raw", fast=name in FAST)
    sb.add_unsigned_field(GROUP_KEY, fast=True)
    sb.add_bytes_field(STORED, stored=True)
    return sb.build()


def group_key(group: str) -> int:
    """The group as a number: tantivy reads numeric columns for many documents at once."""
    return int.from_bytes(hashlib.blake2b(group.encode(), digest_size=8).digest(), "big")


def _stored_names(schema) -> list[str]:
    return [name for name, f in schema.items() if f.stored]


class TokenCache:
    """Our analyzer's tokens for a text, space-joined, with each distinct word analysed once: a
    word's lemma and compound parts do not change between passages, and the filters after the
    tokenizer look at one word at a time. The section text every passage of a section carries
    as its context is analysed once too. The words are the tokenizer's own matches, found
    without its Token objects: most of a build's time went to making them."""

    CONTEXTS = 64

    def __init__(self, analyzer):
        tokenizer = analyzer.items[0]
        # Its matches are its words: not so for one that splits on its expression, and findall
        # would give a group's text, not the match, for a pattern with groups.
        assert not tokenizer.gaps and not tokenizer.expression.groups, tokenizer.expression.pattern
        self._find = tokenizer.expression.findall
        self._words = _Words(lambda word: " ".join(x.text for x in analyzer(word)))
        self._texts: OrderedDict[str, str] = OrderedDict()

    def __call__(self, text: str) -> str:
        if text in self._texts:
            return self._texts[text]
        joined = self._texts[text] = " ".join(filter(None, map(self._words.__getitem__, self._find(text))))
        while len(self._texts) > self.CONTEXTS:
            self._texts.popitem(last=False)
        return joined


class _Words(dict):
    """word → its tokens, space-joined ("" for a stop word), analysed when first asked for."""

    def __init__(self, analyse: Callable[[str], str]):
        super().__init__()
        self._analyse = analyse

    def __missing__(self, word: str) -> str:
        tokens = self[word] = self._analyse(word)
        return tokens


class Preparer:
    """A passage's fields → the document tantivy takes, as a dict of final values: our tokens for
    the text fields (and their phrase fields), whole values, numbers, the group as a number and
    the stored fields as JSON. Made here or in a worker process, whose word analyses it keeps
    across batches."""

    def __init__(self, schema):
        self._caches = {name: (source, TokenCache(analyzer)) for name, (source, analyzer) in
                        token_fields(schema).items()}
        self._whole = {name for name, f in schema.items() if isinstance(f, whoosh_fields.ID)}
        self._stored = _stored_names(schema)

    def __call__(self, batch: list[dict]) -> list[dict]:
        return [self._document(fields) for fields in batch]

    def _document(self, fields: dict) -> dict:
        doc = {}
        for name, (source, tokens) in self._caches.items():
            if fields.get(source) is not None:
                doc[name] = tokens(fields[source])
        for name, value in fields.items():
            if value is None or name in self._caches:
                continue
            if name in NUMERIC:
                doc[name] = int(value)
            elif name in self._whole:
                doc[name] = str(value)
        doc[GROUP_KEY] = group_key(fields.get("group") or fields["id"])
        doc[STORED] = json.dumps({n: fields[n] for n in self._stored if n in fields}, ensure_ascii=False).encode()
        return doc


_preparer: Preparer | None = None  # a preparing worker's own


def _start_preparing(schema) -> None:
    global _preparer
    _preparer = Preparer(schema)


def _prepare_in_worker(batch: list[dict]) -> list[dict]:
    return _preparer(batch)


class _Delete(NamedTuple):
    field: str
    value: str


class TantivyWriter:
    """Adds and deletes passages; nothing is seen until `commit`.

    Our Swedish analysis costs more than tantivy's indexing, so with `workers` > 1 a build of
    more than one batch is prepared by that many processes, a batch of passages at a time, while
    this one hands the documents to tantivy; every operation still reaches tantivy in the order
    it was asked for. A smaller build is prepared here: starting the workers would cost more."""

    BATCH = 500
    IN_FLIGHT = 2  # batches per worker: none waits for the next while this process adds documents

    def __init__(self, ix: TantivyIndex, workers: int = 1):
        self._ix = ix
        self._writer = ix.tantivy.writer(heap_size=HEAP)
        self._schema = ix.tantivy.schema
        self._prepare = Preparer(ix.schema)
        self._workers = workers
        self._pool = None
        self._batch: list[dict] = []
        # In the order they were asked for: documents prepared (or their future), deletions.
        self._pending: deque[list[dict] | Future | _Delete] = deque()

    def add_document(self, **fields) -> None:
        self._batch.append(fields)
        if len(self._batch) >= self.BATCH:
            self._send()

    def delete_by_term(self, field: str, value: str) -> None:
        self._send()
        self._pending.append(_Delete(field, value))

    def add_prepared(self, documents: list[dict]) -> None:
        """Documents a `Preparer` made elsewhere, after whatever was asked for before them."""
        self._send()
        self._pending.append(documents)
        self._write(keep=self.IN_FLIGHT * self._workers)

    def _send(self) -> None:
        batch, self._batch = self._batch, []
        if not batch:
            return
        if self._pool is None and self._workers > 1 and len(batch) >= self.BATCH:
            self._pool = worker_pool(self._workers, _start_preparing, (self._ix.schema,))
        self._pending.append(self._prepare(batch) if self._pool is None else
                             self._pool.submit(_prepare_in_worker, batch))
        self._write(keep=self.IN_FLIGHT * self._workers)

    def _write(self, keep: int) -> None:
        while len(self._pending) > keep:
            op = self._pending.popleft()
            if isinstance(op, _Delete):
                self._writer.delete_documents_by_term(op.field, op.value)
                continue
            for doc in op.result() if isinstance(op, Future) else op:
                self._writer.add_document(tantivy.Document.from_dict(doc, self._schema))

    def commit(self) -> None:
        self._send()
        self._write(keep=0)
        self._stop()
        try:
            self._writer.commit()
        except ValueError as exc:  # tantivy's I/O errors (a full disk) are an OSError here, as Whoosh's are
            raise OSError(str(exc)) from exc
        self._writer.garbage_collect_files()  # segments merged away: a file count that means something
        self._writer.wait_merging_threads()
        self._ix.tantivy.reload()

    def cancel(self) -> None:
        self._stop()
        self._writer.rollback()
        self._writer = None  # its lock on the index goes now, not with a traceback that holds this writer

    def _stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


class TantivyIndex:
    """One tantivy index generation. Our Whoosh schema (the analyzers, which fields are stored)
    is kept beside it, pickled as Whoosh keeps its own."""

    SCHEMA_FILE = "whoosh-schema.pickle"
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
    def create(cls, folder: Path, schema) -> TantivyIndex:
        (Path(folder) / cls.SCHEMA_FILE).write_bytes(pickle.dumps(schema))
        return cls(folder, schema, tantivy.Index(tantivy_schema(schema), path=str(folder), reuse=False))

    @classmethod
    def exists(cls, folder: Path) -> bool:
        return (Path(folder) / cls.SCHEMA_FILE).is_file() and (Path(folder) / "meta.json").is_file()

    @classmethod
    def open(cls, folder: Path) -> TantivyIndex:
        schema = pickle.loads((Path(folder) / cls.SCHEMA_FILE).read_bytes())
        try:
            ix = cls(folder, schema, _guard(tantivy.Index.open, str(folder)))
            ix.searcher()  # opens every segment's files: one deleted fails here
        except ValueError as exc:  # tantivy's read errors
            raise OSError(str(exc)) from exc
        return ix

    def writer(self, workers: int = 1) -> TantivyWriter:
        return TantivyWriter(self, workers)

    @staticmethod
    def preparer(schema) -> Preparer:
        """What makes passages' fields the documents `TantivyWriter.add_prepared` takes, in the
        process that read the report (the build's own pipeline)."""
        return Preparer(schema)

    def seal(self) -> None:
        """Nothing to record: tantivy ends every segment file with its checksum."""

    def _stamp(self) -> float:
        return (self.folder / "meta.json").stat().st_mtime_ns

    def searcher(self, weighting=None, key=None, own: bool = False) -> TantivyEngine:
        """The generation's searcher, shared by every thread (tantivy's searchers are), renewed
        when a commit changed the index; the checksums of segments not seen before are checked
        first. `weighting` is Whoosh's: tantivy scores BM25 its own way."""
        retries = 2
        with self._lock:
            while True:
                stamp = self._stamp()
                if self._current is not None and self._current[0] == stamp:
                    return self._current[1]
                try:
                    self._check_segments()
                    _guard(self.tantivy.reload)
                    self._current = (stamp, TantivyEngine(_guard(self.tantivy.searcher), self.schema,
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


def _guard(call, *args, **kwargs):
    """`call`, with a Rust panic raised as Unreadable. tantivy panics on postings it cannot decode,
    and pyo3 raises that as PanicException, a BaseException: no error handler would catch it and it
    would end the server's worker (the client getting an empty reply)."""
    try:
        return call(*args, **kwargs)
    except BaseException as exc:
        if type(exc).__module__ != "pyo3_runtime":  # PanicException cannot be imported by name
            raise
        raise Unreadable(f"tantivy could not read the index ({exc})") from exc


class _Guarded:
    """A tantivy object whose every method (and attribute) turns a panic into Unreadable."""

    def __init__(self, wrapped):
        self._wrapped = wrapped

    def __getattr__(self, name: str):
        value = _guard(getattr, self._wrapped, name)
        return functools.partial(_guard, value) if callable(value) else value


# What a segment is made of, and the end of each of its files: a JSON footer holding the CRC32 of
# what precedes it, the footer's length and this number.
SEGMENT_PARTS = ("idx", "pos", "term", "store", "fast", "fieldnorm")
FOOTER_MAGIC = 1337


def segment_files(folder: Path) -> list[str]:
    """The files the committed segments (meta.json) are read from."""
    meta = json.loads((folder / "meta.json").read_bytes())
    names = []
    for seg in meta["segments"]:
        sid = seg["segment_id"].replace("-", "")
        names += [f"{sid}.{part}" for part in SEGMENT_PARTS if (folder / f"{sid}.{part}").exists()]
        if seg.get("deletes"):
            names.append(f"{sid}.{seg['deletes']['opstamp']}.del")
    return names


def check_footer(path: Path) -> None:
    """tantivy's own checksum of a segment file (its `validate_checksum`, which tantivy-py does
    not offer). tantivy does not check it when it reads: damaged postings make it panic or loop
    without end, so they must be found before a query runs."""
    with path.open("rb") as f:
        size = f.seek(0, 2)
        if size < 8:
            raise Unreadable(f"{path.name} is cut short")
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
            length, magic = struct.unpack("<II", data[-8:])
            try:
                crc = json.loads(data[size - 8 - length:size - 8])["crc"] if magic == FOOTER_MAGIC else None
            except (ValueError, KeyError, TypeError):
                crc = None
            with memoryview(data) as view, view[:max(size - 8 - length, 0)] as body:
                if crc is None or zlib.crc32(body) != crc:
                    raise Unreadable(f"{path.name}: its checksum does not match")


def _pack(address) -> int:
    return address.segment_ord << 32 | address.doc


def _address(docnum: int):
    return tantivy.DocAddress(docnum >> 32, docnum & 0xFFFFFFFF)


class TantivyEngine:
    """A generation as search sees it: the same methods as the Whoosh engine."""

    def __init__(self, searcher: tantivy.Searcher, schema, tschema: tantivy.Schema):
        self.searcher = _Guarded(searcher)
        self.schema = schema
        self._tschema = tschema
        self._text = set(_text_fields(schema))
        self._lock = threading.Lock()
        self._extra: dict = {}
        self._stored: OrderedDict[int, dict] = OrderedDict()

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

    def stored_fields(self, docnum: int) -> dict:
        with self._lock:
            if docnum in self._stored:
                return self._stored[docnum]
        fields = json.loads(self.searcher.doc(_address(docnum)).to_dict()[STORED][0])
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

    def documents(self, **terms) -> list[dict]:
        return [self.stored_fields(d) for d in self._all(self._translate(query.And(
            [query.Term(k, v) for k, v in terms.items()])))]

    def document(self, **terms) -> dict | None:
        docnum = self.document_number(**terms)
        return None if docnum is None else self.stored_fields(docnum)

    def document_number(self, **terms) -> int | None:
        """The first document holding these values (Whoosh's: the lowest number)."""
        q = self._translate(query.And([query.Term(k, v) for k, v in terms.items()]))
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

    def all_stored_fields(self) -> Iterator[dict]:
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

    def find(self, q: query.Query, sortedby: str | None = None, limit: int | None = None) -> list[dict]:
        tq = self._translate(q)
        size = limit or max(self.searcher.search(tq, 1, count=True).count, 1)
        if sortedby:
            hits = self.searcher.search(tq, size, count=False, order_by_field=sortedby, order=tantivy.Order.Asc).hits
        else:
            hits = self.searcher.search(tq, size, count=False).hits
        return [self.stored_fields(_pack(a)) for _, a in hits]

    # --- the Whoosh query tree in tantivy terms --------------------------------------------

    def _translate(self, q: query.Query):
        s = self._tschema
        boost = getattr(q, "boost", 1.0)
        if q is query.NullQuery:
            return Q.empty_query()
        if isinstance(q, query.Term):
            value = int(q.text) if q.fieldname in NUMERIC else q.text
            out = Q.term_query(s, q.fieldname, value)
        elif isinstance(q, query.Every):
            out = Q.all_query()
        elif isinstance(q, query.AndMaybe):
            out = Q.boolean_query([(Occur.Must, self._translate(q.a)), (Occur.Should, self._translate(q.b))])
        elif isinstance(q, query.AndNot):
            out = Q.boolean_query([(Occur.Must, self._translate(q.a)), (Occur.MustNot, self._translate(q.b))])
        elif isinstance(q, query.Not):
            out = Q.boolean_query([(Occur.Must, Q.all_query()), (Occur.MustNot, self._translate(q.query))])
        elif isinstance(q, query.And):
            out = self._boolean(q.subqueries, Occur.Must)
        elif isinstance(q, query.Or):
            out = self._boolean(q.subqueries, Occur.Should)
        elif isinstance(q, query.Phrase):
            # Whoosh's slop 1 is next to each other, tantivy's 0.
            out = Q.phrase_query(s, PHRASES.format(q.fieldname), list(q.words), q.slop - 1)
        elif isinstance(q, (query.Prefix, query.Wildcard)):
            out = Q.regex_query(s, q.fieldname, _regex(q))
        elif isinstance(q, query.NumericRange):
            out = Q.range_query(s, q.fieldname, tantivy.FieldType.Integer,
                                -(2 ** 31) if q.start is None else q.start, 2 ** 31 if q.end is None else q.end,
                                include_lower=not q.startexcl, include_upper=not q.endexcl)
        else:
            raise TypeError(f"the tantivy engine cannot run a {type(q).__name__} query")
        return Q.boost_query(out, boost) if boost != 1.0 else out

    def _boolean(self, children, occur):
        children = [c for c in children if c is not query.NullQuery]
        if not children:
            return Q.empty_query()
        return Q.boolean_query([(occur, self._translate(c)) for c in children])


def _regex(node: query.Prefix | query.Wildcard) -> str:
    if isinstance(node, query.Prefix):
        return re.escape(node.text) + ".*"
    return fnmatch.translate(node.text).removeprefix("(?s:").removesuffix(")\\Z")
