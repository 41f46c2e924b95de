"""Typed records passed between the steps: file → lines → report structure → passages."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Line:
    """One line of text with where it came from (1-based line number, 1-based PDF page)."""

    text: str
    lineno: int
    page: int | None = None
    indent: int = 0  # leading spaces/lost glyphs stripped: 1 marks page starts, 2+ table row starts


@dataclass
class RawDocument:
    path: str
    lines: list[Line]
    pages: int | None  # page count for PDFs; None for text until metadata infers it
    source: str  # "txt" or "pdf"
    encoding: str | None = None
    page_labels: list[str | None] = field(default_factory=list)  # printed page label per PDF page
    ocr_pages: list[int] = field(default_factory=list)  # pages read by OCR


@dataclass
class Document:
    title: str | None
    namnd: str | None
    year: int | None
    report_type: str | None
    period: str | None
    dnr: str | None
    date: str | None
    pages: int | None
    organisation: str | None = None
    office: str | None = None  # the office that wrote it for its nämnd, as the report names it
    kind: str = "stockholm"  # "stockholm" follow-up report or "generic" other report
    source: str = "txt"
    path: str = ""
    page_labels: list[str | None] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)


@dataclass
class Goal:
    level: str  # inriktningsmal | verksamhetsmal | namndmal
    number: str | None
    title: str
    status: str | None = None  # helt | delvis | inte
    parent: int | None = None
    line: int | None = None
    page: int | None = None
    # Reports without per-goal blocks (Avstämning) number and assess goals only in a summary table.
    summary_number: str | None = None
    summary_status: str | None = None


@dataclass
class Amount:
    text: str
    mnkr: float


@dataclass
class Activity:
    text: str
    start: str | None
    end: str | None
    deviation: bool = False
    comment: str | None = None
    goal: int | None = None
    line: int | None = None
    page: int | None = None


@dataclass
class Indicator:
    name: str
    outcome: str | None = None
    outcome_men: str | None = None
    outcome_women: str | None = None
    previous: str | None = None
    forecast: str | None = None
    target: str | None = None
    kf_target: str | None = None
    period: str | None = None
    comment: str | None = None
    goal: int | None = None
    values: list[str] = field(default_factory=list)  # cells as printed, in order
    numbers: dict[str, float] = field(default_factory=dict)  # parsed where certain
    line: int | None = None
    page: int | None = None


@dataclass
class Decision:
    number: int
    text: str


@dataclass
class Section:
    kind: str  # summary analysis expected_result description activity indicator decision economy other
    heading: str | None
    text: str
    goal: int | None = None
    parents: list[str] = field(default_factory=list)  # the headings above this one, outermost first
    columns: str | None = None  # the column header of a table whose rows it holds
    page: int | None = None
    lines: tuple[int, int] = (0, 0)
    amounts: list[Amount] = field(default_factory=list)
    page_starts: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, page) where pages begin
    # (offset in text, line number) where each line's text begins; not kept in the record (the
    # passages carry the lines they stand on)
    line_starts: list[tuple[int, int]] = field(default_factory=list)

    def page_at(self, offset: int) -> int | None:
        """The page of the text at this offset (PDF sections can run over several pages)."""
        page = self.page
        for start, p in self.page_starts:
            if start > offset:
                break
            page = p
        return page

    def lines_of(self, start: int, end: int) -> tuple[int, int]:
        """The lines the text from offset `start` to `end` stands on: a piece of a long section
        cites its own lines, not the section's first."""
        if not self.line_starts:
            return self.lines
        first = last = self.line_starts[0][1]
        for offset, line in self.line_starts:
            if offset <= start:
                first = line
            if offset < end:
                last = line
        return first, max(first, last)


@dataclass
class Report:
    document: Document
    goals: list[Goal] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = asdict(self)
        for section in data["sections"]:
            section["lines"] = list(section["lines"])
            del section["line_starts"]
        return data


@dataclass
class GoalRef:
    """A goal as a passage cites it: level, number, title, status."""

    level: str
    number: str | None
    title: str
    status: str | None


@dataclass
class Passage:
    """The unit that is indexed and shown: a goal, an activity, an indicator row, a decision, or
    a piece of prose, with its document and goal context."""

    id: str
    doc_id: str
    source: str  # the file it came from
    title: str | None
    namnd: str | None
    organisation: str | None
    year: int | None
    report_type: str | None
    period: str | None
    kind: str  # a section kind, or "goal"
    heading: str | None
    text: str
    goal_path: list[GoalRef] = field(default_factory=list)
    page: int | None = None  # the physical page (PDF), 1-based
    page_label: str | None = None  # the page as printed ("Sida 12 (40)" → "12"), where known
    ocr: bool = False  # read by OCR from a scanned page
    lines: tuple[int, int] = (0, 0)
    amounts: list[float] = field(default_factory=list)
    deviation: bool | None = None  # activities only
    order: int = 0  # position in the document
    context: str = ""  # the neighbouring pieces of the section it was cut from (searchable, weakly)
    about: str = ""  # goals above it, section heading, nämnd, period: what it is about
    office: str | None = None  # the office that wrote the report for its nämnd (Document.office)
    group: str = ""  # the id of the first passage of its near-identical group in the report
    grouped: bool = False  # the group has other passages: search shows one of them

    @property
    def status(self) -> str | None:
        """The status of the nearest goal with one: what "måluppfyllelse" filters on."""
        return next((g.status for g in reversed(self.goal_path) if g.status), None)


def report_record(doc_id: str, source: str, file_hash: str, report: Report, passages: int) -> dict:
    """The per-report JSON the index keeps beside it: the report's structure as
    `rapportsok parse --json` prints it, with its id, file and passage count."""
    return {"id": doc_id, "source": source, "name": Path(source).name, "hash": file_hash, "passages": passages,
            **report.to_dict()}
