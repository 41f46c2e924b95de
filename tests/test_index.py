"""The index: incremental builds, versioning, one writer at a time, crash safety, bad files,
report ids and the records kept beside the index."""

from __future__ import annotations

import json

import pytest
from conftest import REPORTS, small_report

from indexer import (DOCS, REPORT_LIST, IndexBusy, IndexMissing, build_index, document_ids, document_record, open_index,
                     open_searcher, report_list)
from indexer.store import build as build_module
from indexer.store.documents import STAGED, write_record
from indexer.store.generations import META, WriterLock

BOTH = {"ks-tertialrapport-2-delarsrapport-2006", "ks-tertialrapport-1-2020"}


def count(index_dir):
    with open_searcher(open_index(index_dir)) as s:
        return s.doc_count(), {f.doc_id for f in s.all_stored_fields()}


def stored(index_dir) -> dict[str, dict]:
    with open_searcher(open_index(index_dir)) as s:
        return {f.id: f.to_dict() for f in s.all_stored_fields()}


def generations(built) -> list:
    return list(built.root.glob("index.g*"))


def test_build_then_nothing_changes(built):
    first = built.first
    assert (first.added, first.unchanged, first.rebuilt, first.failed) == (2, 0, True, [])
    n, docs = count(built.index)
    assert n == first.passages > 300 and docs == BOTH
    second = build_index([built.corpus], built.index, workers=1)
    assert (second.added, second.updated, second.removed, second.unchanged, second.rebuilt) == (0, 0, 0, 2, False)
    assert count(built.index)[0] == n


def test_changed_file_is_replaced_and_removed_file_deleted(built):
    before, _ = count(built.index)
    report = built.corpus / REPORTS["001"]
    report.write_text(report.read_text(encoding="utf-8") + "\nEtt tillägg om Hantverkargatan.\n", encoding="utf-8")
    changed = build_index([built.corpus], built.index, workers=1)
    assert (changed.updated, changed.unchanged) == (1, 1)
    assert count(built.index)[0] in (before, before + 1)
    (built.corpus / REPORTS["003"]).unlink()
    removed = build_index([built.corpus], built.index, workers=1)
    assert removed.removed == 1
    assert count(built.index)[1] == {"ks-tertialrapport-2-delarsrapport-2006"}
    assert listed_ids(built.index) == ["ks-tertialrapport-2-delarsrapport-2006"]


def listed_ids(index_dir) -> list[str]:
    lines = (index_dir / DOCS / REPORT_LIST).read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["id"] for line in lines]


def test_the_report_list_is_written_with_the_records_and_read_from_them_when_stale(built):
    assert listed_ids(built.index) == document_ids(built.index) == sorted(BOTH)
    record = document_record(built.index, "ks-tertialrapport-1-2020")
    row = report_list(built.index)[document_ids(built.index).index(record["id"])]
    assert row["document"]["title"] == record["document"]["title"] and row["passages"] == record["passages"]
    (built.index / DOCS / REPORT_LIST).write_text(json.dumps({"id": "borttagen"}) + "\n")  # a build stopped before the list
    assert [r["id"] for r in report_list(built.index)] == sorted(BOTH)
    (built.index / DOCS / REPORT_LIST).unlink()
    assert [r["id"] for r in report_list(built.index)] == sorted(BOTH)
    build_index([built.corpus], built.index, workers=1)  # nothing changed: the list is written again
    assert listed_ids(built.index) == sorted(BOTH)


def test_version_mismatch_rebuilds_and_keeps_the_passage_ids(built):
    before = {i: f["text"] for i, f in stored(built.index).items()}
    meta = json.loads((built.index / META).read_text())
    meta["version"]["schema"] = -1
    (built.index / META).write_text(json.dumps(meta))
    again = build_index([built.corpus], built.index, workers=1)
    assert again.rebuilt and again.added == 2
    assert built.index.is_symlink() and len(generations(built)) == 1  # the old generation is gone
    assert {i: f["text"] for i, f in stored(built.index).items()} == before  # `#p-…` links still land


def test_broken_files_are_listed_and_the_rest_indexed(built):
    (built.corpus / "trasig.pdf").write_bytes(b"%PDF-1.4 nothing else")
    (built.corpus / "tom.txt").write_text("", encoding="utf-8")
    small_report(built.corpus / "ny.txt")
    report = build_index([built.corpus], built.index, workers=1)
    assert (report.added, report.unchanged) == (1, 2)
    assert sorted((path.rsplit("/", 1)[1], reason.split(" (")[0]) for path, reason in report.failed) == [
        ("tom.txt", "the file is empty"), ("trasig.pdf", "truncated PDF")]
    assert count(built.index)[1] == BOTH | {"ny"}


def test_a_parser_bug_on_one_file_is_reported_by_name_and_the_rest_indexed(tmp_path, monkeypatch):
    folder = tmp_path / "rapporter"
    odd = small_report(folder / "udda.txt")
    small_report(folder / "bra.txt")
    parse_file = build_module.parse_file

    def buggy(path):
        if str(path) == str(odd):
            raise ValueError("a table with no rows")
        return parse_file(path)

    monkeypatch.setattr(build_module, "parse_file", buggy)
    report = build_index([folder], tmp_path / "index", workers=1)
    assert report.added == 1 and count(tmp_path / "index")[1] == {"bra"}
    [(path, reason)] = report.failed
    assert path == str(odd) and "ValueError" in reason and "a table with no rows" in reason
    assert document_ids(tmp_path / "index") == ["bra"]


def test_two_reports_with_one_name_in_different_folders_are_both_kept(tmp_path):
    folder = tmp_path / "rapporter"
    ks = small_report(folder / "ks" / "rapport.txt", "Kommunstyrelsen har beviljat trygghetsmedel.")
    sodermalm = small_report(folder / "sodermalm" / "rapport.txt", "Södermalm har öppnat nya förskolor.")
    report = build_index([folder], tmp_path / "index", workers=1)
    assert (report.added, report.failed) == (2, [])
    passages = stored(tmp_path / "index")
    assert len(passages) == report.passages  # no passage replaced another with the same id
    assert {f["doc_id"] for f in passages.values()} == {"ks-rapport", "sodermalm-rapport"}
    assert document_ids(tmp_path / "index") == ["ks-rapport", "sodermalm-rapport"]
    for doc_id, path, words in (("ks-rapport", ks, "trygghetsmedel"), ("sodermalm-rapport", sodermalm, "förskolor")):
        record = document_record(tmp_path / "index", doc_id)
        assert record["source"] == str(path) and words in record["sections"][0]["text"]


def test_a_report_id_collision_names_both_files_and_the_rest_is_indexed(tmp_path):
    folder = tmp_path / "rapporter"
    nested, flat = small_report(folder / "a" / "b.txt"), small_report(folder / "a-b.txt")
    small_report(folder / "c.txt")
    report = build_index([folder], tmp_path / "index", workers=1)
    [(path, reason)] = report.failed
    [other] = {str(nested), str(flat)} - {path}
    assert path in (str(nested), str(flat)) and other in reason and "'a-b'" in reason
    assert report.added == 2 and count(tmp_path / "index")[1] == {"a-b", "c"}


def test_passage_ids_are_the_same_in_every_build(built, corpus_index):
    # The corpus index was built separately, from another folder, with all five reports.
    here, there = stored(built.index), stored(corpus_index)
    assert here and {i: f["text"] for i, f in here.items()} == {
        i: f["text"] for i, f in there.items() if f["doc_id"] in BOTH}


def test_a_second_writer_is_told_indexing_is_running(built):
    with WriterLock(built.index), pytest.raises(IndexBusy, match="already running"):
        build_index([built.corpus], built.index, workers=1)


def test_a_crash_during_a_build_leaves_the_last_good_index(built, monkeypatch):
    before = count(built.index)
    report = built.corpus / REPORTS["003"]
    report.write_text(report.read_text(encoding="utf-8") + "\nÄndrad.\n", encoding="utf-8")

    def crash(source, limits):
        raise RuntimeError("power cut")

    monkeypatch.setattr(build_module, "read_limited", crash)
    with pytest.raises(RuntimeError):
        build_index([built.corpus], built.index, workers=1)
    assert count(built.index) == before
    monkeypatch.undo()
    assert build_index([built.corpus], built.index, workers=1).updated == 1  # the lock was released


def test_a_crash_during_a_rebuild_keeps_the_old_generation(built, monkeypatch):
    before = count(built.index)
    monkeypatch.setattr(build_module, "version_of", lambda analysis, engine: {"schema": 999})
    monkeypatch.setattr(build_module, "read_limited",
                        lambda source, limits: (_ for _ in ()).throw(RuntimeError("kill")))
    with pytest.raises(RuntimeError):
        build_index([built.corpus], built.index, workers=1)
    monkeypatch.undo()
    assert count(built.index) == before
    assert len(generations(built)) == 1  # the half-built generation was removed


def test_generations_left_by_a_killed_build_are_removed(built):
    live = built.index.resolve()
    leftover = built.root / "index.g1"  # a killed process never reached its cleanup
    (leftover / "docs").mkdir(parents=True)
    build_index([built.corpus], built.index, workers=1)
    assert generations(built) == [live] and built.index.resolve() == live


def test_records_and_index_agree_after_a_kill_between_records_and_commit(built):
    # A killed build staged the record of a report it never committed, and one of a held report.
    record = json.loads((built.index / "docs" / "ks-tertialrapport-1-2020.json").read_text(encoding="utf-8"))
    write_record(built.index.resolve(), {"id": "ny", "source": str(built.corpus / "ny.txt"), "goals": []})
    write_record(built.index.resolve(), {**record, "hash": "of a version never committed"})
    assert "ny" not in document_ids(built.index)  # staged records are never listed
    build_index([built.corpus], built.index, workers=1)
    assert set(document_ids(built.index)) == count(built.index)[1] == BOTH
    assert json.loads((built.index / "docs" / "ks-tertialrapport-1-2020.json").read_text(encoding="utf-8")) == record
    assert not (built.index / "docs" / STAGED).exists()


def test_an_index_from_another_version_is_not_read(built):
    meta = json.loads((built.index / META).read_text())
    meta["version"]["code"] = "older"
    (built.index / META).write_text(json.dumps(meta))
    with pytest.raises(IndexMissing, match="another version"):
        open_index(built.index)


def test_missing_index(tmp_path):
    with pytest.raises(IndexMissing, match="rapportsok index"):
        open_index(tmp_path / "ingen")


def test_document_records_follow_the_index(built):
    assert document_ids(built.index) == ["ks-tertialrapport-1-2020", "ks-tertialrapport-2-delarsrapport-2006"]
    record = document_record(built.index, "ks-tertialrapport-1-2020")
    assert record["document"]["namnd"] == "Kommunstyrelsen" and len(record["goals"]) == 37
    assert record["name"] == REPORTS["003"] and record["passages"] > 100
    assert document_record(built.index, "../../etc/passwd") is None and document_record(built.index, "saknas") is None
    assert document_record(built.index, "../docs/ks-tertialrapport-1-2020") is None
    assert document_record(built.index, ".ks-tertialrapport-1-2020.json") is None
    (built.corpus / REPORTS["003"]).unlink()
    build_index([built.corpus], built.index, workers=1)
    assert document_ids(built.index) == ["ks-tertialrapport-2-delarsrapport-2006"]


def test_a_missing_file_is_reported_not_skipped(built, tmp_path):
    report = build_index([built.corpus, tmp_path / "saknas.pdf"], built.index, workers=1)
    assert report.unchanged == 2 and report.failed == [(str(tmp_path / "saknas.pdf"), "no such file")]
    assert count(built.index)[1] == BOTH
