"""Render a report's text as a real PDF for the tests: two columns, words hyphenated at
line ends, a running header and a "Sida N (M)" footer on every page, and tables drawn as
tables — a header bar, cells in columns, a rule under each row, the header repeated where
a table breaks across pages.

The rows of each table are the rows the text parser reads from the same lines (its own
table readers), so a PDF table holds exactly what the text gives. Returns where each
paragraph and table row landed, so tests can check the pages the reader reports.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from indexer.ingest.clean import ACTIVITY_HEADER, INDICATOR_HEADER, INDICATOR_HEADER_SHORT
from indexer.ingest.structure import ends_table
from indexer.ingest.tables import TAB_COLUMNS, ActivityTable, IndicatorTable, is_activity_header, is_indicator_header
from indexer.records import Line

FONT, SIZE, LEADING = "Helvetica", 9, 11
CELL, CELL_LEADING, PAD = SIZE - 2, 9, 3
MARGIN, GAP = 50, 24
WIDTH, HEIGHT = A4
COLUMN = (WIDTH - 2 * MARGIN - GAP) / 2
TOP, BOTTOM = HEIGHT - 70, 70


def _fits(text: str, width: float, size: float = SIZE) -> bool:
    return stringWidth(text, FONT, size) <= width


def wrap(text: str, width: float, size: float = SIZE, hyphenate: bool = True) -> list[str]:
    """Greedy wrap; a long word that does not fit is split with a hyphen, as typesetters do."""
    out: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if _fits(candidate, width, size):
            line = candidate
            continue
        if hyphenate and len(word) >= 10 and word.isalpha():
            for cut in range(len(word) - 4, 3, -1):
                head = f"{line} {word[:cut]}-".strip()
                if _fits(head, width, size):
                    out.append(head)
                    line = word[cut:]
                    break
            else:
                out.append(line)
                line = word
            continue
        if line:
            out.append(line)
        line = word
    if line:
        out.append(line)
    return out


def _cell_lines(text: str, width: float) -> tuple[float, list[str]]:
    """A cell's font size (shrunk until its longest word fits) and its wrapped lines."""
    size = CELL
    while size > 4 and not all(_fits(w, width, size) for w in text.split()):
        size -= 0.5
    return size, wrap(text, width, size, hyphenate=False)


class Layout:
    def __init__(self, path: Path, header: str, total: int | None):
        self.canvas = Canvas(str(path), pagesize=A4)
        self.header = header
        self.total = total
        self.page = 1
        self.column = 0
        self.top = TOP  # where the columns start: below a full-width table, else the page top
        self.y = TOP
        self.placed: list[tuple[str, int]] = []  # (paragraph or first cell, page)
        self._decorate()

    def _decorate(self) -> None:
        c = self.canvas
        c.setFont(FONT, 8)
        c.drawString(MARGIN, HEIGHT - 40, self.header)
        c.drawRightString(WIDTH - MARGIN, 30, f"Sida {self.page} ({self.total})")

    def _x(self) -> float:
        return MARGIN + self.column * (COLUMN + GAP)

    def _new_page(self) -> None:
        self.canvas.showPage()
        self.page += 1
        self.column = 0
        self.top = self.y = TOP
        self._decorate()

    def _need(self, height: float) -> None:
        if self.y - height >= BOTTOM:
            return
        if self.column == 0:
            self.column = 1
            self.y = self.top
        else:
            self._new_page()

    def paragraph(self, text: str) -> None:
        first = True
        for line in wrap(text, COLUMN):
            self._need(LEADING)
            if first:
                self.placed.append((text, self.page))
                first = False
            self.canvas.setFont(FONT, SIZE)
            self.canvas.drawString(self._x(), self.y, line)
            self.y -= LEADING
        self.y -= 4

    def table(self, header: list[str], rows: list[list[str] | str]) -> None:
        """A full-width table: a grey header bar, then each row (a list of cells, or one text
        across the whole width) above a rule; the header is drawn again on each new page."""
        if self.column == 1:  # a table spans both columns: start it below everything on the page
            self._new_page()
        first = 200 if len(header) > 5 else 300
        rest = (WIDTH - 2 * MARGIN - first) / max(1, len(header) - 1)
        lefts = [MARGIN] + [MARGIN + first + k * rest for k in range(len(header) - 1)]
        widths = [first] + [rest] * (len(header) - 1)

        def laid(cells: list[str] | str) -> list[tuple[float, float, list[str]]]:
            if isinstance(cells, str):
                return [(MARGIN, *_cell_lines(cells, WIDTH - 2 * MARGIN - 2 * PAD))]
            return [(x, *_cell_lines(c, w - 2 * PAD)) for x, w, c in zip(lefts, widths, cells)]

        def height(cells) -> float:
            return max(len(lines) for _, _, lines in laid(cells)) * CELL_LEADING + 2 * PAD

        def band(cells, bar: bool = False) -> None:
            c, h = self.canvas, height(cells)
            if bar:
                c.setFillGray(0.85)
                c.rect(MARGIN, self.y - h, WIDTH - 2 * MARGIN, h, stroke=0, fill=1)
                c.setFillGray(0)
            for x, size, lines in laid(cells):
                c.setFont(FONT, size)
                for k, line in enumerate(lines):
                    c.drawString(x + PAD, self.y - PAD - size - k * CELL_LEADING, line)
            self.y -= h
            if not bar:
                c.setLineWidth(0.5)
                c.line(MARGIN, self.y, WIDTH - MARGIN, self.y)

        if self.y - height(header) - (height(rows[0]) if rows else 0) < BOTTOM:
            self._new_page()
        band(header, bar=True)
        for cells in rows:
            if self.y - height(cells) < BOTTOM:
                self._new_page()
                band(header, bar=True)
            self.placed.append((cells if isinstance(cells, str) else cells[0], self.page))
            band(cells)
        self.y -= 8
        self.top = self.y

    def save(self) -> None:
        self.canvas.save()


def _activity_rows(table: ActivityTable) -> list[list[str] | str]:
    rows: list[list[str] | str] = []
    for act in table.rows:
        rows.append([act.text, act.start or "", act.end or "", "Avvikelse" if act.deviation else ""])
        if act.comment:
            rows.append(f"Analys {act.comment}")
    return rows


def _indicator_rows(table: IndicatorTable) -> list[list[str] | str]:
    """Cells in their columns where the text maps them; otherwise the printed values from the
    first column on and the period in its own column."""
    rows: list[list[str] | str] = []
    n = len(table.columns)
    for ind in table.rows:
        if any(getattr(ind, col) for col in table.columns[:-1]):
            cells = [getattr(ind, col) or "" for col in table.columns]
        else:
            cells = (ind.values + [""] * n)[: n - 1] + [ind.period or ""]
        rows.append([ind.name, *cells])
        if ind.comment:
            rows.append(f"Analys {ind.comment}")
    return rows


def render_report(lines: list[Line] | list[str], path: Path, header: str) -> list[tuple[str, int]]:
    """Lay out a report's cleaned lines (or plain paragraphs): activity and indicator tables as
    the parser reads them, other tab-separated lines as tables of their own, the rest as
    paragraphs. Laid out twice: the footer names the page total."""
    lines = [Line(line, n) if isinstance(line, str) else line for n, line in enumerate(lines, start=1)]
    pages = _lay_out(lines, path, header, None)[-1][1]
    return _lay_out(lines, path, header, pages)


def _lay_out(lines: list[Line], path: Path, header: str, total: int | None) -> list[tuple[str, int]]:
    layout = Layout(path, header, total)
    texts = [Line(line.text.encode("cp1252", "ignore").decode("cp1252"), line.lineno, indent=line.indent)
             for line in lines if line.text.strip()]  # the standard PDF fonts' repertoire
    i = 0
    while i < len(texts):
        text = texts[i].text
        if is_activity_header(text) or is_indicator_header(text):
            table = ActivityTable(None) if is_activity_header(text) else IndicatorTable(None, text)
            i += 1
            while i < len(texts) and not ends_table(texts[i].text, table) and table.feed(texts[i]):
                i += 1
            if isinstance(table, ActivityTable):
                head, rows = ACTIVITY_HEADER, _activity_rows(table)
            else:
                head = INDICATOR_HEADER if table.columns == TAB_COLUMNS else INDICATOR_HEADER_SHORT
                rows = _indicator_rows(table)
            layout.table(head.split("\t"), rows)
            for part in table.take_pending()[0]:
                layout.paragraph(part)
        elif "\t" in text:
            rows = []
            while i < len(texts) and "\t" in texts[i].text:
                rows.append([cell.strip() for cell in texts[i].text.split("\t")])
                i += 1
            width = max(len(r) for r in rows)
            head, *body = [r + [""] * (width - len(r)) for r in rows]
            layout.table(head, body)
        else:
            layout.paragraph(text.strip())
            i += 1
    layout.save()
    return layout.placed


def scanned_pdf(path: Path, pages: list[list[str]]) -> None:
    """A PDF whose A4 pages are only images of the given lines (as a scanner makes them): no
    text layer."""
    from PIL import Image, ImageDraw, ImageFont

    canvas = Canvas(str(path), pagesize=A4)
    for n, lines in enumerate(pages):
        image = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi
        draw = ImageDraw.Draw(image)
        font = ImageFont.truetype("DejaVuSans.ttf", 28)
        for k, line in enumerate(lines):
            draw.text((100, 150 + k * 48), line, fill=0, font=font)
        png = path.with_name(f"{path.stem}-{n}.png")
        image.save(png)
        canvas.drawImage(str(png), 0, 0, *A4)
        canvas.showPage()
    canvas.save()


def render_rotated_table(path: Path, rows: list[list[str]]) -> None:
    """One landscape table set on a portrait page, rotated 90 degrees."""
    c = Canvas(str(path), pagesize=A4)
    c.setFont(FONT, SIZE)
    c.drawString(MARGIN, HEIGHT - 60, "Tabell 3. Ekonomiskt utfall per verksamhet")
    c.saveState()
    c.translate(WIDTH - 120, 120)
    c.rotate(90)
    for r, row in enumerate(rows):
        for k, cell in enumerate(row):
            c.drawString(k * 140, -r * 16, cell)
    c.restoreState()
    c.save()
