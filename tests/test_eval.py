"""The evaluation measures and the stock baseline."""

from __future__ import annotations

import json

import pytest

from indexer.evaluate import (
    Case,
    EvalFileError,
    evaluate,
    format_report,
    load_cases,
    measures,
    rank_of,
    stock_index,
    stock_ranks,
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
    with ix.searcher() as s:
        assert s.doc_count() == 3
    assert stock_ranks(ix, [case(["trygghetsmedel"], query="trygghetsmedel")]) == [1]


def test_evaluate_on_the_corpus(searcher):
    cases = [case(["Mottagande av anvisade kvotflyktingar har avstannat"], "question",
                  "Vad hände med mottagandet av kvotflyktingar under coronavåren 2020?"),
             case(["finns inte i någon rapport alls"], "keyword", "budget")]
    result = evaluate(searcher, cases)
    assert [c["rank"] for c in result["cases"]][1] is None
    assert result["product"]["overall"]["n"] == 2
    assert set(result["product"]["by_kind"]) == {"question", "keyword"}
    assert "overall" in format_report(result) and "stock" in format_report(result)
