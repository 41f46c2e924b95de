"""Typed records passed between the steps: file → lines → report structure."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


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
    pdf_title: str | None = None


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
    kind: str = "stockholm"  # "stockholm" follow-up report or "generic" other report
    source: str = "txt"
    path: str = ""


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
    page: int | None = None
    lines: tuple[int, int] = (0, 0)
    amounts: list[Amount] = field(default_factory=list)
    page_starts: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, page) where pages begin

    def page_at(self, offset: int) -> int | None:
        """The page of the text at this offset (PDF sections can run over several pages)."""
        page = self.page
        for start, p in self.page_starts:
            if start > offset:
                break
            page = p
        return page


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
        return data
