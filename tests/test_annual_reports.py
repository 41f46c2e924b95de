"""An agency's annual report (årsredovisning) as such reports are typeset: a table of contents,
headings in their own type, footnote references set small above the line, and tables of
figures with a column per year. Rendered here as a small PDF, then read."""

from __future__ import annotations

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from indexer.ingest.clean import drop_contents
from indexer.ingest.passages import passages_of
from indexer.ingest.pipeline import parse_file
from indexer.ingest.structure import is_row
from indexer.records import Line

WIDTH, HEIGHT = A4
BODY = ("Times-Roman", 10)
PART = ("Helvetica-Bold", 18)
SECTION = ("Helvetica-Bold", 12)

FILLER = ("Verket har under året fortsatt att utveckla handläggningen av ärenden och samarbetet med "
          "andra myndigheter, vilket har gett kortare väntetider för de sökande och en jämnare "
          "arbetsbelastning över året för de anställda vid verkets kontor i landet.")


class _Pages:
    def __init__(self, path):
        self.canvas = Canvas(str(path), pagesize=A4)
        self.y = HEIGHT - 80

    def line(self, text: str, font=BODY, x: float = 60, gap: float = 14) -> None:
        self.canvas.setFont(*font)
        self.canvas.drawString(x, self.y, text)
        self.y -= gap

    def cells(self, cells: list[str], font=BODY) -> None:
        self.canvas.setFont(*font)
        for k, cell in enumerate(cells):
            self.canvas.drawString(60 + 170 * (k > 0) + 70 * max(k - 1, 0), self.y, cell)
        self.y -= 16

    def paragraph(self, lines: list[str]) -> None:
        for text in lines:
            self.line(text)
        self.y -= 8

    def next_page(self) -> None:
        self.canvas.showPage()
        self.y = HEIGHT - 80

    def save(self) -> None:
        self.canvas.save()


def _filler_lines(n: int) -> list[str]:
    words, lines, line = (FILLER + " ") * n, [], ""
    for word in words.split()[:n * 12]:
        if len(line) + len(word) > 80:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line.rstrip(".") + "."]


@pytest.fixture(scope="module")
def annual(tmp_path_factory):
    path = tmp_path_factory.mktemp("annual") / "exempelverket_2011.pdf"
    pdf = _Pages(path)
    pdf.line("Exempelverkets årsredovisning 2011", ("Helvetica-Bold", 28), gap=40)
    pdf.next_page()
    pdf.line("Innehåll", ("Helvetica-Bold", 20), gap=30)
    for entry, page in (("Generaldirektörens kommentar", "3"), ("Resultatredovisning", "3"),
                        ("Ärendehandläggning", "3"), ("Finansiell redovisning", "4")):
        pdf.line(entry, BODY, gap=0)
        pdf.line(page, BODY, x=480)
    pdf.next_page()
    pdf.line("Resultatredovisning", PART, gap=28)
    pdf.paragraph(_filler_lines(6))
    pdf.line("Ärendehandläggning", SECTION, gap=18)
    pdf.line("Under 2011 avgjorde verket fler ärenden än något tidigare år. Handläggningstiden", gap=0)
    pdf.canvas.setFont("Times-Roman", 6)  # a footnote reference: a small digit above the line
    pdf.canvas.drawString(60 + pdf.canvas.stringWidth("Under 2011 avgjorde verket fler ärenden än något tidigare år. "
                                                      "Handläggningstiden", *BODY), pdf.y + 4, "3")
    pdf.y -= 14
    pdf.paragraph(["var i genomsnitt 94 dagar, tolv dagar kortare än året innan."])
    pdf.paragraph(_filler_lines(4))
    pdf.line("Tabell 1. Ärenden", BODY, gap=18)
    pdf.cells(["Ärenden", "2011", "2010", "2009"])
    pdf.cells(["Inkomna", "412", "388", "350"])
    pdf.cells(["Avgjorda", "430", "371", "342"])
    pdf.y -= 10
    pdf.line("Samverkan med kommuner", SECTION, gap=18)
    pdf.paragraph(_filler_lines(5))
    pdf.next_page()
    pdf.line("Finansiell redovisning", PART, gap=28)
    pdf.paragraph(_filler_lines(8))
    pdf.save()
    return parse_file(path)


def test_the_table_of_contents_is_not_read_as_headings(annual):
    assert not [s for s in annual.sections if s.page == 2]
    assert sum(s.heading == "Ärendehandläggning" for s in annual.sections) == 1


def test_footnote_references_do_not_run_into_their_words(annual):
    text = "\n".join(s.text for s in annual.sections)
    assert "Handläggningstiden var i genomsnitt 94 dagar" in text
    assert "Handläggningstiden3" not in text and "Handläggningstiden 3" not in text


def test_a_year_columns_header_heads_the_rows(annual):
    passages = passages_of(annual, "exempelverket-2011")
    table = next(p for p in passages if "Avgjorda" in p.text)
    assert table.text.startswith("Ärenden | 2011 | 2010 | 2009\n\n")
    assert "Inkomna 412 388 350 Avgjorda 430 371 342" in table.text


def test_year_headers_are_no_rows():
    assert not is_row("Regeringsuppdrag i\t2013\t2012\t2011")
    assert not is_row("Belopp 2009 2008 2007")
    assert is_row("Summa\t89\t71\t64")
    assert is_row("Antal ärenden 2010 1998 2015")  # counts in no order are figures


def test_contents_pages_are_emptied_up_to_the_first_sentence():
    texts = [(1, "Exempelverkets årsredovisning 2011"), (2, "Innehåll"), (2, "Resultatredovisning"), (2, "3"),
             (3, "Noter ........ 40"), (3, "Bilagor ........ 52"),
             (4, "Resultatredovisning"), (4, "Verket har under året avgjort fler ärenden än året innan.")]
    lines = [Line(t, n, page) for n, (page, t) in enumerate(texts, start=1)]
    kept = [line.text for line in drop_contents(lines) if line.text]
    assert kept == ["Exempelverkets årsredovisning 2011", "Resultatredovisning",
                    "Verket har under året avgjort fler ärenden än året innan."]
    assert drop_contents(lines[:1] + lines[6:]) == lines[:1] + lines[6:]  # no contents: nothing emptied
