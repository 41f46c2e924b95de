"""Which files a set of paths names, and the report id each gets."""

from __future__ import annotations

from conftest import CORPUS, REPORTS, small_report

from indexer import collect_sources


def ids(paths):
    sources, clashes = collect_sources(paths)
    return {s.doc_id: s.path for s in sources}, clashes


def test_ids_come_from_the_path_below_the_indexed_folder(tmp_path):
    ks, sodermalm = small_report(tmp_path / "KS" / "rapport.txt"), small_report(tmp_path / "Södermalm" / "rapport.txt")
    found, clashes = ids([tmp_path])
    assert found == {"ks-rapport": ks, "sodermalm-rapport": sodermalm} and clashes == []


def test_a_file_named_directly_is_known_by_its_name(tmp_path):
    report = small_report(tmp_path / "deep" / "er" / "Tertialrapport 1 2020.txt")
    assert ids([report]) == ({"tertialrapport-1-2020": report}, [])
    assert ids([CORPUS / REPORTS["003"]])[0] == {"ks-tertialrapport-1-2020": CORPUS / REPORTS["003"]}


def test_of_two_files_with_one_id_one_keeps_it_and_the_other_is_a_clash(tmp_path):
    nested, flat = small_report(tmp_path / "a" / "b.txt"), small_report(tmp_path / "a-b.txt")
    other = small_report(tmp_path / "c.txt")
    found, clashes = ids([tmp_path])
    assert set(found) == {"a-b", "c"} and found["c"] == other
    [(path, _)] = clashes
    assert {str(found["a-b"]), path} == {str(nested), str(flat)}


def test_only_supported_visible_files_each_once(tmp_path):
    report = small_report(tmp_path / "rapport.txt")
    (tmp_path / "anteckning.docx").write_bytes(b"")
    small_report(tmp_path / ".dold.txt")
    found, _ = ids([tmp_path, report, tmp_path / "rapport.txt"])
    assert found == {"rapport": report}
