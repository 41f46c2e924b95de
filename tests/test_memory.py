"""A querying process keeps its memory small: simplemma's dictionary stays the compressed stream
it ships (the same lemmas as its decoded dict), the question reader keeps only the word list's
verbs, and the reports' fields come from the engine's columns, not from reading a stored passage
of each report."""

from __future__ import annotations

import subprocess
import sys

import pytest
import simplemma

from indexer import open_index, open_searcher
from indexer.ingest.passages import passages_of
from indexer.query.questions import _VERB_FLAGS, _verbs
from indexer.store.analysis import LEMMA_EXCEPTIONS, lemma, word_list


def test_the_compressed_dictionary_gives_the_decoded_ones_lemmas(reports):
    words = {w.lower() for report in reports.values() for p in passages_of(report, "r") for w in p.text.split()
             if w.isalpha()}
    assert len(words) > 3000
    assert [lemma(w) for w in sorted(words)] == [
        LEMMA_EXCEPTIONS.get(w) or simplemma.lemmatize(w, lang="sv").lower() for w in sorted(words)]


def test_a_search_never_decodes_the_whole_dictionary(corpus_index):
    script = f"""
import simplemma.strategies.dictionaries as d
from indexer import SearchParams, ask, open_index, open_searcher, search
with open_searcher(open_index({str(corpus_index)!r})) as s:
    search(s, SearchParams(q="förskolornas budgetar"))
    ask(s, "Vilka aktiviteter genomfördes inom äldreomsorgen?")
print(d.DEFAULT_DICTIONARY_FACTORY._get_dictionary.cache_info().currsize,
      d.LOW_MEMORY_DICTIONARY_FACTORY._get_dictionary.cache_info().currsize)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", "1"]


def test_the_question_reader_keeps_the_verbs_of_the_word_list():
    verbs = _verbs()
    assert {"genomföra", "minska", "öka"} <= verbs and "förskola" not in verbs
    assert verbs == {word for word, flags in word_list() if set(flags) & _VERB_FLAGS}


def test_each_reports_fields_are_those_of_its_first_passage(corpus_index):
    names = ("doc_id", "namnd", "year", "period", "report_type")
    with open_searcher(open_index(corpus_index)) as s:
        firsts = s.first_documents("doc_id", names)
        expected = [{n: getattr(s.document(doc_id=d), n) for n in names} for d in sorted(s.lexicon("doc_id"))]
    assert len(firsts) == 5 and all(f["year"] and f["period"] for f in firsts)
    assert firsts == expected


def test_each_reports_fields_are_read_in_chunks_of_reports(corpus_index, engine, monkeypatch):
    # tantivy stops an aggregation at 65,000 buckets: an archive of many reports is read a chunk at a time.
    if engine != "tantivy":
        pytest.skip("the chunks are tantivy's aggregations")
    names = ("doc_id", "namnd", "year", "period", "report_type")
    with open_searcher(open_index(corpus_index)) as s:
        whole = s.first_documents("doc_id", names)
        monkeypatch.setattr(type(s), "FIRST_CHUNK", 2)
        assert s.first_documents("doc_id", names) == whole and len(whole) == 5
