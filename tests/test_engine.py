"""The engine seam: a generation's searchers, columns and filter sets are built once and shared,
reopened when the index changes; what they hold agrees with the stored passages."""

from __future__ import annotations

import threading

import pytest

from conftest import small_report

from indexer import build_index, open_index, open_searcher
from indexer.store.engine import Filter, query
from indexer.store.engine.whoosh import Column


def test_a_generation_keeps_one_searcher_per_thread_until_the_index_changes(built):
    ix = open_index(built.index)
    first = open_searcher(ix)
    assert open_searcher(ix) is first  # reused by the next request, not reopened
    other: list = []
    thread = threading.Thread(target=lambda: other.append(open_searcher(ix)))
    thread.start()
    thread.join()
    assert other[0] is not first  # Whoosh's matchers keep state: threads do not share a searcher
    before = first.doc_count()
    small_report(built.corpus / "ny.txt", "Nämnden öppnade en ny simhall under våren.")
    build_index([built.corpus], built.index, workers=1)  # updates this generation in place
    again = open_searcher(ix)
    assert again is not first and again.doc_count() > before
    assert ix.unsound() is None  # new segments are no damage


def test_columns_and_filters_agree_with_the_stored_passages(built):
    s = open_searcher(open_index(built.index))
    stored = list(s.all_stored_fields())
    kinds = s.column("kind")
    assert len(kinds) == s.doc_count() == len(stored)
    assert kinds.counts(range(len(stored))) == {k: sum(f.kind == k for f in stored) for k in
                                                {f.kind for f in stored}}
    assert s.column("kind") is kinds  # built once for the generation
    year = stored[0].year
    flt = Filter((("kind", "goal"),), (year, year))
    allowed = s.filter_docs(flt)
    assert {s.stored_fields(d).id for d in allowed} == {f.id for f in stored if f.kind == "goal"
                                                          and f.year == year}
    assert allowed and s.filter_docs(flt) is allowed


def test_a_column_counts_values_by_code():
    column = Column(["a", "b", "a", None, "a"])
    assert column[2] == "a" and column[3] is None and len(column.values) == 3
    assert column.counts([0, 1, 2, 3]) == {"a": 2, "b": 1, None: 1}


def test_cached_tokens_are_the_analyzers_own(reports):
    # tantivy receives our tokens; analysing each distinct word once must not change them.
    pytest.importorskip("tantivy")
    from indexer.ingest.passages import passages_of
    from indexer.store.schema import make_schema
    from indexer.store.engine.tantivy_write import TokenCache

    schema = make_schema()
    texts = [t for key, report in reports.items() for p in passages_of(report, key) for t in (p.text, p.context)]
    for field in ("text", "words", "about"):
        analyzer = schema[field].analyzer
        cache = TokenCache(analyzer)
        assert [cache(t) for t in texts] == [" ".join(x.text for x in analyzer(t)) for t in texts]


def test_a_damaged_tantivy_index_is_503_and_rebuilt(tmp_path):
    pytest.importorskip("tantivy")
    from app import create_app
    from indexer import IndexDamaged

    corpus = tmp_path / "rapporter"
    small_report(corpus / "a.txt", "Nämnden öppnade en ny simhall under våren.")
    index = tmp_path / "index"
    build_index([corpus], index, workers=1, engine="tantivy")
    client = create_app(index_dir=index).test_client()
    assert client.get("/api/search?q=simhall").get_json()["total"] == 1
    next(index.resolve().glob("*.store")).unlink()
    r = client.get("/api/search?q=simhall")
    assert r.status_code == 503 and "rapportsok index --rebuild" in r.get_json()["error"]
    with pytest.raises(IndexDamaged):
        open_index(index)
    assert build_index([corpus], index, workers=1, engine="tantivy").rebuilt
    assert open_searcher(open_index(index)).doc_count() == 1


@pytest.mark.parametrize("by_date", [None, "newest"])
def test_the_best_uncounted_are_the_head_of_the_counted_match(corpus_index, by_date):
    # The nearest passages come from `best` (no count: most of a wide query's time at scale).
    from indexer.query.search import best_of_groups

    s = open_searcher(open_index(corpus_index))
    wide = query.Or(tuple(query.Term("text", w) for w in ("budget", "förskola", "trygghet")))
    flt = Filter((), (2020, 2020))
    counted = s.match(wide, flt, 40, by_date)
    assert counted.count > 40
    best = s.best(wide, flt, 40, by_date)
    assert [d for _, d in best] == [d for _, d in counted.top]
    assert [round(x, 4) for x, _ in best] == [round(x, 4) for x, _ in counted.top]
    assert s.best(wide, Filter((("doc_id", "saknas"),), None), 10, by_date) == []
    near_duplicates = Filter((("grouped", "ja"),), None)  # passages with a near-identical one
    everything = query.Every()
    groups = s.groups([d for _, d in s.best(everything, near_duplicates, 100, by_date)])
    assert len(set(groups)) < len(groups)
    one_each = best_of_groups(s, everything, near_duplicates, by_date, 100)
    assert len(set(s.groups([m.docnum for m in one_each]))) == len(one_each) == len(set(groups))


def test_a_phrase_matches_the_same_passages_on_both_engines(tmp_path):
    # tantivy holds a field's words one token each for phrases, so positions are Whoosh's: a
    # word between the phrase's words (or a lemma or compound part before it) is no match.
    pytest.importorskip("tantivy")
    from indexer import SearchParams, search

    corpus = tmp_path / "rapporter"
    small_report(corpus / "a.txt", "Barn och unga ska ha tak över huvudet under året.")
    small_report(corpus / "b.txt", "Barn, äldre och unga får trygghetsmedel för tryggare skolvägar.")
    small_report(corpus / "c.txt", "Tak som läcker över huvudet på de boende ska lagas.")
    found = {}
    for engine in ("whoosh", "tantivy"):
        build_index([corpus], tmp_path / engine, workers=1, engine=engine)
        with open_searcher(open_index(tmp_path / engine)) as s:
            found[engine] = {q: sorted(h.doc["id"] for h in search(s, SearchParams(q=q)).hits)
                             for q in ('"barn och unga"', '"tak över huvudet"', '"trygghetsmedel för tryggare"',
                                       '"unga barn"', '"äldre och unga"')}
    assert found["tantivy"] == found["whoosh"]
    assert found["whoosh"]['"barn och unga"'] == ["a"] and found["whoosh"]['"tak över huvudet"'] == ["a"]
    assert found["whoosh"]['"unga barn"'] == [] and found["whoosh"]['"äldre och unga"'] == ["b"]
