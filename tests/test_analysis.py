"""The Swedish analyzer, filter by filter and as a whole."""

from __future__ import annotations

import pytest
from whoosh.analysis import LowercaseFilter

from indexer.store.analysis import (
    CompoundFilter,
    LemmaFilter,
    NumberFilter,
    StopWords,
    SwedishTokenizer,
    compound_base,
    split_compound,
    swedish_analyzer,
    tokens,
)


def run(chain, text):
    return [t.text for t in chain(text)]


def test_tokenizer_keeps_numbers_and_dates_whole():
    chain = SwedishTokenizer() | LowercaseFilter() | NumberFilter()
    assert run(chain, "26,1 mnkr, 1 234,5 och 1 899,0; 2020-04-30 12 % år 2015-2016") == [
        "26,1", "mnkr", "1234,5", "och", "1899,0", "2020-04-30", "12", "år", "2015", "2016"]
    assert run(chain, "Södermalms förskolor, café och näringsliv") == ["södermalms", "förskolor", "café", "och",
                                                                       "näringsliv"]


def test_a_number_matches_however_its_thousands_were_written():
    assert tokens("5 878,8 mnkr")[0] == tokens("5878,8")[0] == "5878,8"


def test_stop_list_keeps_negation_and_status():
    chain = SwedishTokenizer() | LowercaseFilter() | StopWords()
    assert run(chain, "målet uppfylls inte och ej helt utan delvis, ingen av dem") == [
        "målet", "uppfylls", "inte", "ej", "helt", "utan", "delvis", "ingen"]


@pytest.mark.parametrize("forms", [
    ["förskola", "förskolan", "förskolor", "förskolorna"],
    ["analys", "analysen"],
    ["prognos", "prognosen"],
    ["genomföra", "genomfördes", "genomfört"],
    ["nämnd", "nämnden", "nämnderna"],
])
def test_lemmas_join_the_forms_users_mix(forms):
    shared = set.intersection(*(set(tokens(f)) for f in forms))
    assert shared, forms


def test_nämnd_is_not_the_verb_nämna():
    assert "nämna" not in tokens("nämnden")


def test_lemma_filter_keeps_the_word_as_written():
    chain = SwedishTokenizer() | LowercaseFilter() | LemmaFilter()
    assert run(chain, "förskolan") == ["förskolan", "förskola"]


@pytest.mark.parametrize("word, parts", [
    ("trygghetsmedel", ("trygghet", "medel")),
    ("bostadsbyggandet", ("bostad", "byggande")),
    ("stadsdelsnämnd", ("stadsdel", "nämnd")),
    ("kostnadsökning", ("kostnad", "ökning")),
    ("arbetsmarknadsnämnden", ("arbetsmarknad", "nämnd")),
    ("trygghetsmedlen", ("trygghet", "medel")),
    ("matavfallsobligatoriet", ("matavfall", "obligatorium")),
])
def test_compounds_split_with_linking_s(word, parts):
    assert split_compound(word) == parts


@pytest.mark.parametrize("word", ["förskolan", "ungdomar", "genomförandet", "undersökning", "uppföljning", "budget"])
def test_words_that_are_not_compounds_stay_whole(word):
    assert split_compound(word) == ()


def test_compound_filter_adds_parts_beside_the_whole_word():
    chain = SwedishTokenizer() | LowercaseFilter() | CompoundFilter()
    assert run(chain, "trygghetsmedlen") == ["trygghetsmedlen", "trygghetsmedel", "trygghet", "medel"]
    assert compound_base("stadsmiljöverksamheten") == "stadsmiljöverksamhet"


def test_compound_parts_sit_at_the_whole_words_position():
    positions = {t.text: t.pos for t in swedish_analyzer()("nya trygghetsmedel", positions=True)}
    assert positions["trygghet"] == positions["medel"] == positions["trygghetsmedel"]


def test_a_part_finds_the_compound():
    assert "bostad" in tokens("bostadsbyggandet") and "bostad" in tokens("bostad")
    assert set(tokens("trygghetsmedel")) & set(tokens("Trygghetsmedlen"))


def test_analyzer_switches():
    assert "trygghet" not in tokens("trygghetsmedel", swedish_analyzer(compounds=False))
    assert tokens("förskolan", swedish_analyzer(stemming="none")) == ["förskolan"]
    assert tokens("förskolor", swedish_analyzer(stemming="snowball")) == ["förskol"]


def test_word_tokens_are_the_analyzers_own(reports, monkeypatch):
    # Re-ranking reads passages through a memo of each word's tokens: it must not change them.
    from indexer.ingest.passages import passages_of
    from indexer.store.analysis import WordTokens
    from indexer.store.schema import make_schema

    analyzer = make_schema()["text"].analyzer
    words = WordTokens(analyzer)
    texts = [t for key, report in reports.items() for p in passages_of(report, key) for t in (p.text, p.heading or "")]
    assert [words(t) for t in texts] == [{x.text for x in analyzer(t)} for t in texts]
    monkeypatch.setattr(WordTokens, "MOST", 10)  # a full memo starts again, and still agrees
    small = WordTokens(analyzer)
    assert [small(t) for t in texts[:50]] == [{x.text for x in analyzer(t)} for t in texts[:50]]
    assert len(small._words) <= 10
