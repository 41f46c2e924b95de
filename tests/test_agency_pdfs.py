"""The real agency annual reports in ../shared/pdfs (never committed; skipped where absent)."""

from __future__ import annotations

import re

import pytest

from indexer.ingest.pipeline import parse_file

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
