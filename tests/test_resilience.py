"""An index that heals: `rapportsok index` killed with SIGKILL at several moments (its workers die
with it, the next run takes over the lock and ends with the clean build's passages and records), a
damaged segment or record (a 503 with advice, never a 500; the next run rebuilds or repairs),
`index --check` and `--rebuild`, and files moved between folders."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS, REPORTS

from app import create_app
from app.serve import main
from indexer import (DOCS, REPORT_LIST, IndexBusy, IndexDamaged, build_index, document_ids, document_record, open_index,
                     open_searcher)
from indexer.store.generations import WriterLock

ROOT = Path(__file__).resolve().parent.parent

# `rapportsok index` that stops at a stage and waits there (to be killed): the stage is the first
# argument, the command's arguments follow.
PAUSING = """
import sys, time
from indexer.store import build, documents, generations
stage = sys.argv.pop(1)

def pause():
    print("paused", flush=True)
    time.sleep(120)

def wrap(module, name, before):
    original = getattr(module, name)
    def paused(*args, **kwargs):
        if before:
            pause()
        result = original(*args, **kwargs)
        if not before:
            pause()
        return result
    setattr(module, name, paused)

if stage == "parse":  # the first file read, others being read (auto reads on before it writes)
    reading = build.parse_all
    build.parse_all = lambda sources, workers, progress, *rest: reading(sources, workers, lambda *_: pause(), *rest)
else:
    module, name, before = {"commit": (documents, "keep_only", True),  # right after the index commit
                            "switch": (generations, "switch_to", False)}[stage]  # a new generation switched in
    wrap(module, name, before)
from app.serve import main
main()
"""


def copy_reports(folder: Path, *keys: str) -> Path:
    folder.mkdir()
    for key in keys:
        shutil.copy(CORPUS / REPORTS[key], folder / REPORTS[key])
    return folder


@pytest.fixture
def corpus(tmp_path):
    return copy_reports(tmp_path / "rapporter", "001", "003")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """Two reports and their index, built once: `built` copies the index for a test to damage."""
    base = tmp_path_factory.mktemp("pristine")
    folder = copy_reports(base / "rapporter", "001", "003")
    build_index([folder], base / "index", workers=1)
    return folder, base / "index"


def state(index_dir) -> tuple[int, list[str]]:
    """(passages, report ids with a readable record); every live report must have one."""
    with open_searcher(open_index(index_dir)) as s:
        passages, live = s.doc_count(), sorted({f.doc_id for f in s.all_stored_fields()})
    assert document_ids(index_dir) == live and all(document_record(index_dir, d) for d in live)
    return passages, live


CLEAN: dict[str, tuple[int, list[str]]] = {}


def clean(folder: Path, tmp_path: Path) -> tuple[int, list[str]]:
    """What a clean build of the folder holds (built once for each content of the folder)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    key = hashlib.sha256(b"".join(str(p.relative_to(folder)).encode() + p.read_bytes() for p in files)).hexdigest()
    if key not in CLEAN:
        target = tmp_path / f"clean-{key[:12]}"
        build_index([folder], target, workers=1)
        CLEAN[key] = state(target)
    return CLEAN[key]


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        kids = children.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def kill_at(stage: str, folder: Path, index_dir: Path, *options: str) -> None:
    """Run `rapportsok index` in its own process up to `stage`, SIGKILL it there and wait until
    every process it started has ended too."""
    command = [sys.executable, "-c", PAUSING, stage, "index", str(folder), "--index-dir", str(index_dir),
               "--workers", "2", *options]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout.readline().strip() == "paused", f"the indexer never reached {stage}"
        started = descendants(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        proc.kill()
        proc.stdout.close()
    deadline = time.monotonic() + 10
    while any(alive(p) for p in started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in started if alive(p)], "processes of the killed indexer live on"
    if stage == "parse":
        assert len(started) >= 3  # the fork server and its two workers were there to be killed


def index_again(index_dir: Path, folder: Path, *options: str) -> None:
    result = CliRunner().invoke(main, ["index", str(folder), "--index-dir", str(index_dir), "--workers", "2",
                                       *options])
    assert result.exit_code == 0, result.output


def generations_of(index_dir: Path) -> list[Path]:
    return sorted(index_dir.parent.glob(f"{index_dir.name}.g*"))


# --- killed ------------------------------------------------------------------------------------

def test_a_first_build_killed_mid_parse_leaves_no_worker_and_no_lock(corpus, tmp_path, caplog):
    ix = tmp_path / "index"
    kill_at("parse", corpus, ix)
    assert (tmp_path / "index.lock").read_text().strip()  # the dead writer's process id is left behind
    with caplog.at_level(logging.WARNING, "rapportsok"):
        index_again(ix, corpus)
    assert "avbröts" in caplog.text  # taken over with a note
    assert state(ix) == clean(corpus, tmp_path)
    assert generations_of(ix) == [ix.resolve()]  # the half-built generation is gone
    assert (tmp_path / "index.lock").read_text() == ""


def test_a_rebuild_killed_mid_parse_keeps_the_index_searchable(corpus, tmp_path):
    ix = tmp_path / "index"
    build_index([corpus], ix, workers=1)
    before = state(ix)
    kill_at("parse", corpus, ix, "--rebuild")
    assert state(ix) == before
    index_again(ix, corpus)
    assert state(ix) == before == clean(corpus, tmp_path)
    assert len(generations_of(ix)) == 1


def test_an_update_killed_right_after_the_commit_keeps_every_record(corpus, tmp_path):
    ix = tmp_path / "index"
    build_index([corpus], ix, workers=1)
    (corpus / REPORTS["003"]).unlink()
    shutil.copy(CORPUS / REPORTS["000"], corpus)
    changed = corpus / REPORTS["001"]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nEtt tillägg om Hantverkargatan.\n", encoding="utf-8")
    kill_at("commit", corpus, ix)
    with open_searcher(open_index(ix)) as s:  # committed: every live report already has its record
        assert {f.doc_id for f in s.all_stored_fields()} <= set(document_ids(ix))
    index_again(ix, corpus)
    assert state(ix) == clean(corpus, tmp_path)
    index_again(ix, corpus)  # and it stays so
    assert state(ix) == clean(corpus, tmp_path)


def test_a_rebuild_killed_after_the_switch_is_cleaned_up(corpus, tmp_path):
    ix = tmp_path / "index"
    build_index([corpus], ix, workers=1)
    kill_at("switch", corpus, ix, "--rebuild")
    assert len(generations_of(ix)) == 2  # the old one was not yet removed
    index_again(ix, corpus)
    assert generations_of(ix) == [ix.resolve()]
    assert state(ix) == clean(corpus, tmp_path)


# --- the lock ------------------------------------------------------------------------------------

def test_a_lock_left_by_a_dead_writer_is_taken_over_with_a_note(corpus, tmp_path, caplog):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    ix = tmp_path / "index"
    (tmp_path / "index.lock").write_text(dead.stdout.strip())
    with caplog.at_level(logging.WARNING, "rapportsok"):
        assert build_index([corpus], ix, workers=1).added == 2
    assert f"process {dead.stdout.strip()} avbröts" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, "rapportsok"):
        build_index([corpus], ix, workers=1)
    assert caplog.text == ""  # a writer that finished leaves no note


def test_a_busy_lock_names_its_holder(tmp_path):
    ix = tmp_path / "index"
    with WriterLock(ix), pytest.raises(IndexBusy, match=f"process {os.getpid()}"):
        build_index([CORPUS / REPORTS["001"]], ix, workers=1)


# --- damage --------------------------------------------------------------------------------------

def segment(index_dir: Path) -> Path:
    return next(index_dir.glob("*.seg"))


def postings(index_dir: Path) -> tuple[Path, int, int]:
    """The segment file and where the postings lie in it (offset, length)."""
    from whoosh.filedb.compound import CompoundStorage
    from whoosh.filedb.filestore import FileStorage

    seg = segment(index_dir)
    with FileStorage(str(index_dir)).open_file(seg.name) as f:
        place = next(v for k, v in CompoundStorage(f, use_mmap=False)._dir.items() if k.endswith(".pst"))
    return seg, place["offset"], place["length"]


def scramble_postings(index_dir: Path) -> None:
    """Overwrite postings of the passage text (inside the block of its most frequent word), which
    only a search reads: where the middle of all postings falls depends on what the other fields hold."""
    seg, offset, _ = postings(index_dir)
    ix = open_index(index_dir)
    try:
        with ix.ix.reader() as r:
            word = max(r.lexicon("text"), key=lambda t: r.doc_frequency("text", t))
            start = r.term_info("text", word)._offset
    finally:
        ix.close()
    with seg.open("r+b") as f:
        f.seek(offset + start + 100)  # past the block's header: its data is damaged
        f.write(b"\xff" * 2000)


DAMAGE = {
    "segment deleted": lambda ix: segment(ix).unlink(),
    "segment cut short": lambda ix: os.truncate(segment(ix), segment(ix).stat().st_size // 2),
    "table of contents cut short": lambda ix: os.truncate(next(ix.glob("_MAIN_*.toc")), 100),
    "record cut short": lambda ix: os.truncate(ix / "docs" / "ks-tertialrapport-1-2020.json", 1000),
}
SEGMENT_DAMAGE = [name for name in DAMAGE if "record" not in name]
# What reads no record: a search, and the report list (written at build time).
NO_RECORD = {"/api/search?q=budget", "/sok?q=budget", "/api/documents", "/"}


@pytest.fixture
def built(pristine, tmp_path):
    """A copy of the pristine index (the symlink and its generation) of the shared reports."""
    _, index = pristine
    shutil.copytree(index.resolve(), tmp_path / index.resolve().name)
    (tmp_path / "index").symlink_to(index.resolve().name)
    return tmp_path / "index"


@pytest.fixture
def shared(pristine):
    return pristine[0]


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_index_is_503_with_advice_never_500(built, damage):
    client = create_app(index_dir=built).test_client()
    assert client.get("/api/search?q=budget").status_code == 200  # opened before the damage
    DAMAGE[damage](built.resolve())
    for url in ("/api/search?q=budget", "/api/documents", "/api/activities", "/api/documents/ks-tertialrapport-1-2020"):
        r = client.get(url)
        if damage in SEGMENT_DAMAGE or url not in NO_RECORD:
            assert r.status_code == 503, url
            assert r.get_json()["ok"] is False and "rapportsok index --rebuild" in r.get_json()["error"]
    for url in ("/", "/sok?q=budget", "/aktiviteter", "/dokument/ks-tertialrapport-1-2020"):
        r = client.get(url)
        if damage in SEGMENT_DAMAGE or url not in NO_RECORD:
            assert r.status_code == 503, url
            assert "kan inte läsas" in r.get_data(as_text=True) and "rapportsok index --rebuild" in r.get_data(
                as_text=True)
        else:
            assert r.status_code == 200, url


def test_a_report_list_cut_short_is_read_from_the_records(built):
    client = create_app(index_dir=built).test_client()
    ids = [d["id"] for d in client.get("/api/documents").get_json()["documents"]]
    os.truncate(built.resolve() / DOCS / REPORT_LIST, 100)
    r = client.get("/api/documents").get_json()
    assert [d["id"] for d in r.get("documents", [])] == ids, r
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("damage", SEGMENT_DAMAGE)
def test_the_cli_says_so_in_one_message(built, damage):
    DAMAGE[damage](built.resolve())
    with pytest.raises(IndexDamaged, match="rapportsok index --rebuild"):
        open_index(built)
    result = CliRunner().invoke(main, ["search", "budget", "--index-dir", str(built)])
    assert result.exit_code != 0 and "rapportsok index --rebuild" in result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("damage", DAMAGE)
def test_the_next_index_run_repairs_a_damaged_index(built, shared, tmp_path, damage, caplog):
    client = create_app(index_dir=built).test_client()
    DAMAGE[damage](built.resolve())
    assert client.get("/aktiviteter").status_code == 503
    with caplog.at_level(logging.WARNING, "rapportsok"):
        report = build_index([shared], built, workers=1)
    if damage in SEGMENT_DAMAGE:
        assert report.rebuilt and "kan inte läsas" in caplog.text
    else:
        assert (report.rebuilt, report.updated, report.unchanged) == (False, 1, 1)
        assert "stämmer inte" in caplog.text
    assert state(built) == clean(shared, tmp_path)
    # the running app reads the repaired index without a restart
    assert client.get("/aktiviteter").status_code == 200 and client.get("/api/search?q=budget").get_json()["total"] > 0


def test_a_record_that_is_not_the_indexed_files_is_read_again(built, shared, tmp_path):
    import json

    record = built / "docs" / "ks-tertialrapport-1-2020.json"
    data = json.loads(record.read_text(encoding="utf-8"))
    record.write_text(json.dumps({**data, "hash": "0" * 64, "goals": []}), encoding="utf-8")
    (built / "docs" / "ks-tertialrapport-2-delarsrapport-2006.json").unlink()
    (built / "docs" / "foraldrad.json").write_text("{}", encoding="utf-8")
    report = build_index([shared], built, workers=1)
    assert (report.updated, report.unchanged) == (2, 0)
    assert state(built) == clean(shared, tmp_path)
    assert len(document_record(built, "ks-tertialrapport-1-2020")["goals"]) == 37


def reseal(index_dir: Path) -> None:
    """Record the damaged segment's checksum as if it had been written so (a bug, not the disk):
    only reading the postings shows the damage."""
    sums_file = index_dir / "checksums.json"
    sums = json.loads(sums_file.read_text(encoding="utf-8"))
    seg = segment(index_dir)
    sums[seg.name] = [seg.stat().st_size, zlib.crc32(seg.read_bytes())]
    sums_file.write_text(json.dumps(sums), encoding="utf-8")


def test_an_ordinary_index_run_finds_bytes_written_into_a_segment(built, shared, tmp_path, caplog):
    scramble_postings(built.resolve())
    with caplog.at_level(logging.WARNING, "rapportsok"):
        index_again(built, shared)
    assert "kan inte läsas" in caplog.text and "checksum" in caplog.text
    assert state(built) == clean(shared, tmp_path)


def test_index_check_finds_damaged_postings_and_rebuilds(built, shared, tmp_path, caplog):
    scramble_postings(built.resolve())
    reseal(built.resolve())
    with caplog.at_level(logging.WARNING, "rapportsok"):
        index_again(built, shared)  # an ordinary run reads no postings: it sees nothing wrong
        assert caplog.text == ""
        index_again(built, shared, "--check")
        assert "kan inte läsas" in caplog.text
    assert state(built) == clean(shared, tmp_path)
    caplog.clear()
    with caplog.at_level(logging.WARNING, "rapportsok"):
        index_again(built, shared, "--check")  # a sound index: nothing to say, nothing rebuilt
    assert caplog.text == ""


def test_index_rebuild_builds_a_new_generation(built, shared, tmp_path):
    before = built.resolve()
    index_again(built, shared, "--rebuild")
    assert built.resolve() != before and not before.exists()
    assert state(built) == clean(shared, tmp_path)


# --- moved files ---------------------------------------------------------------------------------

def test_a_file_moved_between_folders_keeps_its_record(tmp_path):
    folder = tmp_path / "rapporter"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    shutil.copy(CORPUS / REPORTS["001"], folder / "a")
    shutil.copy(CORPUS / REPORTS["003"], folder / "a")
    ix = tmp_path / "index"
    build_index([folder], ix, workers=1)
    (folder / "a" / REPORTS["003"]).rename(folder / "b" / REPORTS["003"])
    for _ in range(3):  # the run that sees the move, and those after it
        build_index([folder], ix, workers=1)
        assert state(ix) == clean(folder, tmp_path)
        assert state(ix)[1] == ["a-ks-tertialrapport-2-delarsrapport-2006", "b-ks-tertialrapport-1-2020"]


def test_a_file_moved_between_indexed_folders_keeps_its_record(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    shutil.copy(CORPUS / REPORTS["001"], first)
    shutil.copy(CORPUS / REPORTS["003"], first)
    ix = tmp_path / "index"
    build_index([first, second], ix, workers=1)
    before = state(ix)
    (first / REPORTS["003"]).rename(second / REPORTS["003"])  # the same id below either folder
    for _ in range(3):
        build_index([first, second], ix, workers=1)
        assert state(ix) == before
        assert document_record(ix, "ks-tertialrapport-1-2020")["source"] == str(second / REPORTS["003"])
