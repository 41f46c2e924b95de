"""The engine contract (store/engine/base.py), run against every engine: a few passages written
here are indexed through `EngineIndex` and searched through `Engine` with the product's query
type. Matching, filters, facets, stored passages and the vocabulary must agree between engines;
scores may differ (Whoosh scores BM25F, tantivy BM25 per field), so only orders a BM25 of
either kind must give are checked."""

from __future__ import annotations

import ast
from dataclasses import fields as dataclass_fields
from pathlib import Path

import pytest

from indexer.config import ENGINES, Analysis
from indexer.records import GoalRef, Passage
from indexer.store.engine import Engine, Filter, StoredPassage
from indexer.store.engine.registry import index_class
from indexer.store.engine.query import (
    NOTHING,
    And,
    AndMaybe,
    AndNot,
    Every,
    Not,
    Or,
    Phrase,
    Prefix,
    Range,
    Term,
    Wildcard,
)
from indexer.store.schema import passage_fields

GOAL = GoalRef("namndmal", "1.1", "Alla barn har en trygg förskola", "helt")

OFFICES = {"a": "Stadsledningskontoret", "b": "Södermalms stadsdelsförvaltning"}  # c names none


def _passage(n: int, doc: str, year: int, namnd: str, kind: str, text: str, heading: str | None = None,
             goal: GoalRef | None = None, deviation: bool | None = None) -> Passage:
    return Passage(id=f"{doc}-{n}", doc_id=doc, source=f"{doc}.txt", title=f"Rapport {doc}", namnd=namnd,
                   organisation=namnd, office=OFFICES.get(doc), year=year, report_type="Tertialrapport", period=f"Tertial 1 {year}",
                   kind=kind, heading=heading, text=text, goal_path=[goal] if goal else [], deviation=deviation,
                   order=n, lines=(n, n + 1), amounts=[12.5] if "mnkr" in text else [], group=f"{doc}-{n}")


PASSAGES = [
    _passage(1, "a", 2020, "Kommunstyrelsen", "analysis",
             "Nämnden har beviljat trygghetsmedel till föreningar i Farsta under våren.", "Trygghet"),
    _passage(2, "a", 2020, "Kommunstyrelsen", "goal", "Alla barn har en trygg förskola nära hemmet.", goal=GOAL),
    _passage(3, "b", 2021, "Södermalms stadsdelsnämnd", "activity",
             "Upphandlingen av nya förskolor har försenats och blir klar under hösten.", deviation=True),
    _passage(4, "b", 2021, "Södermalms stadsdelsnämnd", "economy",
             "Budgeten för förskolor uppgår till 12,5 mnkr och prognosen visar ett överskott.", "Förskolor"),
    _passage(5, "c", 2019, "Kommunstyrelsen", "analysis",
             "Staden ska ge fler personer tak över huvudet och färre ska sova ute."),
    _passage(6, "c", 2019, "Kommunstyrelsen", "description",
             "Huvudet av projektet har lagt ett nytt tak på fritidsgården i Farsta."),
]


@pytest.fixture(scope="module", params=ENGINES)
def contract_engine(request, tmp_path_factory):
    if request.param == "tantivy":
        pytest.importorskip("tantivy", reason="the tantivy engine is not installed (pip install -e '.[tantivy]')")
    folder = tmp_path_factory.mktemp(f"contract-{request.param}")
    ix = index_class(request.param).create(folder, Analysis())
    writer = ix.writer()
    for p in PASSAGES:
        writer.add_document(**passage_fields(p, p.source, "0" * 64))
    writer.commit()
    ix.seal()
    return ix.searcher()


def ids(s: Engine, q, flt: Filter | None = None) -> set[str]:
    return {s.stored_fields(d).id for _, d in s.match(q, flt, None).top}


def words(s: Engine, text: str, field: str = "text") -> Or:
    """Every token of the text in one field, any of them (as the plan's words are analysed)."""
    return Or(tuple(Term(field, t) for t in s.analysis(field)(text)))


def test_the_engine_declares_the_protocol(contract_engine):
    assert isinstance(contract_engine, Engine)
    assert contract_engine.doc_count() == len(PASSAGES)


def test_terms_match_the_analysed_forms(contract_engine):
    s = contract_engine
    assert ids(s, Term("text", "trygghetsmedel")) == {"a-1"}
    assert ids(s, Term("text", "medel")) == {"a-1"}  # a compound's part is indexed beside it
    assert ids(s, Term("text", "förskola")) == {"a-2", "b-3", "b-4"}  # the lemma of every form
    assert ids(s, Term("heading_text", "förskola")) == {"b-4"}
    assert ids(s, Term("text", "saknas")) == set()
    assert s.doc_frequency("text", "förskola") == 3 and s.doc_frequency("text", "saknas") == 0


def test_phrases_keep_word_order_and_adjacency(contract_engine):
    s = contract_engine
    phrase = tuple(s.analysis().phrases()("tak över huvudet"))
    assert ids(s, Phrase("text", phrase)) == {"c-5"}
    assert ids(s, Phrase("text", tuple(reversed(phrase)))) == set()
    assert ids(s, And((Term("text", "tak"), Term("text", "huvud")))) == {"c-5", "c-6"}


def test_boolean_nodes(contract_engine):
    s = contract_engine
    farsta, forskola = Term("text", "farsta"), Term("text", "förskola")
    assert ids(s, Or((farsta, forskola))) == {"a-1", "c-6", "a-2", "b-3", "b-4"}
    assert ids(s, And((forskola, Term("text", "budget")))) == {"b-4"}
    assert ids(s, AndNot(forskola, Term("kind", "goal"))) == {"b-3", "b-4"}
    assert ids(s, Not(forskola)) == {"a-1", "c-5", "c-6"}
    assert ids(s, AndMaybe(farsta, forskola)) == {"a-1", "c-6"}  # the optional part only scores
    assert ids(s, Every()) == {p.id for p in PASSAGES}
    assert ids(s, NOTHING) == set() and ids(s, Or(())) == set()
    assert ids(s, Or((NOTHING, farsta))) == {"a-1", "c-6"}


def test_prefixes_wildcards_and_ranges(contract_engine):
    s = contract_engine
    assert ids(s, Prefix("text", "upphandl")) == {"b-3"}
    assert ids(s, Wildcard("text", "f?rsta")) == {"a-1", "c-6"}
    expanded = list(s.expand_prefix("text", "trygg"))
    assert expanded == sorted(w for w in s.lexicon("text") if w.startswith("trygg"))
    assert {"trygg", "trygghet", "trygghetsmedel"} <= set(expanded)
    assert ids(s, Range("year", 2020, 2021)) == {"a-1", "a-2", "b-3", "b-4"}
    assert ids(s, Range("year", None, 2019)) == {"c-5", "c-6"}


def test_filters_limit_the_match_set_and_count_it(contract_engine):
    s = contract_engine
    forskola = Term("text", "förskola")
    assert ids(s, forskola, Filter((("namnd", "Södermalms stadsdelsnämnd"),))) == {"b-3", "b-4"}
    assert ids(s, forskola, Filter((), (2020, 2020))) == {"a-2"}
    assert ids(s, forskola, Filter((("status", "helt"),))) == {"a-2"}
    assert ids(s, forskola, Filter((("deviation", "ja"),), (2021, None))) == {"b-3"}
    assert ids(s, forskola, Filter((("doc_id", "saknas"),))) == set()
    matched = s.match(forskola, None, 2)
    assert len(matched.top) == 2 and matched.count == 3
    assert [d for _, d in s.best(forskola, None, 2)] == [d for _, d in matched.top]


def test_dates_order_the_matches(contract_engine):
    s = contract_engine
    every = Every()
    newest = [s.stored_fields(d).year for _, d in s.match(every, None, None, "newest").top]
    oldest = [s.stored_fields(d).year for _, d in s.match(every, None, None, "oldest").top]
    assert newest == sorted(newest, reverse=True) and oldest == sorted(oldest) and len(oldest) == len(PASSAGES)


def test_facets_count_the_match_set(contract_engine):
    s = contract_engine
    q = Or((Term("text", "förskola"), Term("text", "farsta")))
    counts = s.facet_counts(q, None, ("kind", "year", "namnd"))
    assert counts["kind"] == {"goal": 1, "activity": 1, "economy": 1, "analysis": 1, "description": 1}
    assert counts["year"] == {2020: 2, 2021: 2, 2019: 1}
    assert counts["namnd"] == {"Kommunstyrelsen": 3, "Södermalms stadsdelsnämnd": 2}
    assert s.facet_counts(q, Filter((), (2021, 2021)), ("kind",))["kind"] == {"activity": 1, "economy": 1}


def test_stored_passages_come_back_whole_and_typed(contract_engine):
    s = contract_engine
    for p in PASSAGES:
        stored = s.document(id=p.id)
        assert isinstance(stored, StoredPassage)
        written = passage_fields(p, p.source, "0" * 64)
        for f in dataclass_fields(StoredPassage):
            assert getattr(stored, f.name) == written.get(f.name, getattr(StoredPassage, f.name, None)) or (
                f.name == "lines" and stored.lines == list(p.lines)), f.name
        assert s.stored_fields(s.document_number(id=p.id)) == stored
    assert stored.to_dict()["goal_path"] == [] and "status" not in stored.to_dict()
    assert s.document(id="a-2").status == "helt" and s.document(id="a-2").goal_path[0]["title"] == GOAL.title
    assert s.document(id="b-3").deviation == "ja" and s.document(id="a-1").deviation is None
    assert [p.id for p in s.documents(doc_id="b")] == ["b-3", "b-4"]
    assert sorted(p.id for p in s.all_stored_fields()) == sorted(p.id for p in PASSAGES)
    assert s.document(id="saknas") is None and s.document_number(id="saknas") is None
    assert [p.id for p in s.find(Term("namnd", "Kommunstyrelsen"), sortedby="order")] == ["a-1", "a-2", "c-5", "c-6"]


def test_each_reports_first_passage(contract_engine):
    firsts = contract_engine.first_documents("doc_id", ("doc_id", "year", "namnd", "office"))
    assert firsts == [{"doc_id": "a", "year": 2020, "namnd": "Kommunstyrelsen", "office": "Stadsledningskontoret"},
                      {"doc_id": "b", "year": 2021, "namnd": "Södermalms stadsdelsnämnd",
                       "office": "Södermalms stadsdelsförvaltning"},
                      {"doc_id": "c", "year": 2019, "namnd": "Kommunstyrelsen", "office": None}]


def test_ranking_follows_the_boosts_and_the_counts(contract_engine):
    s = contract_engine
    # The word in the heading as well as the text beats the text alone, and a boost lifts a clause.
    both = Or((Term("text", "förskola"), Term("heading_text", "förskola", boost=1.5)))
    assert s.stored_fields(s.match(both, None, 3).top[0][1]).id == "b-4"
    lifted = Or((Term("text", "farsta", boost=3.0), Term("text", "förskola")))
    top = [s.stored_fields(d).id for _, d in s.match(lifted, None, None).top]
    assert set(top[:2]) == {"a-1", "c-6"}
    scores = [score for score, _ in s.match(lifted, None, None).top]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0


def test_vocabulary_and_suggestions(contract_engine):
    s = contract_engine
    assert "förskolor" in list(s.lexicon("words")) and list(s.lexicon("doc_id")) == ["a", "b", "c"]
    assert s.suggest("words", "förskolr", limit=1, maxdist=2, prefix=2) == ["förskolor"]
    assert s.suggest("words", "qqqq", limit=1, maxdist=1, prefix=2) == []
    assert s.per_generation("contract", lambda: object()) is s.per_generation("contract", lambda: object())
    groups = s.groups([s.document_number(id=p.id) for p in PASSAGES])
    assert len(set(groups)) == len(PASSAGES)


def test_a_node_the_engine_does_not_know_is_refused(contract_engine):
    with pytest.raises(TypeError):
        contract_engine.match(object(), None, 1)


def test_no_module_above_store_imports_an_engine_library():
    root = Path(__file__).resolve().parent.parent
    above = [p for p in [*root.glob("indexer/**/*.py"), *root.glob("app/**/*.py")] if "store" not in p.parts]
    leaks = []
    for path in above:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            leaks += [f"{path.relative_to(root)}: {n}" for n in names if n.split(".")[0] in ("whoosh", "tantivy")]
    assert len(above) > 20 and leaks == []
