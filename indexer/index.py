"""The Whoosh index: schema, and an incremental, crash-safe build.

- Unchanged files (by content hash) are skipped, changed ones replaced, removed ones deleted.
- The schema/analyzer version is stored beside the index; a mismatch rebuilds it.
- A full build is written into a new generation folder and switched in by an atomic symlink
  replace, so readers never see a half-built index and a crash leaves the last good one.
- One writer at a time: a lock file, taken without waiting; a second writer is told so.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from .analysis import swedish_analyzer
from .parse import parse_file
from .passages import Passage, doc_id_for, passages_of
from .read import SUPPORTED, ReadError

SCHEMA_VERSION = 2
META = "rapportsok.json"


class IndexBusy(Exception):
    """Another process is writing the index."""


class IndexMissing(Exception):
    """No index at the given place."""


def make_schema(analysis: dict | None = None, analyzer=None) -> Schema:
    """The passage schema; `analyzer` replaces the Swedish one (for measuring alternatives)."""
    analyzer = analyzer or swedish_analyzer(**_analyzer_options(analysis))
    return Schema(
        id=ID(stored=True, unique=True),
        doc_id=ID(stored=True),
        source=ID(stored=True),
        file_key=ID(stored=True),  # "<sha256> <source>": what incremental builds compare
        title=STORED(),
        namnd=ID(stored=True),
        organisation=STORED(),
        year=NUMERIC(stored=True, sortable=True),
        when=NUMERIC(sortable=True),  # year and tertial, for sorting by date
        report_type=ID(stored=True),
        period=ID(stored=True),
        kind=ID(stored=True),
        heading=STORED(),  # for display; the searchable heading is heading_text
        heading_text=TEXT(analyzer=analyzer),  # a real section heading, not a goal or row name repeated
        text=TEXT(analyzer=analyzer, stored=True, phrase=True),
        context=TEXT(analyzer=analyzer, phrase=False),  # the section around the passage
        words=TEXT(analyzer=RegexTokenizer(r"[^\W\d_]{3,}") | LowercaseFilter(), phrase=False),  # spelling
        goal_path=STORED(),
        status=ID(stored=True),
        deviation=ID(stored=True),
        page=STORED(),
        lines=STORED(),
        amounts=STORED(),
        order=NUMERIC(stored=True, sortable=True),
    )


def _analyzer_options(analysis: dict | None) -> dict:
    analysis = analysis or {}
    return {"compounds": bool(analysis.get("decompounding", True)),
            "stemming": "lemma" if analysis.get("stemming", True) else "none"}


# The code that decides what goes into the index: any change to it means a rebuild.
_PIPELINE = ("read", "clean", "metadata", "structure", "tables", "amounts", "passages", "analysis", "index")


def code_fingerprint() -> str:
    h = hashlib.sha256()
    for name in _PIPELINE:
        h.update((Path(__file__).parent / f"{name}.py").read_bytes())
    return h.hexdigest()[:16]


def version_of(analysis: dict | None) -> dict:
    return {"schema": SCHEMA_VERSION, "code": code_fingerprint(), "analysis": _analyzer_options(analysis)}


# Kinds whose `heading` only repeats the passage's own first words (goal title, activity, indicator).
_SELF_HEADED = ("goal", "activity", "indicator", "decision")


def passage_fields(p: Passage, source: str, file_hash: str) -> dict:
    tertial = next((int(c) for c in (p.period or "") if c.isdigit() and (p.period or "").startswith("Tertial")), 0)
    goals = " ".join(f"{g.number or ''} {g.title}" for g in p.goal_path)
    fields = dict(
        id=p.id, doc_id=p.doc_id, source=source, file_key=f"{file_hash} {source}", title=p.title or "",
        organisation=p.organisation, kind=p.kind, heading=p.heading or "",
        heading_text="" if p.kind in _SELF_HEADED else p.heading or "", text=p.text,
        context=p.context,
        words=" ".join([p.text, p.heading or "", goals]), goal_path=[asdict(g) for g in p.goal_path],
        page=p.page, lines=list(p.lines), amounts=p.amounts, order=p.order,
        when=(p.year or 0) * 10 + tertial,
    )
    for name, value in (("namnd", p.namnd or p.organisation), ("report_type", p.report_type), ("period", p.period),
                        ("status", p.status), ("year", p.year)):
        if value is not None:
            fields[name] = value
    if p.deviation is not None:
        fields["deviation"] = "ja" if p.deviation else "nej"
    return fields


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Files as given (a missing one too: reading it reports why), folders as the supported
    files inside them, sorted."""
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED
                                and not p.name.startswith(".")))
        else:
            files.append(path)
    return [f.resolve() for f in files]


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
    report: dict | None = None  # the report's structure, as `rapportsok parse --json` prints it
    passages: list[Passage] = field(default_factory=list)
    error: str | None = None


def _parse_one(path: str) -> Parsed:
    """Worker: a file → its structure and passages, or the reason it could not be read."""
    try:
        report = parse_file(path)
    except ReadError as exc:
        return Parsed(path, error=exc.reason)
    return Parsed(path, report.to_dict(), passages_of(report, source=path))


def _parse_all(paths: list[str], workers: int, progress: Callable[[str], None]) -> Iterable[Parsed]:
    if workers <= 1 or len(paths) <= 1:
        for path in paths:
            yield _parse_one(path)
            progress(path)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # Largest first, so the long PDFs do not finish last on one core.
        order = sorted(paths, key=lambda p: -os.path.getsize(p))
        for result in pool.map(_parse_one, order):
            progress(result.source)
            yield result


class _Lock:
    def __init__(self, index_dir: Path):
        self.path = index_dir.with_name(index_dir.name + ".lock")

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = self.path.open("w")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise IndexBusy(f"indexing is already running for {self.path.with_suffix('')}") from None
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def read_meta(index_dir: Path) -> dict | None:
    try:
        return json.loads((index_dir / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def open_index(index_dir: str | Path):
    """Open the index for reading; it must have been built by this version of the code."""
    index_dir = Path(index_dir)
    if not (index_dir.is_dir() and whoosh_index.exists_in(str(index_dir))):
        raise IndexMissing(f"no index in {index_dir}: run `rapportsok index` first")
    version = (read_meta(index_dir) or {}).get("version", {})
    if (version.get("schema"), version.get("code")) != (SCHEMA_VERSION, code_fingerprint()):
        raise IndexMissing(f"the index in {index_dir} was built by another version: run `rapportsok index`")
    return whoosh_index.open_dir(str(index_dir))


def build_index(paths: Iterable[Path], index_dir: str | Path, analysis: dict | None = None,
                workers: int | None = None, progress: Callable[[str], None] = lambda _: None,
                start: Callable[[int], None] = lambda _: None) -> BuildReport:
    """Bring the index at `index_dir` in line with the files under `paths`."""
    began = time.perf_counter()
    index_dir = Path(index_dir)
    files = {str(p): p for p in collect_files(paths)}
    hashes = {source: file_hash(p) if p.is_file() else "" for source, p in files.items()}  # "": unreadable
    workers = workers or os.cpu_count() or 1
    report = BuildReport()
    with _Lock(index_dir):
        meta = read_meta(index_dir)
        fresh = meta is None or meta.get("version") != version_of(analysis) or not whoosh_index.exists_in(
            str(index_dir))
        if fresh:
            target = _new_generation(index_dir)
            ix = whoosh_index.create_in(str(target), make_schema(analysis))
            existing: dict[str, str] = {}
        else:
            ix = whoosh_index.open_dir(str(index_dir))
            with ix.searcher() as s:
                existing = dict(reversed(key.decode().split(" ", 1)) for key in s.lexicon("file_key"))
        todo = [s for s in files if existing.get(s) != hashes[s]]
        gone = [s for s in existing if s not in files]
        report.unchanged = len(files) - len(todo)
        start(len(todo))
        writer = ix.writer(procs=1, limitmb=256)
        records: dict[str, Parsed] = {}
        try:
            for source in gone:
                writer.delete_by_term("source", source)
                report.removed += 1
            for parsed in _parse_all(todo, workers, progress):
                source = parsed.source
                if parsed.error is not None:
                    report.failed.append((source, parsed.error))
                    continue
                if source in existing:
                    writer.delete_by_term("source", source)
                    report.updated += 1
                else:
                    report.added += 1
                for p in parsed.passages:
                    writer.add_document(**passage_fields(p, source, hashes[source]))
                records[source] = parsed
        except BaseException:
            writer.cancel()
            if fresh:
                shutil.rmtree(target, ignore_errors=True)  # a half-built generation is never used
            raise
        writer.commit()
        _write_documents(target if fresh else index_dir.resolve(), records, gone, hashes)
        with ix.searcher() as s:
            report.passages = s.doc_count()
        if fresh:
            (target / META).write_text(json.dumps({"version": version_of(analysis)}), encoding="utf-8")
            _switch_to(index_dir, target)
            report.rebuilt = True
    report.seconds = time.perf_counter() - began
    return report


# --- document records: each report's structure beside the index, for the document views ---

DOCS = "docs"


def _write_documents(folder: Path, records: dict[str, Parsed], gone: list[str], hashes: dict[str, str]) -> None:
    docs = folder / DOCS
    docs.mkdir(exist_ok=True)
    for source in gone:
        (docs / f"{doc_id_for(source)}.json").unlink(missing_ok=True)
    for source, parsed in records.items():
        record = {"id": doc_id_for(source), "source": source, "name": Path(source).name, "hash": hashes[source],
                  "passages": len(parsed.passages), **parsed.report}
        tmp = docs / f".{record['id']}.json.tmp"
        tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, docs / f"{record['id']}.json")  # a reader sees the old record or the new one


def document_ids(index_dir: str | Path) -> list[str]:
    return sorted(p.stem for p in (Path(index_dir) / DOCS).glob("*.json"))


def document_record(index_dir: str | Path, doc_id: str) -> dict | None:
    """A report's structure by id; None for an unknown id (ids are checked, never used as paths)."""
    if doc_id not in document_ids(index_dir):
        return None
    return json.loads((Path(index_dir) / DOCS / f"{doc_id}.json").read_text(encoding="utf-8"))


def _new_generation(index_dir: Path) -> Path:
    target = index_dir.with_name(f"{index_dir.name}.g{time.time_ns()}")
    target.mkdir(parents=True)
    return target


def _switch_to(index_dir: Path, target: Path) -> None:
    """Point `index_dir` (a symlink) at the new generation atomically; remove the old one."""
    old = index_dir.resolve() if index_dir.is_symlink() else None
    if index_dir.exists() and not index_dir.is_symlink():
        shutil.rmtree(index_dir)  # a plain folder from elsewhere: replaced by the symlink
    link = index_dir.with_name(index_dir.name + ".link-new")
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(target.name)
    os.replace(link, index_dir)
    if old is not None and old != target.resolve() and old.exists():
        shutil.rmtree(old, ignore_errors=True)
