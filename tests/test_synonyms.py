"""The synonyms (swedish.SYNONYMS): every entry is read, each word finds the others, and on the reports
a query in one wording finds passages in the other — at a lower weight than the word itself."""

from __future__ import annotations

import pytest

from indexer import SearchParams, search
from indexer.query.plan import concept
from indexer.query.synonyms import groups, synonyms_of
from indexer.store.analysis import TextAnalysis, swedish_analyzer

ANALYZER = TextAnalysis(swedish_analyzer())
ENTRIES = [(word, group) for group in groups() for word in sorted(group)]


def test_the_list_is_read():
    assert len(groups()) >= 20 and all(len(g) >= 2 for g in groups())


@pytest.mark.parametrize("word, group", ENTRIES, ids=[w for w, _ in ENTRIES])
def test_each_word_finds_the_others_in_their_forms(word, group):
    c = concept(word, ANALYZER)
    assert synonyms_of(c.forms) >= group - {word}
    for other in group - {word}:
        # The other word's own forms (its lemma) are searched, so inflections meet too.
        assert concept(other, ANALYZER).forms <= c.synonyms | c.forms


def test_a_part_of_a_compound_synonym_alone_is_no_synonym():
    # bostadsproduktion is a synonym of bostadsbyggande; "produktion" alone is not.
    c = concept("bostadsbyggande", ANALYZER)
    assert "bostadsproduktion" in c.synonyms and not {"produktion", "bostad"} & c.synonyms


@pytest.mark.parametrize("asked, written", [("inkomster", "intäkt"), ("graffiti", "klotter"),
                                            ("medarbetare", "anställd")])
def test_a_query_in_one_wording_finds_the_other(searcher, asked, written):
    hits = search(searcher, SearchParams(q=asked, limit=100)).hits
    assert any(written in h.text.lower() and asked[:5] not in h.text.lower() for h in hits)


def test_the_word_itself_ranks_above_its_synonym(searcher):
    hits = search(searcher, SearchParams(q="inkomster", limit=5)).hits
    assert "inkomst" in hits[0].text.lower()


def test_kommunfullmaktige_finds_the_reports_kf(searcher):
    # The reports write "KF:s mål för verksamhetsområdet"; a reader writes the word out.
    hits = search(searcher, SearchParams(q="kommunfullmäktiges mål tillgänglig stad", limit=10)).hits
    written_kf = [h for h in hits if "kf:s mål" in h.text.lower() and "fullmäktige" not in h.text.lower()]
    assert written_kf and "tillgänglig stad" in written_kf[0].text.lower()


def test_no_word_stands_in_two_groups():
    words = [w for g in groups() for w in g]
    assert len(words) == len(set(words))
