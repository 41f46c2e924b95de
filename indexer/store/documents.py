"""Each report's structure as JSON beside the index (one file per report, in the index's own
generation), for the report pages and the cross-year views. A record that cannot be read is
`IndexDamaged`."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from .generations import damaged

DOCS = "docs"


def write_record(folder: Path, record: dict) -> None:
    docs = folder / DOCS
    docs.mkdir(exist_ok=True)
    tmp = docs / f".{record['id']}.json.tmp"
    tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, docs / f"{record['id']}.json")  # a reader sees the old record or the new one


def keep_only(folder: Path, live: Iterable[str]) -> None:
    """Remove the records of reports the index no longer holds (the index is the truth), and
    half-written ones a crash left."""
    live = set(live)
    for path in (folder / DOCS).glob("*.json"):
        if path.stem not in live:
            path.unlink(missing_ok=True)
    for path in (folder / DOCS).glob(".*.json.tmp"):
        path.unlink(missing_ok=True)


def document_ids(index_dir: str | Path) -> list[str]:
    return sorted(p.stem for p in (Path(index_dir) / DOCS).glob("*.json"))


def document_record(index_dir: str | Path, doc_id: str) -> dict | None:
    """A report's structure by id; None for an unknown id (ids are checked, never used as paths)."""
    if doc_id not in document_ids(index_dir):
        return None
    try:
        return json.loads((Path(index_dir) / DOCS / f"{doc_id}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # cut short, not UTF-8, removed meanwhile
        raise damaged(exc) from exc
