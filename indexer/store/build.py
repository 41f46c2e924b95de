"""Bring an index in line with a set of report files: incremental, crash-safe, one writer.

- Unchanged files (by content hash) are skipped, changed ones replaced, removed ones deleted;
  what the index holds is read from its live documents.
- A different version (schema, code, libraries, analysis settings) rebuilds into a new generation.
- Files are read by a process per core (and on tantivy, analysed by another); any error while reading one file is reported with its
  name and the rest is indexed.
- Report records are written before the index commit and pruned to the live documents after
  it, so a crash at any moment leaves records the next run repairs: a report whose record is
  missing, unreadable or not the indexed file's is read again.
- An index that cannot be read is rebuilt; `check` also reads every posting list to find out.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..config import Analysis
from ..ingest.passages import passages_of
from ..ingest.pipeline import Source, collect_sources, parse_file
from ..ingest.read import ReadError
from ..records import Passage, report_record
from . import documents, generations
from .engine import index_class
from .generations import IndexDamaged, log
from .schema import make_schema, passage_fields, version_of
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


@dataclass
class Parsed:
    source: str
    doc_id: str
    record: dict | None = None  # the report record, without its file hash
    passages: list[Passage] = field(default_factory=list)
    error: str | None = None


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def parse_one(source: Source) -> Parsed:
    """Worker: a file → its record and passages, or the reason it could not be read. A bug met on
    one odd file is that file's error, never the end of the build."""
    path = str(source.path)
    try:
        report = parse_file(path)
        passages = passages_of(report, source.doc_id, source=path)
    except ReadError as exc:
        return Parsed(path, source.doc_id, error=exc.reason)
    except Exception as exc:  # noqa: BLE001 — reported per file, with its type
        return Parsed(path, source.doc_id, error=f"could not be read ({type(exc).__name__}: {exc})")
    return Parsed(path, source.doc_id, report_record(source.doc_id, path, "", report, len(passages)), passages)


def parse_all(sources: list[Source], workers: int, progress: Callable[[str, str | None], None]) -> Iterable[Parsed]:
    if workers <= 1 or len(sources) <= 1:
        for source in sources:
            parsed = parse_one(source)
            progress(parsed.source, parsed.error)
            yield parsed
        return
    with worker_pool(workers) as pool:
        # Largest first, so the long PDFs do not finish last on one core.
        order = sorted(sources, key=lambda s: -s.path.stat().st_size if s.path.is_file() else 0)
        for parsed in pool.map(parse_one, order):
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
        fields = [(f["source"], f["file_key"].split(" ", 1)[0], f["doc_id"]) for f in s.all_stored_fields()]
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


def build_index(paths: Iterable[Path], index_dir: str | Path, analysis: Analysis | None = None,
                workers: int | None = None, progress: Callable[[str, str | None], None] = lambda path, error: None,
                start: Callable[[int], None] = lambda _: None, rebuild: bool = False,
                check: bool = False, engine: str = "whoosh") -> BuildReport:
    """Bring the index at `index_dir` in line with the files under `paths`; `check` also verifies
    that index and records agree and repairs them. `progress(path, error)` is called as each file
    is done: `error` is None when it was read, else the reason it was not."""
    began = time.perf_counter()
    index_dir = Path(index_dir)
    sources, clashes = collect_sources(paths)
    by_path = {str(s.path): s for s in sources}
    hashes = {p: file_hash(s.path) if s.path.is_file() else "" for p, s in by_path.items()}  # "": unreadable
    workers = workers or os.cpu_count() or 1
    version = version_of(analysis, engine)
    report = BuildReport(failed=list(clashes))
    with generations.WriterLock(index_dir):
        generations.remove_stale(index_dir)
        meta = generations.read_meta(index_dir)
        current = not rebuild and meta is not None and meta.get("version") == version
        live = open_live(index_dir, engine, check) if current else None
        fresh = live is None
        if fresh:
            folder = generations.new_generation(index_dir)
            ix = index_class(engine).create(folder, make_schema(analysis))
            existing: dict[str, str] = {}
        else:
            folder = index_dir.resolve()
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
        writer = ix.writer(workers)
        written: dict[str, dict] = {}  # id → what the report list shows of each record written
        try:
            for source in gone:
                writer.delete_by_term("source", source)
                report.removed += 1
            for parsed in parse_all(todo, workers, progress):
                if parsed.error is not None:
                    report.failed.append((parsed.source, parsed.error))
                    continue
                if parsed.source in existing:
                    writer.delete_by_term("source", parsed.source)
                    report.updated += 1
                else:
                    report.added += 1
                for p in parsed.passages:
                    writer.add_document(**passage_fields(p, parsed.source, hashes[parsed.source]))
                documents.write_record(folder, {**parsed.record, "hash": hashes[parsed.source]})
                written[parsed.record["id"]] = documents.listed(parsed.record)
        except BaseException:
            writer.cancel()
            if fresh:
                generations.remove_stale(index_dir)  # a half-built generation is never used
            raise
        writer.commit()
        ix.seal()  # checksums of what was committed, found damaged when next opened
        with ix.searcher(own=True) as s:
            report.passages = s.doc_count()
            documents.keep_only(folder, {f["doc_id"] for f in s.all_stored_fields()})
        documents.write_report_list(folder, written)
        if fresh:
            generations.write_meta(folder, version)
            generations.switch_to(index_dir, folder)
            generations.remove_stale(index_dir)
            report.rebuilt = True
    report.seconds = time.perf_counter() - began
    return report
