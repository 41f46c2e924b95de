"""The reading pipeline: file → lines → clean lines → metadata and structure → Report; and which
files a set of paths names, each with its report id."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from pathlib import Path

from ..records import Document, Report
from .clean import clean
from .metadata import infer
from .read import SUPPORTED, ReadError, read_file
from .structure import build


def parse_file(path: str | Path) -> Report:
    """Read and structure one report. Raises `ReadError` for a file that cannot be read."""
    raw = read_file(path)
    lines = clean(raw.lines, wrap_spaces=raw.source == "txt")
    inferred = replace(infer(lines, raw.lines, raw.source, raw.pages, str(path)), page_labels=raw.page_labels,
                       ocr_pages=raw.ocr_pages)
    document = apply_sidecar(inferred, Path(path))
    built = build(lines, boxed=raw.source == "pdf")
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


@dataclass(frozen=True)
class Source:
    """A file to read and the id its report gets: from its path below the folder it was found
    in (a file named directly: its name), so two `rapport.txt` in different folders differ."""

    path: Path
    doc_id: str


def doc_id_for(relative: str | Path) -> str:
    """A stable id from a relative path: lower case, ASCII letters, digits and dashes."""
    stem = Path(relative).with_suffix("").as_posix().lower()
    stem = stem.translate(str.maketrans("åäöéü", "aaoeu"))
    return re.sub(r"[^a-z0-9]+", "-", stem).strip("-") or "dokument"


def collect_sources(paths: Iterable[Path]) -> tuple[list[Source], list[tuple[str, str]]]:
    """Files as given (a missing one too: reading it reports why), folders as the supported files
    inside them, sorted; and the files whose id another file already has, with the reason."""
    found: list[tuple[Path, Path]] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found.extend((p, p.relative_to(path)) for p in sorted(path.rglob("*"))
                         if p.is_file() and p.suffix.lower() in SUPPORTED and not p.name.startswith("."))
        else:
            found.append((path, Path(path.name)))
    sources: dict[str, Source] = {}
    seen: set[Path] = set()
    clashes: list[tuple[str, str]] = []
    for path, relative in found:
        path = path.resolve()
        if path in seen:
            continue
        seen.add(path)
        doc_id = doc_id_for(relative)
        if doc_id in sources:
            clashes.append((str(path), f"its report id {doc_id!r} is already that of {sources[doc_id].path}; "
                                       "rename one of them"))
            continue
        sources[doc_id] = Source(path, doc_id)
    return list(sources.values()), clashes
