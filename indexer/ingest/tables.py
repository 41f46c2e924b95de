"""Activity and indicator tables: rows in the three layouts of the reports.

- tab-separated rows with empty cells kept (2020 KS): cells map to columns directly;
- wrapped rows whose text runs over several lines, then the dates or the values
  (2015 KS, 2020 SDN): a row ends at its dates (activities) or its period (indicators).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..patterns import DATE
from ..records import Activity, Indicator, Line
from .amounts import parse_value

_DATES = re.compile(rf"(?:^|\s)({DATE})(?:\s+({DATE}))?(?:\s+(Avvikelse))?\s*$")
_PENDING_YEARS = re.compile(r"^((?:19|20)\d\d)-\s+((?:19|20)\d\d)-$")
_MONTH_DAYS = re.compile(r"^([01]\d-[0-3]\d)\s+([01]\d-[0-3]\d)$")
_ANALYS = re.compile(r"^Analys\b\s*(.*)$")


def is_activity_header(text: str) -> bool:
    return "".join(text.split()) == "AktivitetStartdatumSlutdatumAvvikelse"  # split: \s, as re's


def is_indicator_header(text: str) -> bool:
    compact = "".join(text.split())
    return compact.startswith("IndikatorPeriodensutfall") and compact.endswith("Period")


def _join(parts: list[str]) -> str:
    return re.sub(r"\s+", " ", " ".join(p.strip() for p in parts)).strip()


def _sentence_end(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?", ":"))


@dataclass
class _Row:
    parts: list[str] = field(default_factory=list)
    first: Line | None = None

    def add(self, line: Line, text: str | None = None) -> None:
        self.first = self.first or line
        self.parts.append(line.text if text is None else text)


class _Table:
    """What both tables share: rows in progress, the open Analys comment, the layout seen."""

    is_header = staticmethod(lambda text: False)

    def __init__(self, goal: int | None):
        self.goal = goal
        self.rows: list = []
        self.row = _Row()
        self.comment: list[str] | None = None  # open Analys comment of the last row
        self.indented: bool | None = None  # do rows start indented (2015 layout)?
        self.last_line: int | None = None

    def _opening(self, line: Line) -> bool | None:
        """Header, tab row and Analys lines, handled alike; None for a line the table reads itself."""
        self.last_line = line.lineno
        if self.is_header(line.text):
            return True
        if "\t" in line.text:
            return self._feed_tabbed(line)
        m = _ANALYS.match(line.text)
        if m and self.rows and not self.row.parts:
            self.comment = [m.group(1)] if m.group(1) else []
            self.rows[-1].comment = _join(self.comment) or None
            return True
        return None

    def _feed_tabbed(self, line: Line) -> bool:
        raise NotImplementedError

    def take_pending(self) -> tuple[list[str], Line | None]:
        """Text of an unfinished row and its first line: returned to the caller as prose."""
        row, self.row = self.row, _Row()
        return row.parts, row.first


class ActivityTable(_Table):
    """Feed the lines of an activity table one by one; complete rows collect in `rows`."""

    is_header = staticmethod(is_activity_header)

    def __init__(self, goal: int | None):
        super().__init__(goal)
        self.dates: list[str] = []
        self.years: tuple[str, str] | None = None

    def feed(self, line: Line) -> bool:
        """Take a line; False when it does not belong to the table (the caller ends it)."""
        opened = self._opening(line)
        if opened is not None:
            return opened
        text = line.text
        if text == "Avvikelse" and self.rows and not self.row.parts:
            self.rows[-1].deviation = True
            return True
        if re.fullmatch(r"\d{1,3}", text):
            return True  # a page number inside a row
        if (y := _PENDING_YEARS.match(text)) and not self.row.parts and self.rows is not None:
            self.years = (y.group(1), y.group(2))
            return True
        if self.years and (md := _MONTH_DAYS.match(text)):
            self._dates_found([f"{self.years[0]}-{md.group(1)}", f"{self.years[1]}-{md.group(2)}"], False, line)
            self.years = None
            return True
        if self.comment is not None:
            if self._comment_goes_on(line):
                self.comment.append(text)
                self._set_comment()
                return True
            self.comment = None
        d = _DATES.search(text)
        if d:
            before = text[: d.start()].strip()
            if before:
                self.row.add(line, before)
            found = [x for x in (d.group(1), d.group(2)) if x]
            self._dates_found(found, bool(d.group(3)), line)
            return True
        if self.rows and not self.row.parts and not self.dates and re.match(r"[a-zåäö(]", text):
            self.rows[-1].text = _join([self.rows[-1].text, text])  # the tail of the last row
            return True
        if self.indented is None:
            self.indented = line.indent >= 2
        self.row.add(line)
        return True

    def _comment_goes_on(self, line: Line) -> bool:
        if line.indent >= 2 or _DATES.search(line.text):
            return False
        if self.indented:
            return True
        return not self.comment or not _sentence_end(self.comment[-1])

    def _set_comment(self) -> None:
        self.rows[-1].comment = _join(self.comment) or None

    def _dates_found(self, found: list[str], deviation: bool, line: Line) -> None:
        self.dates.extend(found)
        if len(self.dates) < 2 or not self.row.parts and not self.rows:
            return
        if not self.row.parts:  # dates with no text: they belong to nothing we can name
            self.dates = []
            return
        first = self.row.first
        self.rows.append(Activity(text=_join(self.row.parts), start=self.dates[0], end=self.dates[1],
                                  deviation=deviation, goal=self.goal, line=first.lineno, page=first.page))
        self.row, self.dates, self.comment = _Row(), [], None
        if self.indented is None:
            self.indented = first.indent >= 2

    def _feed_tabbed(self, line: Line) -> bool:
        cells = [c.strip() for c in line.text.split("\t")]
        m = _ANALYS.match(cells[0])
        if m and self.rows:
            comment = m.group(1) or None
            self.rows[-1].comment = comment
            self.comment = [] if comment is None else None  # an empty Analys: its text comes after a header
            return True
        dates = [c for c in cells[1:] if re.fullmatch(DATE, c)]
        if not dates:
            if self.comment is not None and self.rows:
                self.comment = None
                self.rows[-1].comment = cells[0]
                return True
            return False
        self.row.add(line, cells[0])
        self._dates_found(dates[:2], "Avvikelse" in cells[1:], line)
        return True


# --- indicators ---------------------------------------------------------------

_YEAR_PHRASES = r"Ny indikator|Inget utfall|Fastställs"
_PHRASES = (rf"Tas fram av nämnd(?:en)?(?:/ ?styrelse)?|(?:{_YEAR_PHRASES})(?: (?:19|20)\d\d)?"
            r"|Saknas|Ej mätbart|öka|minska|-")
_CELL_NUMBER = r"[-–]?\d{1,2}(?: \d{3})+(?:,\d+)?|[-–]?\d+(?:,\d+)?"
_CELL = re.compile(
    rf"(?:^|\s)((?:{_CELL_NUMBER})(?:\s*(?:%|st|kr|tkr|mnkr|dagar|år|index|GWh|MWh|kWh|barn/avd\.?))?|{_PHRASES})$",
    re.IGNORECASE,
)
_PERIOD = re.compile(r"(?:^|\s)((?:(?:Tertial|Helår|Delår|Kvartal)\s*\d?\s*)?(?:19|20)\d\d)$", re.IGNORECASE)

TAB_COLUMNS = ["outcome", "outcome_men", "outcome_women", "previous", "forecast", "target", "kf_target", "period"]
SHORT_COLUMNS = ["outcome", "previous", "forecast", "target", "kf_target", "period"]


def split_indicator_row(text: str) -> tuple[str, list[str], str | None]:
    """"Sjukfrånvaro 2,2 % 1,7 % 3 % Tertial 2 2015" → (name, values, period), peeling cells off the end."""
    text = re.sub(r"\s+", " ", text).strip()
    period = None
    if m := _PERIOD.search(text):
        period, text = m.group(1), text[: m.start()].rstrip()
    values: list[str] = []
    while (m := _CELL.search(text)) and m.start() > 0:
        values.insert(0, m.group(1))
        text = text[: m.start()].rstrip()
    return text, values, period


def _numbers(ind: Indicator, columns: list[str]) -> None:
    for col in columns:
        value = getattr(ind, col)
        parsed = parse_value(value) if value else None
        if parsed is not None:
            ind.numbers[col] = parsed[0]


class IndicatorTable(_Table):
    is_header = staticmethod(is_indicator_header)

    def __init__(self, goal: int | None, header: str):
        super().__init__(goal)
        self.columns = TAB_COLUMNS if "män" in header else SHORT_COLUMNS

    def feed(self, line: Line) -> bool:
        opened = self._opening(line)
        if opened is not None:
            return opened
        text = line.text
        if self.comment is not None:
            # Comments run on until the next indented row (2015) or are set in long lines (2020 SDN).
            goes_on = line.indent < 2 and (self.indented or len(text) > 60 or not self.comment
                                           or not _sentence_end(self.comment[-1]))
            if goes_on:
                self.comment.append(text)
                self.rows[-1].comment = _join(self.comment)
                return True
            self.comment = None
        if self.indented is None:
            self.indented = line.indent >= 2
        self.row.add(line)
        joined = _join(self.row.parts)
        # A year after "Ny indikator"/"Fastställs" belongs to that cell, not the period column.
        if _PERIOD.search(joined) and not re.search(rf"(?:{_YEAR_PHRASES})\s+(?:19|20)\d\d$", joined, re.I):
            name, values, period = split_indicator_row(joined)
            if values or re.search(r"\d\s*$", name) is None:
                self._emit(name, values, period)
        return True

    def _emit(self, name: str, values: list[str], period: str | None) -> None:
        first = self.row.first
        ind = Indicator(name=name, period=period, goal=self.goal, values=values, line=first.lineno, page=first.page)
        cells = values + [period]
        if len(cells) == len(self.columns):  # every cell present: columns are certain
            for col, value in zip(self.columns, cells):
                setattr(ind, col, value)
            _numbers(ind, self.columns[:-1])
        self.rows.append(ind)
        self.row = _Row()

    def _feed_tabbed(self, line: Line) -> bool:
        cells = [c.strip() for c in line.text.split("\t")]
        m = _ANALYS.match(cells[0])
        if m and self.rows:
            self.rows[-1].comment = m.group(1) or None
            return True
        if len(cells) < len(self.columns):
            return False
        first = line
        cells = cells[: len(self.columns) + 1]
        ind = Indicator(name=cells[0], goal=self.goal, values=[c for c in cells[1:-1] if c], line=first.lineno,
                        page=first.page)
        for col, value in zip(self.columns, cells[1:]):
            setattr(ind, col, value or None)
        _numbers(ind, self.columns[:-1])
        self.rows.append(ind)
        return True

