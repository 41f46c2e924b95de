"""A PDF's outline (bookmarks) names its headings: each title is found on the page it leads to,
with the titles above it as its parents, and a page that lists the titles of other pages (a
table of contents) gives no headings. On a PDF of our own drawn with reportlab."""

from __future__ import annotations

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from indexer.ingest.pipeline import parse_file
from indexer.ingest.read import read_file
from indexer.records import OutlineEntry

WRAPPED_TITLE = ("Ekonomiskt utfall för myndigheten och dess", "verksamhetsgrenar under året")
BODY = ("Myndigheten har under året arbetat med att förenkla ansökningarna för alla sökande.",
        "Arbetet har lett till kortare handläggningstider och färre kompletteringar i ärendena.",
        "Flera nya samarbeten med kommunerna har inletts och följs upp under nästa år.")


def _page(canvas: Canvas, title: list[str], key: str | None, level: int, body: tuple[str, ...], y: float) -> float:
    """A heading in bold over a paragraph; the y below them."""
    if key:
        canvas.bookmarkHorizontal(key, 0, y + 20)
        canvas.addOutlineEntry(" ".join(title), key, level=level)
    canvas.setFont("Helvetica-Bold", 14 - 2 * level)
    for line in title:
        canvas.drawString(60, y, line)
        y -= 17
    y -= 10
    canvas.setFont("Helvetica", 10)
    for line in body:
        canvas.drawString(60, y, line)
        y -= 13
    return y - 30


@pytest.fixture(scope="module")
def outlined(tmp_path_factory):
    path = tmp_path_factory.mktemp("outline") / "outlined.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    top = A4[1] - 100
    # A contents page without the word "Innehåll": titles with their page numbers.
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(60, top, "Årsredovisningens delar")
    canvas.setFont("Helvetica", 10)
    for n, entry in enumerate(("Årets verksamhet 2", "Nya uppdrag under hösten 2", " ".join(WRAPPED_TITLE) + " 3")):
        canvas.drawString(60, top - 40 - 30 * n, entry)
    canvas.showPage()
    y = _page(canvas, ["Årets verksamhet"], "verksamhet", 0, BODY, top)
    _page(canvas, ["Nya uppdrag under hösten"], "uppdrag", 1, tuple(reversed(BODY)), y)
    canvas.showPage()
    _page(canvas, list(WRAPPED_TITLE), "ekonomi", 0, BODY[1:], top)
    canvas.showPage()
    canvas.save()
    return path


def test_the_outline_is_read_with_the_page_of_each_entry(outlined):
    assert read_file(outlined).outline == [
        OutlineEntry("Årets verksamhet", 1, 2), OutlineEntry("Nya uppdrag under hösten", 2, 2),
        OutlineEntry(" ".join(WRAPPED_TITLE), 1, 3)]


def test_outline_titles_are_the_headings_with_their_parents(outlined):
    sections = parse_file(outlined).sections
    headed = [(s.page, s.parents, s.heading) for s in sections if s.heading]
    assert headed == [(2, [], "Årets verksamhet"), (2, ["Årets verksamhet"], "Nya uppdrag under hösten"),
                      (3, [], " ".join(WRAPPED_TITLE))]  # a title wrapped over two lines is one heading
    under = next(s for s in sections if s.heading == "Nya uppdrag under hösten")
    assert under.text.startswith(BODY[2])
    # The contents page is text under no heading, its entries no headings of their own.
    assert [s.heading for s in sections if s.page == 1] == [None]


def test_a_pdf_without_an_outline_has_none(tmp_path):
    path = tmp_path / "plain.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    _page(canvas, ["Årets verksamhet"], None, 0, BODY, A4[1] - 100)
    canvas.save()
    assert read_file(path).outline == []
    assert [s.heading for s in parse_file(path).sections] == ["Årets verksamhet"]
