"""The ranking's signals on their own: the named weights, the soft preference for the years and
nämnder a query names, and query-word coverage."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

from indexer import DEFAULT_RANKING, Analysis, Ranking, SearchParams, search
from indexer.query.answers import SIGNATURE
from indexer.query.plan import Mentioned, concept, mentioned_metadata, presumed_words
from indexer.query.search import answer_fit, coverage, held, read
from indexer.store.analysis import TextAnalysis, analyzer_for
from indexer.store.engine import StoredPassage

ANALYZER = TextAnalysis(analyzer_for(Analysis()))
WORDS = ANALYZER.word_tokens()


def stored(text: str = "", **fields) -> StoredPassage:
    return StoredPassage(id="p", doc_id="d", text=text, **fields)


def passage(text: str, heading: str = ""):
    """A passage read as the re-ranking reads it."""
    return read(stored(text, heading=heading), WORDS)


def test_without_switches_off_only_the_named_weights():
    ranking = Ranking(year=0.5, namnd=2.0, coverage=3.0)
    off = ranking.without("year", "coverage")
    assert (off.year, off.coverage) == (0.0, 0.0)
    assert {n: getattr(off, n) for n in Ranking.names() if n not in ("year", "coverage")} == {
        n: getattr(ranking, n) for n in Ranking.names() if n not in ("year", "coverage")}
    assert (ranking.year, ranking.coverage) == (0.5, 3.0)  # a new ranking; this one is unchanged
    with pytest.raises(TypeError):
        ranking.without("no_such_weight")
    with pytest.raises(FrozenInstanceError):
        ranking.year = 1.0


def test_boost_prefers_the_years_and_namnder_the_query_names():
    mentioned = Mentioned(frozenset({2020}), frozenset({"Kommunstyrelsen"}))

    def boost(year, namnd, year_weight=0.5, namnd_weight=1.0):
        return mentioned.boost(stored(year=year, namnd=namnd), year_weight, namnd_weight)

    assert boost(2015, "Södermalms stadsdelsnämnd") == 1.0
    assert boost(2020, "Södermalms stadsdelsnämnd") == 1.5
    assert boost(2015, "Kommunstyrelsen") == 2.0
    assert boost(2020, "Kommunstyrelsen") == 3.0
    assert boost(2020, "Kommunstyrelsen", 0.0, 0.0) == 1.0  # the preferences switched off
    assert Mentioned(frozenset(), frozenset()).boost(stored(year=2020, namnd="Kommunstyrelsen"), 0.5, 1.0) == 1.0
    assert mentioned.boost(stored(), 0.5, 1.0) == 1.0  # a passage without year or nämnd


def test_the_years_and_namnder_a_query_names_are_found_in_the_index(searcher):
    mentioned = mentioned_metadata(searcher, "förskolor på Södermalm 2020")
    assert mentioned.years == {2020} and mentioned.namnder == {"Södermalms stadsdelsnämnd"}
    assert mentioned_metadata(searcher, "förskolor i Kista").namnder == frozenset()  # no such nämnd indexed


def test_the_ranking_passed_in_is_the_one_used(searcher):
    params = SearchParams(q="förskolor Södermalm", limit=3)
    assert search(searcher, params).hits[0].doc["namnd"] == "Södermalms stadsdelsnämnd"
    without = search(searcher, params, DEFAULT_RANKING.without("namnd")).hits
    assert without[0].doc["namnd"] != "Södermalms stadsdelsnämnd"


def cover(words: list[str], text: str, weights: list[float] | None = None) -> float:
    concepts = [concept(w, ANALYZER) for w in words]
    return coverage(concepts, weights or [1.0] * len(concepts), passage(text))


@pytest.mark.parametrize("text, expected", [
    ("Budgeten för trygghetsmedlen är i balans.", 1.0),  # both words, in one sentence, inflected
    ("Trygghetsmedlen ökade. Budgeten är i balans.", 0.875),  # both, but never in one sentence
    ("Trygghetsmedlen ökade kraftigt.", 0.75),  # half of the query
    ("Tryggheten ökade och medlen räckte.", 0.75),  # the compound's parts together hold it
    ("Förskolorna har fått nya lokaler.", 0.5),  # none of it
])
def test_coverage_counts_query_words_in_the_passage_and_its_best_sentence(text, expected):
    assert cover(["trygghetsmedel", "budget"], text) == pytest.approx(expected)


def test_one_part_of_a_compound_counts_for_less_than_the_word():
    assert 0.5 < cover(["trygghetsmedel"], "Medlen räckte.") < cover(["trygghetsmedel"], "Trygghetsmedlen räckte.")


def test_coverage_weighs_the_rare_word_more():
    rare_first = [3.0, 1.0]
    assert cover(["trygghetsmedel", "budget"], "Trygghetsmedlen ökade.", rare_first) == pytest.approx(0.875)
    assert cover(["trygghetsmedel", "budget"], "Budgeten ökade.", rare_first) == pytest.approx(0.625)


def test_a_query_without_words_or_weight_is_fully_covered():
    assert cover([], "Förskolorna har fått nya lokaler.") == 1.0
    assert cover(["budget"], "Förskolorna har fått nya lokaler.", [0.0]) == 1.0


def test_coverage_counts_what_the_hit_shows_around_its_text():
    # A piece of a statement under the goal "Äldre har en trygg tillvaro" is about the elderly.
    bare = cover(["äldreomsorgen", "indikatorer"], "Nio av tio indikatorer nås.")
    concepts = [concept(w, ANALYZER) for w in ("äldreomsorgen", "indikatorer")]
    shown = coverage(concepts, [1.0, 1.0], passage("Nio av tio indikatorer nås.", "1.5 Äldre har en trygg tillvaro"))
    assert shown > bare
    # … but only the text's own sentences count as its best sentence.
    assert shown < cover(["äldreomsorgen", "indikatorer"], "Nio av tio indikatorer inom äldreomsorgen nås.")


def fit(words: list[str], text: str, kind: str | None = "amount") -> float:
    concepts = [concept(w, ANALYZER) for w in words]
    return answer_fit(concepts, [1.0] * len(concepts), passage(text), kind)


@pytest.mark.parametrize("text, expected", [
    ("Förskolans budget minskar med 28,7 mnkr eftersom barnen blir färre.", 1.0),  # the amount with the words
    ("Förskolans budget minskar. Totalt uppgår posten till 28,7 mnkr.", 0.5),  # an amount apart from them
    ("Förskolans budget minskar eftersom barnen blir färre.", 0.0),  # no amount
])
def test_an_answer_counts_most_where_it_stands_with_the_query_words(text, expected):
    assert fit(["förskola", "budget"], text) == pytest.approx(expected)


def test_a_query_without_an_answer_type_gets_no_answer_fit():
    assert fit(["budget"], "Budgeten är 28,7 mnkr.", None) == 0.0


def test_a_cause_given_with_i_och_med_att_is_a_reason():
    text = "I och med att försöksperioden minskat till sju månader påverkas utvärderingen."
    assert fit(["försöksperioden"], text, "reason") == pytest.approx(1.0)


def test_who_signed_a_text_is_answered_by_the_signature_under_it_not_any_name_in_it():
    signed = "Kontoret går in i det nya året med en stabil ekonomi.\n\nEva Lindqvist"
    named = "Under perioden har Stadsledningskontoret och SLK drivit Citybanan vidare."
    assert fit(["förord"], signed, "signature") == pytest.approx(0.5)
    assert fit(["förord"], named, "signature") == 0.0 < fit(["förord"], named, "name")


@pytest.mark.xfail(strict=True, reason="a preface is found only by the words its heading shares with the question; "
                                       "'förordet' (definite) is missing from every passage")
def test_the_text_a_signature_closes_goes_first_for_who_wrote_it(searcher):
    # The 2006 report opens with a preface signed by its author; the piece closing with the
    # signature answers who wrote it.
    result = search(searcher, SearchParams(q="Vem skrev förordet till delårsrapporten 2006?"))
    first = result.ranked()[0]
    assert first.doc["year"] == 2006 and SIGNATURE.fullmatch(first.text.rstrip().splitlines()[-1].strip())


@pytest.mark.parametrize("q, expected", [
    ("Nås målet om städning, trots att upphandlingen av städtjänster har försenats?", {"upphandlingen", "av",
                                                                                       "städtjänster", "har",
                                                                                       "försenats"}),
    ("Hur mycket ökar kostnaden eftersom det blir fler elever?", {"det", "blir", "fler", "elever"}),
    ("Nåddes målet trots pandemin?", {"pandemin"}),
    ("Sedan när gäller avtalet?", set()),  # "när" asks here: no content word before it
    ("När startade projektet?", set()),
])
def test_the_words_of_a_subordinate_clause_are_presumed(q, expected):
    assert presumed_words(q) == expected


SUBORDINATE_XFAIL = pytest.mark.xfail(
    strict=True, reason="prose about another subject (Nordic Safe Cities) outranks the goal row; the goal comes second")


@SUBORDINATE_XFAIL
def test_a_goal_is_not_outranked_by_prose_repeating_the_questions_subordinate_clause(searcher):
    # The Analys under the goal says activities were paused; the goal's own row states its status.
    # The clause's words weigh less (Ranking.clause).
    q = ("Uppfylls kommunstyrelsens nämndmål om stadens trygghets- och säkerhetsarbete 2020, trots att många "
         "aktiviteter har pausats?")
    first = search(searcher, SearchParams(q=q)).ranked()[0]
    assert first.section["kind"] == "goal" and "1.2.1 Stadens trygghets- och säkerhetsarbete" in first.text
    unweighted = search(searcher, SearchParams(q=q), DEFAULT_RANKING.without("clause")).ranked()[0]
    assert unweighted.section["kind"] != "goal"


@SUBORDINATE_XFAIL
def test_only_a_goals_own_row_states_the_status_a_goal_question_asks_for(searcher):
    # The Analys under the goal says activities "skjutits upp": not the goal's status.
    q = "Når kommunstyrelsen nämndmålet om trygghets- och säkerhetsarbetet 2020 när många aktiviteter har skjutits upp?"
    first = search(searcher, SearchParams(q=q)).ranked()[0]
    assert first.section["kind"] == "goal" and "Uppfylls helt" in first.text


def test_held_is_the_rarity_weighted_share_of_the_query_a_passage_shows():
    concepts = [concept(w, ANALYZER) for w in ("indikatorer", "äldreomsorgen", "prognostiserar")]
    weights = [2.0, 1.0, 1.0]
    assert held(concepts, weights, passage("Nio av tio indikatorer inom äldreomsorgen prognostiseras nås.")) == 1.0
    # Lacking the rarest word costs more than lacking a common one.
    lacks_rare = held(concepts, weights, passage("Äldreomsorgen prognostiserar ett överskott."))
    lacks_common = held(concepts, weights, passage("Nio av tio indikatorer prognostiseras att nås."))
    assert lacks_rare == 0.5 and lacks_common == 0.75


def test_a_nearest_passage_lacking_fewer_words_goes_first(searcher):
    # No passage holds every word ("socialtjänsten" is in none of Södermalm's goal analyses): a
    # statement counting KF-indikatorer, lacking only that word, goes first. (Keywords: a
    # question's verb "nås" would not be required.)
    result = search(searcher, SearchParams(q="KF-indikatorer inom socialtjänsten Södermalm nås 2020"))
    assert not result.hits
    first = result.ranked()[0]
    assert "KF-indikatorer" in first.text and first.missing == ["socialtjänsten"]


@pytest.mark.parametrize("q", [
    "Bedömer kommunstyrelsen att målet om en trygg, säker och välskött stad nås under 2020?",
    "Bedöms kommunstyrelsens mål om en trygg, säker och välskött stad uppnås 2020?",
])
def test_a_yes_no_question_about_a_goals_assessment_finds_the_goals_own_row(searcher, q):
    # The assessment verb ("bedömer … nås") asks for the goal's status, which its row states in
    # its own words; prose saying "bedöms" and "målet" is no better for holding them.
    first = search(searcher, SearchParams(q=q)).ranked()[0]
    assert first.section["kind"] == "goal" and "trygg, säker och välskött stad" in first.text
    assert first.doc["year"] == 2020 and "Uppfylls helt" in first.text
