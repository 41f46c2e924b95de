"""The engine seam, declared: what search, answers and the app ask of an index generation opened
for reading (`Engine`), what a build asks of a generation (`EngineIndex`), and the records that
cross the seam.

The product plans queries itself (Swedish analysis, concepts, preferences) and hands the engine
its own query type (`query.py`) with a `Filter`; an engine translates it, runs it and returns
scored document numbers. Everything else an engine offers is a lookup: stored passages, the
vocabulary, document frequencies, facet counts and the text fields' analysis. A document number
is the engine's own, valid for the searcher that gave it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, ClassVar, Iterable, Iterator, Protocol, TypeVar, runtime_checkable

from ...config import Analysis
from ..analysis import TextAnalysis
from .query import Query

T = TypeVar("T")


@dataclass(frozen=True)
class Filter:
    """Passages a search is limited to: field values that must all hold, and a year range."""

    terms: tuple[tuple[str, str], ...] = ()
    years: tuple[int | None, int | None] | None = None

    def __bool__(self) -> bool:
        return bool(self.terms) or self.years is not None

    def plus(self, name: str, value: str) -> Filter:
        return Filter(self.terms + ((name, value),), self.years)


@dataclass
class Matched:
    """A query's match set: the best `limit` by score (or date), and how many there are."""

    top: list[tuple[float, int]]  # (score, docnum), in order
    count: int  # passages matched


@dataclass(frozen=True)
class BM25:
    """The scoring's parameters (Whoosh scores BM25F over the fields, tantivy BM25 per field)."""

    b: float = 0.75
    k1: float = 1.2


@dataclass(frozen=True)
class StoredPassage:
    """A passage as the index stores it (store/schema.py `passage_fields`): what a hit shows and
    cites. Values an indexed passage lacks (a report without nämnd or year, a passage under no
    goal with a status) are None."""

    id: str
    doc_id: str
    text: str
    source: str | None = None
    file_key: str | None = None  # "<sha256> <source>"
    title: str | None = None
    namnd: str | None = None
    organisation: str | None = None
    office: str | None = None  # who prepared the report ("Ärendet har beretts av …")
    year: int | None = None
    report_type: str | None = None
    period: str | None = None
    kind: str | None = None
    heading: str | None = None
    group: str | None = None
    goal_path: list[dict] = field(default_factory=list)
    status: str | None = None
    deviation: str | None = None  # "ja" / "nej"
    page: int | None = None
    page_label: str | None = None
    ocr: bool = False
    lines: list[int] = field(default_factory=list)
    amounts: list[float] = field(default_factory=list)
    order: int = 0

    def to_dict(self) -> dict:
        """The stored values, without those the passage lacks (as the index holds them)."""
        return {k: v for k, v in asdict(self).items() if v is not None}


@runtime_checkable
class Engine(Protocol):
    """A generation as search sees it. `with` closes a searcher of its own; a shared one stays open."""

    def __enter__(self) -> Engine: ...

    def __exit__(self, *exc) -> None: ...

    # --- analysis and vocabulary ------------------------------------------------------------

    def analysis(self, field: str = "text") -> TextAnalysis:
        """How a text field is analysed: the query side reads questions and passages with it."""

    def doc_count(self) -> int: ...

    def doc_frequency(self, field: str, token: str) -> int: ...

    def lexicon(self, field: str) -> Iterator[str]:
        """Every indexed token (or value) of a field, in order."""

    def expand_prefix(self, field: str, prefix: str) -> Iterator[str]: ...

    def suggest(self, field: str, word: str, limit: int, maxdist: int, prefix: int) -> list[str]:
        """The nearest indexed words by edit distance (the first `prefix` letters as typed)."""

    # --- stored passages ----------------------------------------------------------------------

    def stored_fields(self, docnum: int) -> StoredPassage: ...

    def document(self, **terms: str) -> StoredPassage | None:
        """The first passage (lowest `order`) holding these whole values."""

    def documents(self, **terms: str) -> list[StoredPassage]: ...

    def all_stored_fields(self) -> Iterator[StoredPassage]: ...

    def document_number(self, **terms: str) -> int | None: ...

    def first_documents(self, key: str, names: tuple[str, ...]) -> list[dict]:
        """For each value of `key`, in order, these fields of its first passage."""

    def groups(self, docnums: list[int]) -> list:
        """A key of each document's near-identical group."""

    def per_generation(self, name: str, build: Callable[[], T]) -> T:
        """A value built once per index generation (shared by its searchers)."""

    # --- matching -----------------------------------------------------------------------------

    def match(self, q: Query, flt: Filter | None, limit: int | None, by_date: str | None = None) -> Matched:
        """The best `limit` matches (None: all) by score, or by date ("newest"/"oldest"), and their number."""

    def best(self, q: Query, flt: Filter | None, limit: int, by_date: str | None = None) -> list[tuple[float, int]]:
        """The best `limit` matches, not counted."""

    def facet_counts(self, q: Query, flt: Filter | None, names: Iterable[str]) -> dict[str, dict]:
        """Matched passages per value of each field."""

    def find(self, q: Query, sortedby: str | None = None, limit: int | None = None) -> list[StoredPassage]:
        """Every passage matching a query, unscored, in `sortedby` order."""


class Writer(Protocol):
    """Adds and deletes passages; nothing is seen until `commit`."""

    def add_document(self, **fields) -> None: ...

    def add_prepared(self, documents: list) -> None:
        """Documents the index's `preparer` made (where it has one), after what was asked before."""

    def delete_by_term(self, field: str, value: str) -> None: ...

    def commit(self) -> None: ...

    def cancel(self) -> None: ...


class EngineIndex(Protocol):
    """One index generation of an engine, as a build and the app open it."""

    COMMIT_FILES: ClassVar[tuple[str, ...]]  # a commit is done once one of these is written

    @classmethod
    def create(cls, folder: Path, analysis: Analysis) -> EngineIndex:
        """A new, empty generation in `folder`, analysing text as `analysis` says."""

    @classmethod
    def exists(cls, folder: Path) -> bool: ...

    @classmethod
    def open(cls, folder: Path) -> EngineIndex: ...

    def writer(self, workers: int = 1) -> Writer: ...

    @staticmethod
    def preparer(analysis: Analysis) -> Callable[[list[dict]], list] | None:
        """What makes passages' fields the engine's own documents in the process that read the
        report (`Writer.add_prepared` takes them), or None where the writer takes the fields."""

    def seal(self) -> None:
        """Record what opening must check after a commit (nothing where the engine checks itself)."""

    def verify(self) -> None:
        """Read every posting list and stored passage: damage raises."""

    def searcher(self, bm25: BM25 = BM25(), own: bool = False) -> Engine: ...

    def unsound(self) -> str | None:
        """Why the generation's files can no longer be read, or None."""

    def files_key(self) -> tuple: ...


class EngineMissing(RuntimeError):
    """The configured engine is not installed."""


class Unreadable(OSError):
    """What an engine raises for index data it cannot read (an OSError, as a missing file is:
    the app answers 503 and the next index run rebuilds)."""


class FileWatch:
    """The files a generation was opened with. Long-lived searchers keep reading files deleted
    under them, a file cut short fails only when its end is read, and bytes written into a file
    fail wherever they land (or not at all): a request asks first. Only the files the generation
    reads are watched (`files`): a writer's files in the making, and its lock and bookkeeping, grow
    and vanish while it works."""

    def __init__(self, folder: Path, generation: Callable[[], object], files: Callable[[], Iterable[str]]):
        self.folder = folder
        self.generation = generation
        self.files = files
        self.opened = self._snapshot()

    def _snapshot(self) -> tuple[object, dict[str, tuple[int, int]]]:
        generation = self.generation()
        return generation, self._stats(self.files())

    def _stats(self, names: Iterable[str]) -> dict[str, tuple[int, int] | None]:
        out = {}
        for name in names:
            try:
                st = (self.folder / name).stat()
                out[name] = (st.st_size, st.st_mtime_ns)
            except FileNotFoundError:
                out[name] = None
        return out

    def key(self) -> tuple:
        """The generation and its files' sizes and times: what a verdict on them holds for."""
        return self.opened[0], tuple(sorted(self.opened[1].items()))

    def unsound(self) -> str | None:
        """Why the generation's files can no longer be read (one deleted, cut short or written
        into), or None."""
        try:
            generation = self.generation()
            if generation != self.opened[0]:  # updated in place: new files, read by new searchers
                self.opened = self._snapshot()
                return None
            stats = self._stats(self.opened[1])
            changed = [name for name, st in self.opened[1].items() if stats[name] != st]
            if changed and self.generation() != generation:
                # A commit in between, and the files it replaced removed: not damage. The next
                # searcher reads the new generation.
                self.opened = self._snapshot()
                return None
        except Exception as exc:  # noqa: BLE001 — a table of contents that cannot be read is the answer
            return f"{type(exc).__name__}: {exc}"
        return f"{', '.join(sorted(changed))} saknas eller har ändrats" if changed else None
