"""The PDF path on PDFs rendered from the corpus text: two columns, words hyphenated at line
ends, a running header, "Sida N (M)" footers and ruled tables (header bar, cells in columns,
the header repeated where a table breaks across pages). The PDF must give what the text gives."""

from __future__ import annotations

import difflib
import re

import pytest
from conftest import CORPUS, REPORTS
from pdf_render import render_report, render_rotated_table, wrap

from indexer.ingest.clean import clean
from indexer.ingest.pipeline import parse_file
from indexer.ingest.read import read_file

HEADER = "Stockholms stad – Tertialrapport"


@pytest.fixture(scope="module", params=sorted(REPORTS))
def rendered(request, tmp_path_factory, reports):
    key = request.param
    pdf = tmp_path_factory.mktemp("pdf") / f"{key}.pdf"
    placed = render_report(clean(read_file(CORPUS / REPORTS[key]).lines), pdf, HEADER)
    return reports[key], parse_file(pdf), placed, pdf


def differences(text: list, pdf: list) -> list[str]:
    """What the PDF gives differently from the text, row by row."""
    return [line for line in difflib.unified_diff(list(map(repr, text)), list(map(repr, pdf)), "text", "pdf",
                                                  lineterm="", n=0)]


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


def test_activities_match_the_text(rendered):
    text, pdf, _, _ = rendered

    def view(report):
        return [(a.text, a.start, a.end, a.deviation, a.comment, a.goal) for a in report.activities]

    assert differences(view(text), view(pdf)) == []


COLUMNS = ("outcome", "outcome_men", "outcome_women", "previous", "forecast", "target", "kf_target")


def test_indicators_match_the_text_with_their_columns(rendered):
    text, pdf, _, _ = rendered

    def view(report):
        return [(i.name, i.values, i.period, i.comment, i.goal) for i in report.indicators]

    assert differences(view(text), view(pdf)) == []
    # Where the text maps cells to columns the PDF maps them alike. (Where it cannot, because
    # the export dropped empty cells, the PDF's geometry places them: more, never different.)
    mapped = [(t.name, {c: getattr(t, c) for c in COLUMNS}, t.numbers, {c: getattr(p, c) for c in COLUMNS}, p.numbers)
              for t, p in zip(text.indicators, pdf.indicators) if any(getattr(t, c) for c in COLUMNS)]
    assert [m for m in mapped if (m[1], m[2]) != (m[3], m[4])] == []


def test_decisions_and_economy_tables_match_the_text(rendered):
    text, pdf, _, _ = rendered
    assert differences([(d.number, d.text) for d in text.decisions], [(d.number, d.text) for d in pdf.decisions]) == []
    # Every amount of the economy sections is read from the PDF's tables and prose too.
    def amounts(report):
        return sorted(a.text for s in report.sections if s.kind == "economy" for a in s.amounts)

    assert differences(amounts(text), amounts(pdf)) == []


def test_table_rows_are_on_the_pages_they_were_printed(rendered):
    _, pdf, placed, _ = rendered
    pages: dict[str, set[int]] = {}
    for first_cell, page in placed:
        pages.setdefault(" ".join(first_cell.split()), set()).add(page)
    rows = [(a.text, a.page) for a in pdf.activities] + [(i.name, i.page) for i in pdf.indicators]
    if pdf.activities:  # some activity table breaks across a page, its header repeated there
        assert any(a.goal == b.goal and a.page < b.page for a, b in zip(pdf.activities, pdf.activities[1:]))
    assert [(name, page) for name, page in rows if page not in pages.get(name, ())] == []


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


def test_every_line_has_its_page_and_each_page_its_printed_label(rendered):
    _, pdf, _, path = rendered
    raw = read_file(path)
    assert all(1 <= line.page <= raw.pages for line in raw.lines)
    # The footers say "Sida N (M)": the label of page N is "N", and the footer is not text.
    assert raw.page_labels == [str(n) for n in range(1, raw.pages + 1)]
    assert pdf.document.page_labels == raw.page_labels


def test_a_text_report_has_no_pages():
    assert all(line.page is None for line in read_file(CORPUS / REPORTS["003"]).lines)


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
            assert p.page_label == str(p.page)
            checked += 1
    assert checked > 20


@pytest.fixture(scope="module")
def pdf_client(tmp_path_factory):
    """The app over an index of one rendered report (003) as a PDF."""
    from app import create_app
    from indexer import build_index

    folder = tmp_path_factory.mktemp("pdfs")
    render_report(clean(read_file(CORPUS / REPORTS["003"]).lines), folder / "ks-t1-2020.pdf", HEADER)
    index = tmp_path_factory.mktemp("index") / "index"
    build_index([folder], index, workers=1)
    app = create_app(index_dir=index)
    app.testing = True
    return app.test_client()


def test_a_hit_cites_its_printed_page_and_links_the_original_there(pdf_client):
    hit = pdf_client.get("/api/search?q=krigsorganisation").get_json()["hits"][0]
    assert hit["page"] >= 2 and hit["page_label"] == str(hit["page"]) and hit["ocr"] is False
    link = f'href="/dokument/ks-t1-2020/original#page={hit["page"]}">s. {hit["page_label"]}</a>'
    assert link in pdf_client.get("/sok?q=krigsorganisation").get_data(as_text=True)
    assert link in pdf_client.get("/dokument/ks-t1-2020").get_data(as_text=True)


def test_the_original_pdf_is_served_inline(pdf_client):
    with pdf_client.get("/dokument/ks-t1-2020/original") as r:
        assert r.status_code == 200 and r.mimetype == "application/pdf"
        assert r.headers["Content-Disposition"].startswith("inline") and r.data.startswith(b"%PDF")
