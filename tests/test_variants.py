"""Variants: indexed words sharing a query word's stem that its lemmas miss (eldriven → eldrivna,
införa → införandet, utöka → utökning) count as the word, at a lower weight; a short stem, a
doer (-are) or a noun ending on a whole word (förord → förordning) does not."""

from __future__ import annotations

import pytest

from indexer import DEFAULT_RANKING, SearchParams, search
from indexer.query.plan import plan, same_stem, stems


@pytest.mark.parametrize("asked, written", [
    ("eldriven", "eldrivna"),  # an adjective the lemmatizer knows in neither form
    ("lövblåsare", "lövblåsar"),
    ("samordnade", "samordnar"),  # simplemma reads samordnar as the noun samordnare
    ("införa", "införandet"),  # the noun made from the verb
    ("utöka", "utökning"),  # … even on a four-letter stem
    ("renovera", "renovering"),
    ("utvärdering", "utvärdera"),  # and back
    ("ansöka", "ansökan"),
    ("uppleva", "upplevelse"),
])
def test_words_sharing_a_stem_are_variants(asked, written):
    assert same_stem(stems(asked), stems(written))


@pytest.mark.parametrize("asked, written", [
    ("förord", "förordning"),  # a noun ending on a whole word makes another word
    ("arbete", "arbetare"),  # -are makes a doer
    ("bygga", "byggnader"),  # -nad makes a noun of its own
    ("kosta", "kost"),  # kost is food: four letters say too little
    ("plan", "planer"),
    ("budget", "budgetering"),
])
def test_other_words_are_not(asked, written):
    assert not same_stem(stems(asked), stems(written))


def test_the_plan_holds_the_indexed_variants(searcher):
    c = plan(searcher, "eldriven lövblåsare").concepts
    assert "eldrivna" in c[0].variants and "lövblåsar" in c[1].variants
    assert "förordning" not in plan(searcher, "förord").concepts[0].variants


@pytest.mark.parametrize("q, written", [
    ("eldriven lövblåsare", "eldrivna lövblåsar"),
    ("införa leveransen datakommunikation", "införandet av en ny leverans"),
    ("utöka anslaget 4,0 mnkr", "utökning av anslaget med 4,0"),
])
def test_a_query_finds_the_passage_written_in_another_form(searcher, q, written):
    hits = search(searcher, SearchParams(q=q, limit=20)).hits
    assert any(written in h.text.lower() for h in hits)


def test_the_variant_weight_switches_them_off(searcher):
    q = SearchParams(q="eldriven lövblåsare")
    assert search(searcher, q).total > 0
    assert search(searcher, q, DEFAULT_RANKING.without("variant")).total == 0
