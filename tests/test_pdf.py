"""The PDF path on PDFs rendered from the corpus text: two columns, words hyphenated at line
ends, a running header, page numbers in the footer and full-width tables."""

from __future__ import annotations

import re

import pytest
from conftest import CORPUS, REPORTS
from pdf_render import render_report, render_rotated_table, wrap

from indexer.ingest.clean import clean
from indexer.ingest.pipeline import parse_file
from indexer.ingest.read import read_file

HEADER = "Stockholms stad – Tertialrapport"


@pytest.fixture(scope="module", params=["000", "003", "004"])
def rendered(request, tmp_path_factory, reports):
    key = request.param
    source = CORPUS / REPORTS[key]
    paragraphs = [line.text for line in clean(read_file(source).lines) if line.text]
    pdf = tmp_path_factory.mktemp("pdf") / f"{key}.pdf"
    placed = render_report(paragraphs, pdf, HEADER)
    return reports[key], parse_file(pdf), placed, pdf


def goal_view(report):
    return [(g.level, g.number, g.title, g.status, g.parent) for g in report.goals]


def test_goals_and_statuses_match_the_text(rendered):
    text, pdf, _, _ = rendered
    assert goal_view(pdf) == goal_view(text)


def test_metadata_matches_the_text(rendered):
    text, pdf, _, _ = rendered
    a, b = text.document, pdf.document
    assert (b.namnd, b.year, b.report_type, b.period) == (a.namnd, a.year, a.report_type, a.period)
    assert b.source == "pdf" and b.pages >= 10


def test_goal_pages_are_where_they_were_printed(rendered):
    _, pdf, placed, _ = rendered
    for goal in pdf.goals:
        heading = f"{goal.number} {goal.title}" if goal.number else goal.title
        pages = {page for text, page in placed if re.sub(r"^(\d+(\.\d+)*)\.?", r"\1", text).startswith(heading[:40])}
        assert goal.page in pages, (goal.title, goal.page, pages)


def test_activities_survive_the_table_layout(rendered):
    text, pdf, _, _ = rendered
    # Tab rows become full-width table rows; the 2015 and SDN layouts are wrapped paragraphs.
    assert abs(len(pdf.activities) - len(text.activities)) <= max(3, len(text.activities) // 2)
    assert sum(a.deviation for a in pdf.activities) == sum(a.deviation for a in text.activities)


def test_running_header_and_page_numbers_are_dropped(rendered):
    _, pdf, _, _ = rendered
    body = "\n".join(s.text for s in pdf.sections)
    assert HEADER not in body
    assert not re.search(r"\bSida \d+\b", body)


def test_hyphenated_words_are_joined(rendered):
    text, pdf, _, path = rendered
    assert sum(line.text.endswith("-") for line in read_file(path).lines) > 20  # the renderer did cut words

    def hyphens(report):
        return set(re.findall(r"\w+- ?\w+", " ".join(s.text for s in report.sections)))

    # The renderer hyphenates long words at line ends: no cut it made may survive, so every
    # hyphen left in the PDF's text is one the source has too.
    assert hyphens(pdf) - hyphens(text) == set()


def test_every_line_has_its_page():
    path = CORPUS / REPORTS["003"]
    assert all(line.page is None for line in read_file(path).lines)


def test_wrap_hyphenates_long_words():
    lines = wrap("stadsledningskontorets tjänsteutlåtande om budgetjusteringar", 60)
    assert any(line.endswith("-") for line in lines)
    assert "".join(line.rstrip("-") if line.endswith("-") else line + " " for line in lines).split() == [
        "stadsledningskontorets", "tjänsteutlåtande", "om", "budgetjusteringar"]


def test_rotated_table_is_read(tmp_path):
    pdf = tmp_path / "rotated.pdf"
    rows = [["Verksamhet", "Budget", "Prognos"], ["Kommunstyrelsen", "1 421,7", "1 428,7"],
            ["Trafiknämnden", "812,0", "790,5"]]
    render_rotated_table(pdf, rows)
    raw = read_file(pdf)
    text = " ".join(line.text for line in raw.lines)
    for cell in ("Kommunstyrelsen", "1 421,7", "Trafiknämnden", "790,5"):
        assert cell in text
    assert all(line.page == 1 for line in raw.lines)


def test_passages_cite_the_page_they_start_on(rendered):
    from indexer.ingest.passages import passages_of

    _, pdf, _, path = rendered
    page_text: dict[int, str] = {}
    for line in clean(read_file(path).lines, wrap_spaces=False):
        page_text[line.page] = page_text.get(line.page, "") + " " + line.text
    page_text = {page: " ".join(text.split()) for page, text in page_text.items()}
    whole = " ".join(page_text[page] for page in sorted(page_text))
    checked = 0
    for p in passages_of(pdf, "rendered"):
        if p.kind in ("goal", "activity", "indicator", "decision") or len(p.text) < 80:
            continue
        opening = " ".join(p.text.split()[:4])
        pages = {page for page, text in page_text.items() if opening in text}
        if len(pages) == 1 and whole.count(opening) == 1:  # they occur once in the PDF: their page is certain
            assert p.page in pages, (p.text[:60], p.page, pages)
            checked += 1
    assert checked > 20
