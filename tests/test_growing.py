"""An archive grown one report at a time ends exactly like a clean build, on both engines: random
sequences of adding, changing and removing bundled reports, agency PDFs (where present) and odd
files (no nämnd, no year, no structure, empty, binary), with `<file>.meta.toml` edits. CI runs a
few dozen; `python benchmarks/growing.py --sequences 1000` runs the thousand benchmarks/README.md reports."""

from __future__ import annotations

import os
import shutil

from conftest import CORPUS, REPORTS
from growing import cached_reading, pool, run, snapshot

from indexer import build_index

SEQUENCES = int(os.environ.get("RAPPORTSOK_SEQUENCES", "10"))
STEPS = 4


def test_random_sequences_of_changes_end_like_a_clean_build(engine, tmp_path_factory, monkeypatch):
    cached_reading(monkeypatch)
    root = tmp_path_factory.getbasetemp() / "growing"  # one place for both engines: files are read once
    contents, clean = pool(), {}
    for seed in range(SEQUENCES):
        run(seed, root, engine, contents, STEPS, clean)


def test_a_report_without_statuses_added_to_an_index_is_searched_with_facets(engine, tmp_path, monkeypatch):
    """Issue 23's first defect: a report with no status or deviation anywhere (no nämnd, no year,
    no structure) added to an index of one with them made every search fail on Whoosh (IndexError)."""
    cached_reading(monkeypatch)
    txt = pool()[".txt"]
    folder = tmp_path / "rapporter"
    folder.mkdir()
    shutil.copy(CORPUS / REPORTS["000"], folder / "a.txt")  # whole: a segment Whoosh does not merge away
    build_index([folder], tmp_path / "index", workers=1, engine=engine)
    (folder / "b.txt").write_bytes(txt["utan-struktur"])
    grown = build_index([folder], tmp_path / "index", workers=1, engine=engine, check=True)
    assert (grown.added, grown.unchanged, grown.rebuilt) == (1, 1, False)
    whole = build_index([folder], tmp_path / "clean", workers=1, engine=engine)
    grown_view = snapshot(tmp_path / "index", grown.failed)
    assert grown_view == snapshot(tmp_path / "clean", whole.failed)
    assert grown_view["searches"]["mål", "relevance"] and dict(grown_view["facets"]["status"])["helt"]


def test_an_index_of_only_unreadable_files_is_searched(engine, tmp_path):
    folder = tmp_path / "rapporter"
    folder.mkdir()
    (folder / "tom.txt").write_bytes(b"")
    report = build_index([folder], tmp_path / "index", workers=1, engine=engine)
    assert report.passages == 0 and len(report.failed) == 1
    view = snapshot(tmp_path / "index", report.failed)
    assert view["passages"] == [] and view["records"] == {} and view["searches"]["budget", "relevance"] == 0
