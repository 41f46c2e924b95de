"""Document structure the passages keep: the headings above a sub-heading, the column header of a
table's rows, and lines that only look like headings (a wrapped sentence, a table row)."""

from __future__ import annotations

import pytest

from indexer.ingest.passages import passages_of, searched_heading
from indexer.ingest.pipeline import parse_file

FILLER = [f"Nämnden redovisar arbetet med uppdrag nummer {n} enligt plan för året." for n in range(30)]


def passages(tmp_path, lines: list[str]):
    path = tmp_path / "rapport.txt"
    path.write_text("\n\n".join([*FILLER, *lines, *FILLER]) + "\n", encoding="utf-8")
    return passages_of(parse_file(path), "r")


def holding(found, text: str):
    return next(p for p in found if text in p.text)


EARTH_HOUR = [
    "Deltagande i Earth Hour",
    "Earth Hour är en global klimatmanifestation. Kommunstyrelsen föreslås besluta om deltagande även 2021.",
    "Stadens medverkan i 2021 års upplaga av klimatmanifestationen",
    "Earth Hour visar stadens miljöengagemang och att staden tar klimatförändringarna på allvar.",
    "Rutiner från tidigare år används. Preliminärt släcks ljuset i följande byggnader: Stadshuset.",
]


def test_a_sub_heading_carries_the_heading_above_it(tmp_path):
    # The sub-heading's text takes up the rare words of the heading above ("Earth Hour"): every
    # passage under it says what it is about, also the one that never names it.
    found = passages(tmp_path, EARTH_HOUR)
    assert holding(found, "Preliminärt släcks").heading == (
        "Deltagande i Earth Hour › Stadens medverkan i 2021 års upplaga av klimatmanifestationen")
    assert holding(found, "global klimatmanifestation").heading == "Deltagande i Earth Hour"


def test_the_headings_above_count_as_what_a_passage_is_about_not_as_its_heading(tmp_path):
    # Searched as a heading, the parent's words would rank each sub-section's piece as high as the
    # parent's own text; they hint at what it is about, as the goals above a passage do.
    piece = holding(passages(tmp_path, EARTH_HOUR), "Preliminärt släcks")
    assert searched_heading(piece) == "Stadens medverkan i 2021 års upplaga av klimatmanifestationen"
    assert "Deltagande i Earth Hour" in piece.about.splitlines()


def test_a_heading_above_whose_words_the_text_says_adds_nothing_to_what_it_is_about(tmp_path):
    found = passages(tmp_path, [
        "Klagomål, beröm och idéer",
        "Under januari till mars har det kommit in sammanlagt 273 klagomål, beröm och idéer.",
        "Stadsmiljö",
        "Under perioden har det kommit in 237 klagomål, frågor, beröm och idéer via synpunktsportalen.",
        "Förskola och parklek",
        "Under perioden har det kommit in sju klagomål om förskolorna.",
    ])
    said = holding(found, "237 klagomål")
    assert said.heading == "Klagomål, beröm och idéer › Stadsmiljö"
    assert "Klagomål, beröm och idéer" not in said.about.splitlines()  # its words would count twice
    assert "Klagomål, beröm och idéer" in holding(found, "sju klagomål").about.splitlines()


def test_a_sibling_heading_gets_no_parent(tmp_path):
    found = passages(tmp_path, [
        "Kyrkogårdsnämnden",
        "Kyrkogårdsnämndens investeringsbudget uppgår netto till 132 mnkr.",
        "Trafiknämnden",
        "Trafiknämndens investeringsbudget uppgår till netto 1 011,0 mnkr.",
    ])
    assert holding(found, "1 011,0").heading == "Trafiknämnden"


def test_a_wrapped_sentence_is_no_heading(tmp_path):
    # "… har nämnden tilldelats" / "940,0 mnkr. …": the sentence goes on, the section stays the nämnd's.
    found = passages(tmp_path, [
        "Trafiknämnden",
        "Trafiknämndens investeringsbudget uppgår till netto 1 011,0 mnkr.",
        "För att genomföra sitt långsiktiga uppdrag har nämnden tilldelats",
        "940,0 mnkr. Inom denna ska investeringar i cykelinfrastruktur inrymmas.",
        "Nämnden planerar att genomföra cykelinvesteringar för cirka 265 mnkr.",
    ])
    assert holding(found, "cykelinvesteringar").heading == "Trafiknämnden"
    assert holding(found, "tilldelats 940,0 mnkr").heading == "Trafiknämnden"


@pytest.mark.parametrize("row", ["Netto efter resultatdispositioner 0,0", "Familjedaghem 3 3 2 -1"])
def test_a_table_row_is_no_heading(tmp_path, row):
    found = passages(tmp_path, [
        "Förskoleverksamhet",
        "Verksamheten prognostiserar ett resultat i balans.",
        row,
        "Den största delen av budgeten inom verksamhetsområdet är prestationsrelaterad.",
    ])
    assert holding(found, "prestationsrelaterad").heading == "Förskoleverksamhet"


TABBED = [
    "Uppföljning av driftbudget",
    "Kommunstyrelsen prognostiserar ett nettounderskott om -7,0 mnkr.",
    "Stadsledningskontoret\tJusterad\tBokfört\tPrognos\tAvvikelse",
    "mnkr\tbudget 2020\t200430\tHelår 2020\tBudget/ prognos",
    "SLK",
    "Kostnader\t714,3\t226,0\t714,3\t0,0",
    "Netto\t573,5\t181,4\t610,5\t-37,0",
    "Politisk organisation",
    "Kostnader\t182,4\t39,5\t132,4\t50,0",
    "Netto\t182,4\t39,6\t132,4\t50,0",
    "Stadsledningskontoret\tJusterad\tBokfört\tPrognos\tAvvikelse",
    "mnkr\tbudget 2020\t200430\tHelår 2020\tBudget/ prognos",
    "Bidrag",
    "Kostnader\t643,3\t247,4\t643,3\t0,0",
    "Netto\t643,3\t247,1\t643,3\t0,0",
]


def test_table_rows_carry_their_column_header(tmp_path):
    # The rows of each group ("Politisk organisation") are a passage of their own: they carry the
    # column names, one header cell over the other where tabs keep the columns.
    found = passages(tmp_path, TABBED)
    header = "Stadsledningskontoret mnkr | Justerad budget 2020 | Bokfört 200430 | Prognos Helår 2020 | Avvikelse Budget/ prognos"
    politisk = holding(found, "182,4")
    assert politisk.heading == "Politisk organisation"
    assert politisk.text.startswith(header + "\n\n")
    assert holding(found, "643,3").text.startswith(header)
    # The header repeated at a page break is not glued to the rows above it.
    assert politisk.text.count("Justerad") == 1
    # Prose is not put under a table's header.
    assert "Justerad" not in holding(found, "nettounderskott").text


def test_a_header_broken_over_lines_is_read_whole(tmp_path):
    found = passages(tmp_path, [
        "Antal inskrivna barn (exklusive KÖV)",
        "Mnkr, netto Södermalms budget",
        "2020",
        "Inskrivning mars",
        "2020 Prognos snitt 2020 Avvikelse",
        "1-3 år 1 302 1 161 1 300 -2",
        "Totalt antal barn 2 828 2 955 2 814 -14",
    ])
    rows = holding(found, "Totalt antal barn")
    assert rows.text.startswith("Mnkr, netto Södermalms budget / 2020 / Inskrivning mars / 2020 Prognos snitt")
    assert rows.heading == "Antal inskrivna barn (exklusive KÖV)"
