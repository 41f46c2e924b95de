"""The version an index is built by: derived from the code, the libraries, the word list and the
analysis settings, so that any change to what the index would hold rebuilds it."""

from __future__ import annotations

import shutil

import pytest

from indexer import Analysis, IndexMissing, open_index
from indexer.store import schema
from indexer.store.analysis import dictionary_path

PACKAGE = schema._PACKAGE


@pytest.fixture
def fingerprint():
    """The fingerprint computed afresh each time (it is cached per process); the cache is
    cleared again after the test, so later tests see the real one."""

    def compute() -> str:
        schema.code_fingerprint.cache_clear()
        return schema.code_fingerprint()

    yield compute
    schema.code_fingerprint.cache_clear()


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A copy of the package whose module texts the fingerprint reads."""
    copy = tmp_path / "indexer"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "data"))
    monkeypatch.setattr(schema, "_PACKAGE", copy)
    return copy


@pytest.mark.parametrize("module", ["ingest/pipeline.py", "ingest/tables.py", "store/analysis.py",
                                    "store/schema.py", "records.py", "patterns.py"])
def test_a_change_to_a_module_that_decides_the_index_changes_the_fingerprint(fingerprint, package, module):
    before = fingerprint()
    with (package / module).open("a", encoding="utf-8") as f:
        f.write("\n# a change\n")
    assert fingerprint() != before


@pytest.mark.parametrize("module", ["query/search.py", "query/answers.py", "cli.py", "history.py"])
def test_query_time_code_does_not_rebuild_the_index(fingerprint, package, module):
    before = fingerprint()
    with (package / module).open("a", encoding="utf-8") as f:
        f.write("\n# a change\n")
    assert fingerprint() == before


@pytest.mark.parametrize("library", ["whoosh3", "pdfminer.six", "simplemma", "hunspell-sv"])
def test_a_new_library_version_changes_the_fingerprint(fingerprint, monkeypatch, library):
    before = fingerprint()
    installed = schema.metadata.version
    monkeypatch.setattr(schema.metadata, "version", lambda name: "99.0" if name == library else installed(name))
    assert fingerprint() != before


def test_another_word_list_changes_the_fingerprint(fingerprint, monkeypatch, tmp_path):
    before = fingerprint()
    words = tmp_path / "sv_SE.dic"
    shutil.copy(dictionary_path(), words)
    with words.open("a", encoding="utf-8") as f:
        f.write("trygghetsvandring\n")
    monkeypatch.setenv("RAPPORTSOK_SV_DIC", str(words))
    assert fingerprint() != before


def test_the_analysis_settings_are_part_of_the_version():
    versions = [schema.version_of(a) for a in (Analysis(), Analysis(stemming=False), Analysis(decompounding=False))]
    assert len({repr(v) for v in versions}) == 3
    assert schema.version_of(None) == schema.version_of(Analysis())


def test_an_index_built_with_other_libraries_is_not_read(fingerprint, monkeypatch, corpus_index):
    open_index(corpus_index)
    installed = schema.metadata.version
    monkeypatch.setattr(schema.metadata, "version", lambda name: "99.0" if name == "whoosh3" else installed(name))
    fingerprint()
    with pytest.raises(IndexMissing, match="another version"):
        open_index(corpus_index)
