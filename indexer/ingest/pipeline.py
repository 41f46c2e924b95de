"""The reading pipeline: file → lines → clean lines → metadata and structure → Report; and which
files a set of paths names, each with its report id."""

from __future__ import annotations

import hashlib
import re
import stat
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
    built = build(lines, boxed=raw.source == "pdf", outline=raw.outline)
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


# A report id is a file name (`docs/<id>.json`): kept well below the 255 bytes a name may have.
MAX_ID = 200


def doc_id_for(relative: str | Path) -> str:
    """A stable id from a relative path: lower case, ASCII letters, digits and dashes; a long one
    cut and made unique by a hash of the whole."""
    stem = Path(relative).with_suffix("").as_posix().lower()
    stem = stem.translate(str.maketrans("åäöéü", "aaoeu"))
    doc_id = re.sub(r"[^a-z0-9]+", "-", stem).strip("-") or "dokument"
    if len(doc_id) > MAX_ID:
        doc_id = f"{doc_id[:MAX_ID - 17].rstrip('-')}-{hashlib.sha256(doc_id.encode()).hexdigest()[:16]}"
    return doc_id


def printable(text: str | Path) -> str:
    """A file name for a log line: control characters (a newline would split the line) and bytes
    that are not UTF-8 escaped, everything else as it is."""
    return "".join(c if c.isprintable() or c == " " else
                   f"\\x{ord(c) - 0xDC00:02x}" if 0xDC80 <= ord(c) <= 0xDCFF else c.encode("unicode_escape").decode()
                   for c in str(text))


def _skipped(path: Path, root: Path) -> str | None:
    """Why an entry of a folder is not read, or None for a file to read."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return "its name is not UTF-8; rename it"
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except RuntimeError:
            return "a symbolic link that loops"
        except OSError:
            return "a symbolic link to nothing"
        if not target.is_relative_to(root.resolve()):
            return "a symbolic link out of the indexed folder (not followed)"
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if stat.S_ISDIR(mode):
        return "a folder, not a file"
    if not stat.S_ISREG(mode):
        return "not a regular file"
    return None


def collect_sources(paths: Iterable[Path]) -> tuple[list[Source], list[tuple[str, str]]]:
    """Files as given (a missing one too: reading it reports why), folders as the supported files
    inside them, sorted; and the files not read, each with the reason: whose id another file
    already has, whose name is not UTF-8, links that loop, lead nowhere or out of the folder,
    folders and FIFOs named like reports."""
    found: list[tuple[Path, Path]] = []
    skipped: list[tuple[str, str]] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if p.suffix.lower() not in SUPPORTED or p.name.startswith("."):
                    continue
                reason = _skipped(p, path)
                if reason is None:
                    found.append((p, p.relative_to(path)))
                else:
                    skipped.append((str(p), reason))
        else:
            found.append((path, Path(path.name)))
    sources: dict[str, Source] = {}
    seen: set[Path] = set()
    for path, relative in found:
        path = path.resolve()
        if path in seen:
            continue
        seen.add(path)
        doc_id = doc_id_for(relative)
        if doc_id in sources:
            skipped.append((str(path), f"its report id {doc_id!r} is already that of {sources[doc_id].path}; "
                                       "rename one of them"))
            continue
        sources[doc_id] = Source(path, doc_id)
    return list(sources.values()), skipped
