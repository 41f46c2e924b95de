"""The index as the app holds it: opened read-only once, reopened when a rebuild switches it;
report records and the cross-year links (built at index time) read once per change of the reports. An index that
cannot be read (a segment file deleted or cut short) is `IndexDamaged` (a 503 with advice)."""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from indexer import (DOCS, READ_ERRORS, REPORT_LIST, History, IndexMissing, Occurrence, QueryError, damaged,
                     document_ids, document_record, open_index, open_searcher, read_history, report_list)


@dataclass
class Linked:
    """What is read from the report records once per change of the reports."""

    stamp: tuple
    history: History
    passage_ids: dict  # (doc id, kind, line) → passage id; for goals also (doc id, "goal", title)
    records: list[dict]
    histories: dict = field(default_factory=dict)  # passage id → (kind, label) of its group across reports

    def __post_init__(self):
        """The passages whose activity, indicator or goal stands in two reports or more: only
        they lead to a history (a group of one report is none)."""
        for what, kind in (("activities", "activity"), ("indicators", "indicator"), ("goals", "goal")):
            for group in getattr(self.history, what):
                if len(group.docs()) >= 2:
                    for o in group.occurrences:
                        if (found := self.passage_of(o, kind)) is not None:
                            self.histories.setdefault(found, (what, group.label))

    def passage_of(self, o: Occurrence, kind: str) -> str | None:
        """An item's passage, by its line; a goal repeated under another parent by its title."""
        found = self.passage_ids.get((o.doc["id"], kind, o.item.get("line")))
        if found is None and kind == "goal":
            found = self.passage_ids.get((o.doc["id"], kind, o.item["title"]))
        return found


class IndexHolder:
    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._ix = None
        self._target: str | None = None
        self._linked: Linked | None = None
        self._read: dict[str, tuple[tuple, list[dict]]] = {}  # name → (stamp, what was read)
        self._verdicts: dict[tuple, bool] = {}  # a generation's files → whether they all read

    def index(self):
        """The open index; a rebuild (a new generation behind the symlink) is picked up here.
        Updates inside a generation are seen by every new searcher anyway."""
        target = os.path.realpath(self.index_dir)
        with self._lock:
            if self._ix is None or target != self._target:
                self._ix, self._target = open_index(self.index_dir), target
            elif (reason := self._ix.unsound()) is not None:
                self._ix = None
                raise damaged(OSError(reason))
            return self._ix

    @contextmanager
    def reading(self):
        """Read errors as IndexDamaged; the index is opened (and checked) again next time."""
        try:
            yield
        except READ_ERRORS as exc:
            self._ix = None
            raise damaged(exc) from exc
        except (QueryError, IndexMissing):
            raise
        except Exception as exc:
            # Bytes that are not what was written make Whoosh raise anything at all (TypeError,
            # IndexError, UnicodeDecodeError, an assertion …). Whether that was damage or a bug
            # is asked of the index itself: read in full, once per state of its files.
            ix = self._ix  # the one this request read
            if ix is not None and not self._sound(ix):
                self._ix = None
                raise damaged(exc) from exc
            raise

    def _sound(self, ix) -> bool:
        key = (self._target, ix.files_key())
        with self._lock:
            if key not in self._verdicts:
                try:
                    ix.verify()
                    self._verdicts[key] = True
                except Exception as exc:  # noqa: BLE001 — whatever reading it raises, it does not read
                    damaged(exc)  # closes the files the failed read left open
                    self._verdicts[key] = False
            return self._verdicts[key]

    @contextmanager
    def searcher(self):
        with self.reading(), open_searcher(self.index()) as s:
            yield s

    def document(self, doc_id: str) -> dict | None:
        self.index()  # raises IndexMissing when there is none
        return document_record(self.index_dir, doc_id)

    def documents(self) -> list[dict]:
        """The report list (what the home page and /api/documents show of each report), read once
        per change of the reports: one small file written at build time, not every record."""
        return self._once("listed", self._stamp(), lambda: report_list(self.index_dir))

    def _read_records(self, stamp: tuple) -> list[dict]:
        return self._once("records", stamp, lambda: [r for r in (document_record(self.index_dir, d)
                                                                 for d in document_ids(self.index_dir)) if r])

    def _once(self, name: str, stamp: tuple, read):
        """What `read` gives, read again only when the reports change (`stamp`)."""
        with self._lock:
            if name not in self._read or self._read[name][0] != stamp:
                with self.reading():
                    self._read[name] = (stamp, read())
            return self._read[name][1]

    def _stamp(self) -> tuple:
        self.index()
        folder = self.index_dir / DOCS
        files = sorted(folder.glob("*.json")) + [folder / REPORT_LIST]
        return os.path.realpath(self.index_dir), tuple((p.name, _mtime(p)) for p in files)

    def passages(self, doc_id: str) -> list[dict]:
        """The stored passages of a document, in document order."""
        with self.searcher() as s:
            found = [f.to_dict() for f in s.documents(doc_id=doc_id)]
        return sorted(found, key=lambda f: f.get("order", 0))

    def history(self) -> History:
        """Activities, indicators and goals linked across the reports."""
        return self.linked().history

    def linked(self) -> Linked:
        """Read once per change of the reports: the caller takes it once per request, so the
        records are not looked at again for every link a page draws."""
        stamp = self._stamp()
        records = self._read_records(stamp)
        with self._lock:
            if self._linked is None or self._linked.stamp != stamp:
                with self.reading(), open_searcher(self._ix) as s:
                    ids = {}
                    for kind in ("activity", "indicator", "goal"):
                        for f in s.documents(kind=kind):
                            ids[f.doc_id, kind, (f.lines or [None])[0]] = f.id
                            if kind == "goal":  # a goal repeated under another parent is one passage
                                ids.setdefault((f.doc_id, kind, f.heading), f.id)
                self._linked = Linked(stamp, read_history(self.index_dir / DOCS, records), ids, records)
            return self._linked


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:  # removed since the folder was listed; a missing list is read from the records
        return None


def holder() -> IndexHolder:
    return current_app.extensions["rapportsok.index"]
