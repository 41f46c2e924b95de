"""The command line: the JSON contract, the summary, exit codes for bad input, progress, and help that
shows the README's examples."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import CORPUS, REPORTS, ROOT

from indexer.cli import main

CONTRACT = {
    "document": {"title", "namnd", "year", "report_type", "period", "dnr", "date", "pages"},
    "goals": {"level", "number", "title", "status", "parent"},
    "activities": {"text", "start", "end", "deviation", "comment", "goal"},
    "indicators": {"name", "outcome", "outcome_men", "outcome_women", "previous", "forecast", "target",
                   "kf_target", "period", "comment", "goal"},
    "decisions": {"number", "text"},
    "sections": {"kind", "heading", "text", "goal", "page", "lines"},
}


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_parse_json_keeps_the_contract():
    result = run("parse", str(CORPUS / REPORTS["003"]), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert CONTRACT["document"] <= set(data["document"])
    for key in ("goals", "activities", "indicators", "decisions", "sections"):
        assert data[key], key
        assert all(CONTRACT[key] <= set(item) for item in data[key]), key
    assert data["document"]["year"] == 2020 and isinstance(data["document"]["year"], int)
    assert {g["status"] for g in data["goals"]} <= {"helt", "delvis", "inte", None}
    assert {g["level"] for g in data["goals"]} == {"inriktningsmal", "verksamhetsmal", "namndmal"}
    assert all(isinstance(s["lines"], list) and len(s["lines"]) == 2 for s in data["sections"])
    kinds = {s["kind"] for s in data["sections"]}
    assert {"summary", "analysis", "expected_result", "activity", "indicator", "decision", "economy"} <= kinds
    goals = data["goals"]
    for act in data["activities"]:
        assert act["goal"] is None or 0 <= act["goal"] < len(goals)


def test_parse_without_paths_reads_the_configured_corpus():
    result = run("parse")
    assert result.exit_code == 0
    for name in REPORTS.values():
        assert name in result.output
    assert "Södermalms stadsdelsnämnd" in result.output


def test_a_broken_file_is_reported_and_the_others_still_read(tmp_path):
    bad = tmp_path / "trasig.pdf"
    bad.write_bytes(b"inte en pdf")
    result = run("parse", str(bad), str(CORPUS / REPORTS["000"]), "--json")
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1 and json.loads(lines[0])["document"]["year"] == 2015
    assert f"rapportsok: error: {bad}: not a PDF file" in result.stderr
    assert "1 of 2 files could not be read" in result.stderr
    assert "Traceback" not in result.output


def test_folder_with_nothing_to_read_is_a_usage_error(tmp_path):
    result = run("parse", str(tmp_path))
    assert result.exit_code == 2 and "no .txt or .pdf files" in result.output


def test_bad_config_is_a_usage_error(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text("[server\nport = 1", encoding="utf-8")
    result = run("--config", str(cfg), "parse")
    assert result.exit_code == 2 and "not valid TOML" in result.output


def test_sidecar_overrides_inferred_fields(tmp_path):
    report = tmp_path / "rapport.txt"
    report.write_bytes((CORPUS / REPORTS["004"]).read_bytes())
    (tmp_path / "rapport.txt.meta.toml").write_text('namnd = "Södermalms stadsdelsnämnd"\ndnr = "1.2.3-45/2020"\n',
                                                    encoding="utf-8")
    data = json.loads(run("parse", str(report), "--json").output)
    assert data["document"]["dnr"] == "1.2.3-45/2020" and data["document"]["year"] == 2020
    (tmp_path / "rapport.txt.meta.toml").write_text('organ = "x"\n', encoding="utf-8")
    result = run("parse", str(report))
    assert result.exit_code == 1 and "unknown document fields organ" in result.stderr


def test_index_search_and_eval_commands(tmp_path):
    ix = tmp_path / "ix"
    result = run("index", str(CORPUS / REPORTS["003"]), "--index-dir", str(ix), "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output
    again = run("index", str(CORPUS / REPORTS["003"]), "--index-dir", str(ix))
    assert "1 unchanged" in again.output
    found = run("search", "krigsorganisation", "--index-dir", str(ix), "--json", "--kind", "activity")
    data = json.loads(found.output)
    assert data["total"] >= 1 and data["hits"][0]["deviation"] is True
    assert set(data["facets"]) >= {"namnd", "year", "kind"}
    plain = run("search", "krigsorganisation", "--index-dir", str(ix))
    assert "träffar" in plain.output and "Tertialrapport 1 2020" in plain.output
    bad = run("search", "budget", "--index-dir", str(ix), "--kind", "fel")
    assert bad.exit_code == 2 and "kind måste vara en av" in bad.output
    missing = run("search", "budget", "--index-dir", str(tmp_path / "saknas"))
    assert missing.exit_code == 2 and "no index" in missing.output
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps({"id": "a", "query": "krigsorganisation", "kind": "keyword", "doc": "003",
                                 "evidence": ["krigsorganisation"], "answer": None}) + "\n", encoding="utf-8")
    measured = run("eval", str(cases), "--index-dir", str(ix))
    assert measured.exit_code == 0 and "overall" in measured.output
    assert "1.00" in measured.output.splitlines()[-1]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_index_lists_broken_files_and_exits_1(tmp_path, workers):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "trasig.pdf").write_bytes(b"garbage")
    (folder / "rapport.txt").write_bytes((CORPUS / REPORTS["001"]).read_bytes())
    result = run("index", str(folder), "--index-dir", str(tmp_path / "ix"), "--workers", workers)
    assert result.exit_code == 1
    assert "1 added" in result.stdout
    # Progress names only the file that was read; the broken one is named once, with its reason.
    assert f"indexed {folder / 'rapport.txt'}" in result.stderr.splitlines()
    assert result.stderr.count("trasig.pdf") == 1 and f"rapportsok: error: {folder / 'trasig.pdf'}: not a PDF file" \
        in result.stderr


def use_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("\n## Use\n", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("command", [[], ["serve"], ["index"], ["search"], ["ask"], ["eval"], ["parse"]])
def test_each_help_shows_one_example_in_the_readmes_words(command):
    from app.serve import main as rapportsok  # the entry point: the library's commands and serve

    result = CliRunner().invoke(rapportsok, [*command, "--help"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    examples = [lines[n + 1].strip() for n, line in enumerate(lines) if line.strip().startswith("Example")]
    assert len(examples) == 1 and examples[0].startswith(" ".join(["rapportsok", *command]))
    assert examples[0] in use_section()


def test_eval_help_says_what_the_cases_file_is():
    text = " ".join(run("eval", "--help").output.split())
    assert "CASES_FILES are evaluation sets, one JSON case a line" in text
    assert "kept beside the repository, never in it: ../shared/eval/dev.jsonl and dev2.jsonl" in text
    assert "tuning half and the held-out half" in text
