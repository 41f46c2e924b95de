"""What keeps a damaged tantivy index from taking a process down: tantivy's own segment checksums
checked before a searcher opens them, and a Rust panic raised as `Unreadable`."""

from __future__ import annotations

import functools
import json
import mmap
import struct
import zlib
from pathlib import Path

from .base import Unreadable


def guard(call, *args, **kwargs):
    """`call`, with a Rust panic raised as Unreadable. tantivy panics on postings it cannot decode,
    and pyo3 raises that as PanicException, a BaseException: no error handler would catch it and it
    would end the server's worker (the client getting an empty reply)."""
    try:
        return call(*args, **kwargs)
    except BaseException as exc:
        if type(exc).__module__ != "pyo3_runtime":  # PanicException cannot be imported by name
            raise
        raise Unreadable(f"tantivy could not read the index ({exc})") from exc


class Guarded:
    """A tantivy object whose every method (and attribute) turns a panic into Unreadable."""

    def __init__(self, wrapped):
        self._wrapped = wrapped

    def __getattr__(self, name: str):
        value = guard(getattr, self._wrapped, name)
        return functools.partial(guard, value) if callable(value) else value


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
