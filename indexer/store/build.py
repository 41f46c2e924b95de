"""Bring an index in line with a set of report files: incremental, crash-safe, one writer.

- Unchanged files (by content hash) are skipped, changed ones replaced, removed ones deleted;
  what the index holds is read from its live documents.
- A different version (schema, code, libraries, analysis settings) rebuilds into a new generation.
- `auto` keeps an index's engine; one built anew is on tantivy past TANTIVY_FROM passages.
- Files are read by a process per core, each file in a child process within `Limits` (on
  tantivy the same process makes its passages tantivy's documents: `Reader`); any error while
  reading one file, a limit passed or an odd entry in a folder is reported with its name and the
  rest is indexed.
- Report records are staged before the index commit and moved in after it, records of removed
  reports go before it, the rest not held are pruned after it: a crash at any moment leaves no
  record of a report the index does not hold, and a report whose record is missing, unreadable or
  not the indexed file's is read again by the next run.
- A run that cannot write (a full disk) removes what it wrote and raises `BuildFailed`.
- The cross-year links are built after the commit and stored beside the records.
- An index that cannot be read is rebuilt; `check` also reads every posting list to find out.
"""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import hashlib
import itertools
import os
import stat
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from ..config import AUTO, ENGINES, TANTIVY_FROM, Analysis
from ..history import links_current, write_links
from ..ingest.passages import passages_of
from ..ingest.pipeline import Source, collect_sources, parse_file, sidecar_path
from ..ingest.read import ReadError, pdf_pages
from ..records import Passage, report_record
from . import documents, generations
from .engine.registry import index_class
from .generations import IndexDamaged, log
from .schema import passage_fields, version_of
from .workers import LimitExceeded, Limits, run_limited
from .workers import pool as worker_pool


@dataclass
class BuildReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    passages: int = 0
    rebuilt: bool = False
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    engine: str = ""  # the engine the index is on
    engine_why: str = ""  # why, when `auto` chose it (said by the CLI)


@dataclass
class Parsed:
    source: str
    doc_id: str
    record: dict | None = None  # the report record, without its file hash
    passages: list[Passage] = field(default_factory=list)  # none once they are made `documents`
    error: str | None = None
    documents: list | None = None  # the passages as the engine's documents, made where the file was read

    @property
    def count(self) -> int:
        return self.record["passages"] if self.record else 0


def file_hash(path: Path) -> str:
    """The file's content with its `<file>.meta.toml`, so an edited sidecar is read again."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    sidecar = sidecar_path(path)
    if sidecar.is_file():
        h.update(b"\0meta.toml\0" + sidecar.read_bytes())
    return h.hexdigest()


def parse_one(source: Source) -> Parsed:
    """A file → its record and passages, or the reason it could not be read. A bug met on one odd
    file is that file's error, never the end of the build."""
    path = str(source.path)
    try:
        report = parse_file(path)
        passages = passages_of(report, source.doc_id, source=path)
    except ReadError as exc:
        return Parsed(path, source.doc_id, error=exc.reason)
    except MemoryError:
        raise  # the limit's, said by the process reading the file
    except Exception as exc:  # noqa: BLE001 — reported per file, with its type
        return Parsed(path, source.doc_id, error=f"could not be read ({type(exc).__name__}: {exc})")
    if not passages:  # the index would not hold it, and every run would read it again as new
        return Parsed(path, source.doc_id, error="it holds no passage to index (too little text)")
    return Parsed(path, source.doc_id, report_record(source.doc_id, path, "", report, len(passages)), passages)


def read_limited(source: Source, limits: Limits) -> Parsed:
    """Worker: a file read in a child process of its own within `limits` (a PDF's pages counted
    first, in another), so a file that needs too much is named with the reason, never the end of
    the build or of the machine's memory."""
    path = source.path
    try:
        pages = None
        if path.suffix.lower() == ".pdf":
            pages = run_limited(pdf_pages, path, limits.cpu, limits.memory, limits.cpu * limits.wall_factor)
            if pages is not None and pages > limits.pages:
                return Parsed(str(path), source.doc_id,
                              error=f"it has {pages} pages, more than the limit of {limits.pages}")
        cpu = limits.cpu_for(pages, path.stat().st_size if path.is_file() else 0)  # not a file: reading says why
        return run_limited(parse_one, source, cpu, limits.memory, cpu * limits.wall_factor)
    except LimitExceeded as exc:
        return Parsed(str(path), source.doc_id, error=str(exc))
    except OSError as exc:
        return Parsed(str(path), source.doc_id, error=f"could not be read ({exc.strerror})")


def choose_engine(parsed: Iterable[Parsed]) -> tuple[str, str, Iterable[Parsed]]:
    """`auto` for an index built anew: tantivy once the reports read hold more than TANTIVY_FROM
    passages, else Whoosh; the reports read meanwhile are kept and come first in what it returns."""
    seen: list[Parsed] = []
    parsed = iter(parsed)
    passages = 0
    for item in parsed:
        seen.append(item)
        passages += item.count
        if passages > TANTIVY_FROM:
            return "tantivy", (f"arkivet har fler än {TANTIVY_FROM:,} passager, där Whoosh söker långsammare än "
                               "150 ms (p95)").replace(",", " "), itertools.chain(seen, parsed)
    return "whoosh", f"arkivet har {passages:,} passager, högst {TANTIVY_FROM:,}".replace(",", " "), seen


class Reader:
    """Reads a file for a build (`read_limited`) and, where the engine makes documents of its own
    (tantivy), makes its passages those documents in the same process: the Swedish analysis then
    runs by a process per core beside the reading, each distinct word analysed once per process
    (the preparer keeps its words across reports), and the passages cross to the writing process
    once, as documents."""

    def __init__(self, analysis: Analysis):
        self.analysis = analysis
        self.preparers: dict[str, object] = {}

    def __call__(self, source: Source, limits: Limits, file_hash: str, engine: str | None) -> Parsed:
        parsed = read_limited(source, limits)
        if engine is None or parsed.error is not None:
            return parsed
        if engine not in self.preparers:
            self.preparers[engine] = index_class(engine).preparer(self.analysis)
        prepare = self.preparers[engine]
        if prepare is None:
            return parsed
        return replace(parsed, passages=[],
                       documents=prepare([passage_fields(p, parsed.source, file_hash) for p in parsed.passages]))


_reader: Reader | None = None  # a reading worker's own


def _start_reading(analysis: Analysis) -> None:
    global _reader
    _reader = Reader(analysis)


def _read_in_worker(source: Source, limits: Limits, file_hash: str, engine: str | None) -> Parsed:
    return _reader(source, limits, file_hash, engine)


READ_AHEAD = 4  # files sent to each reading process before the first comes back


def parse_all(sources: list[Source], workers: int, progress: Callable[[str, str | None], None],
              limits: Limits = Limits(), analysis: Analysis = Analysis(), hashes: dict[str, str] | None = None,
              engine: Callable[[], str | None] = lambda: None) -> Iterable[Parsed]:
    """Each file read, in a process per core; its passages also made the documents of `engine()`
    (asked as each file is sent: `auto` chooses after the first files), analysed as `analysis` says, with the
    file's hash from `hashes`."""
    hashes = hashes or {}
    if workers <= 1 or len(sources) <= 1:
        reader = Reader(analysis)
        for source in sources:
            parsed = reader(source, limits, hashes.get(str(source.path), ""), engine())
            progress(parsed.source, parsed.error)
            yield parsed
        return
    with worker_pool(workers, _start_reading, (analysis,)) as pool:
        # Largest first, so the long PDFs do not finish last on one core.
        order = iter(sorted(sources, key=lambda s: -s.path.stat().st_size if s.path.is_file() else 0))
        ahead: deque[Future] = deque()

        def send() -> None:
            source = next(order, None)
            if source is not None:
                ahead.append(pool.submit(_read_in_worker, source, limits, hashes.get(str(source.path), ""), engine()))

        for _ in range(READ_AHEAD * workers):
            send()
        while ahead:
            parsed = ahead.popleft().result()
            send()
            progress(parsed.source, parsed.error)
            yield parsed


class Held(NamedTuple):
    """A file the index holds."""

    hash: str
    doc_id: str
    passages: int


def live_files(ix) -> dict[str, Held]:
    """source → what the index holds of it, from its live documents."""
    with ix.searcher(own=True) as s:
        fields = [(f.source, f.file_key.split(" ", 1)[0], f.doc_id) for f in s.all_stored_fields()]
    counts = Counter(fields)
    return {source: Held(file_hash, doc_id, counts[source, file_hash, doc_id])
            for source, file_hash, doc_id in counts}


def unsound_records(folder: Path, held: dict[str, Held]) -> list[str]:
    """The sources whose report record is missing, cannot be read or is not the indexed file's
    (source, hash, passage count)."""
    unsound = []
    for source, h in held.items():
        try:
            record = documents.document_record(folder, h.doc_id) or {}
        except IndexDamaged:
            record = {}
        if (record.get("source"), record.get("hash"), record.get("passages")) != (source, h.hash, h.passages):
            unsound.append(source)
    return unsound


def open_live(index_dir: Path, engine: str, check: bool):
    """The live index and what it holds; None when there is none or it cannot be read (it is then
    rebuilt). `check` also reads every posting list (stored fields are read by `live_files`)."""
    cls = index_class(engine)
    try:
        if not cls.exists(index_dir):
            return None
        ix = cls.open(index_dir)
        if check:
            ix.verify()
        return ix, live_files(ix)
    except (*generations.READ_ERRORS, ValueError) as exc:
        generations.release(exc)
        log.warning("rapportsok: obs: sökindexet kan inte läsas (%s: %s); det byggs om", type(exc).__name__, exc)
        return None


class BuildFailed(Exception):
    """The index could not be written (a full disk, say): what the run wrote has been removed and the
    last good index is kept. The message says so in one line."""


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    """The engine's files in a generation folder (records are kept apart), with size and time."""
    out = {}
    for path in folder.iterdir():
        with contextlib.suppress(FileNotFoundError):
            st = path.lstat()
            if stat.S_ISREG(st.st_mode):
                out[path.name] = (st.st_size, st.st_mtime_ns)
    return out


def _remove_written(folder: Path, before: dict[str, tuple[int, int]], markers: tuple[str, ...]) -> None:
    """After a failed update in place: the engine's files it wrote, unless its commit got as far as
    its table of contents (then they are the index, and the next run checks it)."""
    now = _files(folder)
    touched = [name for name, stat_ in now.items() if before.get(name) != stat_]
    if any(fnmatch.fnmatch(name, m) for name in touched for m in markers):
        return
    for name in now.keys() - before.keys():
        (folder / name).unlink(missing_ok=True)


def build_index(paths: Iterable[Path], index_dir: str | Path, analysis: Analysis | None = None,
                workers: int | None = None, progress: Callable[[str, str | None], None] = lambda path, error: None,
                start: Callable[[int], None] = lambda _: None, rebuild: bool = False,
                check: bool = False, engine: str = AUTO, limits: Limits = Limits()) -> BuildReport:
    """Bring the index at `index_dir` in line with the files under `paths`; `check` also verifies
    that index and records agree and repairs them. `engine` "auto" keeps the engine an index was
    built with, and chooses one by the archive's size for an index built anew (`choose_engine`).
    `progress(path, error)` is called as each file is done: `error` is None when it was read, else
    the reason it was not. Each file is read within `limits`. Raises `BuildFailed` when the index
    cannot be written."""
    began = time.perf_counter()
    analysis = analysis or Analysis()
    index_dir = Path(index_dir)
    sources, skipped = collect_sources(paths)
    report = BuildReport(failed=list(skipped))
    by_path: dict[str, Source] = {}
    hashes: dict[str, str] = {}
    for s in sources:
        try:
            hashes[str(s.path)] = file_hash(s.path) if s.path.is_file() else ""  # "": reading it says why
        except OSError as exc:
            report.failed.append((str(s.path), f"could not be read ({exc.strerror})"))
            continue
        by_path[str(s.path)] = s
    workers = workers or os.cpu_count() or 1
    with generations.WriterLock(index_dir):
        generations.remove_stale(index_dir)
        meta = generations.read_meta(index_dir)
        built = meta.get("version") if isinstance(meta, dict) else None
        chosen = engine
        if engine == AUTO:  # an index keeps its engine; a new one, or --rebuild, gets one by its size, below
            built_with = built.get("engine") if isinstance(built, dict) else None
            chosen = built_with if built_with in ENGINES and not rebuild else None
        current = not rebuild and chosen is not None and built == version_of(analysis, chosen)
        live = open_live(index_dir, chosen, check) if current else None
        fresh = live is None
        if fresh:
            folder = generations.new_generation(index_dir)
            held: dict[str, Held] = {}
            existing: dict[str, str] = {}
        else:
            folder = index_dir.resolve()
            documents.discard(folder)  # what a killed run staged was never committed
            ix, held = live
            existing = {source: h.hash for source, h in held.items()}
            unsound = unsound_records(folder, held)
            if unsound:
                log.warning("rapportsok: obs: %d rapporters poster saknas eller stämmer inte med indexet; "
                            "de läses in igen", len(unsound))
            existing.update(dict.fromkeys(unsound, ""))  # "": read again, its passages replaced
        todo = [by_path[p] for p in by_path if existing.get(p) != hashes[p]]
        gone = [p for p in existing if p not in by_path]
        report.unchanged = len(by_path) - len(todo)
        start(len(todo))
        before = {} if fresh else _files(folder)
        committed = False
        cls = None if fresh else index_class(chosen)
        try:
            parsed = parse_all(todo, workers, progress, limits, analysis, hashes, lambda: chosen)
            if fresh:
                if chosen is None:
                    chosen, report.engine_why, parsed = choose_engine(parsed)
                cls = index_class(chosen)
                ix = cls.create(folder, analysis)
            written = _write(ix, folder, parsed, gone, held, existing, hashes, workers, report)
            committed = True
            ix.seal()  # checksums of what was committed, found damaged when next opened
            documents.publish(folder)
            with ix.searcher(own=True) as s:
                report.passages = s.doc_count()
                documents.keep_only(folder, {f.doc_id for f in s.all_stored_fields()})
            report.engine = chosen
            if engine == AUTO and not fresh and chosen == "whoosh" and report.passages > TANTIVY_FROM:
                report.engine_why = (f"indexet byggdes med Whoosh och har nu fler än {TANTIVY_FROM:,} passager: "
                                     "`rapportsok index --rebuild` bygger om det med tantivy").replace(",", " ")
            documents.write_report_list(folder, written)
            docs = folder / documents.DOCS
            if written or report.removed or not links_current(docs):
                write_links(docs, [documents.document_record(folder, d) for d in documents.document_ids(folder)])
            if fresh:
                generations.write_meta(folder, version_of(analysis, chosen))
                generations.switch_to(index_dir, folder)
                generations.remove_stale(index_dir)
                report.rebuilt = True
        except BaseException as exc:
            if fresh:
                generations.remove_stale(index_dir)  # a half-built generation is never used
            elif not committed:
                documents.discard(folder)
                _remove_written(folder, before, cls.COMMIT_FILES)
            if isinstance(exc, OSError):
                raise BuildFailed(_failed(exc, committed and not fresh)) from None
            raise
    report.seconds = time.perf_counter() - began
    return report


def _write(ix, folder: Path, parsed_files: Iterable[Parsed], gone: list[str], held: dict[str, Held],
           existing: dict[str, str], hashes: dict[str, str], workers: int, report: BuildReport) -> dict[str, dict]:
    """Remove, replace and add; the records of what was read staged; then commit. Returns what the
    report list shows of each record written, by id."""
    writer = ix.writer(workers)
    written: dict[str, dict] = {}
    try:
        documents.remove_records(folder, (held[source].doc_id for source in gone))
        for source in gone:
            writer.delete_by_term("source", source)
            report.removed += 1
        for parsed in parsed_files:
            if parsed.error is not None:
                report.failed.append((parsed.source, parsed.error))
                if parsed.source in held:  # what the index held of it is no longer the file's
                    documents.remove_records(folder, [held[parsed.source].doc_id])
                    writer.delete_by_term("source", parsed.source)
                    report.removed += 1
                continue
            if parsed.source in existing:
                writer.delete_by_term("source", parsed.source)
                report.updated += 1
            else:
                report.added += 1
            if parsed.documents is not None:
                writer.add_prepared(parsed.documents)
            for p in parsed.passages:
                writer.add_document(**passage_fields(p, parsed.source, hashes[parsed.source]))
            documents.write_record(folder, {**parsed.record, "hash": hashes[parsed.source]})
            written[parsed.record["id"]] = documents.listed(parsed.record)
    except BaseException:
        with contextlib.suppress(Exception):  # after a failed write the writer may be half closed
            writer.cancel()
        raise
    try:
        writer.commit()
    except BaseException:
        with contextlib.suppress(Exception):
            writer.cancel()
        raise
    return written


def _failed(exc: OSError, committed: bool) -> str:
    """One line for a run that could not write."""
    why = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        why = f"disken är full ({why})"
    if committed:
        return (f"indexet uppdaterades, men rapporternas poster kunde inte skrivas: {why}; "
                "nästa körning läser in dem igen")
    return (f"indexet kunde inte skrivas: {why}; det som körningen hann skriva har tagits bort och "
            "det senaste hela indexet används som förut")
