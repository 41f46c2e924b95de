"""The Whoosh engine: one index generation opened for reading, its searchers, and the product's
query type in Whoosh's terms.

What belongs to a generation's lifetime is built once, when first asked, and shared by every
request until the index changes: a searcher per thread (Whoosh's searchers keep matcher state,
so threads do not share one), the facet columns as arrays by document number (counting a facet
is one pass over the matched numbers) and the filters' document sets.
"""

from __future__ import annotations

import json
import os
import threading
import zlib
from pathlib import Path
from collections import OrderedDict
from typing import Callable, Iterable, Iterator

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import scoring, sorting
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.index import Index

from ...config import Analysis
from ..analysis import TextAnalysis
from ..schema import make_schema
from . import query
from .base import BM25, FileWatch, Filter, Matched, StoredPassage, Unreadable
from .whoosh_columns import Column, column_values
from .whoosh_query import to_whoosh

# Filters' document sets kept per generation: the years, nämnder and kinds users pick most.
FILTER_CACHE = 32


def _crc(path: Path) -> int:
    crc = 0
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            crc = zlib.crc32(block, crc)
    return crc


class WhooshIndex:
    """One Whoosh index generation, opened for reading; searchers come from `searcher()`."""

    COMMIT_FILES = ("*.toc",)  # a commit is done once its table of contents is written

    @classmethod
    def create(cls, folder: Path, analysis: Analysis) -> WhooshIndex:
        return cls(whoosh_index.create_in(str(folder), make_schema(analysis)))

    @classmethod
    def in_memory(cls, schema) -> WhooshIndex:
        """An index held in memory (benchmarks, the stock baseline): nothing on disk to watch."""
        return cls(RamStorage().create_index(schema))

    @classmethod
    def exists(cls, folder: Path) -> bool:
        """Whether a table of contents is there (Whoosh's exists_in reads it, and a damaged one
        would fail with whatever its bytes make of it: `open` says it is damaged)."""
        return folder.is_dir() and whoosh_index.TOC._latest_generation(FileStorage(str(folder)), "MAIN") > -1

    @classmethod
    def open(cls, folder: Path) -> WhooshIndex:
        ix = whoosh_index.open_dir(str(folder))
        ix.reader().close()  # opens every segment's files: one deleted or cut short fails here
        opened = cls(ix)
        opened.check_files()
        return opened

    # Whoosh keeps no checksums: `seal` writes one per file after each commit (its files never
    # change once written), so bytes written into a segment are found when it is opened, by an
    # index run as by the app, not only where a query happens to read them.
    CHECKSUMS = "checksums.json"

    def seal(self) -> None:
        """Record the checksum of each file of the committed generation."""
        folder = Path(self.ix.storage.folder)
        known = self._checksums()
        sums = {}
        for name in self._generation_files():
            size = (folder / name).stat().st_size
            sums[name] = known[name] if name in known and known[name][0] == size else [size, _crc(folder / name)]
        tmp = folder / f".{self.CHECKSUMS}.tmp"
        tmp.write_text(json.dumps(sums), encoding="utf-8")
        os.replace(tmp, folder / self.CHECKSUMS)

    def _checksums(self) -> dict[str, list[int]]:
        try:
            return json.loads((Path(self.ix.storage.folder) / self.CHECKSUMS).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except ValueError as exc:
            raise Unreadable(f"{self.CHECKSUMS}: {exc}") from exc

    def check_files(self) -> None:
        """Check the generation's files not checked before against their recorded checksums (a
        file committed but not yet sealed has none, and is taken as it is)."""
        if self._files is None:
            return
        sums = None
        for name, stat in self._files.opened[1].items():
            if stat is None or (name, *stat) in self._checked:
                continue
            sums = self._checksums() if sums is None else sums
            if name in sums:
                if sums[name] != [stat[0], _crc(self._files.folder / name)]:
                    raise Unreadable(f"{name}: its checksum does not match")
                self._checked.add((name, *stat))

    def writer(self, workers: int = 1):
        """Whoosh analyses inside its writer, in this process: `workers` is tantivy's (a second
        Whoosh writer process gained nothing measurable here)."""
        return self.ix.writer(procs=1, limitmb=256)

    @staticmethod
    def preparer(analysis: Analysis) -> None:
        """None: Whoosh's documents are passages' fields, analysed by its writer (see TantivyIndex)."""
        return None

    def verify(self) -> None:
        """Read every posting list, stored document and column (as search reads them): a damaged
        segment raises."""
        with self.ix.reader() as r:
            for fieldname, text in r.all_terms():
                for _ in r.postings(fieldname, text).all_ids():
                    pass
            for _ in r.all_stored_fields():
                pass
            for name, fieldobj in r.schema.items():
                if fieldobj.column_type:
                    for _ in column_values(r, name):
                        pass

    def __init__(self, ix: Index):
        self.ix = ix
        self.schema = ix.schema
        self._local = threading.local()
        self._lock = threading.Lock()
        self._shared: tuple[int, _Shared] | None = None
        folder = getattr(ix.storage, "folder", None)  # None in memory (benchmarks): nothing to damage
        self._files = FileWatch(Path(folder), ix.latest_generation, self._generation_files) if folder else None
        self._checked: set[tuple] = set()  # (name, size, mtime) of files whose checksum matched

    def _generation_files(self) -> list[str]:
        """The latest generation's table of contents and its segments' files."""
        ix = self.ix
        segments = [seg.segment_id() for seg in ix._segments()]
        toc = f"_{ix.indexname}_{ix.latest_generation()}.toc"
        return [toc] + sorted(name for name in ix.storage.list() if name.startswith(tuple(segments)))

    def unsound(self) -> str | None:
        """Why the generation cannot be read: a file deleted, changed or (once it is sealed) not
        what was written."""
        if self._files is None:
            return None
        reason = self._files.unsound()
        if reason is None:
            try:
                self.check_files()
            except (OSError, ValueError) as exc:
                return str(exc)
        return reason

    def files_key(self) -> tuple:
        return self._files.key() if self._files else ()

    def shared(self, generation: int) -> _Shared:
        with self._lock:
            if self._shared is None or self._shared[0] != generation:
                self._shared = (generation, _Shared())
            return self._shared[1]

    def searcher(self, bm25: BM25 = BM25(), own: bool = False) -> WhooshEngine:
        """This thread's searcher scoring with `bm25`, reopened only when the index has changed;
        with `own`, a searcher of the caller's that `with` closes."""
        weighting = scoring.BM25F(B=bm25.b, K1=bm25.k1)
        if own:
            s = self.ix.searcher(weighting=weighting)
            return WhooshEngine(s, self.shared(s.reader().generation()), closes=True)
        cache = self._local.__dict__.setdefault("searchers", {})
        engine = cache.get(bm25)
        if engine is None or not engine.searcher.up_to_date():
            if engine is not None:
                engine.searcher.close()
            s = self.ix.searcher(weighting=weighting)
            engine = cache[bm25] = WhooshEngine(s, self.shared(s.reader().generation()))
        return engine

    def close(self) -> None:
        for engine in self._local.__dict__.get("searchers", {}).values():
            engine.searcher.close()
        self._local = threading.local()


class _Shared:
    """What a generation's searchers share: columns and filter sets, built on first use."""

    def __init__(self):
        self.lock = threading.Lock()
        self.columns: dict[str, Column] = {}
        self.filters: OrderedDict[Filter, set[int]] = OrderedDict()
        self.extra: dict = {}  # other per-generation values (the accent map)


class WhooshEngine:
    """A generation as search sees it. Long-lived unless it `closes`: `with` leaves it open."""

    def __init__(self, searcher, shared: _Shared, closes: bool = False):
        self.searcher = searcher
        self._shared = shared
        self._closes = closes
        self.schema = searcher.schema

    def __enter__(self) -> WhooshEngine:
        return self

    def __exit__(self, *exc) -> None:
        if self._closes:
            self.searcher.close()

    # --- lookups --------------------------------------------------------------------------

    def doc_count(self) -> int:
        return self.searcher.doc_count()

    def doc_frequency(self, field: str, token: str) -> int:
        return self.searcher.doc_frequency(field, token)

    def lexicon(self, field: str) -> Iterator[str]:
        return (t.decode() for t in self.searcher.lexicon(field))

    def expand_prefix(self, field: str, prefix: str) -> Iterator[str]:
        return (t.decode() for t in self.searcher.reader().expand_prefix(field, prefix))

    def suggest(self, field: str, word: str, limit: int, maxdist: int, prefix: int) -> list[str]:
        return self.searcher.suggest(field, word, limit=limit, maxdist=maxdist, prefix=prefix)

    def analysis(self, field: str = "text") -> TextAnalysis:
        return self.per_generation(f"analysis {field}", lambda: TextAnalysis(self.schema[field].analyzer))

    def stored_fields(self, docnum: int) -> StoredPassage:
        return StoredPassage(**self.searcher.stored_fields(docnum))

    def document(self, **terms) -> StoredPassage | None:
        fields = self.searcher.document(**terms)
        return StoredPassage(**fields) if fields else None

    def documents(self, **terms) -> list[StoredPassage]:
        return [StoredPassage(**fields) for fields in self.searcher.documents(**terms)]

    def all_stored_fields(self) -> Iterator[StoredPassage]:
        return (StoredPassage(**fields) for fields in self.searcher.all_stored_fields())

    def document_number(self, **terms) -> int | None:
        return self.searcher.document_number(**terms)

    def first_documents(self, key: str, names: tuple[str, ...]) -> list[dict]:
        """For each value of `key`, in order, these fields of its first document."""
        firsts = (self.searcher.document(**{key: value}) for value in self.lexicon(key))
        return [{n: fields.get(n) for n in names} for fields in firsts if fields]

    def per_generation(self, name: str, build: Callable[[], object]):
        """A value built once per index generation (shared by its searchers)."""
        shared = self._shared
        if name not in shared.extra:
            value = build()
            with shared.lock:
                shared.extra.setdefault(name, value)
        return shared.extra[name]

    def groups(self, docnums: list[int]) -> list:
        """A key of each document's near-identical group."""
        codes = self.column("group").codes
        return [codes[d] for d in docnums]

    def column(self, name: str) -> Column:
        """The field's value for every document, built once per generation."""
        shared = self._shared
        column = shared.columns.get(name)
        if column is None:
            column = Column(column_values(self.searcher.reader(), name))
            with shared.lock:
                column = shared.columns.setdefault(name, column)
        return column

    # --- matching -------------------------------------------------------------------------

    def filter_docs(self, flt: Filter) -> set[int]:
        """The documents a filter allows, kept per generation."""
        shared = self._shared
        with shared.lock:
            if flt in shared.filters:
                shared.filters.move_to_end(flt)
                return shared.filters[flt]
        parts = [wq.Term(name, value) for name, value in flt.terms]
        if flt.years is not None:
            parts.append(wq.NumericRange("year", *flt.years))
        docs = set(self.searcher.docs_for_query(wq.And(parts)))  # a set: Whoosh takes no frozenset
        with shared.lock:
            shared.filters[flt] = docs
            while len(shared.filters) > FILTER_CACHE:
                shared.filters.popitem(last=False)
        return docs

    def match(self, q: query.Query, flt: Filter | None, limit: int | None, by_date: str | None = None) -> Matched:
        """The best `limit` matches by BM25F, or by date ("newest"/"oldest"), and their number."""
        top = self.best(q, flt, limit, by_date)
        if limit is None or len(top) < limit:  # all of them were collected
            return Matched(top, len(top))
        return Matched(top, len(self._everything(q, self.filter_docs(flt) if flt else None)))

    def best(self, q: query.Query, flt: Filter | None, limit: int | None,
             by_date: str | None = None) -> list[tuple[float, int]]:
        """The best `limit` matches (None: all), not counted (counting walks the whole match set)."""
        allowed = self.filter_docs(flt) if flt else None
        if allowed is not None and not allowed:  # Whoosh would take an empty filter for none
            return []
        sortedby = sorting.FieldFacet("when", reverse=by_date == "newest") if by_date else None
        results = self.searcher.search(to_whoosh(q), limit=limit, filter=allowed, sortedby=sortedby)
        return [(score if isinstance(score, float) else 0.0, docnum) for score, docnum in results.top_n]

    def _everything(self, q: query.Query, allowed: set[int] | None) -> set[int]:
        docs = set(self.searcher.docs_for_query(to_whoosh(q)))
        return docs & allowed if allowed is not None else docs

    def facet_counts(self, q: query.Query, flt: Filter | None, names: Iterable[str]) -> dict[str, dict]:
        """Matched passages per value of each field: Whoosh walks the match set once and reads
        the columns."""
        docs = self._everything(q, self.filter_docs(flt) if flt else None)
        return {name: self.column(name).counts(docs) for name in names}

    def find(self, q: query.Query, sortedby: str | None = None, limit: int | None = None) -> list[StoredPassage]:
        """Every passage matching a query, unscored, in `sortedby` order."""
        return [StoredPassage(**r.fields())
                for r in self.searcher.search(to_whoosh(q), limit=limit, sortedby=sortedby, scored=False)]
