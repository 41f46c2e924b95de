"""The match set: every hit holds every query word in some form, counts are what can be paged
through, absent words find nothing, words typed without å/ä/ö are read with them."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer import QueryError, SearchParams, search
from indexer.evaluate import holds_every_word, load_probes
from indexer.ingest.passages import near_duplicate_groups
from indexer.patterns import word_key
from indexer.records import GoalRef, Passage

PROBES = load_probes(Path(__file__).parent / "data" / "probe_words.txt")


def every_hit(searcher, q: str, **kw) -> tuple[int, list]:
    """(total, every hit of every page)."""
    hits, offset, total = [], 0, None
    while total is None or offset < total:
        result = search(searcher, SearchParams(q=q, limit=100, offset=offset, **kw))
        total = result.total
        hits.extend(result.hits)
        offset += 100
    return total, hits


def test_there_are_twenty_probe_words():
    assert len(PROBES) == 20 and len(set(PROBES)) == 20


@pytest.mark.parametrize("word", PROBES)
def test_a_word_in_no_report_finds_nothing(searcher, word):
    result = search(searcher, SearchParams(q=word))
    assert result.total == 0 and result.hits == [] and result.nearest == []


@pytest.mark.parametrize("q", ["kvantdatorer blockkedja", "Eurovision"])
def test_compound_parts_of_an_absent_word_find_nothing(searcher, q):
    # "datorer" and "vision" stand in the reports; the words asked for do not.
    result = search(searcher, SearchParams(q=q))
    assert result.total == 0 and result.nearest == []


def test_a_compound_part_alone_is_no_match(searcher):
    total, hits = every_hit(searcher, "trygghetsmedel")
    assert 0 < total < 20  # "medel" alone stands in hundreds of passages
    for hit in hits:
        text = hit.text.lower()
        assert "trygghetsmedl" in text or "trygghetsmedel" in text or ("trygghet" in text and "medel" in text)


@pytest.mark.parametrize("q, kw", [("budget", {}), ("förskola", {}), ("trygghet", {"sort": "date"}),
                                   ("medel", {"year": 2020}), ("avsatte medel", {})])
def test_every_hit_holds_every_word_and_the_counts_are_true(searcher, q, kw):
    total, hits = every_hit(searcher, q, **kw)
    assert total == len(hits) == len({h.id for h in hits}) > 0
    assert all(holds_every_word(searcher, q, h) for h in hits)
    facets = search(searcher, SearchParams(q=q, **kw)).facets
    for name in ("namnd", "year", "kind"):
        assert sum(n for _, n in facets[name]) == total, name
    by_year = dict(facets["year"])
    for year, n in by_year.items():
        assert n == sum(str(h.doc["year"]) == year for h in hits)


def test_date_order_holds_only_matches(searcher):
    hits = search(searcher, SearchParams(q="trygghetsmedel", sort="date", limit=10)).hits
    assert hits and all(holds_every_word(searcher, "trygghetsmedel", h) for h in hits)
    years = [h.doc["year"] for h in hits]
    assert years == sorted(years, reverse=True)


def test_when_no_passage_holds_every_word_the_nearest_say_what_they_lack(searcher):
    result = search(searcher, SearchParams(q="trygghetsmedel kvantdatorer"))
    assert result.total == 0 and result.hits == []
    assert result.nearest and all(h.missing == ["kvantdatorer"] for h in result.nearest)


@pytest.mark.parametrize("typed, meant", [("sodermalm", "södermalm"), ("forskola", "förskola")])
def test_words_typed_without_accents_are_read_with_them(searcher, typed, meant):
    result = search(searcher, SearchParams(q=typed))
    assert result.total > 0 and result.folded == meant
    assert search(searcher, SearchParams(q=meant)).folded is None


def test_suggestions_only_for_words_known_in_no_form(searcher):
    assert search(searcher, SearchParams(q="avsatte")).suggestion is None  # an inflection of avsatta
    result = search(searcher, SearchParams(q="trygghetsmedl"))
    assert result.total == 0 and result.suggestion == "trygghetsmedel"


@pytest.mark.parametrize("q", ["s*", "**", "a*"])
def test_too_broad_patterns_are_refused(searcher, q):
    with pytest.raises(QueryError):
        search(searcher, SearchParams(q=q))


def test_a_range_is_no_range(searcher):
    # Ranges are not offered: "[a TO z]" is three words, not a scan of the vocabulary.
    assert search(searcher, SearchParams(q="[a TO z]")).total == 0


def test_deep_offsets_are_refused(searcher):
    with pytest.raises(QueryError, match="offset"):
        search(searcher, SearchParams(q="budget", offset=100_000))


def _passage(n: int, text: str, goal: str = "1.1") -> Passage:
    return Passage(id=f"r-{n}", doc_id="r", source="r.txt", title=None, namnd=None, organisation=None, year=2020,
                   report_type=None, period=None, kind="analysis", heading=None, text=text,
                   goal_path=[GoalRef("verksamhetsmal", goal, "Ett mål", "helt")])


def test_near_identical_passages_share_a_group_but_other_figures_or_goals_do_not():
    base = "Stadsledningskontoret föreslår att kommunstyrelsen beslutar att tilldela nämnderna 20 mnkr för arbetet"
    passages = [_passage(0, base), _passage(1, base + "."), _passage(2, base.replace("20", "30")),
                _passage(3, base, goal="1.2")]
    assert near_duplicate_groups(passages, [word_key(p.text) for p in passages]) == [0, 0, 2, 3]


def test_only_the_reachable_head_is_scored_and_the_rest_is_counted(searcher, monkeypatch):
    from indexer.query import search as search_module

    assert search_module.SCORED_DEPTH >= search_module.MAX_OFFSET + search_module.MAX_EXPORT
    full_total, full = every_hit(searcher, "budget")
    monkeypatch.setattr(search_module, "SCORED_DEPTH", 7)
    head = search(searcher, SearchParams(q="budget", limit=7))
    assert head.total == full_total > 7 and [h.id for h in head.hits] == [h.id for h in full[:7]]
    assert dict(head.facets["year"]) == dict(search(searcher, SearchParams(q="budget")).facets["year"])


def test_date_order_holds_to_the_last_page(searcher):
    dated = every_hit(searcher, "budget", sort="date")[1]
    years = [h.doc["year"] for h in dated]
    assert years == sorted(years, reverse=True)


def test_an_export_is_one_pass_of_every_hit_up_to_its_limit(searcher):
    total, hits = every_hit(searcher, "budget")
    exported = search(searcher, SearchParams(q="budget", limit=1000, export=True)).hits
    assert [h.id for h in exported] == [h.id for h in hits] and len(exported) == total
    assert "<mark>" not in exported[0].snippet  # nothing to highlight in a spreadsheet
    with pytest.raises(QueryError, match="limit"):
        search(searcher, SearchParams(q="budget", limit=1000))  # a page is at most 100


def test_a_questions_predicate_words_rank_but_do_not_select(searcher):
    from indexer.query.questions import predicate_words

    question = "Hur snabbt växer naturreservaten?"
    asked = search(searcher, SearchParams(q=question, limit=50))
    assert asked.total > 0
    assert all(set(h.missing) <= predicate_words(question) for h in asked.hits)
    assert any("snabbt" in h.missing for h in asked.hits)
    # The same words as keywords keep the strict match set: every word required.
    total, hits = every_hit(searcher, "snabbt växer naturreservaten")
    assert total == len(hits) and all(not h.missing for h in hits)
    assert total < asked.total


@pytest.mark.parametrize("question, predicates", [
    ("Hur hög var kostnaden för parkerna 2020?", {"hög"}),
    ("Hur mycket har nämnden anslagit till parkerna?", {"anslagit"}),
    ("Varför blev kostnaderna lägre än budgeten?", {"lägre"}),
    ("Hur många platser erbjöds stadens anställda?", {"erbjöds"}),  # after a genitive: a noun
    ("Vilka skolor fick fler elever under första tertialet?", set()),
])
def test_predicate_words_are_verbs_degree_words_and_comparatives(question, predicates):
    from indexer.query.questions import predicate_words

    assert predicate_words(question) >= predicates
    assert not predicate_words(question) & {"kostnaden", "parkerna", "nämnden", "kostnaderna", "platser",
                                            "anställda", "skolor", "elever", "tertialet"}


def test_a_multi_word_preposition_names_no_topic():
    from indexer.query.plan import strip_filler

    kept = strip_filler("Minskade kostnaderna tack vare avtalet eller på grund av flytten?").casefold().split()
    assert {"tack", "vare", "grund"}.isdisjoint(kept) and {"kostnaderna", "avtalet", "flytten"} <= set(kept)


@pytest.mark.parametrize("question, verb", [("Ökade sjukfrånvaron under våren?", "ökade"),
                                            ("Riskerar nämnden att gå över budget?", "riskerar")])
def test_a_question_opening_with_its_verb_has_it_and_its_light_verbs_as_predicates(question, verb):
    from indexer.query.questions import predicate_words

    assert verb in predicate_words(question)
    assert "gå" in predicate_words("Riskerar nämnden att gå över budget?")
    assert not predicate_words("Förskolans budget?") and "skolor" not in predicate_words("Vilka skolor fick fler?")
