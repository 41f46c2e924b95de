"""PDF tables read by position: the bundled reports laid out as the city's PDFs lay them out
(../shared/tools/render_pdf.py: cells wrapped inside their columns, no rules) parse to the
structure of their text; and small layouts of our own, each cell's lines placed by hand."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from conftest import CORPUS, REPORTS, ROOT
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from indexer.ingest.pipeline import parse_file
from indexer.ingest.read import read_file

RENDERER = ROOT.parent / "shared" / "tools" / "render_pdf.py"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# Their text marks table rows by leading spaces and words cut at a line end by a missing
# trailing space; the renderer draws neither, so their PDFs hold less than their text.
# The shared renderer reads its source with open() and never closes it.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

WHITESPACE_LAYOUT = {"000": "rows start indented", "004": "cut words have no trailing space"}


@pytest.fixture(scope="module")
def text_pdf():
    if not RENDERER.is_file() or not DEJAVU.is_file():
        pytest.skip("../shared/tools/render_pdf.py (or the DejaVu font) is not here")
    spec = importlib.util.spec_from_file_location("render_pdf", RENDERER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.text_pdf


COLUMNS = ("outcome", "outcome_men", "outcome_women", "previous", "forecast", "target", "kf_target", "period")


def structure(report) -> dict[str, list]:
    return {
        "goals": [(g.level, g.number, g.title, g.status, g.parent) for g in report.goals],
        "activities": [(a.text, a.start, a.end, a.deviation, a.comment, a.goal) for a in report.activities],
        "indicators": [(i.name, i.values, i.comment, i.goal, [getattr(i, c) for c in COLUMNS], i.numbers)
                       for i in report.indicators],
        "decisions": [(d.number, d.text) for d in report.decisions],
    }


@pytest.mark.parametrize("key", [pytest.param(key, marks=pytest.mark.xfail(strict=True, reason=WHITESPACE_LAYOUT[key]))
                                 if key in WHITESPACE_LAYOUT else key for key in sorted(REPORTS)])
def test_wrapped_pdf_parses_to_the_structure_of_its_text(key, text_pdf, reports, tmp_path):
    pdf = tmp_path / f"{key}.pdf"
    text_pdf(str(CORPUS / REPORTS[key]), str(pdf))
    text, from_pdf = structure(reports[key]), structure(parse_file(pdf))
    assert {k: len(v) for k, v in from_pdf.items()} == {k: len(v) for k, v in text.items()}
    for kind in text:
        assert [row for row in zip(text[kind], from_pdf[kind]) if row[0] != row[1]] == [], kind


def test_wrapped_indicator_rows_keep_every_cell(text_pdf, tmp_path):
    """Kommunstyrelsen's tertial report: its indicators are tab rows with empty cells, wrapped
    in nine narrow columns; each comes back with all its cells, the comment under it apart."""
    pdf = tmp_path / "ks.pdf"
    text_pdf(str(CORPUS / REPORTS["003"]), str(pdf))
    rows = [line.text for line in read_file(pdf).lines if line.text.count("\t") == 8]
    text_rows = [line for line in (CORPUS / REPORTS["003"]).read_text(encoding="utf-8").splitlines()
                 if line.count("\t") == 8]
    assert len(rows) == len(text_rows)
    assert [r.split("\t")[1:] for r in rows] == [[c.strip() for c in t.split("\t")[1:]] for t in text_rows]


# --- our own layouts ----------------------------------------------------------

FONT, SIZE, LEADING = "Helvetica", 8, 10


def draw_table(canvas: Canvas, lefts: list[float], top: float, rows: list[list[list[str]]],
               right_aligned: tuple[int, ...] = ()) -> float:
    """Rows of cells, each cell its lines as given (wrapped by the caller), top-aligned; a
    right-aligned column ends at the next column's left edge less a gap. Returns the y below."""
    canvas.setFont(FONT, SIZE)
    y = top
    for row in rows:
        for k, lines in enumerate(row):
            for n, text in enumerate(lines):
                if k in right_aligned:
                    canvas.drawRightString(lefts[k + 1] - 12, y - n * LEADING, text)
                else:
                    canvas.drawString(lefts[k], y - n * LEADING, text)
        y -= LEADING * max(1, max(len(lines) for lines in row))
    return y


def tab_lines(path: Path) -> list[str]:
    return [line.text for line in read_file(path).lines if line.text]


ACTIVITY_LEFTS = [50, 230, 310, 390, 470]


def test_wrapped_activity_cells_are_joined_into_their_rows(tmp_path):
    pdf = tmp_path / "activities.pdf"
    c = Canvas(str(pdf), pagesize=A4)
    c.setFont(FONT, 10)
    c.drawString(50, 760, "Nämndens aktiviteter under året")
    draw_table(c, ACTIVITY_LEFTS, 740, [
        [["Aktivitet"], ["Startdatum"], ["Slutdatum"], ["Avvikelse"]],
        [["Nämnden ska tillsammans med", "bostadsbolagen bygga fler", "studentbostäder i innerstaden"],
         ["2021-01-01"], ["2021-12-31"], []],
        [["Analys Arbetet har kommit", "igång enligt plan."], [], [], []],
        [["Ny lekplats"], ["2021-03-01"], ["2021-09-30"], ["Avvikelse"]],
        [["Kort"], ["2021-02-01"], ["2021-06-30"], []],
        [["Parkerna ska ses över av fastig-", "hetskontoret och trafikkontoret"], ["2021-04-01"], ["2021-10-31"], []],
    ])
    c.setFont(FONT, 10)
    c.drawString(50, 600, "Nämnden bedömer att målet uppfylls helt under året, med de aktiviteter som anges ovan.")
    c.save()
    assert tab_lines(pdf) == [
        "Nämndens aktiviteter under året",
        "Aktivitet\tStartdatum\tSlutdatum\tAvvikelse",
        "Nämnden ska tillsammans med bostadsbolagen bygga fler studentbostäder i innerstaden\t2021-01-01\t2021-12-31\t",
        "Analys Arbetet har kommit igång enligt plan.\t\t\t",
        "Ny lekplats\t2021-03-01\t2021-09-30\tAvvikelse",
        "Kort\t2021-02-01\t2021-06-30\t",
        "Parkerna ska ses över av fastighetskontoret och trafikkontoret\t2021-04-01\t2021-10-31\t",
        "Nämnden bedömer att målet uppfylls helt under året, med de aktiviteter som anges ovan.",
    ]


def test_a_one_cell_row_under_a_short_cell_is_a_row_of_its_own(tmp_path):
    """"Summa drift" would have fit on the line of "Netto": a wrapped cell would have put it
    there, so it starts a row (an economy table's group label)."""
    pdf = tmp_path / "economy.pdf"
    c = Canvas(str(pdf), pagesize=A4)
    lefts = [50, 250, 330, 410, 490]
    draw_table(c, lefts, 760, [
        [["Verksamhet"], ["Budget"], ["Utfall"], ["Prognos"]],
        [["Kostnader"], ["12,5"], ["4,1"], ["12,0"]],
        [["Netto"], ["10,0"], ["3,3"], ["9,8"]],
        [["Summa drift"], [], [], []],
        [["Kostnader för stadens gemensamma", "lokaler och service"], ["1 421,7"], ["451,1"], ["1 428,7"]],
    ], right_aligned=(1, 2, 3))
    c.save()
    assert tab_lines(pdf) == [
        "Verksamhet\tBudget\tUtfall\tPrognos",
        "Kostnader\t12,5\t4,1\t12,0",
        "Netto\t10,0\t3,3\t9,8",
        "Summa drift\t\t\t",
        "Kostnader för stadens gemensamma lokaler och service\t1 421,7\t451,1\t1 428,7",
    ]


def test_a_table_going_on_on_the_next_page_keeps_its_columns(tmp_path):
    pdf = tmp_path / "two-pages.pdf"
    c = Canvas(str(pdf), pagesize=A4)
    draw_table(c, ACTIVITY_LEFTS, 120, [
        [["Aktivitet"], ["Startdatum"], ["Slutdatum"], ["Avvikelse"]],
        [["Staden ska anlägga en ny park"], ["2021-01-01"], ["2021-12-31"], ["Avvikelse"]],
    ])
    c.setFont(FONT, 8)
    c.drawRightString(545, 30, "Sida 1 (2)")
    c.showPage()
    draw_table(c, ACTIVITY_LEFTS, 790, [[["Staden ska rusta upp", "två bibliotek"], ["2021-02-01"], ["2021-11-30"], []]])
    c.setFont(FONT, 8)
    c.drawRightString(545, 30, "Sida 2 (2)")
    c.save()
    raw = read_file(pdf)
    assert [(line.text, line.page) for line in raw.lines if "\t" in line.text][-1] == (
        "Staden ska rusta upp två bibliotek\t2021-02-01\t2021-11-30\t", 2)
    report = parse_file(pdf)
    assert [(a.text, a.start, a.end, a.deviation, a.page) for a in report.activities] == [
        ("Staden ska anlägga en ny park", "2021-01-01", "2021-12-31", True, 1),
        ("Staden ska rusta upp två bibliotek", "2021-02-01", "2021-11-30", False, 2)]


def test_a_header_over_two_columns_does_not_join_them(tmp_path):
    pdf = tmp_path / "spanning.pdf"
    c = Canvas(str(pdf), pagesize=A4)
    c.setFont(FONT, SIZE)
    c.drawString(200, 760, "Kapital den 31 december 2021")
    c.drawString(360, 760, "Kapital den 31 december 2020")
    draw_table(c, [50, 200, 280, 360, 440, 520], 748, [
        [[], ["Mnkr"], ["Procent"], ["Mnkr"], ["Procent"]],
        [["Aktiefonder"], ["179,0"], ["53"], ["105,2"], ["47"]],
        [["Räntefonder"], ["21,3"], ["6"], ["24,2"], ["9"]],
    ], right_aligned=(1, 2, 3, 4))
    c.save()
    lines = tab_lines(pdf)
    assert lines[-2:] == ["Aktiefonder\t179,0\t53\t105,2\t47", "Räntefonder\t21,3\t6\t24,2\t9"]


def test_two_column_prose_is_no_table(tmp_path):
    pdf = tmp_path / "prose.pdf"
    c = Canvas(str(pdf), pagesize=A4)
    c.setFont(FONT, 9)
    left = ["Under året har nämnden arbetat", "med att korta väntetiderna inom", "försörjningsstödet och har nått",
            "målet för andra året i rad."]
    right = ["Nämnden har också startat ett", "projekt för unga vuxna som står", "långt från arbetsmarknaden och",
             "följer upp det varje kvartal."]
    for n, (a, b) in enumerate(zip(left, right)):
        c.drawString(50, 760 - 12 * n, a)
        c.drawString(310, 760 - 12 * n, b)
    c.save()
    assert not [line for line in tab_lines(pdf) if "\t" in line]
    assert tab_lines(pdf)[:4] == left
