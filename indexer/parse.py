"""The reading pipeline: file → lines → clean lines → metadata and structure → Report."""

from __future__ import annotations

import tomllib
from dataclasses import fields, replace
from pathlib import Path

from .clean import clean
from .metadata import infer
from .read import ReadError, read_file
from .records import Document, Report
from .structure import build


def parse_file(path: str | Path) -> Report:
    """Read and structure one report. Raises `ReadError` for a file that cannot be read."""
    raw = read_file(path)
    lines = clean(raw.lines, wrap_spaces=raw.source == "txt")
    document = apply_sidecar(infer(lines, raw.lines, raw.source, raw.pages, str(path)), Path(path))
    built = build(lines)
    return Report(document=document, goals=built.goals, activities=built.activities,
                  indicators=built.indicators, decisions=built.decisions, sections=built.sections)


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + ".meta.toml")


def apply_sidecar(document: Document, path: Path) -> Document:
    """Fields set in an optional `<file>.meta.toml` override what was inferred (for odd documents)."""
    sidecar = sidecar_path(path)
    if not sidecar.is_file():
        return document
    try:
        data = tomllib.loads(sidecar.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ReadError(sidecar, f"not valid TOML ({exc})") from None
    known = {f.name for f in fields(Document)} - {"path", "source"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ReadError(sidecar, f"unknown document fields {', '.join(unknown)}")
    return replace(document, **data)
