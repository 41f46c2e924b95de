"""Faults injected into the index build, on both engines: a full disk at the commit and at the
lock, a run that cannot take the lock, files beyond the per-file limits, and every kind of odd
entry a folder can hold — each named, the rest indexed, the last good index kept."""

from __future__ import annotations

import errno
import json
import os
import shutil
import time

import pytest
from click.testing import CliRunner
from conftest import CORPUS, REPORTS, small_report
from reportlab.pdfgen.canvas import Canvas

from indexer import BuildFailed, IndexBusy, build_index, document_ids, document_record, open_index, open_searcher
from indexer.cli import BUSY, WRITE_FAILED, main
from indexer.ingest.pipeline import MAX_ID
from indexer.store import build as build_module
from indexer.store import generations
from indexer.store.documents import DOCS, STAGED
from indexer.store.workers import Limits

FULL = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def passages(index_dir) -> int:
    with open_searcher(open_index(index_dir)) as s:
        return s.doc_count()


def folder_files(index_dir) -> set[str]:
    """Every file of the live generation, records included."""
    live = index_dir.resolve()
    return {str(p.relative_to(live)) for p in live.rglob("*") if p.is_file()}


@pytest.fixture
def grown(tmp_path, engine):
    """An index of one bundled report, and a second report waiting in its folder."""
    folder = tmp_path / "rapporter"
    folder.mkdir()
    shutil.copy(CORPUS / REPORTS["001"], folder)
    build_index([folder], tmp_path / "index", workers=1, engine=engine)
    small_report(folder / "ny.txt")
    return folder, tmp_path / "index"


def fail_at_commit(monkeypatch, engine: str) -> None:
    """The disk fills while the commit writes: after the new segment, before the index points at it."""
    if engine == "whoosh":
        from whoosh.writing import SegmentWriter

        def commit_toc(self, segments):
            raise FULL

        monkeypatch.setattr(SegmentWriter, "_commit_toc", commit_toc)
    else:
        from indexer.store.engine.tantivy_write import TantivyWriter

        def commit(self):
            self._send()
            self._write(keep=0)
            self._stop()
            raise FULL

        monkeypatch.setattr(TantivyWriter, "commit", commit)


def test_a_full_disk_at_the_commit_removes_what_the_update_wrote(grown, engine, monkeypatch):
    folder, index = grown
    before, files, ids = passages(index), folder_files(index), document_ids(index)
    fail_at_commit(monkeypatch, engine)
    with pytest.raises(BuildFailed, match="disken är full") as failed:
        build_index([folder], index, workers=1, engine=engine)
    assert "\n" not in str(failed.value) and "tagits bort" in str(failed.value)
    assert folder_files(index) == files and document_ids(index) == ids  # nothing left behind
    assert passages(index) == before  # the last good index answers
    monkeypatch.undo()
    again = build_index([folder], index, workers=1, engine=engine)
    assert again.added == 1 and passages(index) > before


def test_a_full_disk_in_a_rebuild_keeps_the_old_generation(grown, engine, monkeypatch):
    folder, index = grown
    live, before = index.resolve(), passages(index)
    fail_at_commit(monkeypatch, engine)
    with pytest.raises(BuildFailed):
        build_index([folder], index, workers=1, engine=engine, rebuild=True)
    assert index.resolve() == live and passages(index) == before
    assert list(index.parent.glob("index.g*")) == [live]  # the half-built generation is gone


def test_a_full_disk_says_so_in_one_line_with_its_own_exit_code(grown, engine, monkeypatch, tmp_path):
    folder, index = grown
    config = tmp_path / "config.toml"
    config.write_text(f'[index]\nengine = "{engine}"\n', encoding="utf-8")
    fail_at_commit(monkeypatch, engine)
    result = CliRunner().invoke(main, ["--config", str(config), "index", str(folder), "--index-dir", str(index),
                                       "--workers", "1"])
    assert result.exit_code == WRITE_FAILED not in (1, 2)
    [line] = [line for line in result.stderr.splitlines() if not line.startswith("indexed ")]
    assert line.startswith("rapportsok: fel: indexet kunde inte skrivas: disken är full")
    assert "Traceback" not in result.output


class _FullDiskFile:
    """A lock file on a full disk: it opens and locks, but nothing can be written to it."""

    def __init__(self, handle):
        self._handle = handle

    def write(self, text):
        if text:
            raise FULL
        return 0

    def __getattr__(self, name):
        return getattr(self._handle, name)


def test_a_lock_that_cannot_be_named_on_a_full_disk_still_cleans_up(grown, engine, monkeypatch):
    folder, index = grown
    leftover = index.parent / "index.g1"  # a half-built generation a failed run left
    (leftover / DOCS).mkdir(parents=True)
    (leftover / "segment").write_bytes(b"\0" * 1000)
    name = generations.WriterLock._name

    def on_full_disk(self, holder):
        self.handle = self.handle if isinstance(self.handle, _FullDiskFile) else _FullDiskFile(self.handle)
        name(self, holder)

    monkeypatch.setattr(generations.WriterLock, "_name", on_full_disk)
    report = build_index([folder], index, workers=1, engine=engine)
    assert report.added == 1 and not leftover.exists()


def test_a_second_run_exits_with_the_busy_code_in_one_line(grown, tmp_path):
    folder, index = grown
    with generations.WriterLock(index):
        result = CliRunner().invoke(main, ["index", str(folder), "--index-dir", str(index), "--workers", "1"])
    assert result.exit_code == BUSY not in (1, 2, WRITE_FAILED)
    assert result.stderr.strip().count("\n") == 0 and "already running" in result.stderr
    with pytest.raises(IndexBusy), generations.WriterLock(index):
        build_index([folder], index, workers=1)


# --- per-file limits -----------------------------------------------------------------------


def pdf(path, pages: int) -> None:
    canvas = Canvas(str(path))
    for n in range(pages):
        canvas.drawString(72, 720, f"Tertialrapport 1 2020 för kommunstyrelsen, sidan {n + 1}: budgeten följs upp.")
        canvas.showPage()
    canvas.save()


def test_a_pdf_with_more_pages_than_the_limit_is_named_and_skipped(tmp_path, engine):
    folder = tmp_path / "rapporter"
    small_report(folder / "bra.txt")
    pdf(folder / "lang.pdf", 4)
    pdf(folder / "kort.pdf", 2)
    report = build_index([folder], tmp_path / "index", workers=2, engine=engine, limits=Limits(pages=3))
    assert report.failed == [(str(folder / "lang.pdf"), "it has 4 pages, more than the limit of 3")]
    assert document_ids(tmp_path / "index") == ["bra", "kort"]


def hog(kind: str):
    """What `parse_file` does in the child reading the file named `hog.txt`."""
    def parse(path):
        if not str(path).endswith("hog.txt"):
            return original(path)
        if kind == "cpu":
            while True:
                pass
        if kind == "wall":
            time.sleep(60)
        if kind == "memory":
            return bytearray(4 << 30)
        os.abort()

    original = build_module.parse_file
    return parse


@pytest.mark.parametrize("kind, limits, reason", [
    ("cpu", Limits(cpu=1, cpu_per_page=0, wall_factor=60), "more than the limit of 1 s of CPU time"),
    ("wall", Limits(cpu=2, cpu_per_page=0, wall_factor=1), "took longer than the limit of 2 s"),
    ("memory", Limits(memory=1 << 30), "needed more than the limit of 1024 MB of memory"),
    ("crash", Limits(), "ended unexpectedly (signal 6)"),
])
def test_a_file_beyond_a_limit_is_named_and_the_rest_kept(tmp_path, monkeypatch, kind, limits, reason):
    folder = tmp_path / "rapporter"
    small_report(folder / "bra.txt")
    build_index([folder], tmp_path / "index", workers=1)
    small_report(folder / "hog.txt")
    monkeypatch.setattr(build_module, "parse_file", hog(kind))
    began = time.monotonic()
    report = build_index([folder], tmp_path / "index", workers=1, limits=limits)
    assert time.monotonic() - began < 30
    [(path, why)] = report.failed
    assert path == str(folder / "hog.txt") and reason in why
    assert report.unchanged == 1 and document_ids(tmp_path / "index") == ["bra"]


# --- odd entries, odd names ------------------------------------------------------------------


def test_every_odd_entry_is_named_and_the_rest_indexed(tmp_path, engine):
    folder = tmp_path / "rapporter"
    small_report(folder / "bra.txt")
    outside = small_report(tmp_path / "hemlig" / "utanfor.txt")
    (folder / "ut.txt").symlink_to(outside)
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "borta.txt").symlink_to(folder / "finns-inte.txt")
    (folder / "inuti.txt").symlink_to(folder / "bra.txt")  # inside the folder: the same report, once
    os.mkfifo(folder / "ror.txt")
    (folder / "mapp.txt").mkdir()
    (folder / "slump.txt").write_bytes(bytes(range(1, 256)) * 800)  # binary without a NUL byte
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as f:
        f.write(b"Tertialrapport 1 2020\n\nText.\n")
    deep = folder.joinpath(*[f"undermapp-nummer-{n}" for n in range(20)])
    small_report(deep / "rapport.txt")
    report = build_index([folder], tmp_path / "index", workers=1, engine=engine)
    reasons = {os.path.basename(p): r for p, r in report.failed}
    assert reasons == {
        "ut.txt": "a symbolic link out of the indexed folder (not followed)",
        "loop.txt": "a symbolic link that loops",
        "borta.txt": "a symbolic link to nothing",
        "ror.txt": "not a regular file",
        "mapp.txt": "a folder, not a file",
        "slump.txt": reasons["slump.txt"],
        "caf\udce9.txt": "its name is not UTF-8; rename it",
    }
    assert reasons["slump.txt"].startswith("not a text file")
    ids = document_ids(tmp_path / "index")
    [long_id] = [i for i in ids if i != "bra"]
    assert len(ids) == 2 and len(long_id) <= MAX_ID < len("-".join(deep.relative_to(folder).parts))
    assert document_record(tmp_path / "index", long_id)["source"] == str(deep / "rapport.txt")
    assert document_record(tmp_path / "index", "x" * 300) is None  # too long to be an id: unknown


def test_odd_names_are_escaped_in_the_log(tmp_path):
    folder = tmp_path / "rapporter"
    small_report(folder / "rad\nbrytning.txt")
    (folder / "tom.txt").write_text("", encoding="utf-8")
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as f:
        f.write(b"x")
    result = CliRunner().invoke(main, ["index", str(folder), "--index-dir", str(tmp_path / "index"), "--workers", "1"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert f"indexed {folder}/rad\\nbrytning.txt" in lines
    assert f"rapportsok: error: {folder}/caf\\xe9.txt: its name is not UTF-8; rename it" in lines
    assert f"rapportsok: error: {folder}/tom.txt: the file is empty" in lines


def test_an_edited_sidecar_is_read_again(tmp_path, engine):
    folder = tmp_path / "rapporter"
    report = small_report(folder / "rapport.txt")
    sidecar = report.with_name("rapport.txt.meta.toml")
    sidecar.write_text('namnd = "Testnämnden"\n', encoding="utf-8")
    build_index([folder], tmp_path / "index", workers=1, engine=engine)
    sidecar.write_text('namnd = "Omdöpta nämnden"\n', encoding="utf-8")
    again = build_index([folder], tmp_path / "index", workers=1, engine=engine)
    assert (again.updated, again.unchanged) == (1, 0)
    assert document_record(tmp_path / "index", "rapport")["document"]["namnd"] == "Omdöpta nämnden"
    with open_searcher(open_index(tmp_path / "index")) as s:
        assert {f.namnd for f in s.all_stored_fields()} == {"Omdöpta nämnden"}


def test_records_appear_only_with_the_commit_and_leave_before_it(grown, engine, monkeypatch):
    """A crash never leaves a record of a report the committed index does not hold."""
    folder, index = grown
    (folder / REPORTS["001"]).unlink()  # removed: its record goes before the commit
    seen = {}

    def commit_toc(self, segments):
        seen["listed"] = document_ids(index)
        seen["staged"] = sorted(p.name for p in (index / DOCS / STAGED).glob("*.json"))
        raise FULL

    fail_at_commit(monkeypatch, engine)
    if engine == "whoosh":
        from whoosh.writing import SegmentWriter

        monkeypatch.setattr(SegmentWriter, "_commit_toc", commit_toc)
    else:
        from indexer.store.engine.tantivy_write import TantivyWriter

        def commit(self):
            commit_toc(self, None)

        monkeypatch.setattr(TantivyWriter, "commit", commit)
    with pytest.raises(BuildFailed):
        build_index([folder], index, workers=1, engine=engine)
    assert seen == {"listed": [], "staged": ["ny.json"]}
    assert document_ids(index) == [] and not (index / DOCS / STAGED).exists()
    monkeypatch.undo()
    build_index([folder], index, workers=1, engine=engine)
    assert document_ids(index) == ["ny"]
    assert json.loads((index / DOCS / "reports.jsonl").read_text(encoding="utf-8").splitlines()[0])["id"] == "ny"
