"""Each report's structure as JSON beside the index (one file per report, in the index's own
generation), for the report pages and the cross-year views, and the report list: one small file of
what the home page and /api/documents show, so a start at a city's scale (2,800 records, 500 MB at
a million passages) reads none of the records. A record that cannot be read is `IndexDamaged`."""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Iterable
from pathlib import Path

from .generations import damaged

DOCS = "docs"
REPORT_LIST = "reports.jsonl"  # in DOCS, beside the records: the engine's files are watched, not these
LISTED = ("title", "namnd", "organisation", "year", "report_type", "period", "dnr", "date", "pages", "kind")


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)  # a reader sees the old file or the new one


def write_record(folder: Path, record: dict) -> None:
    docs = folder / DOCS
    docs.mkdir(exist_ok=True)
    _write_atomic(docs / f"{record['id']}.json", json.dumps(record, ensure_ascii=False))


def keep_only(folder: Path, live: Iterable[str]) -> None:
    """Remove the records of reports the index no longer holds (the index is the truth), and
    half-written ones a crash left."""
    live = set(live)
    for path in (folder / DOCS).glob("*.json"):
        if path.stem not in live:
            path.unlink(missing_ok=True)
    for path in (folder / DOCS).glob(".*.tmp"):
        path.unlink(missing_ok=True)


def document_ids(index_dir: str | Path) -> list[str]:
    return sorted(p.stem for p in (Path(index_dir) / DOCS).glob("*.json"))


def document_record(index_dir: str | Path, doc_id: str) -> dict | None:
    """A report's structure by id; None for an unknown id (an id naming anything but a record
    file in the folder — a path, a hidden or half-written file — is unknown)."""
    docs = Path(index_dir) / DOCS
    path = docs / f"{doc_id}.json"
    if doc_id.startswith(".") or "\0" in doc_id or path.parent != docs:
        return None
    try:
        if not path.is_file():
            return None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:  # longer than a file name may be: no record has it
            return None
        raise
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # cut short, not UTF-8, removed meanwhile
        raise damaged(exc) from exc


def listed(record: dict) -> dict:
    """What the report list shows of a record."""
    d = record["document"]
    return {"id": record["id"], "name": record["name"], "passages": record["passages"],
            "document": {k: d.get(k) for k in LISTED}}


def _read_list(index_dir: str | Path) -> list[dict]:
    text = (Path(index_dir) / DOCS / REPORT_LIST).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def write_report_list(folder: Path, written: dict[str, dict]) -> None:
    """After a commit and `keep_only`: the list of the live records, from what this build wrote
    (`listed` of each, by id) and the previous list; a record neither holds is read."""
    try:
        before = {r["id"]: r for r in _read_list(folder)}
    except (OSError, ValueError, KeyError, TypeError):
        before = {}
    rows = (written.get(d) or before.get(d) or listed(document_record(folder, d)) for d in document_ids(folder))
    _write_atomic(folder / DOCS / REPORT_LIST, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def report_list(index_dir: str | Path) -> list[dict]:
    """The report list, in id order; read from the records themselves when the list is missing or
    is not of the records the folder holds (a build stopped between commit and list)."""
    ids = document_ids(index_dir)
    try:
        rows = _read_list(index_dir)
        if [r["id"] for r in rows] == ids:
            return rows
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return [listed(r) for r in (document_record(index_dir, d) for d in ids) if r]
