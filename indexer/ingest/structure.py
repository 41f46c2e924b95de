"""Clean lines → typed structure: goals with status, sections, activities, indicators, decisions.

One pass over the non-blank lines. Marker lines (`KF:s inriktningsmål:`, `Nämndmål:`,
`Uppfylls helt`, `Analys`, table headers, `förslag till beslut` …) switch what the
following lines are; tables are handed to the row parsers in `tables`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    if re.search(r"\s(och|att|för|i|av|med|som|till|på|om|en|ett|det|den|de|är|har|ska|kan|samt)$", text):
        return False  # a wrapped sentence, not a title
    if prev and not (prev.endswith((".", ":", "!", "?", "”", '"')) or len(prev) <= 70 and not prev.endswith(",")):
        return False
    return not nxt or bool(re.match(r"[A-ZÅÄÖÉ0-9•\-–\"”(]", nxt))


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
    def __init__(self, items: list[_Item], typical_width: int, blank_breaks: bool):
        self.items = items
        self.typical_width = typical_width
        self.blank_breaks = blank_breaks
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
        texts = [it.line.text for it in items]
        has_markers = any(_marker(t) for t in texts)
        self.summary_goals = {} if has_markers else summary_table_goals(texts)

    # --- sections -----------------------------------------------------------
    def open_section(self, kind: str, heading: str | None, line: Line | None) -> None:
        self.close_section()
        self.section = {"kind": kind, "heading": heading, "items": [], "goal": self.goal,
                        "start": line.lineno if line else None, "page": line.page if line else None}

    def add_text(self, item: _Item) -> None:
        if self.section is None:
            self.open_section(self.region_kind(), None, item.line)
        self.section["items"].append(item)

    def close_section(self) -> None:
        sec, self.section = self.section, None
        if not sec or not sec["items"]:
            return
        text = self.paragraphs(sec["items"])
        first, last = sec["items"][0].line, sec["items"][-1].line
        self.sections.append(Section(kind=sec["kind"], heading=sec["heading"], text=text, goal=sec["goal"],
                                     page=sec["page"] or first.page, lines=(sec["start"] or first.lineno, last.lineno),
                                     amounts=find_amounts(text), page_starts=_page_starts(text, sec["items"])))

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
        if isinstance(table, ActivityTable):
            for act in table.rows:
                self.activities.append(act)
                # Rows read as printed (a quote from the report is found in its passage); the
                # pages name the columns.
                body = " ".join(x for x in (act.text, act.start, act.end, "Avvikelse" if act.deviation else "") if x)
                if act.comment:
                    body += f"\nAnalys: {act.comment}"
                self._record_section("activity", act.text, body, act.goal, act.line, act.page, table.last_line)
        else:
            for ind in table.rows:
                self.indicators.append(ind)
                body = " ".join([ind.name, *ind.values])
                if ind.period and not body.endswith(ind.period):
                    body += f" {ind.period}"
                if ind.comment:
                    body += f"\nAnalys: {ind.comment}"
                self._record_section("indicator", ind.name, body, ind.goal, ind.line, ind.page, table.last_line)
        if pending:
            self.open_section(self.region_kind(), None, first)
            self.section["items"].extend(_Item(Line(t, first.lineno, first.page), False) for t in pending)
            self.close_section()

    def _record_section(self, kind, heading, text, goal, line, page, last) -> None:
        self.sections.append(Section(kind=kind, heading=heading, text=text, goal=goal, page=page,
                                     lines=(line or 0, line or 0), amounts=find_amounts(text)))

    # --- decisions ----------------------------------------------------------
    def feed_decision(self, i: int) -> bool:
        """Take line i into the open decision block; False ends the block."""
        text = self.items[i].line.text
        block = self.decision_block
        m = _DECISION_ITEM.match(text)
        if m and int(m.group(1)) == len(block) + 1:
            block.append([int(m.group(1)), [m.group(2)], False])
            return True
        if heading_kind(text) or _marker(text) or _DECISION_CLOSERS.match(text) or STATUS.match(text):
            return False
        if not block:
            block.append([1, [text], True])
            return True
        last = block[-1]
        if last[1][-1].endswith((".", "!", "?")) and (last[2] or len(text) < 60):
            return False
        last[1].append(text)
        return True

    def close_decisions(self, heading: Line) -> None:
        block, self.decision_block = self.decision_block, None
        known = {d.number for d in self.decisions}
        for number, parts, _ in block or []:
            text = re.sub(r"\s+", " ", " ".join(parts)).strip()
            if number in known:
                continue
            self.decisions.append(Decision(number=number, text=text))
            self.sections.append(Section(kind="decision", heading=heading.text, text=f"{number}. {text}",
                                         page=heading.page, lines=(heading.lineno, heading.lineno),
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
                if not _ends_table(text, self.table) and self.table.feed(item.line):
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
            if signed := signature(items, i):
                text_of, taken = signed
                self.add_text(_Item(Line(text_of, item.line.lineno, item.line.page), False))
                i += taken
                continue
            kind = heading_kind(text)
            prev = items[i - 1].line.text if i else None
            nxt = items[i + 1].line.text if i + 1 < n else None
            if kind is None and _ADMINISTRATIVE.match(text):
                self.region, self.goal, kind = "other", None, "other"
            elif kind is None and _GOALS_START.match(text):
                self.region, self.goal, kind = "goals", None, "other"
            elif kind in ("summary", "economy"):
                self.region, self.goal = kind, (None if kind == "summary" else self.goal)
                if kind == "economy":
                    self.goal = None
            elif kind is None and looks_like_heading(text, prev, nxt):
                kind = self.region_kind()
            if kind:
                self.open_section(kind, text, item.line)
            else:
                self.add_text(item)
            i += 1
        self.close_table()
        if self.decision_block is not None:
            self.close_decisions(decision_heading)
        self.close_section()


def _page_starts(text: str, items: list[_Item]) -> list[tuple[int, int]]:
    """(offset in the section text, page) where each new page's text begins (PDFs only)."""
    starts: list[tuple[int, int]] = []
    pos = 0
    for item in items:
        page = item.line.page
        if page is None or starts and starts[-1][1] == page:
            continue
        fragment = " ".join(item.line.text.split())[:30]
        found = text.find(fragment, pos)
        if found >= 0:
            starts.append((found, page))
            pos = found
    return starts


def _marker(text: str) -> str | None:
    for pattern, level in GOAL_MARKERS:
        if pattern.match(text):
            return level
    return None


def _ends_table(text: str, table: ActivityTable | IndicatorTable) -> bool:
    """Lines that close the open table, whatever its row parser would make of them."""
    if text.startswith("Analys") or text == "Avvikelse":
        return False
    if is_activity_header(text) or is_indicator_header(text):
        # A repeated header at a page break continues the table; the other table's header ends it.
        return is_activity_header(text) != isinstance(table, ActivityTable)
    return bool(_marker(text) or STATUS.match(text) or heading_kind(text) or DECISION_START.search(text))


def build(lines: list[Line]) -> _Builder:
    """Run the structure pass over cleaned lines."""
    items: list[_Item] = []
    blank = False
    for line in lines:
        if not line.text:
            blank = True
            continue
        items.append(_Item(line, blank))
        blank = False
    widths = sorted(len(it.line.text) for it in items) or [80]
    typical = widths[int(len(widths) * 0.9)] if len(widths) > 10 else max(widths)
    # Blank lines separate paragraphs only where they are not after every line.
    blank_breaks = sum(it.blank_before for it in items) < 0.5 * len(items)
    builder = _Builder(items, typical, blank_breaks)
    builder.run()
    return builder
