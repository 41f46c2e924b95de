"""The reading pipeline: file → lines → clean lines → metadata and structure → Report."""

from __future__ import annotations

from pathlib import Path

from .clean import clean
from .metadata import infer
from .read import read_file
from .records import Report
from .structure import build


def parse_file(path: str | Path) -> Report:
    """Read and structure one report. Raises `ReadError` for a file that cannot be read."""
    raw = read_file(path)
    lines = clean(raw.lines, wrap_spaces=raw.source == "txt")
    document = infer(lines, raw.lines, raw.source, raw.pages, str(path))
    built = build(lines)
    return Report(document=document, goals=built.goals, activities=built.activities,
                  indicators=built.indicators, decisions=built.decisions, sections=built.sections)
