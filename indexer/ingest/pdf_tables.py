"""Tables on a PDF page read by the position of their characters, not by the order the text
comes out in: columns from where the characters stand across the page, rows from their
baselines, and the lines a cell wraps over joined back into that one cell.

Each found table row is an entry like the page's other text lines (see `read._page_lines`):
[text, x0, x1, top, bottom, paragraph_start, table_row, pdfminer line or None], its cells
joined with tabs, an empty cell kept empty, like the tab-separated rows of the text exports.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..patterns import normalize_text
from .clean import CONJUNCTIONS
from .tables import is_comment_row

# Characters with a space character between them stand in different cells only this many ems
# apart: a justified line spaces its words wide.
SPACED_GAP = 1.5
# Characters this far apart with no space character between are in different cells.
WORD_GAP = 0.3
# A piece may run this share of its width into the next column (a long word in a narrow cell).
OVERRUN = 0.25
# A figure as a table prints it: "2 276", "-7,0", "53 %".
_FIGURE = re.compile(r"[-–]?\d{1,3}(?: \d{3})*(?:[,.]\d+)?(?: ?%)?")
# Baselines within this many points are one line of the page.
BASELINE = 1.5


def kept_items(line) -> list:
    """A text line's characters without its footnote references: digits set small and raised
    above the line's baseline ("förmåga²", "procent²⁵") would otherwise run into the word they
    follow ("förmåga2") and hide it from search."""
    from pdfminer.layout import LTChar

    items = list(line)
    chars = [c for c in items if isinstance(c, LTChar) and not c.get_text().isspace()]
    if len(chars) < 2:
        return items
    size = sorted(c.size for c in chars)[len(chars) // 2]
    base = sorted(c.y0 for c in chars)[len(chars) // 2]

    def raised(c) -> bool:
        return isinstance(c, LTChar) and c.get_text().isdigit() and c.size < 0.8 * size and c.y0 > base + 0.2 * size

    return [item for item in items if not raised(item)]


@dataclass
class _Piece:
    """Characters of one line standing together: one cell's part of that line."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    first_word: float  # the width of its first word: would it have fit on the line above?


def _pieces(line) -> list[_Piece]:
    from pdfminer.layout import LTChar, LTTextLineHorizontal

    if not isinstance(line, LTTextLineHorizontal) and len(line.get_text().strip()) > 1:
        return []  # vertical text: no columns to find (one letter alone pdfminer may call vertical)
    pieces: list[_Piece] = []
    chars: list = []
    text, first_end = "", None

    def close() -> None:
        if chars:
            end = first_end or chars[-1]
            pieces.append(_Piece(normalize_text(text).strip(), chars[0].x0, chars[-1].x1, max(c.y1 for c in chars),
                                 min(c.y0 for c in chars), max(c.size for c in chars), end.x1 - chars[0].x0))

    spaced = False  # a space character since the last character
    for item in kept_items(line):
        if not isinstance(item, LTChar) or item.get_text().isspace():
            if chars:
                text += " "
                first_end = first_end or chars[-1]
                spaced = spaced or isinstance(item, LTChar)
            continue
        if chars and _cell_break(chars[-1], item, spaced):
            close()
            chars, text, first_end = [], "", None
        chars.append(item)
        text += item.get_text()
        spaced = False
    close()
    return [p for p in pieces if p.text]


def _cell_break(before, char, spaced: bool) -> bool:
    """Do two characters of a line stand in different cells? So they do where they stand apart
    with no space character between (each cell set on its own), where the spaces between them
    are wider than a justified line's, or where the second is set back over the first (text
    written on in another cell)."""
    gap = char.x0 - before.x1
    return gap >= (SPACED_GAP if spaced else WORD_GAP) * char.size or gap < -0.1 * char.size


@dataclass
class _Baseline:
    entries: list[list]
    pieces: list[_Piece]
    margin: bool  # in the page's top or bottom margin

    @property
    def top(self) -> float:
        return max(p.top for p in self.pieces)

    @property
    def bottom(self) -> float:
        return min(p.bottom for p in self.pieces)

    @property
    def size(self) -> float:
        return max(p.size for p in self.pieces)


@dataclass
class Rules:
    """A page's ruled lines: y of the horizontal ones, (x, bottom, top) of the vertical ones."""

    across: list[float] = field(default_factory=list)
    down: list[tuple[float, float, float]] = field(default_factory=list)

    def between(self, above: _Baseline, below: _Baseline) -> bool:
        """A rule under one line and over the next: a new row."""
        return any(below.top <= y <= above.bottom for y in self.across)

    def parted(self, columns: list[list[float]], top: float, bottom: float) -> list[list[float]]:
        """Where a table has vertical rules, columns with no rule between them are one (words
        a justified cell spaced wide)."""
        down = [x for x, y0, y1 in self.down if y0 <= top and y1 >= bottom]
        if len(down) < 2 or not columns:
            return columns
        out = [list(columns[0])]
        for column in columns[1:]:
            if any(out[-1][1] - 1 <= x <= column[0] + 1 for x in down):
                out.append(list(column))
            else:
                out[-1][1] = column[1]
        return out


def page_rules(layout) -> Rules:
    """The horizontal and vertical rules of a page: thin lines and rectangles, and the edges of
    framed rectangles (a grid drawn cell by cell)."""
    from pdfminer.layout import LTCurve, LTFigure, LTLine, LTRect

    rules = Rules()

    def walk(item) -> None:
        if isinstance(item, LTFigure):
            for child in item:
                walk(child)
        elif isinstance(item, (LTLine, LTRect)) or type(item) is LTCurve and len(item.pts) == 2:
            if item.height <= 2 and item.width > 2:
                rules.across.append((item.y0 + item.y1) / 2)
            elif item.width <= 2 and item.height > 2:
                rules.down.append(((item.x0 + item.x1) / 2, item.y0, item.y1))
            elif isinstance(item, LTRect) and item.stroke:
                rules.across += [item.y0, item.y1]
                rules.down += [(item.x0, item.y0, item.y1), (item.x1, item.y0, item.y1)]

    for item in layout:
        walk(item)
    return rules


@dataclass
class _Region:
    """Consecutive baselines of one table, and its columns as x ranges."""

    lines: list[_Baseline] = field(default_factory=list)
    columns: list[list[float]] = field(default_factory=list)  # [x0, x1], left to right
    carried: list[list[float]] = field(default_factory=list)  # the columns it went on in from the page before

    def overlaps(self, piece: _Piece) -> list[tuple[float, int]]:
        """(overlap, column) for each column the piece reaches into, largest first."""
        return sorted(((min(piece.x1, x1) - max(piece.x0, x0), k) for k, (x0, x1) in enumerate(self.columns)
                       if piece.x0 < x1 and piece.x1 > x0), reverse=True)

    def column(self, piece: _Piece) -> int | None:
        """The column the piece stands in (-1: none yet); None where it runs across two. Words
        may run a little into the next column, and one word wider than its cell (it cannot be
        wrapped) as far as it needs: it stands in the column it starts in."""
        hits = self.overlaps(piece)
        if not hits:
            return -1
        if len(hits) > 1 and " " in piece.text and hits[1][0] > OVERRUN * (piece.x1 - piece.x0):
            return None
        return self.cell(piece)

    def cell(self, piece: _Piece) -> int:
        """The column a piece of a table's line is read into: one word where it starts, words
        where most of them stand (a header over two columns: the first)."""
        hits = self.overlaps(piece)
        return min(k for _, k in hits) if " " not in piece.text else hits[0][1]

    def fits(self, line: _Baseline) -> bool:
        return all(self.column(p) is not None for p in line.pieces)

    def add(self, line: _Baseline) -> None:
        """Take a line that fits; a piece standing in one column only widens it."""
        self.lines.append(line)
        for p in line.pieces:
            self.widen(p)

    def widen(self, piece: _Piece) -> None:
        """A piece in no column makes one; a piece in one column widens it."""
        hits = self.overlaps(piece)
        if not hits:
            bisect.insort(self.columns, [piece.x0, piece.x1])
        elif len(hits) == 1:
            column = self.columns[hits[0][1]]
            column[:] = [min(column[0], piece.x0), max(column[1], piece.x1)]


def position_tables(found: list[list], in_margin: Callable[[float, float], bool], rules: Rules,
                    carried: list[list[float]] | None = None) -> list[list[float]] | None:
    """Find the tables among a page's text lines (not already read as ruled tables) and put
    each of their rows in place of the lines it was read from: a table starts at a line of three
    or more cells and runs on while each line's pieces stand in its columns. A table that ended
    the page before goes on at the top of this one in its columns (`carried`, with empty columns
    kept); the columns of one that ends this page are returned. Rules drawn between its lines or
    columns part its rows and columns. Lines of a baseline that pdfminer cut in two with no gap
    between are joined back."""
    baselines: list[list[list]] = []
    for entry in sorted((e for e in found if e[0] and not e[6]), key=lambda e: -e[4]):
        if baselines and abs(baselines[-1][0][4] - entry[4]) <= BASELINE:
            baselines[-1].append(entry)
        else:
            baselines.append([entry])
    lines = []
    for entries in baselines:
        entries.sort(key=lambda e: e[1])
        pieces = sorted((p for e in entries if e[7] is not None for p in _pieces(e[7])), key=lambda p: p.x0)
        _join_cut_lines(entries)
        lines.append(_Baseline([e for e in entries if e[0]], _join_close(pieces), in_margin(entries[0][3], entries[0][4])))
    region = _Region(columns=[list(c) for c in carried], carried=carried) if carried else None
    for line in lines:
        if region and line.pieces and (not region.lines or region.lines[-1].bottom - line.top <= line.size) \
                and region.fits(line):
            region.add(line)
            continue
        if region and line.margin:
            continue  # a running header or a page number: the table may go on past it
        if region:
            _emit(region, rules)
            region = None
        if len(line.pieces) >= 3:
            region = _Region()
            region.add(line)
    if region and region.lines:
        _emit(region, rules)
        return region.columns
    return None


def _join_cut_lines(entries: list[list]) -> None:
    """One line pdfminer cut in two (no gap between the pieces) is one line again."""
    for a, b in zip(entries, entries[1:]):
        if -1 < b[1] - a[2] < 0.5 * (a[3] - a[4]):
            word = b[1] - a[2] >= 1 or re.match(r"[A-ZÅÄÖ][a-zåäö]", b[0])  # "I" + "Kosovo", not "F" + "örband"
            b[0], b[1], a[0] = a[0] + (" " if word else "") + b[0], a[1], ""


def _join_close(pieces: list[_Piece]) -> list[_Piece]:
    """Pieces of one line that pdfminer cut in two (next to each other, no gap) are one piece."""
    out: list[_Piece] = []
    for p in pieces:
        last = out[-1] if out else None
        if last and -1 < p.x0 - last.x1 < WORD_GAP * p.size:
            word = p.x0 - last.x1 >= 1 or re.match(r"[A-ZÅÄÖ][a-zåäö]", p.text)
            out[-1] = _Piece(last.text + (" " if word else "") + p.text, last.x0, p.x1, max(last.top, p.top),
                             min(last.bottom, p.bottom), max(last.size, p.size), last.first_word)
        else:
            out.append(p)
    return out


def _emit(region: _Region, rules: Rules) -> None:
    """Replace the region's lines by its rows (none where a table carried from the page before
    did not go on). A region of one line must be cut in three by
    pdfminer itself (wide gaps), so a justified line of prose is never taken for a table."""
    if not region.lines or len(region.lines) == 1 and len(region.lines[0].entries) < 3:
        return
    region.columns = rules.parted(_columns(region.lines, region.carried), region.lines[0].top,
                                  region.lines[-1].bottom)
    # How far a cell's line may reach: as far as the widest line of several words in its column
    # (a wrapped cell's next word did not fit there), else to a cell gap before the next column.
    size = max(line.size for line in region.lines)
    edges = [x0 - 2 * WORD_GAP * size for x0, _ in region.columns[1:]] + [float("-inf")]
    widest = [max((p.x1 for line in region.lines for p in line.pieces if " " in p.text and region.cell(p) == k),
                  default=edges[k]) for k in range(len(region.columns))]
    rows: list[list[tuple[_Baseline, dict[int, _Piece]]]] = []
    for line in region.lines:
        cells: dict[int, _Piece] = {}
        for p in line.pieces:
            k = region.cell(p)
            cells[k] = _Piece(f"{cells[k].text} {p.text}", cells[k].x0, p.x1, p.top, p.bottom, p.size,
                              cells[k].first_word) if k in cells else p
        if not rows or rules.between(rows[-1][-1][0], line) or _starts_row(rows[-1][-1][1], cells, widest):
            rows.append([])
        rows[-1].append((line, cells))
    # Lines of one cell after the table's last full row: text under the table, not a row of it.
    while len(rows) > 1 and all(set(cells) == {0} for _, cells in rows[-1]) and not is_comment_row(
            rows[-1][0][1][0].text):
        rows.pop()
    for row in rows:
        texts = [_join_cell([cells[k].text for _, cells in row if k in cells]) for k in range(len(region.columns))]
        entries = [e for line, _ in row for e in line.entries]
        first = row[0][0]
        for e in entries[1:]:
            e[0] = ""
        entries[0][:7] = ["\t".join(texts), min(e[1] for e in entries), max(e[2] for e in entries), first.top,
                          row[-1][0].bottom, True, True]


def _columns(lines: list[_Baseline], carried: list[list[float]]) -> list[list[float]]:
    """A table's columns, from its lines with the most cells first: a header cell spanning
    two columns ("Förvaltat kapital" over "Miljarder" and "Procent") does not make them one.
    A table going on from the page before keeps the columns it had there."""
    region = _Region(columns=[list(c) for c in carried])
    for line in sorted(lines, key=lambda line: -len(line.pieces)):
        for p in line.pieces:
            region.widen(p)
    return region.columns


def _join_cell(parts: list[str]) -> str:
    """A cell's lines as one text; a word cut with a hyphen at a line end is whole again
    (not a suspended compound: "miljö- och")."""
    text = ""
    for part in parts:
        head = part.split(" ")[0]
        if re.search(r"[a-zåäö]-$", text) and re.match(r"[a-zåäö]", head) and head not in CONJUNCTIONS:
            text = text[:-1] + part
        else:
            text = f"{text} {part}" if text else part
    return text


def _starts_row(above: dict[int, _Piece], cells: dict[int, _Piece], widest: list[float]) -> bool:
    """Does a table line start a new row, or go on with the cells of the line above? A cell
    wraps onto the next line only where it has text above, and only where its next word did
    not fit in the widest line its column holds, and never a figure onto a figure; a comment row
    ("Analys …") starts a row."""
    if 0 in cells and is_comment_row(cells[0].text):
        return True
    for k, piece in cells.items():
        if k not in above or _FIGURE.fullmatch(above[k].text) and _FIGURE.fullmatch(piece.text):
            return True  # a figure under a figure: figures are not wrapped
        # A space, and half an em to spare: wrapping tools measure words a little differently.
        if above[k].x1 + 0.8 * piece.size + piece.first_word <= widest[k]:
            return True
    return False


def _text_lines(item):
    from pdfminer.layout import LTFigure, LTTextBox, LTTextLine

    if isinstance(item, LTTextLine):
        yield item
    elif isinstance(item, (LTTextBox, LTFigure)):
        for child in item:
            yield from _text_lines(child)


def ruled_tables(layout) -> tuple[list[list], set[int]]:
    """Tables drawn with a filled header bar and a rule under each row (how report tools print
    them): one entry per row, its cells joined with tabs in the columns the header's words
    stand in (an empty cell stays empty), a row whose text runs across the columns (a comment
    under a row) as one text; and the ids of the text lines they took."""
    from pdfminer.layout import LTChar, LTLine, LTRect

    wide = 0.3 * layout.width
    bars = [r for r in layout if isinstance(r, LTRect) and r.fill and r.width >= wide and 4 <= r.height <= 80]
    if not bars:
        return [], set()
    rules = [r for r in layout if isinstance(r, (LTLine, LTRect)) and r.width >= wide and r.height <= 2]
    lines = [line for item in layout for line in _text_lines(item)]
    entries: list[list] = []
    taken: set[int] = set()
    bars.sort(key=lambda b: -b.y1)
    for n, bar in enumerate(bars):
        below = bars[n + 1].y1 if n + 1 < len(bars) else float("-inf")
        bottoms = sorted((r.y0 for r in rules if abs(r.x0 - bar.x0) <= 3 and abs(r.x1 - bar.x1) <= 3
                          and below <= r.y0 < bar.y0), reverse=True)
        if not bottoms:
            continue  # a filled box with no rules under it (a shaded cell or row): not such a table
        bands = list(zip([bar.y1, bar.y0, *bottoms], [bar.y0, *bottoms]))

        def inside(line, top: float, bottom: float) -> bool:
            return bottom <= (line.y0 + line.y1) / 2 <= top and bar.x0 <= (line.x0 + line.x1) / 2 <= bar.x1

        header = [c for line in lines if inside(line, *bands[0]) for c in line if isinstance(c, LTChar)]
        if not header:
            continue
        gap = 0.4 * sorted(c.size for c in header)[len(header) // 2]
        lefts: list[float] = []
        right = float("-inf")
        for c in sorted(header, key=lambda c: c.x0):
            if c.x0 - right >= gap:
                lefts.append(c.x0 - gap / 2)
            right = max(right, c.x1)
        for top, bottom in bands:
            band = sorted((line for line in lines if inside(line, top, bottom)), key=lambda l: (-l.y1, l.x0))
            if not band:
                continue
            taken.update(id(line) for line in band)
            cells = _cells(band, lefts, gap)
            text = " ".join(" ".join(line.get_text().split()) for line in band) if cells is None else "\t".join(cells)
            entries.append([normalize_text(text).strip(), bar.x0, bar.x1, top, bottom, (top, bottom) == bands[0],
                            True, None])
    return entries, taken


def _cells(band: list, lefts: list[float], gap: float) -> list[str] | None:
    """The text of each column in a row's lines, top down; None when a line runs on across a
    column edge with no gap (text set across the columns)."""
    from pdfminer.layout import LTChar

    cells = [""] * len(lefts)
    for line in band:
        column, last = None, None
        for item in line:
            if isinstance(item, LTChar):
                k = max(0, bisect.bisect_right(lefts, (item.x0 + item.x1) / 2) - 1)
                if column is not None and k != column:
                    if item.x0 - last.x1 < gap:
                        return None
                    cells[column] += " "
                column, last = k, item
                cells[k] += item.get_text()
            elif column is not None:
                cells[column] += item.get_text()  # a space pdfminer put between words
        if column is not None:
            cells[column] += " "
    return [" ".join(cell.split()) for cell in cells]
