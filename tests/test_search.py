"""Search over the bundled corpus: ranking, Swedish queries, filters, facets, highlights,
suggestions, more like this, and clear errors for bad parameters."""

from __future__ import annotations

import pytest
from conftest import CORPUS, REPORTS, small_report

from indexer import Analysis, build_index, open_index, open_searcher
from indexer.query.plan import Mentioned, strip_filler, strip_report_words
from indexer.query.search import QueryError, SearchParams, more_like_this, search


def first(searcher, q, **kw):
    """The first passage the results page shows: a hit, or for a question whose words no passage
    holds all of, the nearest passage."""
    result = search(searcher, SearchParams(q=q, **kw))
    assert result.ranked(), q
    return result.ranked()[0]


def test_compound_query_finds_the_amount(searcher):
    hits = search(searcher, SearchParams(q="trygghetsmedel 2020", limit=3)).hits
    assert hits[0].doc["id"] == "ks-tertialrapport-1-2020"
    amount = next(h for h in hits if 26.1 in h.amounts)
    assert amount.doc["id"] == "ks-tertialrapport-1-2020"
    assert "bevilja trygghetsmedel till 30 ansökningar för ett belopp om 26,1 mnkr" in amount.text


def test_hits_carry_their_context(searcher):
    hit = first(searcher, "krigsorganisation krigsplacering")
    assert hit.section["kind"] == "activity" and hit.deviation is True
    assert hit.doc == {"id": "ks-tertialrapport-1-2020", "title": "Tertialrapport 1 2020 för kommunstyrelsen",
                       "namnd": "Kommunstyrelsen", "year": 2020, "report_type": "Tertialrapport 1",
                       "period": "Tertial 1 2020", "source": str(CORPUS / REPORTS["003"])}
    levels = [g["level"] for g in hit.section["goal_path"]]
    assert levels == ["inriktningsmal", "verksamhetsmal"]
    assert hit.section["goal_path"][1]["number"] == "1.2" and hit.section["goal_path"][1]["status"] == "helt"
    assert hit.lines[0] == 160


def test_a_swedish_question_finds_its_passage(searcher):
    hit = first(searcher, "Vad hände med medborgarundersökningen under coronapandemin?")
    assert "medborgarundersökningen som till följd av coronapandemin ställs in" in hit.text


def test_goal_status_question(searcher):
    hit = first(searcher, "Uppfylls målet om tidiga sociala insatser för jämlika livschanser enligt kommunstyrelsen 2015?")
    assert hit.section["kind"] == "goal" and "jämlika livschanser" in hit.text and "Uppfylls helt" in hit.text


def test_inflection_and_compound_parts(searcher):
    hit = first(searcher, "bostad Kista")  # bostadsbyggandet, bostäder …
    assert "bostad" in hit.text.lower()
    assert first(searcher, "förskolor Södermalm").doc["namnd"] == "Södermalms stadsdelsnämnd"


def test_numbers_with_decimal_comma_and_thousands(searcher):
    assert "5 878,8 mnkr" in first(searcher, "5 878,8").text
    assert "26,1 mnkr" in first(searcher, "26,1 mnkr").text


def test_filters(searcher):
    def all_hits(**kw):
        return search(searcher, SearchParams(q="trygghet", limit=100, **kw)).hits

    assert {h.doc["namnd"] for h in all_hits(namnd="Södermalms stadsdelsnämnd")} == {"Södermalms stadsdelsnämnd"}
    assert {h.doc["year"] for h in all_hits(year=2015)} == {2015}
    assert {h.doc["year"] for h in all_hits(year_from=2016, year_to=2020)} == {2020}
    assert {h.section["kind"] for h in all_hits(kind="activity")} == {"activity"}
    delvis = all_hits(status="delvis")
    assert delvis and all(any(g["status"] == "delvis" for g in h.section["goal_path"]) for h in delvis)
    deviations = search(searcher, SearchParams(q="coronapandemin", deviation=True, limit=100)).hits
    assert deviations and all(h.deviation is True for h in deviations)


def test_facets_count_the_filtered_results(searcher):
    result = search(searcher, SearchParams(q="trygghet", limit=5))
    years = dict(result.facets["year"])
    assert set(years) >= {"2015", "2020", "2021"}
    assert sum(years.values()) == result.total
    kinds = dict(result.facets["kind"])
    filtered = search(searcher, SearchParams(q="trygghet", kind="activity"))
    assert filtered.total == kinds["activity"]
    assert set(result.facets) == {"namnd", "year", "period", "report_type", "kind", "status", "deviation"}
    assert sum(dict(result.facets["period"]).values()) == result.total  # one period per report


def test_sort_by_date(searcher):
    hits = search(searcher, SearchParams(q="Agresso", sort="date", limit=20)).hits
    years = [h.doc["year"] for h in hits]
    assert years == sorted(years, reverse=True) and len(set(years)) >= 3


def test_snippets_are_escaped_and_marked(searcher):
    hit = first(searcher, "ackumulerat överskott it-prislistan")
    assert "<mark>" in hit.snippet
    result = search(searcher, SearchParams(q='<script>alert(1)</script> budget'))
    for h in result.hits:
        assert "<script>" not in h.snippet


def test_swedish_operators_phrases_and_prefixes(searcher):
    def total(q):
        return search(searcher, SearchParams(q=q)).total

    both, either = total("klotter OCH Trafiknämnden"), total("klotter ELLER Trafiknämnden")
    assert 0 < both < min(total("klotter"), total("Trafiknämnden")) <= either
    without = search(searcher, SearchParams(q="klotter INTE Trafiknämnden", limit=50)).hits
    assert all("trafiknämnden" not in h.text.lower() for h in without)
    phrase = search(searcher, SearchParams(q='"tak över huvudet"', limit=50)).hits
    assert phrase and all("tak över huvudet" in h.text.lower() for h in phrase)
    assert first(searcher, "klimatinvest*")


@pytest.mark.parametrize("a, b", [("investeringar", "underskott"), ("budget", "skola"), ("klotter", "trygghetsmedel")])
def test_operators_in_english_and_swedish_combine_what_each_word_finds(searcher, a, b):
    def total(q):
        return search(searcher, SearchParams(q=q)).total

    alone, other, both = total(a), total(b), total(f"{a} OCH {b}")
    assert total(f"{a} ELLER {b}") == total(f"{a} OR {b}") == alone + other - both  # at least as many as each
    assert total(f"{a} AND {b}") == total(f"{a} {b}") == both
    assert total(f"{a} INTE {b}") == total(f"{a} NOT {b}") == total(f"{a} OCH INTE {b}") == alone - both
    either = search(searcher, SearchParams(q=f"({a} OR {b})", limit=50))
    assert either.total and all(not h.missing for h in either.hits)  # no "Saknar: OR"


@pytest.mark.parametrize("q", ["OCH", "AND", "INTE budget", "NOT budget", "budget ELLER", "(OCH budget)", "budget OR OR skola"])
def test_an_operator_without_a_word_on_each_side_is_refused_not_searched_as_a_word(searcher, q):
    with pytest.raises(QueryError, match="behöver ett sökord på var sida"):
        search(searcher, SearchParams(q=q))


def test_a_lowercase_operator_is_a_word_and_the_capital_one_is_offered(searcher):
    lower = search(searcher, SearchParams(q="investeringar eller underskott"))
    assert lower.total == search(searcher, SearchParams(q="investeringar underskott")).total  # "eller" is a word
    assert lower.operator_hint == "investeringar ELLER underskott"
    assert search(searcher, SearchParams(q="budget or skola")).operator_hint == "budget ELLER skola"
    assert search(searcher, SearchParams(q="budget ELLER skola")).operator_hint is None
    assert search(searcher, SearchParams(q="Blev investeringarna större eller mindre än planerat?")).operator_hint is None


def test_question_filler_is_not_required():
    assert strip_filler("Hur mycket beviljades i trygghetsmedel?") == "beviljades i trygghetsmedel"
    assert strip_filler('Vad är "hur mycket" värt') == '"hur mycket" värt'


@pytest.mark.parametrize("q, left", [
    ("Hur mycket väntas kostnaden öka eftersom det blir fler elever?", "kostnaden öka det blir fler elever"),
    ("Hur mycket minskade tillgångarna jämfört med året innan?", "minskade tillgångarna med året"),
    ("Hur mycket pengar har idrottsnämnden fått för konstgräsplaner?", "idrottsnämnden för konstgräsplaner"),
    ("Vilket ansvar tar kulturnämnden över?", "ansvar kulturnämnden över"),
    ("pengar till konstgräsplaner", "pengar till konstgräsplaner"),  # money named outside a question is a word
    ("Hur stor andel av deltagarna tyckte att evenemanget var bra?", "av deltagarna tyckte att evenemanget bra"),
    ("Vilket slutdatum hade aktiviteten för ungdomsrådet?", "aktiviteten för ungdomsrådet"),
    ("Hur många IVPL:er gjordes per år?", "IVPL gjordes"),  # its verb ranks, not required (predicate_words)
    ("Varifrån får projektet sin finansiering?", "projektet sin finansiering"),
    ("Är upphandlingen av städtjänster klar per augusti 2006?", "upphandlingen av städtjänster 2006"),
    ("Når kommunstyrelsen målet om bostadsbyggande?", "kommunstyrelsen målet bostadsbyggande"),
    ("upphandling klar", "upphandling klar"),  # a status word outside a status question is a word
])
def test_function_words_and_light_verbs_are_not_required(q, left):
    assert strip_filler(q) == left


def test_month_ranges_seasons_and_tertials_in_words_name_a_period():
    nothing = Mentioned(frozenset(), frozenset())
    assert strip_report_words("sjukfrånvaro januari–april 2020", nothing) == "sjukfrånvaro 2020"
    assert strip_report_words("sjukfrånvaro januari - augusti", nothing) == "sjukfrånvaro"
    assert strip_report_words("sjukfrånvaro januari", nothing) == "sjukfrånvaro januari"
    assert strip_report_words("besökare under årets andra tertial 2015", nothing) == "besökare under 2015"
    assert strip_report_words("hembesök inom 24 timmar våren 2020", nothing) == "hembesök inom 24 timmar 2020"
    assert strip_report_words("våren och hösten", nothing) == "våren och hösten"  # a season without a year


def test_words_that_name_the_report_leave_the_text_query():
    ks = Mentioned(frozenset({2015}), frozenset({"Kommunstyrelsen"}), frozenset({"kommunstyrelsen"}))
    assert strip_report_words("klotter enligt kommunstyrelsens tertialrapport 2015", ks) == "klotter enligt 2015"
    assert strip_report_words("Tertialrapporten, delårsrapport och verksamhetsberättelse: budget", ks) == "och budget"
    quoted = '"kommunstyrelsens tertialrapport" klotter'
    assert strip_report_words(quoted, ks) == quoted  # a phrase means what it says
    nothing = Mentioned(frozenset(), frozenset())
    assert strip_report_words("kommunstyrelsens rapportering", nothing) == "kommunstyrelsens rapportering"
    assert strip_report_words("tertialrapport", nothing) == ""


def test_spelling_suggestion(searcher):
    result = search(searcher, SearchParams(q="förskolr Södermalm"))
    assert result.suggestion == "förskolor Södermalm"
    assert search(searcher, SearchParams(q="förskolor Södermalm")).suggestion is None


def test_near_identical_passages_collapse(searcher):
    # Södermalm's summary repeats the goal text's sentence about 448 households word for word.
    hits = search(searcher, SearchParams(q="448 hushåll ekonomiskt bistånd mars", limit=10)).hits
    assert sum("448 hushåll" in h.text for h in hits) == 1


def test_more_like_this(searcher):
    hit = first(searcher, "handlingsplan klotter")
    similar = more_like_this(searcher, hit.id)
    assert similar and hit.id not in {h.id for h in similar}
    assert any("klotter" in h.text.lower() for h in similar)
    with pytest.raises(KeyError):
        more_like_this(searcher, "finns-inte-1")


@pytest.mark.parametrize("params, message", [
    (SearchParams(q=""), "q saknas"),
    (SearchParams(q="x" * 501), "q är 501 tecken lång; högst 500 går"),
    (SearchParams(q="budget", limit=0), "limit måste vara mellan 1 och 100"),
    (SearchParams(q="budget", limit=101), "limit måste vara mellan 1 och 100"),
    (SearchParams(q="budget", offset=-1), "offset måste vara mellan 0 och 1000"),
    (SearchParams(q="budget", kind="fel"), "kind måste vara en av goal, summary"),
    (SearchParams(q="budget", status="kanske"), "status måste vara en av helt, delvis, inte, inte 'kanske'"),
    (SearchParams(q="budget", sort="slump"), "sort måste vara en av relevance, date, date_asc, inte 'slump'"),
    (SearchParams(q="budget", year=20), "year måste vara ett årtal mellan 1900 och 2100, inte 20"),
    (SearchParams(q="och eller"), "q innehåller inga sökbara ord"),
])
def test_bad_parameters_say_what_is_wrong_in_swedish(searcher, params, message):
    with pytest.raises(QueryError) as raised:
        search(searcher, params)
    assert str(raised.value).startswith(message)
    assert raised.value.param == message.split()[0]  # named by the parameter, not parsed back from the text


def test_offset_pages_through_results(searcher):
    page1 = search(searcher, SearchParams(q="budget", limit=5)).hits
    page2 = search(searcher, SearchParams(q="budget", limit=5, offset=5)).hits
    assert len(page2) == 5 and not {h.id for h in page1} & {h.id for h in page2}


def test_document_text_is_escaped_in_snippets(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "rapport.txt").write_text(
        "Tertialrapport 1 2020 för kommunstyrelsen\n\nBudgetjusteringar\n\n"
        "Nämnden begär <script>alert(1)</script> & \"medel\" om 4,0 mnkr för budget.\n", encoding="utf-8")
    build_index([folder], tmp_path / "ix", workers=1)
    with open_searcher(open_index(tmp_path / "ix")) as s:
        hit = search(s, SearchParams(q="budget medel")).hits[0]
    assert "<script>" in hit.text
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet and "&amp;" in hit.snippet
    assert "<mark>" in hit.snippet


def test_a_phrase_finds_its_passages_when_the_index_keeps_words_unstemmed(tmp_path):
    # [analysis] stemming = false: the phrase is analysed by the index's own chain, so
    # "huvudet" is looked for as written, not as the lemma "huvud" the index never holds.
    folder = tmp_path / "rapporter"
    small_report(folder / "a.txt", "Staden ska ge fler personer tak över huvudet under året.")
    small_report(folder / "b.txt", "Alla ska ha tak över huvudet i vinter.")
    small_report(folder / "c.txt", "Taket över entrén byggs om och huvudet skyddas.")
    build_index([folder], tmp_path / "ix", analysis=Analysis(stemming=False), workers=1)
    with open_searcher(open_index(tmp_path / "ix")) as s:
        hits = search(s, SearchParams(q='"tak över huvudet"')).hits
        assert sorted(h.doc["id"] for h in hits) == ["a", "b"]
        assert search(s, SearchParams(q="taket OCH huvudet")).hits[0].doc["id"] == "c"


@pytest.mark.parametrize("q", ["ungdomsråd budget", "Vilken budget hade ungdomsrådet?"])
def test_the_page_is_filled_with_the_nearest_passages_after_the_hits(searcher, q):
    result = search(searcher, SearchParams(q=q, limit=25))
    assert result.total < 25 and len(result.ranked()) == 25  # not the hits and ten more: what was asked for
    assert result.nearest and all(h.missing for h in result.nearest)
