"""The passage schema, the fields a passage is stored with, and the version an index is built by.

The version is derived, not kept by hand: the schema number, a hash of every module that decides
what goes into the index (ingest/, store/, records.py, patterns.py), the versions of the
libraries that read and analyse (whoosh3, pdfminer.six, simplemma, hunspell-sv), the Swedish word
list and the analysis settings. Any change means a rebuild.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from ..config import Analysis
from ..ingest.passages import searched_heading
from ..records import Passage
from .analysis import analyzer_for, dictionary_path

SCHEMA_VERSION = 8
_PACKAGE = Path(__file__).resolve().parent.parent
_LIBRARIES = ("whoosh3", "pdfminer.six", "simplemma", "hunspell-sv")


def make_schema(analysis: Analysis | None = None, analyzer=None) -> Schema:
    """The passage schema; `analyzer` replaces the Swedish one (for measuring alternatives)."""
    analyzer = analyzer or analyzer_for(analysis or Analysis())
    return Schema(
        id=ID(stored=True, unique=True),
        doc_id=ID(stored=True, sortable=True),  # a column: the hits per report are counted as facets are
        source=ID(stored=True),
        file_key=ID(stored=True),  # "<sha256> <source>": what incremental builds compare
        title=STORED(),
        namnd=ID(stored=True, sortable=True),  # facets read columns: one pass over the matched numbers
        organisation=STORED(),
        office=ID(stored=True),  # whole, so that an engine may read it as a column (plan.offices_of)
        year=NUMERIC(stored=True, sortable=True),
        when=NUMERIC(sortable=True),  # year and tertial, for sorting by date
        report_type=ID(stored=True, sortable=True),
        period=ID(stored=True, sortable=True),
        kind=ID(stored=True, sortable=True),
        heading=STORED(),  # for display; the searchable heading is heading_text
        heading_text=TEXT(analyzer=analyzer),  # a real section heading, not a goal or row name repeated
        text=TEXT(analyzer=analyzer, stored=True, phrase=True),
        context=TEXT(analyzer=analyzer, phrase=False),  # the section around the passage
        about=TEXT(analyzer=analyzer, phrase=False),  # goals above it, nämnd, period
        group=ID(stored=True, sortable=True),  # near-identical passages of a report share it
        grouped=ID(),  # "ja": its group has other passages (a search keeps one; counts correct for it)
        words=TEXT(analyzer=RegexTokenizer(r"[^\W\d_]{3,}") | LowercaseFilter(), phrase=False),  # spelling
        goal_path=STORED(),
        status=ID(stored=True, sortable=True),
        deviation=ID(stored=True, sortable=True),
        page=STORED(),
        page_label=STORED(),
        ocr=STORED(),
        lines=STORED(),
        amounts=STORED(),
        order=NUMERIC(stored=True, sortable=True),
    )


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the code and data that decide what the index holds."""
    h = hashlib.sha256()
    modules = [_PACKAGE / "records.py", _PACKAGE / "patterns.py", *sorted((_PACKAGE / "ingest").glob("*.py")),
               *sorted((_PACKAGE / "store").rglob("*.py"))]
    for path in modules:
        h.update(path.relative_to(_PACKAGE).as_posix().encode())
        h.update(path.read_bytes())
    for name in _LIBRARIES:
        h.update(f"{name}=={_version(name)}".encode())
    words = dictionary_path()
    if words is not None:
        h.update(hashlib.sha256(words.read_bytes()).digest())
    return h.hexdigest()[:16]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def version_of(analysis: Analysis | None, engine: str = "whoosh") -> dict:
    return {"schema": SCHEMA_VERSION, "code": code_fingerprint(), "analysis": asdict(analysis or Analysis()),
            "engine": engine}


def passage_fields(p: Passage, source: str, file_hash: str) -> dict:
    tertial = next((int(c) for c in (p.period or "") if c.isdigit() and (p.period or "").startswith("Tertial")), 0)
    goals = " ".join(f"{g.number or ''} {g.title}" for g in p.goal_path)
    fields = dict(
        id=p.id, doc_id=p.doc_id, source=source, file_key=f"{file_hash} {source}", title=p.title or "",
        organisation=p.organisation, office=p.office, kind=p.kind, heading=p.heading or "",
        heading_text=searched_heading(p), text=p.text,
        context=p.context, about=p.about, group=p.group,
        words=" ".join([p.text, p.heading or "", goals]),
        goal_path=[dict(vars(g)) for g in p.goal_path],  # plain values: asdict's result, without its deep copy
        page=p.page, page_label=p.page_label, ocr=p.ocr, lines=list(p.lines), amounts=p.amounts, order=p.order,
        when=(p.year or 0) * 10 + tertial,
    )
    for name, value in (("namnd", p.namnd or p.organisation), ("report_type", p.report_type), ("period", p.period),
                        ("status", p.status), ("year", p.year)):
        if value is not None:
            fields[name] = value
    if p.deviation is not None:
        fields["deviation"] = "ja" if p.deviation else "nej"
    if p.grouped:
        fields["grouped"] = "ja"
    return fields
