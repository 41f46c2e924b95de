"""The real agency annual reports in ../shared/pdfs (never committed; skipped where absent):
what a careful reader sees on a few pages — labels, headings, tables — pinned."""

from __future__ import annotations

import re

import pytest

from indexer.ingest.clean import clean
from indexer.ingest.pipeline import parse_file
from indexer.ingest.read import pdf_outline, read_file

EXPECTED = {
    "forsvarsmakten_2008.pdf": ("Försvarsmakten", 2008),
    "migrationsverket_2007.pdf": ("Migrationsverket", 2007),
    "pensionsmyndigheten_2009.pdf": ("Premiepensionsmyndigheten", 2009),
    "skolverket_2013.pdf": ("Skolverket", 2013),
}


@pytest.fixture(scope="module")
def parsed(agency_pdfs):
    return {path.name: parse_file(path) for path in agency_pdfs}


def test_organisation_and_year_from_the_title_page(parsed):
    for name, report in parsed.items():
        doc = report.document
        assert (doc.organisation, doc.year) == EXPECTED[name], name
        assert doc.kind == "generic" and doc.namnd is None and doc.report_type == "Årsredovisning"


def test_generic_sections_by_heading_with_pages(parsed):
    for name, report in parsed.items():
        assert report.goals == [] and report.activities == []
        assert len(report.sections) > 50, name
        pages = [s.page for s in report.sections]
        assert all(p is not None and 1 <= p <= report.document.pages for p in pages)
        assert pages == sorted(pages) or sum(a > b for a, b in zip(pages, pages[1:])) < 3
        assert sum(bool(s.heading) for s in report.sections) > 20


def test_text_is_clean(parsed):
    for report in parsed.values():
        body = "\n".join(s.text for s in report.sections)
        assert "(cid:" not in body and "\u2212" not in body and "ﬁ" not in body
        assert "å" in body and "ä" in body and "ö" in body
        # Line-end hyphenation is repaired: few hyphen-space-lowercase fragments remain.
        cuts = re.findall(r"[a-zåäö]{2,}- (?!och|eller|samt|som|till)[a-zåäö]{3,}", body)
        assert len(cuts) < len(body) / 5000


@pytest.fixture(scope="module")
def lines(agency_pdfs):
    """Clean lines of the two reports whose tables are pinned below, by page."""
    by_page: dict[tuple[str, int], list[str]] = {}
    for path in agency_pdfs:
        if path.name in ("migrationsverket_2007.pdf", "pensionsmyndigheten_2009.pdf"):
            for line in clean(read_file(path).lines, wrap_spaces=False):
                if line.text:
                    by_page.setdefault((path.name, line.page), []).append(line.text)
    return by_page


def test_pages_carry_their_printed_labels(parsed):
    # Försvarsmakten's cover has no number and page 2 says "Sida 1 (72)"; Skolverket numbers
    # its pages from the cover; Migrationsverket's PDF has page labels of its own.
    labels = {name: report.document.page_labels for name, report in parsed.items()}
    assert labels["forsvarsmakten_2008.pdf"][:3] == [None, "1", "2"]
    assert labels["forsvarsmakten_2008.pdf"][29] == "29"
    assert labels["skolverket_2013.pdf"][59] == "60"
    assert labels["pensionsmyndigheten_2009.pdf"][19] == "20"
    assert labels["migrationsverket_2007.pdf"] == [str(n) for n in range(1, 109)]


def test_headings_in_order_on_a_page(parsed):
    def headings(name, page):
        return [s.heading for s in parsed[name].sections if s.page == page and s.heading]

    assert headings("forsvarsmakten_2008.pdf", 30) == ["Erfarenheter från 2008", "Verksamhetsgrenens produkter"]
    assert headings("skolverket_2013.pdf", 60) == ["Vuxenutbildningen", "Dansarutbildningen"]


def test_headings_follow_the_outline_not_the_contents_or_a_table(parsed, agency_pdfs):
    # Skolverket's PDF has an outline (the others have none): its first section of results
    # opens p. 13; p. 12's table of tasks names "Lärarlegitimation" in a cell, no heading.
    path = next(p for p in agency_pdfs if p.name == "skolverket_2013.pdf")
    sections = parsed[path.name].sections
    page13 = [[*s.parents, s.heading] for s in sections if s.page == 13]
    assert page13 and all(trail[:2] == ["Resultatredovisning", "Sammanfattning av verksamheten under året"]
                          for trail in page13)
    assert not [s for s in sections if s.page in (12, 13) and "Lärarlegitimation" in [*s.parents, s.heading]]
    outline = pdf_outline(path)
    assert len(outline) > 100 and all(entry.page for entry in outline)
    shown = {h for s in sections for h in [*s.parents, s.heading]}
    assert [e.title for e in outline if e.title not in shown] == []


def test_tables_read_row_by_row_in_order(lines):
    page = lines[("pensionsmyndigheten_2009.pdf", 20)]
    rows = [line for line in page if line.split("\t")[0] in ("Aktiefonder", "Blandfonder", "Räntefonder", "Totalt")]
    assert rows == ["Aktiefonder\t179,0\t53\t105,2\t47\t162,8\t53", "Blandfonder\t11,7\t4\t9,7\t4\t9,9\t3",
                    "Räntefonder\t21,3\t6\t24,2\t9\t12,9\t4", "Totalt\t340,2\t100\t230,6\t100\t308,3\t100"]
    # The table sits between the prose that names it and its caption.
    assert page.index("Premiesparfonden.") < page.index(rows[0]) < page.index(
        "Tabell 1. Fondplaceringarnas marknadsvärde per fondtyp per den 31 december 2007-2009.")
    page = lines[("migrationsverket_2007.pdf", 29)]
    assert [line for line in page if "\t" in line][2:4] == ["Flyktingskäl\t24\t0\t1\t0", "Skyddsbehövande\t43\t0\t4\t0"]
    assert page.index("Totalt\t596\t8\t436\t0") < page.index("Tabell 15") < page.index("varav bifall\t41\t47")


def test_the_table_of_contents_is_no_text(parsed):
    # Each report's contents pages (Skolverket's run over three) list headings with their pages.
    contents = {"forsvarsmakten_2008.pdf": (3, 4), "migrationsverket_2007.pdf": (3,), "skolverket_2013.pdf": (4, 5, 6)}
    for name, pages in contents.items():
        assert not [s for s in parsed[name].sections if s.page in pages], name
        assert [s for s in parsed[name].sections if s.page == pages[-1] + 1], name  # the text after it is kept


def test_footnote_references_are_not_glued_to_words(parsed):
    glued = [w for report in parsed.values() for s in report.sections
             for w in re.findall(r"\b[a-zåäö]{4,}\d{1,2}\b", s.text)]
    assert len(glued) < 10, glued


def test_a_table_with_a_column_per_year_is_headed_by_its_years(parsed):
    table = next(s for s in parsed["skolverket_2013.pdf"].sections if "Summa 89 71 64" in s.text)
    assert table.columns == "Regeringsuppdrag i | 2013 | 2012 | 2011"
    assert table.text.startswith("Regleringsbrev 51 32 32")  # the header is the columns, not a row
