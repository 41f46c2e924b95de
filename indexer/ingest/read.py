"""Read a report file (.txt or .pdf) into numbered lines, each with its page for PDFs."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from pathlib import Path

from ..patterns import normalize_text
from ..records import Line, RawDocument
from . import ocr

SUPPORTED = (".txt", ".pdf")


class ReadError(Exception):
    """A file that cannot be read; the message names the file and the reason."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


def decode_text(data: bytes) -> tuple[str, str]:
    """UTF-8 first; otherwise Windows-1252 where every byte is defined in it, else Latin-1.
    Never replaces characters."""
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding), encoding.removesuffix("-sig")
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")


# Text has next to no control characters; random or binary bytes decoded as Latin-1 have about 23 %.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
BINARY_SHARE = 0.01


def read_txt(path: Path) -> RawDocument:
    data = path.read_bytes()
    if not data.strip():
        raise ReadError(path, "the file is empty")
    if b"\x00" in data:
        raise ReadError(path, "not a text file (it contains NUL bytes)")
    text, encoding = decode_text(data)
    control = len(_CONTROL.findall(text))
    if control > BINARY_SHARE * len(text):
        raise ReadError(path, f"not a text file ({control / len(text):.0%} of its characters are control characters)")
    lines = [Line(t, n) for n, t in enumerate(text.splitlines(), start=1)]
    return RawDocument(str(path), lines, pages=None, source="txt", encoding=encoding)


# A margin line is dropped when it looks like a page label or repeats on most pages.
_MARGIN = 0.08
_PAGE_LABEL = re.compile(r"^(sida?\s*)?\d{1,4}(\s*(\(|av|/)\s*\d{1,4}\)?)?$", re.IGNORECASE)


def _line_text(line) -> str:
    """A text line's text without its footnote references: digits set small and raised above the
    line's baseline ("förmåga²", "procent²⁵") would otherwise run into the word they follow
    ("förmåga2") and hide it from search."""
    from pdfminer.layout import LTChar

    chars = [c for c in line if isinstance(c, LTChar) and not c.get_text().isspace()]
    if len(chars) < 2:
        return line.get_text()
    size = sorted(c.size for c in chars)[len(chars) // 2]
    base = sorted(c.y0 for c in chars)[len(chars) // 2]

    def raised(c) -> bool:
        return c.get_text().isdigit() and c.size < 0.8 * size and c.y0 > base + 0.2 * size

    if not any(raised(c) for c in chars):
        return line.get_text()
    return "".join(item.get_text() for item in line if not (isinstance(item, LTChar) and raised(item)))


def _page_lines(layout) -> list[tuple[str, float, float, bool]]:
    """(text, top, bottom, paragraph_start) per text line of a page, in reading order.
    Ruled tables are read as tables; drop capitals (a large initial set as its own box) are
    put back in front of their word."""
    from pdfminer.layout import LTFigure, LTTextBox, LTTextLine

    found, taken = _ruled_tables(layout)  # entries: [text, x0, x1, top, bottom, box_start, table_row]

    def walk(item) -> None:
        if isinstance(item, LTTextBox):
            for n, line in enumerate(l for l in item if isinstance(l, LTTextLine) and id(l) not in taken):
                found.append([normalize_text(_line_text(line)).strip(), line.x0, line.x1, line.y1, line.y0, n == 0,
                              False])
        elif isinstance(item, LTTextLine) and id(item) not in taken:
            found.append([normalize_text(_line_text(item)).strip(), item.x0, item.x1, item.y1, item.y0, True, False])
        elif isinstance(item, LTFigure):
            for child in item:
                walk(child)

    for item in layout:
        walk(item)
    _merge_table_rows(found)
    for cap in found:
        if len(cap[0]) == 1 and cap[0].isupper():
            word = next((f for f in found if f is not cap and f[0][:1].islower() and 0 <= f[1] - cap[2] < 15
                         and f[4] < cap[3] and f[3] > cap[4]), None)
            if word is not None:
                word[0], cap[0] = cap[0] + word[0], ""
    found = _reading_order([f for f in found if f[0]], layout.width)
    return [(text, top, bottom, start) for text, _, _, top, bottom, start, _ in found]


def _text_lines(item):
    from pdfminer.layout import LTFigure, LTTextBox, LTTextLine

    if isinstance(item, LTTextLine):
        yield item
    elif isinstance(item, (LTTextBox, LTFigure)):
        for child in item:
            yield from _text_lines(child)


def _ruled_tables(layout) -> tuple[list[list], set[int]]:
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
                            True])
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


def _column_edge(lines: list[list]) -> bool:
    """Two or more lines, most of them starting at one left edge: the mark of a text column."""
    if len(lines) < 2:
        return False
    edges = Counter(round(f[1] / 3) for f in lines)
    return edges.most_common(1)[0][1] >= 0.5 * len(lines)


def _reading_order(found: list[list], width: float) -> list[list]:
    """Top to bottom, with full-width table rows (tab-joined) splitting the page into bands
    whose columns are read one after the other: pdfminer's own box order mixes columns
    around tables."""
    ordered: list[list] = []
    band: list[list] = []
    for f in sorted(found, key=lambda f: (-f[3], f[1])):
        if f[6]:
            ordered.extend(_by_columns(band, width))
            ordered.append(f)
            band = []
        else:
            band.append(f)
    ordered.extend(_by_columns(band, width))
    return ordered


def _by_columns(band: list[list], width: float) -> list[list]:
    """Lines of one band (sorted top down) as the left column, then the right; a line that
    crosses the gutter (a heading over both columns) closes the columns above it."""
    gutter, fewest = None, max(1, len(band) // 7)
    for x in range(int(width * 0.35), int(width * 0.65), 2):
        crossing = sum(f[1] < x < f[2] for f in band)
        if crossing <= fewest and _column_edge([f for f in band if f[2] <= x]) and _column_edge(
                [f for f in band if f[1] >= x]):
            gutter, fewest = x, crossing
    if gutter is None:
        return band
    ordered: list[list] = []
    chunk: list[list] = []

    def flush() -> None:
        for side in ([f for f in chunk if f[1] < gutter], [f for f in chunk if f[1] >= gutter]):
            if side:
                side[0][5] = True  # a new column starts a new paragraph
            ordered.extend(side)
        chunk.clear()

    for f in band:
        if f[1] < gutter < f[2]:
            flush()
            ordered.append(f)
        else:
            chunk.append(f)
    flush()
    return ordered


def _merge_table_rows(found: list[list]) -> None:
    """Cells of one table row come out as separate lines on one baseline; three or more such
    pieces (two-column text gives at most two) are joined left to right with tabs, like the
    tab-separated rows of the text exports, at the place of the leftmost piece."""
    rows: list[list[list]] = []
    for entry in sorted((e for e in found if e[0] and not e[6]), key=lambda e: e[4]):
        if rows and abs(rows[-1][0][4] - entry[4]) <= 1.5:
            rows[-1].append(entry)
        else:
            rows.append([entry])
    for pieces in rows:
        pieces.sort(key=lambda e: e[1])
        for a, b in zip(pieces, pieces[1:]):
            if -1 < b[1] - a[2] < 0.5 * (a[3] - a[4]):  # one line pdfminer cut in two: no gap between
                word = b[1] - a[2] >= 1 or re.match(r"[A-ZÅÄÖ][a-zåäö]", b[0])  # "I" + "Kosovo", not "F" + "örband"
                b[0], b[1], a[0] = a[0] + (" " if word else "") + b[0], a[1], ""
        pieces[:] = [p for p in pieces if p[0]]
        if len(pieces) >= 3:
            pieces[0][0] = "\t".join(p[0] for p in pieces)
            pieces[0][6] = True
            for p in pieces[1:]:
                p[0] = ""


def read_pdf(path: Path) -> RawDocument:
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFTextExtractionNotAllowed
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    if path.stat().st_size == 0:
        raise ReadError(path, "the file is empty")
    with path.open("rb") as f:
        if not f.read(1024).lstrip().startswith(b"%PDF"):
            raise ReadError(path, "not a PDF file (no %PDF header)")
        f.seek(max(0, path.stat().st_size - 2048))
        if b"%%EOF" not in f.read():
            raise ReadError(path, "truncated PDF (no %%EOF marker at the end)")
    # detect_vertical + all_texts: rotated tables and text inside figures are read too.
    params = LAParams(detect_vertical=True, all_texts=True)
    pages: list[tuple[int, float, list]] = []
    labels: list[str | None] = []  # the PDF's own page labels
    scanned: list[int] = []  # pages with an image and no text
    layouts = _layouts(path, params)
    while True:
        # Only pdfminer's work is guarded: it raises many ad hoc errors on damaged files.
        try:
            layout, label = next(layouts)
        except StopIteration:
            break
        except (PDFPasswordIncorrect, PDFEncryptionError, PDFTextExtractionNotAllowed):
            raise ReadError(path, "the PDF is encrypted and cannot be read without a password") from None
        except (PDFSyntaxError, PSException) as exc:
            raise ReadError(path, f"broken or truncated PDF ({type(exc).__name__}: {exc})") from None
        except Exception as exc:
            raise ReadError(path, f"unreadable PDF ({type(exc).__name__}: {exc})") from None
        page_lines = _page_lines(layout)
        pages.append((len(pages) + 1, layout.height, page_lines))
        labels.append(label)
        if all(_in_margin(top, bottom, layout.height) for _, top, bottom, _ in page_lines) and _has_image(layout):
            scanned.append(len(pages))  # at most a page number stamped on a scan
    if not pages:
        raise ReadError(path, "the PDF has no pages")

    running = _running_lines(pages)
    lines: list[Line] = []
    read_by_ocr = scanned if scanned and ocr.available() else []

    def add(text: str, page: int, paragraph_start: bool) -> None:
        if paragraph_start and lines and lines[-1].text:
            lines.append(Line("", len(lines) + 1, page))  # a box boundary is a paragraph break
        lines.append(Line(text, len(lines) + 1, page))

    for number, height, page_lines in pages:
        if number in read_by_ocr:
            start = True
            for text in ocr.read_page(path, number):
                text = normalize_text(text).strip()
                if text:
                    add(text, number, start)
                start = not text
            continue
        for text, top, bottom, box_start in page_lines:
            in_margin = _in_margin(top, bottom, height)
            if in_margin and _PAGE_LABEL.match(text):
                labels[number - 1] = labels[number - 1] or re.search(r"\d+", text).group(0)
                continue
            if in_margin and _shape(text) in running:
                continue
            add(text, number, box_start)
    if not any(line.text for line in lines):
        if scanned and not read_by_ocr:
            raise ReadError(path, ocr.MISSING)
        raise ReadError(path, "the PDF has no extractable text")
    return RawDocument(str(path), lines, pages=len(pages), source="pdf", page_labels=labels, ocr_pages=read_by_ocr)


def _layouts(path: Path, params):
    """(layout, page label) for each page, as pdfminer's extract_pages reads them."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    with path.open("rb") as f:
        manager = PDFResourceManager()
        device = PDFPageAggregator(manager, laparams=params)
        interpreter = PDFPageInterpreter(manager, device)
        for page in PDFPage.get_pages(f):
            interpreter.process_page(page)
            yield device.get_result(), page.label


def _has_image(item) -> bool:
    from pdfminer.layout import LTImage

    return isinstance(item, LTImage) or hasattr(item, "__iter__") and any(_has_image(child) for child in item)


def _in_margin(top: float, bottom: float, height: float) -> bool:
    return bottom > height * (1 - _MARGIN) or top < height * _MARGIN


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _running_lines(pages: list[tuple[int, float, list]]) -> set[str]:
    """Shapes of margin lines repeated on at least 40 % of pages (running headers/footers)."""
    if len(pages) < 3:
        return set()
    counts: Counter = Counter()
    for _, height, page_lines in pages:
        counts.update({_shape(t) for t, top, bottom, _ in page_lines if _in_margin(top, bottom, height)})
    return {shape for shape, n in counts.items() if n >= max(2, 0.4 * len(pages))}


def pdf_pages(path: Path) -> int | None:
    """A PDF's page count as its page tree says, without reading the pages (None where the tree
    cannot be read: reading the file then says why)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    try:
        with path.open("rb") as f:
            count = resolve1(resolve1(PDFDocument(PDFParser(f)).catalog["Pages"])["Count"])
    except Exception:  # noqa: BLE001 — any damage is read_pdf's to name
        return None
    return count if isinstance(count, int) else None


def read_file(path: str | Path) -> RawDocument:
    path = Path(path)
    if not path.is_file():
        raise ReadError(path, "no such file")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return read_pdf(path)
    if suffix == ".txt":
        return read_txt(path)
    raise ReadError(path, f"unsupported file type {suffix or '(none)'}; expected .txt or .pdf")
