"""The index: incremental builds, versioning, one writer at a time, crash safety, bad files."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import CORPUS, REPORTS

from indexer import IndexBusy, IndexMissing, build_index, document_ids, document_record, open_index
from indexer.store import build as build_module
from indexer.store.generations import META, WriterLock


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "rapporter"
    folder.mkdir()
    for key in ("001", "003"):
        shutil.copy(CORPUS / REPORTS[key], folder / REPORTS[key])
    return folder


def count(index_dir):
    with open_index(index_dir).searcher() as s:
        return s.doc_count(), {f["doc_id"] for f in s.all_stored_fields()}


def test_build_then_nothing_changes(corpus, tmp_path):
    ix = tmp_path / "index"
    first = build_index([corpus], ix, workers=2)
    assert (first.added, first.unchanged, first.rebuilt) == (2, 0, True)
    n, docs = count(ix)
    assert n == first.passages > 300
    assert docs == {"ks-tertialrapport-2-delarsrapport-2006", "ks-tertialrapport-1-2020"}
    second = build_index([corpus], ix, workers=1)
    assert (second.added, second.updated, second.removed, second.unchanged, second.rebuilt) == (0, 0, 0, 2, False)
    assert count(ix)[0] == n


def test_changed_file_is_replaced_and_removed_file_deleted(corpus, tmp_path):
    ix = tmp_path / "index"
    build_index([corpus], ix, workers=1)
    before, _ = count(ix)
    report = corpus / REPORTS["001"]
    report.write_text(report.read_text(encoding="utf-8") + "\nEtt tillägg om Hantverkargatan.\n", encoding="utf-8")
    changed = build_index([corpus], ix, workers=1)
    assert (changed.updated, changed.unchanged) == (1, 1)
    assert count(ix)[0] in (before, before + 1)
    (corpus / REPORTS["003"]).unlink()
    removed = build_index([corpus], ix, workers=1)
    assert removed.removed == 1
    assert count(ix)[1] == {"ks-tertialrapport-2-delarsrapport-2006"}


def test_version_mismatch_rebuilds(corpus, tmp_path):
    ix = tmp_path / "index"
    build_index([corpus], ix, workers=1)
    meta = json.loads((ix / META).read_text())
    meta["version"]["schema"] = -1
    (ix / META).write_text(json.dumps(meta))
    again = build_index([corpus], ix, workers=1)
    assert again.rebuilt and again.added == 2
    assert ix.is_symlink() and len(list(tmp_path.glob("index.g*"))) == 1  # the old generation is gone


def test_broken_files_are_listed_and_the_rest_indexed(corpus, tmp_path):
    (corpus / "trasig.pdf").write_bytes(b"%PDF-1.4 nothing else")
    (corpus / "tom.txt").write_text("", encoding="utf-8")
    report = build_index([corpus], tmp_path / "index", workers=1)
    assert report.added == 2
    assert sorted(reason.split(" (")[0] for _, reason in report.failed) == ["the file is empty",
                                                                           "truncated PDF"]


def test_a_second_writer_is_told_indexing_is_running(corpus, tmp_path):
    ix = tmp_path / "index"
    with WriterLock(ix), pytest.raises(IndexBusy, match="already running"):
        build_index([corpus], ix, workers=1)


def test_a_crash_during_a_build_leaves_the_last_good_index(corpus, tmp_path, monkeypatch):
    ix = tmp_path / "index"
    build_index([corpus], ix, workers=1)
    before = count(ix)
    report = corpus / REPORTS["003"]
    report.write_text(report.read_text(encoding="utf-8") + "\nÄndrad.\n", encoding="utf-8")

    def crash(path):
        raise RuntimeError("power cut")


    monkeypatch.setattr(build_module, "parse_one", crash)
    with pytest.raises(RuntimeError):
        build_index([corpus], ix, workers=1)
    assert count(ix) == before
    monkeypatch.undo()
    assert build_index([corpus], ix, workers=1).updated == 1  # the lock was released


def test_a_crash_during_a_rebuild_keeps_the_old_generation(corpus, tmp_path, monkeypatch):
    ix = tmp_path / "index"
    build_index([corpus], ix, workers=1)
    before = count(ix)
    monkeypatch.setattr(build_module, "version_of", lambda analysis: {"schema": 999})
    monkeypatch.setattr(build_module, "parse_one", lambda source: (_ for _ in ()).throw(RuntimeError("kill")))
    with pytest.raises(RuntimeError):
        build_index([corpus], ix, workers=1)
    monkeypatch.undo()
    assert count(ix) == before
    assert len(list(tmp_path.glob("index.g*"))) == 1  # the half-built generation was removed


def test_an_index_from_another_version_is_not_read(corpus, tmp_path):
    ix = tmp_path / "index"
    build_index([corpus], ix, workers=1)
    meta = json.loads((ix / META).read_text())
    meta["version"]["code"] = "older"
    (ix / META).write_text(json.dumps(meta))
    with pytest.raises(IndexMissing, match="another version"):
        open_index(ix)


def test_missing_index(tmp_path):
    with pytest.raises(IndexMissing, match="rapportsok index"):
        open_index(tmp_path / "ingen")


def test_document_records_follow_the_index(corpus, tmp_path):
    ix = tmp_path / "index"
    build_index([corpus], ix, workers=1)
    assert document_ids(ix) == ["ks-tertialrapport-1-2020", "ks-tertialrapport-2-delarsrapport-2006"]
    record = document_record(ix, "ks-tertialrapport-1-2020")
    assert record["document"]["namnd"] == "Kommunstyrelsen" and len(record["goals"]) == 37
    assert record["name"] == REPORTS["003"] and record["passages"] > 100
    assert document_record(ix, "../../etc/passwd") is None and document_record(ix, "saknas") is None
    (corpus / REPORTS["003"]).unlink()
    build_index([corpus], ix, workers=1)
    assert document_ids(ix) == ["ks-tertialrapport-2-delarsrapport-2006"]


def test_a_missing_file_is_reported_not_skipped(corpus, tmp_path):
    report = build_index([corpus, tmp_path / "saknas.pdf"], tmp_path / "index", workers=1)
    assert report.added == 2 and [reason for _, reason in report.failed] == ["no such file"]
