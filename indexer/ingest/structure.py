"""Clean lines → typed structure: goals with status, sections, activities, indicators, decisions.

One pass over the non-blank lines. Marker lines (`KF:s inriktningsmål:`, `Nämndmål:`,
`Uppfylls helt`, `Analys`, table headers, `förslag till beslut` …) switch what the
following lines are; tables are handed to the row parsers in `tables`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..patterns import MONTH_PATTERN, STATUS_PHRASE, fold
from ..records import Activity, Decision, Goal, Indicator, Line, Section
from .amounts import find_amounts
from .tables import ActivityTable, IndicatorTable, is_activity_header, is_indicator_header

STATUS = re.compile(rf"^{STATUS_PHRASE}\.?$", re.IGNORECASE)
GOAL_MARKERS = [
    (re.compile(r"^KF:s inriktningsmål:?$"), "inriktningsmal"),
    (re.compile(r"^KF:s mål för verksamhetsområdet:?$"), "verksamhetsmal"),
    (re.compile(r"^Nämndmål:?$"), "namndmal"),
]
_GOAL_DEPTH = {"inriktningsmal": 1, "verksamhetsmal": 2, "namndmal": 3}
_PARENT_LEVEL = {"verksamhetsmal": "inriktningsmal", "namndmal": "verksamhetsmal"}
_GOAL_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(\S.*)$")

HEADINGS = {
    "analys": "analysis",
    "förväntat resultat": "expected_result",
    "beskrivning": "description",
    "sammanfattande analys": "summary",
    "sammanfattning": "summary",
    "sammanfattning inkl. övergripande verksamhetsuppföljning": "summary",
    "förvaltningschefen har ordet": "summary",
}
_ECONOMY = re.compile(
    r"^(Uppföljning av (ekonomi|driftbudget)|Resultatenheter|Investeringar|Omslutningsförändringar"
    r"|Budgetjusteringar( med mera)?|Analys av (balansräkning|utfall)|Försäljningar( av anläggningstillgångar)?"
    r"|Verksamhetsprojekt.*|Central medelsreserv|Medel för .{3,60}|Resultatbudget|Betydande projekt.*"
    r"|Strategiskt viktiga projekt|Ekonomi|Ekonomiskt (utfall|resultat)|Driftbudget|Ekonomisk uppföljning"
    r"|Uppföljning av investeringar|Finansiering|Resultaträkning|Balansräkning|Kassaflödesanalys)$",
    re.IGNORECASE,
)
# Headings of the case file around the report: they end a summary region.
_ADMINISTRATIVE = re.compile(
    r"^(Ärendet|Ärendets beredning|Beredning|Bakgrund|Mina synpunkter|Stadens styrmodell|Särskilda redovisningar"
    r"|Bilagor|Särskilt uttalande|Ersättaryttrande|Reservation)$", re.IGNORECASE)
_GOALS_START = re.compile(r"^Uppföljning av (Kommunfullmäktiges|KF:s) inriktningsmål", re.IGNORECASE)
DECISION_START = re.compile(r"(förslag till beslut|beslutar följande|besluta följande)\.?$", re.IGNORECASE)
_DECISION_ITEM = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
_DECISION_CLOSERS = re.compile(r"^(Föredragande|Stockholm den|Jag |Ärendet|Bilagor|Reservation)")


def heading_kind(text: str) -> str | None:
    """The section kind a known heading line opens, or None."""
    kind = HEADINGS.get(text.lower().rstrip(":"))
    if kind:
        return kind
    if _ECONOMY.match(text):
        return "economy"
    return None


def looks_like_heading(text: str, prev: str | None, nxt: str | None) -> bool:
    """A short title-like line between a finished sentence and a new one."""
    if not 3 <= len(text) <= 70 or "\t" in text or len(text.split()) > 10:
        return False
    if not re.match(r"^(\d+(\.\d+)*\.?\s+)?[A-ZÅÄÖÉ]", text) or text.endswith((".", ",", ";", ":", "-")):
        return False
    if sum(c.isdigit() for c in text) > len(text) * 0.3:
        return False
    if re.search(r"\s(och|att|för|i|av|med|som|till|på|om|en|ett|det|den|de|är|har|ska|kan|samt|ur|vid|från|mellan"
                 r"|genom|inom|hos|mot|enligt|cirka|ca|än|bland|utan|efter|under|över|där|när|vilket|vilka)$", text):
        return False  # a wrapped sentence, not a title
    if is_row(text):
        return False  # a table row ("Netto efter resultatdispositioner 0,0"), not a title
    if nxt and _CONTINUED_AMOUNT.match(nxt):
        return False  # "… har nämnden tilldelats" / "940,0 mnkr. Inom …": the sentence goes on
    if prev and not (prev.endswith((".", ":", "!", "?", "”", '"')) or len(prev) <= 70 and not prev.endswith(",")):
        return False
    return not nxt or bool(re.match(r"[A-ZÅÄÖÉ0-9•\-–\"”(]", nxt))


# A table row: a label and number cells, or a number cell ending the line ("… 0,0", "3 3 2 -1").
_ROW = re.compile(r"^(?:\d+-\d+ )?\D.*?(?:\s-?\d[\d ]*,\d+|(?:\s-?\d+){3,})\s*$")
# A line that opens with an amount and its unit ends a sentence the line above began.
_CONTINUED_AMOUNT = re.compile(r"^\(?-?\d[\d ]*(?:,\d+)?\s*(?:mnkr|mdkr|mkr|tkr|kr|kronor|miljoner|miljarder|procent|%)"
                               r"(?=[\s.,;)]|$)", re.IGNORECASE)


# A column header of years ("Regeringsuppdrag i 2013 2012 2011", "Belopp 2009 2008"): annual
# reports set each year's figure in its own column; its numbers are the columns, not a row's cells.
_YEARS_HEADER = re.compile(r"^\D*?(?:\s(?:19|20)\d\d){2,}\s*$")


def is_row(text: str) -> bool:
    text = text.replace("\t", " ")
    # A row ends in a figure: a line that does not is let off _ROW's backtracking.
    return text.rstrip()[-1:].isdigit() and bool(_ROW.match(text)) and not _years_header(text)


def _years_header(text: str) -> bool:
    """Years in order, one a column, and nothing else numeric: a header, not a row of counts."""
    if not _YEARS_HEADER.match(text):
        return False
    years = [int(y) for y in re.findall(r"\d{4}", text)]
    steps = {(b > a) - (b < a) for a, b in zip(years, years[1:])}
    return len(steps) == 1 and 0 not in steps


_NAME = r"[A-ZÅÄÖÉ][a-zåäöéü]+(?:-[A-ZÅÄÖÉ][a-zåäöéü]+)?|[A-ZÅÄÖÉ]{2,}(?:-[A-ZÅÄÖÉ]{2,})?"
_NAMES = re.compile(rf"^(?:{_NAME})(?: (?:{_NAME})){{1,7}}$")
_ROLE = re.compile(r"^[A-ZÅÄÖ]?[a-zåäö]*(?:direktör|chef|borgarråd|ordförande|kontorschef|sekreterare|controller)$",
                   re.IGNORECASE)
_SIGNED_ON = re.compile(rf"^Stockholm den \d{{1,2}} (?:{MONTH_PATTERN}) \d{{4}}$", re.IGNORECASE)


def _near(items: list, i: int, step: int) -> str | None:
    """The nearest non-empty line before (step -1) or after (step 1) item i."""
    j = i + step
    while 0 <= j < len(items) and not items[j].line.text.strip():
        j += step
    return items[j].line.text.strip() if 0 <= j < len(items) else None


def signature(items: list, i: int) -> tuple[str, int] | None:
    """A signature block, as the text to keep and the lines it takes: names over their roles
    ("Magdalena Bosson Susanne Tiderman" / "Stadsdirektör Ekonomidirektör" → "Magdalena Bosson,
    stadsdirektör. Susanne Tiderman, ekonomidirektör."), or a name alone under "Stockholm den …"
    or closing a text before the next heading ("Bosse Sundling"). Who signed is then searchable
    and quotable instead of lost as a heading without text."""
    text = items[i].line.text.strip()
    if not _NAMES.match(text):
        return None
    words = text.split()
    j = i + 1
    while j < len(items) and not items[j].line.text.strip():
        j += 1
    roles = items[j].line.text.split() if j < len(items) else []
    if roles and all(_ROLE.match(r) for r in roles) and len(words) % len(roles) == 0:
        size = len(words) // len(roles)
        names = [" ".join(words[k * size:(k + 1) * size]) for k in range(len(roles))]
        return " ".join(f"{name}, {role.lower()}." for name, role in zip(names, roles)), j - i + 1
    before, after = _near(items, i, -1), _near(items, i, 1)
    closes_text = before is not None and before.endswith(".") and (after is None or heading_kind(after) is not None
                                                                  or after.startswith("Bilag"))
    if len(words) <= 4 and (before is not None and _SIGNED_ON.match(before) or closes_text):
        return text.title() if text.isupper() else text, 1
    return None


_SUMMARY_ROW = re.compile(rf"^(\d+(?:\.\d+)?)\.?\s+(.+?)\s+{STATUS_PHRASE}$")


def summary_table_goals(texts: list[str]) -> dict[str, tuple[str, str]]:
    """Goal titles → (number, status) from a goal-status summary table whose rows wrap
    (`1.4 I Stockholm får människor i behov av` / … / `evidens och rättssäkerhet Uppfylls helt`)."""
    found: dict[str, tuple[str, str]] = {}
    row: list[str] = []
    for text in texts:
        if re.match(r"^\d+(\.\d+)?\.?\s+[A-ZÅÄÖ]", text):
            row = [text]
        elif row:
            row.append(text)
        if row and (m := _SUMMARY_ROW.match(" ".join(row))):
            found[fold(m.group(2))] = (m.group(1), m.group(3).lower())
            row = []
        elif len(row) > 5:
            row = []
    return found


@dataclass
class _Item:
    line: Line
    blank_before: bool


class _Builder:
    def __init__(self, items: list[_Item], typical_width: int, blank_breaks: bool, boxed: bool):
        self.items = items
        self.typical_width = typical_width
        self.blank_breaks = blank_breaks
        # Blank lines mark a PDF's text boxes: a heading ends its box or is short beside the line under it.
        self.boxed = boxed
        self.goals: list[Goal] = []
        self.activities: list[Activity] = []
        self.indicators: list[Indicator] = []
        self.decisions: list[Decision] = []
        self.sections: list[Section] = []
        self.section: dict | None = None
        self.region = "other"  # other | summary | goals | economy
        self.goal: int | None = None
        self.table: ActivityTable | IndicatorTable | None = None
        self.decision_block: list[list] | None = None
        # The headings above the open section, each with its own parents: (heading, parents).
        self.trail: list[tuple[str, list[str]]] = []
        self.columns: str | None = None  # the column header of the table being read
        texts = [it.line.text for it in items]
        self.rarity = _Rarity(texts)
        has_markers = any(_marker(t) for t in texts)
        self.summary_goals = {} if has_markers else summary_table_goals(texts)

    # --- sections -----------------------------------------------------------
    def open_section(self, kind: str, heading: str | None, line: Line | None, top: bool = False) -> None:
        """Open a section; `top`: its heading starts a new part of the report (no parents)."""
        sec = self.section
        # A heading straight over another ("Uppföljning av ekonomi" / "Uppföljning av driftbudget") is its parent.
        over = sec["parents"] + [sec["heading"]] if sec and sec["top"] and not sec["items"] else None
        self.close_section()
        if top and over is None:
            self.trail = []
        if top:
            self.columns = None
        self.section = {"kind": kind, "heading": heading, "items": [], "goal": self.goal, "over": over,
                        "parents": over or [], "top": top and heading is not None, "columns": self.columns,
                        "start": line.lineno if line else None, "page": line.page if line else None}

    def add_text(self, item: _Item) -> None:
        if self.section is None:
            self.open_section(self.region_kind(), None, item.line)
        self.section["items"].append(item)
        if _PROSE.search(item.line.text) and not is_row(item.line.text):
            self.columns = None  # prose: the table above has ended

    def read_columns(self, i: int) -> int:
        """A table's column header (lines naming budget, utfall, prognos … over rows of figures):
        kept for the rows below it, which are cut into passages by their group labels and would
        otherwise lose what their figures are. The lines taken (0: none)."""
        items, n = self.items, len(self.items)
        j = i + _is_column_line(items[i].line.text, first=True)  # a header opens with column names
        while i < j < n and j - i < 4 and (_is_column_line(items[j].line.text) or j + 1 < n and _is_fragment(
                items[j].line.text) and _is_column_line(items[j + 1].line.text)):
            j += 1
        k = j + (j < n and _is_label(items[j].line.text))  # a row group's label may come first
        if j == i or not (k < n and is_row(items[k].line.text)):
            return 0
        columns = _columns([it.line.text for it in items[i:j]])
        if columns != self.columns:  # a header repeated at a page break says nothing new
            self.columns = columns
            if self.section is not None and any(is_row(it.line.text) for it in self.section["items"]):
                self.section["items"].extend(items[i:j])  # a second table in the section: its header stays in place
            elif self.section is not None:
                self.section["columns"] = columns
        return j - i

    def close_section(self) -> None:
        sec, self.section = self.section, None
        if not sec or not sec["items"]:
            return
        text = self.paragraphs(sec["items"])
        first, last = sec["items"][0].line, sec["items"][-1].line
        if sec["heading"]:
            parents = sec["over"] if sec["over"] is not None else self.parents_of(text)
            self.trail.append((sec["heading"], parents))
        else:
            parents = []
        self.sections.append(Section(kind=sec["kind"], heading=sec["heading"], parents=parents, text=text,
                                     goal=sec["goal"], columns=sec["columns"],
                                     page=sec["page"] or first.page, lines=(sec["start"] or first.lineno, last.lineno),
                                     amounts=find_amounts(text), **_starts(text, sec["items"])))

    def parents_of(self, text: str) -> list[str]:
        """The headings above a section: the nearest of the last few headings whose own rare words
        its text takes up (under "Deltagande i Earth Hour", "Stadens medverkan i 2021 års upplaga …"
        opens "Earth Hour visar …", though a misplaced table came between); none when it takes up
        none (a sibling: the next nämnd)."""
        opening = text[:_OPENING].lower()
        for k in range(len(self.trail) - 1, max(-1, len(self.trail) - 1 - _LOOK_BACK), -1):
            heading, parents = self.trail[k]
            if any(stem in opening for stem in self.rarity.stems(heading)):
                del self.trail[k + 1:]
                return parents + [heading]
        return []

    def paragraphs(self, items: list[_Item]) -> str:
        paras: list[list[str]] = []
        prev: str | None = None
        for item in items:
            text = item.line.text
            ended = prev is not None and prev.endswith((".", "!", "?", ":"))
            short = prev is not None and len(prev) < 0.8 * self.typical_width
            bullet = re.match(r"^[•\-–]\s", text)
            if prev is None or bullet or (ended and (short or self.blank_breaks and item.blank_before)):
                paras.append([])
            paras[-1].append(text)
            prev = text
        joined = (" ".join(p) for p in paras)
        return "\n\n".join(re.sub(r"\s+", " ", p).strip() for p in joined)

    def region_kind(self) -> str:
        if self.region == "goals":
            return "analysis" if self.goal is not None else "other"
        return {"summary": "summary", "economy": "economy"}.get(self.region, "other")

    # --- goals --------------------------------------------------------------
    def read_goal(self, level: str, start: int) -> int:
        """Read the goal title after a marker line; returns the index after it."""
        items, n = self.items, len(self.items)
        k = start
        title: list[Line] = []
        while k < n and len(title) < 4:
            text = items[k].line.text
            if STATUS.match(text) or _marker(text) or is_activity_header(text) or is_indicator_header(text):
                break
            title.append(items[k].line)
            k += 1
        if not title:
            return start
        if not (k < n and STATUS.match(items[k].line.text)):
            # No status follows: the title is its first line and any lines it wraps onto.
            kept = [title[0]]
            for line in title[1:]:
                if re.search(r"[a-zåäö,]$", kept[-1].text) and re.match(r"[a-zåäö]", line.text):
                    kept.append(line)
                else:
                    break
            title, k = kept, start + len(kept)
        text = re.sub(r"\s+", " ", " ".join(line.text for line in title)).strip()
        number = None
        if (m := _GOAL_NUMBER.match(text)) and m.group(1).count(".") + 1 == _GOAL_DEPTH[level]:
            number, text = m.group(1), m.group(2)
        parent = None
        if level in _PARENT_LEVEL:
            parent = next((i for i in range(len(self.goals) - 1, -1, -1)
                           if self.goals[i].level == _PARENT_LEVEL[level]), None)
        self.close_section()
        self.trail = []
        self.goals.append(Goal(level=level, number=number, title=text, parent=parent,
                               line=title[0].lineno, page=title[0].page))
        self.goal = len(self.goals) - 1
        self.region = "goals"
        return k

    def summary_goal(self, i: int) -> int:
        """An unnumbered goal heading in the body, known from the summary table; lines taken."""
        items = self.items
        for size in (1, 2, 3):
            if i + size > len(items):
                break
            key = fold(" ".join(it.line.text for it in items[i:i + size]))
            if key in self.summary_goals:
                number, status = self.summary_goals[key]
                level = "inriktningsmal" if "." not in number else "verksamhetsmal"
                parent = None
                if level == "verksamhetsmal":
                    parent = next((g for g in range(len(self.goals) - 1, -1, -1)
                                   if self.goals[g].level == "inriktningsmal"), None)
                self.close_section()
                self.trail = []
                line = items[i].line
                title = re.sub(r"\s+", " ", " ".join(it.line.text for it in items[i:i + size])).strip()
                self.goals.append(Goal(level=level, number=None, title=title, parent=parent, line=line.lineno,
                                       page=line.page, summary_number=number, summary_status=status))
                self.goal = len(self.goals) - 1
                self.region = "goals"
                return size
        return 0

    # --- tables -------------------------------------------------------------
    def close_table(self) -> None:
        table, self.table = self.table, None
        if table is None:
            return
        pending, first = table.take_pending()
        # A row stands on its lines up to the next row's (its wrapped text, its Analys comment).
        ends = [max(row.line, nxt.line - 1) if row.line and nxt.line else row.line
                for row, nxt in zip(table.rows, table.rows[1:])] + [table.last_line]
        if isinstance(table, ActivityTable):
            for act, end in zip(table.rows, ends):
                self.activities.append(act)
                # Rows read as printed (a quote from the report is found in its passage); the
                # pages name the columns.
                body = " ".join(x for x in (act.text, act.start, act.end, "Avvikelse" if act.deviation else "") if x)
                if act.comment:
                    body += f"\nAnalys: {act.comment}"
                self._record_section("activity", act.text, body, act.goal, act.line, act.page, end)
        else:
            for ind, end in zip(table.rows, ends):
                self.indicators.append(ind)
                body = " ".join([ind.name, *ind.values])
                if ind.period and not body.endswith(ind.period):
                    body += f" {ind.period}"
                if ind.comment:
                    body += f"\nAnalys: {ind.comment}"
                self._record_section("indicator", ind.name, body, ind.goal, ind.line, ind.page, end)
        if pending:
            self.open_section(self.region_kind(), None, first)
            self.section["items"].extend(_Item(Line(t, first.lineno, first.page), False) for t in pending)
            self.close_section()

    def _record_section(self, kind, heading, text, goal, line, page, last) -> None:
        self.sections.append(Section(kind=kind, heading=heading, text=text, goal=goal, page=page,
                                     lines=(line or 0, max(line or 0, last or 0)), amounts=find_amounts(text)))

    # --- decisions ----------------------------------------------------------
    def feed_decision(self, i: int) -> bool:
        """Take line i into the open decision block; False ends the block."""
        text, line = self.items[i].line.text, self.items[i].line.lineno
        block = self.decision_block
        m = _DECISION_ITEM.match(text)
        if m and int(m.group(1)) == len(block) + 1:
            block.append([int(m.group(1)), [m.group(2)], False, line, line])
            return True
        if heading_kind(text) or _marker(text) or _DECISION_CLOSERS.match(text) or STATUS.match(text):
            return False
        if not block:
            block.append([1, [text], True, line, line])
            return True
        last = block[-1]
        if last[1][-1].endswith((".", "!", "?")) and (last[2] or len(text) < 60):
            return False
        last[1].append(text)
        last[4] = line
        return True

    def close_decisions(self, heading: Line) -> None:
        block, self.decision_block = self.decision_block, None
        known = {d.number for d in self.decisions}
        for number, parts, _, first, last in block or []:
            text = re.sub(r"\s+", " ", " ".join(parts)).strip()
            if number in known:
                continue
            self.decisions.append(Decision(number=number, text=text))
            self.sections.append(Section(kind="decision", heading=heading.text, text=f"{number}. {text}",
                                         page=heading.page, lines=(first, last),
                                         amounts=find_amounts(text)))

    # --- the pass -----------------------------------------------------------
    def run(self) -> None:
        items, n = self.items, len(self.items)
        decision_heading: Line | None = None
        i = 0
        while i < n:
            item = items[i]
            text = item.line.text
            if self.table is not None:
                if not ends_table(text, self.table) and self.table.feed(item.line):
                    i += 1
                    continue
                self.close_table()
            if self.decision_block is not None:
                if self.feed_decision(i):
                    i += 1
                    continue
                self.close_decisions(decision_heading)
            level = _marker(text)
            if level:
                i = self.read_goal(level, i + 1)
                continue
            if self.summary_goals and (taken := self.summary_goal(i)):
                i += taken
                continue
            if m := STATUS.match(text):
                if self.goal is not None and self.goals[self.goal].status is None:
                    self.goals[self.goal].status = m.group(1).lower()
                i += 1
                continue
            if is_activity_header(text) or is_indicator_header(text):
                self.close_section()
                self.table = (ActivityTable(self.goal) if is_activity_header(text)
                              else IndicatorTable(self.goal, text))
                i += 1
                continue
            if DECISION_START.search(text) and len(text) < 120:
                self.close_section()
                self.decision_block, decision_heading = [], item.line
                i += 1
                continue
            if taken := self.read_columns(i):
                i += taken
                continue
            if signed := signature(items, i):
                text_of, taken = signed
                self.add_text(_Item(Line(text_of, item.line.lineno, item.line.page), False))
                i += taken
                continue
            kind = heading_kind(text)
            prev = items[i - 1].line.text if i else None
            nxt = items[i + 1].line.text if i + 1 < n else None
            top = kind is not None
            if kind is None and _ADMINISTRATIVE.match(text):
                self.region, self.goal, kind, top = "other", None, "other", True
            elif kind is None and _GOALS_START.match(text):
                self.region, self.goal, kind, top = "goals", None, "other", True
            elif kind in ("summary", "economy"):
                self.region, self.goal = kind, (None if kind == "summary" else self.goal)
                if kind == "economy":
                    self.goal = None
            elif kind is None and looks_like_heading(text, prev, nxt) and (
                    not self.boxed or i + 1 == n or items[i + 1].blank_before or len(text) < 0.7 * len(nxt)):
                kind = self.region_kind()
            if kind:
                self.open_section(kind, text, item.line, top)
            else:
                self.add_text(item)
            i += 1
        self.close_table()
        if self.decision_block is not None:
            self.close_decisions(decision_heading)
        self.close_section()


_COLUMN_WORD = re.compile(r"\b(?:budget\w*|utfall|prognos|avvikelse|bokfört|mnkr|tkr|helår|belopp"
                          r"|periodiser\w+|justerad|årsmål|(?:19|20)\d\d)\b", re.IGNORECASE)
_PROSE = re.compile(r"[a-zåäö]{2}[.!?]$")


def _is_column_line(text: str, first: bool = False) -> bool:
    """A line of a table's column header: column names, no sentence, no figures of a row; past
    the `first`, a piece of one ("2020") will do."""
    if is_row(text) or _PROSE.search(text) or len(text) > 160 or first and not (text[0].isupper() or "\t" in text):
        return False
    found = len(_COLUMN_WORD.findall(text))
    return found >= 2 or found >= 1 and (text.count("\t") >= 2 or not first and _is_fragment(text))


def _is_fragment(text: str) -> bool:
    """A piece of a header the extraction broke off ("Inskrivning mars" / "2020 Prognos …")."""
    return len(text.split()) <= 3 and not is_row(text) and not _PROSE.search(text)


def _is_label(text: str) -> bool:
    return len(text) <= 60 and not is_row(text) and not _PROSE.search(text)


def _columns(lines: list[str]) -> str:
    """The column names, one header cell over another where tabs keep the columns
    ("Justerad" over "budget 2020" → "Justerad budget 2020"), else the header lines as printed."""
    cells = [[c.strip() for c in line.split("\t")] for line in lines]
    if all(len(row) > 2 and len(row) == len(cells[0]) for row in cells):
        return " | ".join(" ".join(x for x in column if x) for column in zip(*cells))
    return " / ".join(re.sub(r"\s+", " ", line).strip() for line in lines)


# What of a section's text is read for the words of a heading above it, and how many headings back.
_OPENING = 300
_LOOK_BACK = 3
# A heading word is rare in its report below this share of its lines: a word as common as
# "investeringar" in a budget says nothing about which heading a text continues.
RARE_SHARE = 0.02
RARE_LINES = 5  # in a short report, a word in this few lines is rare


_ENDING = re.compile(r"(?:arna|erna|orna|ens|ets|ar|er|or|en|et|na|s|a|e)$")


class _Rarity:
    """The rare words of a heading, as stems (an inflection ending off, so "Trafiknämnden" is found
    in "Trafiknämndens"), judged by the share of the report's lines holding them."""

    def __init__(self, texts: list[str]):
        self.text = "\n".join(t.lower() for t in texts)
        self.limit = max(RARE_LINES, int(RARE_SHARE * len(texts)))
        self.known: dict[str, bool] = {}

    def stems(self, heading: str) -> list[str]:
        stems = (_ENDING.sub("", w) for w in re.findall(r"[a-zåäöéü]{5,}", heading.lower()))
        return [stem for stem in stems if len(stem) >= 5 and self.rare(stem)]

    def rare(self, stem: str) -> bool:
        if stem not in self.known:
            self.known[stem] = self._lines_holding(stem) <= self.limit
        return self.known[stem]

    def _lines_holding(self, stem: str) -> int:
        """Lines holding the stem, counted up to one past the limit: found in the report's text as
        one string, each line counted once (a stem is letters, so it never spans two lines)."""
        count, at = 0, self.text.find(stem)
        while at >= 0 and count <= self.limit:
            count += 1
            end = self.text.find("\n", at)
            at = self.text.find(stem, end) if end >= 0 else -1
        return count


def _starts(text: str, items: list[_Item]) -> dict[str, list[tuple[int, int]]]:
    """Where in the section text each line's text begins (`line_starts`) and each new page's
    (`page_starts`, PDFs only)."""
    lines: list[tuple[int, int]] = []
    pages: list[tuple[int, int]] = []
    pos = 0
    for item in items:  # every line is found in turn, so a short one is not found too early
        found = text.find(" ".join(item.line.text.split())[:30], pos)
        if found < 0:
            continue
        pos = found
        lines.append((found, item.line.lineno))
        page = item.line.page
        if page is not None and (not pages or pages[-1][1] != page):
            pages.append((found, page))
    return {"line_starts": lines, "page_starts": pages}


def _marker(text: str) -> str | None:
    for pattern, level in GOAL_MARKERS:
        if pattern.match(text):
            return level
    return None


def ends_table(text: str, table: ActivityTable | IndicatorTable) -> bool:
    """Lines that close the open table, whatever its row parser would make of them."""
    if text.startswith("Analys") or text == "Avvikelse":
        return False
    if is_activity_header(text) or is_indicator_header(text):
        # A repeated header at a page break continues the table; the other table's header ends it.
        return is_activity_header(text) != isinstance(table, ActivityTable)
    return bool(_marker(text) or STATUS.match(text) or heading_kind(text) or DECISION_START.search(text))


def _wrapped_headings(items: list[_Item]) -> list[_Item]:
    """A text box of two or three lines that reads as a title is one heading the column wrapped
    (`En hållbart växande och dynamisk storstad med hög` / `tillväxt`): one line."""
    out: list[_Item] = []
    i = 0
    while i < len(items):
        j = i + 1
        while j < len(items) and not items[j].blank_before:
            j += 1
        text = " ".join(it.line.text for it in items[i:j])
        nxt = items[j].line.text if j < len(items) else None
        if 2 <= j - i <= 3 and looks_like_heading(text, out[-1].line.text if out else None, nxt):
            out.append(_Item(replace(items[i].line, text=text), items[i].blank_before))
        else:
            out.extend(items[i:j])
        i = j
    return out


def build(lines: list[Line], boxed: bool = False) -> _Builder:
    """Run the structure pass over cleaned lines; `boxed`: blank lines are the text boxes of a PDF."""
    items: list[_Item] = []
    blank = False
    for line in lines:
        if not line.text:
            blank = True
            continue
        items.append(_Item(line, blank))
        blank = False
    if boxed:
        items = _wrapped_headings(items)
    widths = sorted(len(it.line.text) for it in items) or [80]
    typical = widths[int(len(widths) * 0.9)] if len(widths) > 10 else max(widths)
    # Blank lines separate paragraphs only where they are not after every line.
    blank_breaks = sum(it.blank_before for it in items) < 0.5 * len(items)
    builder = _Builder(items, typical, blank_breaks, boxed)
    builder.run()
    return builder
