"""On tantivy a build's Swedish analysis runs in worker processes — the processes reading the
files, or the writer's own a batch of passages at a time: the index must be the one a single
process writes, and adds and deletes keep their order."""

from __future__ import annotations

import pytest

from conftest import CORPUS

from indexer import SearchParams, build_index, open_index, open_searcher, search
from indexer.store import build

pytest.importorskip("tantivy")

from indexer.ingest.passages import passages_of  # noqa: E402
from indexer.config import Analysis  # noqa: E402
from indexer.store.schema import passage_fields  # noqa: E402
from indexer.store.engine.tantivy import TantivyIndex  # noqa: E402
from indexer.store.engine.tantivy_write import TantivyWriter, text_fields  # noqa: E402


def contents(folder) -> tuple[list, dict]:
    """Every stored passage (files are read in another order by several processes), and each
    text field's terms with the number of passages holding them."""
    with open_searcher(open_index(folder)) as s:
        stored = sorted(s.all_stored_fields(), key=lambda f: f.id)
        terms = {name: sorted(s.searcher.terms_with_prefix(name, "")) for name in text_fields(s.schema)}
    return stored, terms


def test_an_index_analysed_by_workers_is_the_one_analysed_here(tmp_path, monkeypatch):
    monkeypatch.setattr(TantivyWriter, "BATCH", 100)  # the bundled corpus in many batches
    build_index([CORPUS], tmp_path / "here", workers=1, engine="tantivy")
    build_index([CORPUS], tmp_path / "workers", workers=2, engine="tantivy")
    here, workers = contents(tmp_path / "here"), contents(tmp_path / "workers")
    assert len(here[0]) > 10 * TantivyWriter.BATCH
    assert workers == here


@pytest.mark.xfail(strict=True, reason="the stored passages and every term agree, but about ten hits' tantivy scores "
                   "differ between the serial and the parallel build (its segments' statistics): open, issue 24")
def test_a_build_read_and_analysed_by_workers_is_the_serial_build(tmp_path, monkeypatch):
    """`auto` past its threshold: the reports read before the choice are analysed by the writer's
    workers, the rest where they were read; stored passages, every term and the search results
    are those of a build in one process."""
    monkeypatch.setattr(build, "TANTIVY_FROM", 300)  # chosen after the first report or two
    serial = build_index([CORPUS], tmp_path / "serial", workers=1)
    parallel = build_index([CORPUS], tmp_path / "parallel", workers=2)
    assert serial.engine == parallel.engine == "tantivy" and serial.passages == parallel.passages
    assert contents(tmp_path / "parallel") == contents(tmp_path / "serial")
    found = {}
    for name in ("serial", "parallel"):
        with open_searcher(open_index(tmp_path / name)) as s:
            results = [search(s, SearchParams(q=q, year=year, limit=100))
                       for q, year in (("budgetavvikelse", None), ("ekonomiskt bistånd", 2020),
                                       ("trygghet i stadsdelen", None))]
        assert all(0 < r.total <= 100 for r in results)  # every hit on the page
        # Hits of equal score come in the order of tantivy's segments, which its threads fill as they go.
        found[name] = [sorted((-h.score, h.id, h.snippet) for h in r.hits) for r in results]
    assert found["parallel"] == found["serial"]


def test_adds_and_deletes_reach_tantivy_in_the_order_asked(tmp_path, monkeypatch, reports):
    monkeypatch.setattr(TantivyWriter, "BATCH", 3)
    passages = passages_of(reports["003"], "r")[:40]
    ix = TantivyIndex.create(tmp_path, Analysis())
    writer = ix.writer(2)
    for p in passages[:20]:
        writer.add_document(**passage_fields(p, "old.txt", "1"))
    writer.delete_by_term("source", "old.txt")  # while those passages are still being analysed
    for p in passages[20:]:
        writer.add_document(**passage_fields(p, "old.txt", "2"))
    writer.commit()
    with ix.searcher() as s:
        assert [f.file_key for f in s.all_stored_fields()] == ["2 old.txt"] * 20
