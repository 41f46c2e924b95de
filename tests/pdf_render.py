"""Render a report's text as a real PDF for the tests: two columns, words hyphenated at
line ends, a running header and a page-number footer on every page, tables drawn as cells.

Returns where each paragraph landed, so tests can check the page numbers the reader reports.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

FONT, SIZE, LEADING = "Helvetica", 9, 11
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


class Layout:
    def __init__(self, path: Path, header: str):
        self.canvas = Canvas(str(path), pagesize=A4)
        self.header = header
        self.page = 1
        self.column = 0
        self.top = TOP  # where the columns start: below a full-width table, else the page top
        self.y = TOP
        self.placed: list[tuple[str, int]] = []  # (paragraph text, page)
        self._decorate()

    def _decorate(self) -> None:
        c = self.canvas
        c.setFont(FONT, 8)
        c.drawString(MARGIN, HEIGHT - 40, self.header)
        c.drawRightString(WIDTH - MARGIN, 30, f"Sida {self.page}")

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

    def row(self, cells: list[str]) -> None:
        """A full-width table row: the first cell wrapped on the left, the other cells on its
        first baseline, each shrunk to fit its width (empty cells stay empty)."""
        if self.column == 1:  # a table spans both columns: start it below everything on the page
            self._new_page()
        name_width = 200 if len(cells) > 5 else 300
        cell_width = (WIDTH - 2 * MARGIN - name_width) / max(1, len(cells) - 1)
        left = wrap(cells[0], name_width - 8, SIZE - 2, hyphenate=False)
        height = len(left) * (LEADING - 2) + 3
        if self.y - height < BOTTOM:
            self._new_page()
        self.placed.append((cells[0], self.page))
        c = self.canvas
        for k, line in enumerate(left):
            c.setFont(FONT, SIZE - 2)
            c.drawString(MARGIN, self.y - k * (LEADING - 2), line)
        for k, cell in enumerate(cells[1:]):
            size = SIZE - 2
            while size > 4 and not _fits(cell, cell_width - 4, size):
                size -= 0.5
            c.setFont(FONT, size)
            c.drawString(MARGIN + name_width + k * cell_width, self.y, cell)
        self.y -= height
        self.top = self.y

    def save(self) -> None:
        self.canvas.save()


def render_report(lines: list[str], path: Path, header: str) -> list[tuple[str, int]]:
    """Lay out a report given as paragraphs (tab-separated lines are table rows)."""
    layout = Layout(path, header)
    for text in lines:
        text = text.encode("cp1252", "ignore").decode("cp1252")  # the standard PDF fonts' repertoire
        if "\t" in text:
            layout.row([cell.strip() for cell in text.split("\t")])
        elif text.strip():
            layout.paragraph(text.strip())
    layout.save()
    return layout.placed


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
