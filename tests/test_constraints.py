"""What a question is about (period, years, nämnder, names, months) and whether a report agrees."""

from __future__ import annotations

import pytest

from indexer.query.constraints import (
    Coverage,
    report_words,
    disagreement,
    missing_names,
    month_names,
    other_months,
    read_constraints,
    reports,
    uncovered_note,
)
from indexer.query.plan import mentioned_metadata

T1_2020_KS = {"namnd": "Kommunstyrelsen", "year": 2020, "period": "Tertial 1 2020", "report_type": "Tertialrapport 1"}
T2_2015_KS = {"namnd": "Kommunstyrelsen", "year": 2015, "period": "Tertial 2 2015", "report_type": "Tertialrapport 2"}
PLAN_2021 = {"namnd": "Kommunstyrelsen", "year": 2021, "period": "2021",
             "report_type": "Avstämning av mål och budget"}
ANNUAL_2013 = {"namnd": "Skolverket", "year": 2013, "period": "2013", "report_type": "Årsredovisning"}


def about(searcher, question):
    return read_constraints(searcher, question, mentioned_metadata(searcher, question), reports(searcher))


def test_reports_are_read_from_the_index(searcher):
    found = {(d["namnd"], d["year"], d["period"]) for d in reports(searcher)}
    assert ("Södermalms stadsdelsnämnd", 2020, "Tertial 1 2020") in found
    assert ("Kommunstyrelsen", 2015, "Tertial 2 2015") in found and len(found) == 5


def test_what_a_report_covers():
    assert Coverage.of(T1_2020_KS) == Coverage("Kommunstyrelsen", 2020, 1, 4, "tertial 1 2020")
    assert Coverage.of(ANNUAL_2013).through == 12 and Coverage.of(ANNUAL_2013).label == "hela året 2013"
    assert Coverage.of(PLAN_2021).through is None  # a plan reports no months of outcome


@pytest.mark.parametrize("question, period, tertial, through", [
    ("Hur stor investeringsbudget redovisade kulturnämnden i tertialrapport 2 2020?", "tertial 2", 2, 8),
    ("Hur många hembesök genomfördes i årets första tertial 2020?", "tertial 1", 1, 4),
    ("Vad sägs i delårsrapporten 2006?", "delåret", 2, 8),
    ("Hur många lägenheter färdigställdes under hela året 2006?", "hela året", None, 12),
    ("Hur många badgäster kom till friluftsbaden sommaren 2021?", "sommaren", None, 8),
    ("Hur många hemtjänstinsatser gjordes i mars 2020?", "mars", None, 3),
    ("Hur många ärenden kom in under januari–april 2020?", "april", None, 4),
])
def test_periods_read_from_the_question(searcher, question, period, tertial, through):
    c = about(searcher, question)
    assert (c.period.label, c.period.tertial, c.period.through) == (period, tertial, through)


def test_a_whole_year_forecast_asks_for_no_annual_report(searcher):
    # A forecast for the whole year is given in a tertial report: "helåret" names no report.
    c = about(searcher, "Vilka intäkter räknar kommunstyrelsen med för helåret enligt tertialrapport 1 2020?")
    assert c.period.tertial == 1 and disagreement(c, T1_2020_KS) is None
    assert about(searcher, "Vilka kostnader prognostiseras för helåret 2020?").period is None


def test_years_the_question_is_about(searcher):
    assert about(searcher, "Hur många laddplatser planeras fram till 2025 i kommunstyrelsens avstämning 2021?").years == {
        2021}
    assert about(searcher, "Vad gällde 2019–2020?").years == {2019, 2020}
    assert about(searcher, "Vad betalas ut 2021–2023?").years == {2021}  # no report is later than 2021
    # After the latest report a year is a target, not the report's year.
    assert about(searcher, "strategi fossilfri fordonsflotta 2040").years == set()
    assert about(searcher, "historik barnavårdscentraler 1930–1960").years == {1930, 1960}  # history, not every year


def test_namnder_and_names(searcher):
    # A stadsdel no bundled report is about is a name a source must hold, not a nämnd to filter by.
    c = about(searcher, "Hur många hemtjänstinsatser gav Skarpnäcks stadsdelsnämnd i mars 2020?")
    assert c.names == ("Skarpnäcks",) and not c.namnder
    c = about(searcher, "Hur många barn gick i förskola i Södermalms stadsdelsförvaltning?")
    assert c.namnder == {"Södermalms stadsdelsnämnd"} and c.names == ()
    # "Stockholm" is everywhere in the reports: it tells no source from another.
    assert about(searcher, "Hur många elbilar finns i Stockholm?").names == ()


def test_a_report_agrees_or_says_what_differs(searcher):
    c = about(searcher, "Vilken investeringsbudget hade kommunstyrelsen under andra tertialet 2020?")
    assert disagreement(c, T1_2020_KS) == "period" and disagreement(c, T2_2015_KS) == "year"
    assert disagreement(about(searcher, "Hur mycket på Södermalm 2020?"), T1_2020_KS) == "namnd"
    assert disagreement(about(searcher, "Hur många badgäster sommaren 2021?"), PLAN_2021) == "period"
    assert disagreement(about(searcher, "Hur många badgäster 2021?"), PLAN_2021) is None


def test_the_note_says_what_the_reports_cover(searcher):
    docs = reports(searcher)
    c = about(searcher, "Hur mycket uppgår kommunstyrelsens investeringsbudget till i tertialrapport 2 2020?")
    assert uncovered_note(c, docs) == "Rapporterna redovisar för Kommunstyrelsen tertial 1 2020, inte tertial 2 2020."
    # The office reports in its nämnd's report: stadsledningskontoret is read as kommunstyrelsen.
    c = about(searcher, "Hur många controllers utbildade stadsledningskontoret under första tertialet 2015?")
    assert uncovered_note(c, docs) == "Rapporterna redovisar för Kommunstyrelsen tertial 2 2015, inte tertial 1 2015."
    assert uncovered_note(about(searcher, "Hur stor investeringsbudget har kommunstyrelsen 2020?"), docs) is None


def test_names_and_months_in_the_source(searcher):
    c = about(searcher, "Hur många träd har planterats i Hässelby-Vällingby?")
    assert missing_names(c, "cirka 40 träd i Enskede-Årsta-Vantör") == ["Hässelby-Vällingby"]
    assert missing_names(c, "träd i Hässelby-Vällingby") == []
    # A compound name counts as its parts: "Stockholms Stadshus AB … för koncernen".
    c = about(searcher, "Vilket resultat väntas Stadshuskoncernen redovisa 2021?")
    assert missing_names(c, "Stockholms Stadshus AB Resultatet uppgår till 900 mnkr för koncernen") == []
    assert month_names("Under januari till mars 2020") == {1, 2, 3}
    c = about(searcher, "Hur många hembesök gjordes på Södermalm under maj 2020?")
    assert other_months(c, "Under januari–april 2020 gjordes 120 hembesök.")
    assert not other_months(c, "Under perioden gjordes 98 hembesök.")


def test_report_words_are_what_the_report_check_covers(searcher):
    q = "Hur många barn gick i förskola i Södermalms stadsdelsförvaltning 2020?"
    assert report_words(q, about(searcher, q)) == {"stadsdelsförvaltning", "2020"}
    # An organ the question asks about is what it asks for, not which report.
    q = "Vilken förvaltning tog över upphandlingen från stadsledningskontoret 2015?"
    assert "förvaltning" not in report_words(q, about(searcher, q))


def test_a_year_after_every_report_is_one_the_source_must_name(searcher):
    # The latest report is 2021's: "2023" asked on its own is a year no report is about, so only a
    # source naming it can answer (not the figure for 2021); "till 2025" and a span reaching back
    # into the reports' years ("2021–2023") are not.
    assert about(searcher, "Hur mycket får idrottsnämnden till konstgräsplaner år 2023?").beyond == {2023}
    assert about(searcher, "Hur mycket får idrottsnämnden till konstgräsplaner år 2021?").beyond == set()
    assert about(searcher, "Vad betalas ut 2021–2023?").beyond == set()
    assert about(searcher, "Hur många laddplatser planeras fram till 2025 i kommunstyrelsens avstämning 2021?").beyond == \
        set()


def test_an_inflected_or_hyphenated_name_is_the_name_the_text_uses():
    from indexer.query.constraints import Constraints, missing_names

    c = Constraints(frozenset(), None, frozenset(), ("Bro-projektet", "Västerort", "Gnesta"), frozenset())
    assert missing_names(c, "Inom Bro-projekt har Västerorts skolor fått stöd.") == ["Gnesta"]


@pytest.mark.parametrize("word, name", [("eurovisionfinalen", "eurovision"), ("skolverket", None),
                                        ("försvarsmakten", None), ("kommunstyrelsen", None)])
def test_the_name_in_a_compound_of_a_name_and_a_noun(word, name):
    from indexer.query.constraints import proper_part

    assert proper_part(word) == name


def test_a_compound_of_a_name_and_a_noun_is_used_where_the_text_joins_the_name_to_another_noun():
    from indexer.query.constraints import Constraints, missing_names

    c = Constraints(frozenset(), None, frozenset(), ("Eurovisionfinalen", "Melodifestivalen"), frozenset())
    assert missing_names(c, "Kostnaderna för Eurovisionsveckan blev lägre.") == ["Melodifestivalen"]


def test_an_office_is_read_from_the_report_and_names_its_nämnd(tmp_path):
    from indexer import build_index, open_index, open_searcher
    from indexer.query.plan import mentioned_metadata

    corpus = tmp_path / "rapporter"
    corpus.mkdir()
    (corpus / "kultur.txt").write_text(
        "Kulturförvaltningens förslag till beslut\n\nTertialrapport 1 2020 för kulturnämnden\n\n"
        "Kulturnämnden beslutar följande\n\nKF:s inriktningsmål: Ett Stockholm som håller ihop\n\nBiblioteken har haft öppet hela våren.\n", encoding="utf-8")
    (corpus / "idrott.txt").write_text(
        "Tertialrapport 1 2020 för idrottsnämnden\n\nIdrottsnämnden beslutar följande\n\n"
        "KF:s inriktningsmål: Ett Stockholm som håller ihop\n\n"
        "Ärendet har beretts av idrottsförvaltningen.\n\nSimhallarna har haft öppet hela våren.\n", encoding="utf-8")
    build_index([corpus], tmp_path / "index", workers=1)
    with open_searcher(open_index(tmp_path / "index")) as s:
        assert mentioned_metadata(s, "Hade kulturförvaltningens bibliotek öppet?").namnder == {"Kulturnämnd"}
        assert mentioned_metadata(s, "Vad säger idrottsförvaltningen om simhallarna?").namnder == {"Idrottsnämnd"}
        assert mentioned_metadata(s, "Vad hände med simhallarna?").namnder == frozenset()
