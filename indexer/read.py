"""Read a report file (.txt or .pdf) into numbered lines, each with its page for PDFs."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from .clean import normalize_text
from .records import Line, RawDocument

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


def read_txt(path: Path) -> RawDocument:
    data = path.read_bytes()
    if not data.strip():
        raise ReadError(path, "the file is empty")
    if b"\x00" in data:
        raise ReadError(path, "not a text file (it contains NUL bytes)")
    text, encoding = decode_text(data)
    lines = [Line(t, n) for n, t in enumerate(text.splitlines(), start=1)]
    return RawDocument(str(path), lines, pages=None, source="txt", encoding=encoding)


# A margin line is dropped when it looks like a page label or repeats on most pages.
_MARGIN = 0.08
_PAGE_LABEL = re.compile(r"^(sida?\s*)?\d{1,4}(\s*(\(|av|/)\s*\d{1,4}\)?)?$", re.IGNORECASE)


def _page_lines(layout) -> list[tuple[str, float, float, bool]]:
    """(text, top, bottom, box_start) per text line of a page, in pdfminer's reading order.
    Drop capitals (a large initial set as its own box) are put back in front of their word."""
    from pdfminer.layout import LTFigure, LTTextBox, LTTextLine

    found: list[list] = []  # [text, x0, x1, top, bottom, box_start]

    def walk(item) -> None:
        if isinstance(item, LTTextBox):
            for n, line in enumerate(l for l in item if isinstance(l, LTTextLine)):
                found.append([normalize_text(line.get_text()).strip(), line.x0, line.x1, line.y1, line.y0, n == 0])
        elif isinstance(item, LTTextLine):
            found.append([normalize_text(item.get_text()).strip(), item.x0, item.x1, item.y1, item.y0, True])
        elif isinstance(item, LTFigure):
            for child in item:
                walk(child)

    for item in layout:
        walk(item)
    for cap in found:
        if len(cap[0]) == 1 and cap[0].isupper():
            word = next((f for f in found if f is not cap and f[0][:1].islower() and 0 <= f[1] - cap[2] < 15
                         and f[4] < cap[3] and f[3] > cap[4]), None)
            if word is not None:
                word[0], cap[0] = cap[0] + word[0], ""
    return [(text, top, bottom, start) for text, _, _, top, bottom, start in found if text]


def read_pdf(path: Path) -> RawDocument:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.pdfpage import PDFTextExtractionNotAllowed
    from pdfminer.psparser import PSException

    if path.stat().st_size == 0:
        raise ReadError(path, "the file is empty")
    with path.open("rb") as f:
        if not f.read(1024).lstrip().startswith(b"%PDF"):
            raise ReadError(path, "not a PDF file (no %PDF header)")
    # detect_vertical + all_texts: rotated tables and text inside figures are read too.
    params = LAParams(detect_vertical=True, all_texts=True)
    pages: list[tuple[int, float, list]] = []
    try:
        for number, layout in enumerate(extract_pages(str(path), laparams=params), start=1):
            pages.append((number, layout.height, _page_lines(layout)))
    except (PDFPasswordIncorrect, PDFEncryptionError, PDFTextExtractionNotAllowed):
        raise ReadError(path, "the PDF is encrypted and cannot be read without a password") from None
    except (PDFSyntaxError, PSException) as exc:
        raise ReadError(path, f"broken or truncated PDF ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # pdfminer raises many ad hoc errors on damaged files
        raise ReadError(path, f"unreadable PDF ({type(exc).__name__}: {exc})") from None
    if not pages:
        raise ReadError(path, "the PDF has no pages")

    running = _running_lines(pages)
    lines: list[Line] = []
    lineno = 0
    for number, height, page_lines in pages:
        for text, top, bottom, box_start in page_lines:
            in_margin = top > height * (1 - _MARGIN) or bottom < height * _MARGIN
            if in_margin and (_PAGE_LABEL.match(text) or _shape(text) in running):
                continue
            if box_start and lines and lines[-1].text:
                lineno += 1
                lines.append(Line("", lineno, number))  # a box boundary is a paragraph break
            lineno += 1
            lines.append(Line(text, lineno, number))
    if not any(line.text for line in lines):
        raise ReadError(path, "the PDF has no extractable text (scanned images?)")
    return RawDocument(str(path), lines, pages=len(pages), source="pdf")


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _running_lines(pages: list[tuple[int, float, list]]) -> set[str]:
    """Shapes of margin lines repeated on at least 40 % of pages (running headers/footers)."""
    if len(pages) < 3:
        return set()
    counts: Counter = Counter()
    for _, height, page_lines in pages:
        counts.update({_shape(t) for t, top, bottom, _ in page_lines
                       if top > height * (1 - _MARGIN) or bottom < height * _MARGIN})
    return {shape for shape, n in counts.items() if n >= max(2, 0.4 * len(pages))}


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
