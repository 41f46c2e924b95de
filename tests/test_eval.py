"""The evaluation measures and the stock baseline."""

from __future__ import annotations

import json

import pytest

from indexer.evaluate import (
    THRESHOLDS,
    WRONG_COST,
    Case,
    EvalFileError,
    evaluate,
    format_report,
    half,
    load_cases,
    measures,
    rank_of,
    stock_index,
    stock_ranks,
    utility,
)


def case(evidence, kind="keyword", query="q"):
    return Case("x", query, kind, "doc", tuple(evidence), None, {})


def test_rank_of_folds_case_and_whitespace():
    c = case(["AGRESSO projektet har   avslutats"])
    assert rank_of(["annat", "Agresso\nprojektet har avslutats. Samtliga"], c) == 2
    assert rank_of(["annat"], c) is None


def test_measures():
    m = measures([1, 2, None, 6, 11])
    assert m["recall@1"] == pytest.approx(0.2) and m["recall@5"] == pytest.approx(0.4)
    assert m["mrr@10"] == pytest.approx((1 + 1 / 2 + 1 / 6) / 5)


def test_load_cases_reports_the_bad_line(tmp_path):
    good = {"id": "a", "query": "q", "kind": "keyword", "doc": "d", "evidence": ["e"], "answer": None}
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(good) + "\n\n{not json}\n", encoding="utf-8")
    with pytest.raises(EvalFileError, match=r"cases.jsonl:3"):
        load_cases(path)
    path.write_text(json.dumps(good) + "\n", encoding="utf-8")
    assert load_cases(path)[0].evidence == ("e",)


def test_stock_baseline_uses_120_word_windows():
    text = " ".join(f"ord{n}" for n in range(300)) + " trygghetsmedel"
    ix = stock_index({"doc": text})
    assert ix.doc_count() == 3
    assert stock_ranks(ix, [case(["trygghetsmedel"], query="trygghetsmedel")]) == [1]


def test_evaluate_on_the_corpus(searcher):
    cases = [case(["utom medborgarundersökningen som till följd av coronapandemin ställs in"], "question",
                  "Vad hände med medborgarundersökningen under coronapandemin?"),
             case(["finns inte i någon rapport alls"], "keyword", "budget")]
    result = evaluate(searcher, cases)
    assert [c["rank"] for c in result["cases"]][1] is None
    assert result["product"]["overall"]["n"] == 2
    assert set(result["product"]["by_kind"]) == {"question", "keyword"}
    assert "overall" in format_report(result) and "stock" in format_report(result)


def test_unanswerable_cases_load_without_evidence(tmp_path):
    path = tmp_path / "unanswerable.jsonl"
    path.write_text(json.dumps({"id": "u1", "query": "q", "kind": "unanswerable", "why": "w"}) + "\n",
                    encoding="utf-8")
    assert load_cases(path)[0].evidence == () and load_cases(path)[0].answer is None


def answer_case(id_, query, answer):
    return Case(id_, query, "question" if answer else "unanswerable", "doc", (), answer, {})


def test_utility_counts_a_wrong_answer_against_two_right():
    cases = [answer_case("a", "q", "26,1 mnkr"), answer_case("b", "q", "7,0"), answer_case("u", "q", None)]
    assert utility(cases, ["beviljades 26,1 mnkr", None, None]) == 1
    assert utility(cases, ["beviljades 26,1 mnkr", "fel", None]) == 1 - WRONG_COST
    assert utility(cases, ["beviljades 26,1 mnkr", None, "ett svar"]) == 1 - WRONG_COST


def test_answers_per_kind_unanswerable_and_the_threshold(searcher):
    cases = [case(["trygghetsmedel"], "figure", "Hur mycket beviljades i trygghetsmedel under första tertialet 2020?")]
    cases = [Case(c.id, c.query, c.kind, c.doc, c.evidence, "26,1 mnkr", {}) for c in cases]
    unanswerable = [answer_case("u1", "Hur mycket uppgår kommunstyrelsens investeringsbudget till i tertialrapport 2 "
                                      "2020?", None),
                    answer_case("u2", "Hur många pingviner finns på Skansen?", None)]
    result = evaluate(searcher, cases, unanswerable)
    assert result["product"]["answers"]["figure"]["accuracy"] == 1.0
    assert result["product"]["unanswerable"] == {"withheld": 1.0, "n": 2}
    assert result["stock"]["unanswerable"]["n"] == 2
    rows = result["trade_off"]
    assert [r["threshold"] for r in rows] == list(THRESHOLDS)
    assert rows[0]["answered"] == 1.0 and rows[-1]["answered"] <= rows[0]["answered"]
    choice = result["threshold_choice"]
    assert choice["threshold"] in THRESHOLDS and set(choice) == {"threshold", "tuning", "held-out"}
    report = format_report(result)
    assert "unanswerable" in report and "withheld" in report and "chosen on the tuning half" in report


def test_eval_command_reads_the_unanswerable_file_beside(corpus_index, tmp_path):
    from click.testing import CliRunner

    from indexer.cli import main

    dev = tmp_path / "dev.jsonl"
    dev.write_text(json.dumps({"id": "d", "query": "Uppfylls målet om Södermalms parker?", "kind": "status",
                               "doc": "x", "evidence": ["Södermalms parker"], "answer": "Uppfylls delvis"}) + "\n",
                   encoding="utf-8")
    (tmp_path / "unanswerable.jsonl").write_text(json.dumps(
        {"id": "u", "query": "Hur många pingviner finns på Skansen?", "kind": "unanswerable"}) + "\n",
        encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(dev), "--json", "--index-dir", str(corpus_index)])
    data = json.loads(result.output)
    assert data["product"]["unanswerable"] == {"withheld": 1.0, "n": 1}
    assert data["product"]["answers"]["status"]["accuracy"] == 1.0


def test_the_halves_are_fixed_by_the_id_and_both_reported(searcher):
    ids = [f"case-{n}" for n in range(200)]
    halves = [half(i) for i in ids]
    assert halves == [half(i) for i in ids]  # a case never changes half
    assert 70 < halves.count("tuning") < 130
    cases = [Case(i, "budget", "keyword", "rapport.pdf" if n % 2 else "rapport.txt", ("budget",), None, {})
             for n, i in enumerate(ids[:6])]
    result = evaluate(searcher, cases)
    for h in ("tuning", "held-out"):
        part = result["product"]["halves"][h]
        assert part["search"]["n"] == sum(half(c.id) == h for c in cases)
        assert part["pdf"]["n"] == sum(half(c.id) == h and c.doc.endswith(".pdf") for c in cases)
    assert "held-out" in format_report(result)


def test_eval_reads_several_sets_and_the_unanswerable_beside_each(corpus_index, tmp_path):
    from click.testing import CliRunner

    from indexer.cli import main

    for n, suffix in enumerate(("", "2")):
        (tmp_path / f"set{suffix}.jsonl").write_text(json.dumps(
            {"id": f"s{n}", "query": "budget", "kind": "keyword", "doc": "x", "evidence": ["budget"]}) + "\n",
            encoding="utf-8")
        (tmp_path / f"unanswerable{suffix}.jsonl").write_text(json.dumps(
            {"id": f"u{n}", "query": "Hur många pingviner bor i stadshuset?", "kind": "unanswerable"}) + "\n",
            encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(tmp_path / "set.jsonl"), str(tmp_path / "set2.jsonl"), "--json",
                                       "--index-dir", str(corpus_index)])
    data = json.loads(result.output)
    assert data["product"]["overall"]["n"] == 2
    assert data["product"]["unanswerable"]["n"] == 2
