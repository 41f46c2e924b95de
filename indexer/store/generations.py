"""Where an index lives: generation folders behind a symlink, one writer at a time.

- A full build is written into a new generation folder and switched in by an atomic symlink
  replace, so readers never see a half-built index and a crash leaves the last good one.
- One writer at a time: an flock on a lock file, taken without waiting. The kernel releases it
  when its holder dies; worker processes never inherit it (they are started by a fork server).
  The file names its holder while it writes, so a writer that died is noted by the next one.
- Generations left behind by crashed builds are removed by the next writer.
- An index that cannot be read (a segment file deleted or cut short) is `IndexDamaged`: its
  message says to rebuild, and the next build does so by itself.
"""

from __future__ import annotations

import fcntl
import gc
import json
import logging
import os
import pickle
import shutil
import struct
import time
import traceback
import warnings
import zlib
from pathlib import Path

from whoosh.reading import TermNotFound

from .engine.registry import index_class
from .schema import SCHEMA_VERSION, code_fingerprint

META = "rapportsok.json"
log = logging.getLogger("rapportsok")

# What reading a damaged Whoosh index raises: a missing file, a file cut short, bytes that are not
# what was written (also ValueError, left out here so as not to catch a QueryError).
READ_ERRORS = (OSError, EOFError, pickle.UnpicklingError, struct.error, zlib.error, TermNotFound)


class IndexBusy(Exception):
    """Another process is writing the index."""


class IndexMissing(Exception):
    """No usable index at the given place."""


class IndexDamaged(IndexMissing):
    """The index or a report record beside it cannot be read: it must be rebuilt."""


def release(exc: BaseException) -> None:
    """Whoosh leaves the files it was reading open when it fails: close them now (by clearing the
    failed frames), not whenever the collector finds them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        traceback.clear_frames(exc.__traceback__)
        gc.collect()


def damaged(exc: BaseException) -> IndexDamaged:
    """The error to raise for a read error."""
    release(exc)
    return IndexDamaged(f"sökindexet är skadat och kan inte läsas ({type(exc).__name__}); "
                        "bygg om det med `rapportsok index --rebuild`")


class WriterLock:
    def __init__(self, index_dir: Path):
        self.path = index_dir.with_name(index_dir.name + ".lock")

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = os.fdopen(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644), "r+", encoding="utf-8")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = self.holder()
            self.handle.close()
            raise IndexBusy(f"indexing is already running for {self.path.with_suffix('')}"
                            + (f" (process {holder})" if holder else "")) from None
        previous = self.holder()
        if previous:  # the kernel released its lock when it died; what it left is cleaned up now
            log.warning("rapportsok: obs: indexeringen i process %s avbröts utan att bli klar; "
                        "den här tar över och städar efter den", previous)
        self._name(str(os.getpid()))
        return self

    def holder(self) -> str:
        """The process id of the writer that holds (or held, until it died) the lock; "" if none."""
        self.handle.seek(0)
        return self.handle.read().strip()

    def _name(self, holder: str) -> None:
        """The name is a note for the next writer; the flock is the lock. On a full disk it cannot be
        written, and the run goes on: it is the one that removes what a failed run left."""
        self.handle.seek(0)
        self.handle.truncate()
        try:
            self.handle.write(holder)
            self.handle.flush()
        except OSError:
            self.handle.seek(0)
            self.handle.truncate()

    def __exit__(self, *exc):
        self._name("")
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def read_meta(index_dir: Path) -> dict | None:
    try:
        return json.loads((index_dir / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_meta(folder: Path, version: dict) -> None:
    (folder / META).write_text(json.dumps({"version": version}), encoding="utf-8")


def open_index(index_dir: str | Path):
    """Open the index generation for reading; it must have been built by this version of the code."""
    index_dir = Path(index_dir)
    try:
        meta = read_meta(index_dir)
        version = (meta or {}).get("version", {})
        cls = index_class(version.get("engine", "whoosh"))
        if not (index_dir.is_dir() and cls.exists(index_dir)):
            if meta is not None:  # built, and the engine's table of contents (or meta.json) is gone
                raise damaged(FileNotFoundError(f"the index in {index_dir} has lost its table of contents"))
            raise IndexMissing(f"no index in {index_dir}: run `rapportsok index` first")
        if (version.get("schema"), version.get("code")) != (SCHEMA_VERSION, code_fingerprint()):
            raise IndexMissing(f"the index in {index_dir} was built by another version: run `rapportsok index`")
    except READ_ERRORS as exc:
        raise damaged(exc) from exc
    try:
        return cls.open(index_dir)
    except Exception as exc:  # opening reads only the index's files: whatever fails, they are damaged
        raise damaged(exc) from exc


def new_generation(index_dir: Path) -> Path:
    target = index_dir.with_name(f"{index_dir.name}.g{time.time_ns()}")
    target.mkdir(parents=True)
    return target


def switch_to(index_dir: Path, target: Path) -> None:
    """Point `index_dir` (a symlink) at the new generation atomically."""
    if index_dir.exists() and not index_dir.is_symlink():
        shutil.rmtree(index_dir)  # a plain folder from elsewhere: replaced by the symlink
    link = index_dir.with_name(index_dir.name + ".link-new")
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(target.name)
    os.replace(link, index_dir)


def remove_stale(index_dir: Path) -> None:
    """Remove every generation but the live one: old ones after a switch, and half-built ones
    that crashed builds left behind. Only the lock holder calls this."""
    live = index_dir.resolve() if index_dir.is_symlink() else None
    for folder in index_dir.parent.glob(f"{index_dir.name}.g*"):
        if folder.is_dir() and folder.resolve() != live:
            shutil.rmtree(folder, ignore_errors=True)
