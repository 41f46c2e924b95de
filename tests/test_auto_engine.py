"""`engine = "auto"`: an index built anew is on Whoosh up to TANTIVY_FROM passages and on tantivy
past it, and says why; an existing index keeps the engine it was built with."""

from __future__ import annotations

import shutil

import pytest

from conftest import CORPUS, REPORTS

from indexer import build_index, open_index
from indexer.config import AUTO, load_config
from indexer.store import build, generations
from indexer.store.engine.whoosh import WhooshIndex

pytest.importorskip("tantivy")

from indexer.store.engine.tantivy import TantivyIndex  # noqa: E402


@pytest.fixture
def folder(tmp_path):
    """Two bundled reports: a few hundred passages."""
    target = tmp_path / "rapporter"
    target.mkdir()
    for name in (REPORTS["003"], REPORTS["004"]):
        shutil.copyfile(CORPUS / name, target / name)
    return target


def built_with(index_dir) -> str:
    return generations.read_meta(index_dir.resolve())["version"]["engine"]


def test_the_shipped_setting_is_auto():
    assert load_config(CORPUS.parent / "config.toml").engine == AUTO


def test_a_small_archive_is_built_on_whoosh_and_says_so(tmp_path, folder):
    report = build_index([folder], tmp_path / "index", workers=1)
    assert report.engine == "whoosh" and built_with(tmp_path / "index") == "whoosh"
    assert f"arkivet har {report.passages} passager" in report.engine_why
    assert isinstance(open_index(tmp_path / "index"), WhooshIndex)


def test_past_the_threshold_it_is_built_on_tantivy_with_every_passage(tmp_path, folder, monkeypatch):
    small = build_index([folder], tmp_path / "whoosh", workers=1)
    monkeypatch.setattr(build, "TANTIVY_FROM", 100)  # passed by the first report read
    report = build_index([folder], tmp_path / "index", workers=1)
    assert report.engine == "tantivy" and "fler än 100 passager" in report.engine_why
    assert isinstance(open_index(tmp_path / "index"), TantivyIndex)
    assert (report.added, report.passages) == (2, small.passages)  # the reports read before the choice too


def test_an_existing_index_keeps_its_engine_until_rebuilt(tmp_path, folder, monkeypatch):
    index = tmp_path / "index"
    build_index([folder.joinpath(REPORTS["003"])], index, workers=1, engine="whoosh")
    monkeypatch.setattr(build, "TANTIVY_FROM", 100)
    grown = build_index([folder], index, workers=1)  # one report added, in place
    assert not grown.rebuilt and grown.added == 1 and grown.engine == "whoosh"
    assert "--rebuild" in grown.engine_why and built_with(index) == "whoosh"
    rebuilt = build_index([folder], index, workers=1, rebuild=True)
    assert rebuilt.rebuilt and rebuilt.engine == "tantivy" and built_with(index) == "tantivy"
    monkeypatch.setattr(build, "TANTIVY_FROM", 10**9)
    again = build_index([folder], index, workers=1)  # below the threshold now: tantivy still
    assert not again.rebuilt and again.engine == "tantivy" and again.engine_why == ""
    assert isinstance(open_index(index), TantivyIndex)


def test_a_named_engine_is_used_whatever_the_size(tmp_path, folder, monkeypatch):
    monkeypatch.setattr(build, "TANTIVY_FROM", 100)
    report = build_index([folder], tmp_path / "index", workers=1, engine="whoosh")
    assert report.engine == "whoosh" and report.engine_why == ""
