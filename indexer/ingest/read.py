"""Read a report file (.txt or .pdf) into numbered lines, each with its page for PDFs."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..patterns import normalize_text
from ..records import Line, OutlineEntry, RawDocument
from . import ocr
from .pdf_tables import kept_items, page_rules, position_tables, ruled_tables

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
    return "".join(item.get_text() for item in kept_items(line))


def _page_lines(layout, carried: list | None) -> tuple[list[tuple[str, float, float, bool]], list | None]:
    """(text, top, bottom, paragraph_start) per text line of a page, in reading order, and the
    columns of a table that ends the page. Tables are read as tables (a table the page before
    ended goes on in `carried` columns); drop capitals (a large initial set as its own box) are
    put back in front of their word."""
    from pdfminer.layout import LTFigure, LTTextBox, LTTextLine

    found, taken = ruled_tables(layout)  # entries: see pdf_tables

    def walk(item) -> None:
        if isinstance(item, LTTextBox):
            for n, line in enumerate(l for l in item if isinstance(l, LTTextLine) and id(l) not in taken):
                found.append([normalize_text(_line_text(line)).strip(), line.x0, line.x1, line.y1, line.y0, n == 0,
                              False, line])
        elif isinstance(item, LTTextLine) and id(item) not in taken:
            found.append([normalize_text(_line_text(item)).strip(), item.x0, item.x1, item.y1, item.y0, True, False,
                          item])
        elif isinstance(item, LTFigure):
            for child in item:
                walk(child)

    for item in layout:
        walk(item)
    columns = position_tables(found, lambda top, bottom: _in_margin(top, bottom, layout.height), page_rules(layout),
                              carried)
    for cap in found:
        if len(cap[0]) == 1 and cap[0].isupper():
            word = next((f for f in found if f is not cap and f[0][:1].islower() and 0 <= f[1] - cap[2] < 15
                         and f[4] < cap[3] and f[3] > cap[4]), None)
            if word is not None:
                word[0], cap[0] = cap[0] + word[0], ""
    found = _reading_order([f for f in found if f[0]], layout.width)
    return [(f[0], f[3], f[4], f[5]) for f in found], columns


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
    columns = None  # of a table running on to the next page
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
        page_lines, columns = _page_lines(layout, columns)
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
    return RawDocument(str(path), lines, pages=len(pages), source="pdf", page_labels=labels, ocr_pages=read_by_ocr,
                       outline=pdf_outline(path))


def pdf_outline(path: Path) -> list[OutlineEntry]:
    """The PDF's outline (bookmarks), each entry with the page it leads to: the report's own
    headings, which its table of contents and its table cells are not. Empty where it has none
    or where the outline cannot be read (an outline is a help, its damage no reason to skip)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        with path.open("rb") as f:
            document = PDFDocument(PDFParser(f))
            pages = {page.pageid: n for n, page in enumerate(PDFPage.create_pages(document), start=1)}
            return [OutlineEntry(" ".join(title.split()), level, _target_page(document, dest, action, pages))
                    for level, title, dest, action, _ in document.get_outlines() if title and title.strip()]
    except Exception:  # noqa: BLE001 — PDFNoOutlines, or pdfminer's ad hoc errors on a damaged outline
        return []


def _target_page(document, dest, action, pages: dict) -> int | None:
    """The page number an outline entry's destination (or GoTo action) names: an explicit
    destination `[page /XYZ …]`, or a named one looked up in the document."""
    from pdfminer.psparser import PSLiteral
    from pdfminer.pdftypes import resolve1

    if dest is None and isinstance(action := resolve1(action), dict):
        dest = action.get("D")
    dest = resolve1(dest)
    if isinstance(dest, (bytes, str, PSLiteral)):
        dest = resolve1(document.get_dest(dest.name if isinstance(dest, PSLiteral) else dest))
    if isinstance(dest, dict):
        dest = resolve1(dest.get("D"))
    target = dest[0] if isinstance(dest, list) and dest else None
    return pages.get(getattr(target, "objid", None))


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
