"""One test per repair rule, on small pieces shaped like the reports' damage."""

from __future__ import annotations

from collections import Counter

from indexer.ingest.clean import (
    ACTIVITY_HEADER,
    clean,
    drop_page_headers,
    drop_page_numbers,
    join_cell_fragments,
    join_hyphenation,
    merge_table_headers,
    split_run_together,
    strip_margins,
    vocabulary_of,
)
from indexer.patterns import normalize_text
from indexer.records import Line


def lines(*texts: str) -> list[Line]:
    return [Line(t, n) for n, t in enumerate(texts, start=1)]


def texts(result: list[Line]) -> list[str]:
    return [line.text for line in result if line.text]


def test_normalize_ligatures_minus_cid_and_soft_hyphen():
    assert normalize_text("ﬁnansiering ﬂyttas") == "finansiering flyttas"
    assert normalize_text("\u22127,0 mnkr") == "-7,0 mnkr"
    assert normalize_text("bud(cid:3)get") == "budget"
    assert normalize_text("ut\u00adveckling") == "utveckling"
    assert normalize_text("medelsre\u00ad") == "medelsre-"
    assert normalize_text("1\u00a0234,5") == "1 234,5"


def test_strip_margins_blanks_whitespace_lines_and_counts_indent():
    out = strip_margins(lines("   ", " Uppfylls helt", "●  Kommunstyrelsen ska", "Analys"))
    assert [line.text for line in out] == ["", "Uppfylls helt", "Kommunstyrelsen ska", "Analys"]
    assert [line.indent for line in out] == [0, 1, 3, 0]


def test_page_header_block_interrupting_a_sentence_is_removed():
    src = lines("varav majoriteten även tagit fram", "Tjänsteutlåtande", "Dnr KS 2020/41", "Sida 42 (71)",
                "nämndmål, indikatorer och aktiviteter")
    assert texts(drop_page_headers(src)) == ["varav majoriteten även tagit fram", "nämndmål, indikatorer och aktiviteter"]


def test_tjanste_utlatande_in_running_text_survives():
    src = lines("Tjänsteutlåtande", "Stadsledningskontorets förslag", "a", "b", "c", "d", "e", "f", "Sida 3 (9)")
    assert texts(drop_page_headers(src))[0] == "Tjänsteutlåtande"


def test_lone_page_number_inside_a_sentence_is_removed():
    src = lines("Kundfordringarna har minskat med 37,1 miljoner", "35", "kronor jämfört med")
    assert texts(drop_page_numbers(src)) == ["Kundfordringarna har minskat med 37,1 miljoner", "kronor jämfört med"]
    # A number followed by its unit, or ending a sentence, stays.
    assert texts(drop_page_numbers(lines("studentbostäder", "600", "st"))) == ["studentbostäder", "600", "st"]
    assert texts(drop_page_numbers(lines("Totalt.", "35", "Nästa"))) == ["Totalt.", "35", "Nästa"]


def test_exploded_activity_header_is_merged():
    src = lines("Aktivitet", "Startda", "", "tum", "Slutdat", "um", "Avvik", "else", "Kommunstyrelsen ska")
    out = merge_table_headers(src)
    assert texts(out) == [ACTIVITY_HEADER, "Kommunstyrelsen ska"]
    assert out[0].lineno == 1


def test_exploded_indicator_header_is_merged():
    src = lines("Indikator Periodens", "utfall", "Utfall", "män/", "pojkar", "Utfall", "kvinn", "or/", "flicko", "r",
                "Perio", "dens", "utfall", "VB", "2019", "Progno", "s helår Årsmål KF:s", "årsmål Period",
                "Andel barn som lever i")
    out = texts(merge_table_headers(src))
    assert out[0].startswith("Indikator\tPeriodens utfall\tUtfall män/pojkar") and out[1] == "Andel barn som lever i"


def test_text_starting_with_aktivitet_is_not_a_header():
    src = lines("Aktivitetsstöd till föreningar", "har ökat.")
    assert texts(merge_table_headers(src)) == ["Aktivitetsstöd till föreningar", "har ökat."]


def test_cell_cut_inside_a_word_is_joined():
    src = lines("Elanvändn", "ing per", "20", "15")
    ends = {1: False, 2: True, 3: False, 4: True}
    assert texts(join_cell_fragments(src, ends)) == ["Elanvändning", "per", "2015"]
    # A trailing space in the export means the line wrapped between words: nothing is joined.
    assert texts(join_cell_fragments(src, {n: True for n in ends})) == ["Elanvändn", "ing per", "20", "15"]


def test_end_of_line_hyphenation_is_joined():
    src = lines("Finansiering sker ur Central medelsre-", "", "serv: 2 Till kommunstyrelsen")
    out = join_hyphenation(src, Counter())
    assert texts(out) == ["Finansiering sker ur Central medelsreserv:", "2 Till kommunstyrelsen"]
    assert out[2].lineno == 3  # line numbers never move


def test_suspended_compounds_and_prefixes_keep_their_hyphen():
    vocab = Counter()
    assert texts(join_hyphenation(lines("miljö-", "och hälsoskyddsnämnden"), vocab)) == ["miljö-", "och hälsoskyddsnämnden"]
    assert texts(join_hyphenation(lines("Andel boende på vård-", "och omsorgsboende"), vocab))[0].endswith("vård-")
    assert texts(join_hyphenation(lines("det stadsgemensamma e-", "arkivet."), vocab)) == ["det stadsgemensamma e-arkivet."]
    assert texts(join_hyphenation(lines("bostads-", "/äganderätter"), vocab)) == ["bostads-", "/äganderätter"]


def test_hyphen_the_document_uses_elsewhere_is_kept():
    src = lines("att införa Vita jobb-", "modellen genom", "Vita jobb-modellen är")
    assert texts(join_hyphenation(src, vocabulary_of(src)))[0].endswith("Vita jobb-modellen")


def test_date_split_over_lines_is_joined():
    assert texts(join_hyphenation(lines("2015-", "", "01-01"), Counter())) == ["2015-01-01"]
    assert texts(join_hyphenation(lines("Revidera personalpolicyn. 2015-", "01-01"), Counter())) == [
        "Revidera personalpolicyn. 2015-01-01"]


def test_run_together_words_split_where_certain():
    vocab = Counter({"och": 50, "familjeomsorg": 3, "ochfamiljeomsorg": 1, "aktiviteter": 5, "som": 40,
                     "aktivitetersom": 1, "tillväxt": 9, "växt": 3})
    src = lines("Klimathandlingsplan 2020-2023För att nå", "Individ- ochfamiljeomsorg", "aktivitetersom ska",
                "stark tillväxt")
    assert texts(split_run_together(src, vocab)) == ["Klimathandlingsplan 2020-2023 För att nå",
                                                     "Individ- och familjeomsorg", "aktiviteter som ska",
                                                     "stark tillväxt"]


def test_clean_keeps_numbering_and_length():
    src = lines(" PM 2015:155", "   ", "Startda", "tum", "text med bind-", "streck")
    out = clean(src)
    assert [line.lineno for line in out] == [1, 2, 3, 4, 5, 6]
    # "Startda" has no trailing space: a cell cut inside a word, joined like the hyphenated word.
    assert texts(out) == ["PM 2015:155", "Startdatum", "text med bindstreck"]
