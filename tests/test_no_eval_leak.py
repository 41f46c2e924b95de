"""No test, and no comment of the product, quotes an evaluation question or asserts its gold
answer: the tests ask their own questions, so a general change is judged by the evaluation, not
held back by a test that pins one of its cases (tools/eval_leak.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT.parent / "shared" / "eval"

_spec = importlib.util.spec_from_file_location("eval_leak", ROOT / "tools" / "eval_leak.py")
eval_leak = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("eval_leak", eval_leak)
_spec.loader.exec_module(eval_leak)


@pytest.mark.parametrize("sets", ["eval", "fresh"])
def test_no_test_or_comment_quotes_an_evaluation_question(sets):
    if sets == "eval":
        files = sorted(EVAL_DIR.glob("*.jsonl")) if EVAL_DIR.is_dir() else []
        if not files:
            pytest.skip("../shared/eval is not here")
    else:
        files = sorted((ROOT / "benchmarks").glob("fresh*.jsonl"))
    findings = eval_leak.scan([ROOT / p for p in eval_leak.DEFAULT_PATHS], eval_leak.load_cases(files))
    assert not findings, "\n".join(map(str, findings))


def test_the_check_finds_a_quote_a_near_quote_and_a_gold_answer(tmp_path):
    case = eval_leak.Case("dev", "x1", "Hur många lövblåsare köpte parkenheten in under våren 2031?", "17 st", ("parkenheten köpte in 17 eldrivna lövblåsare",))
    other = eval_leak.Case("dev", "x2", "sopkärl Gärdet 2031", None, ())
    test = tmp_path / "test_x.py"
    test.write_text(
        "def test_a():\n"
        "    ask('hur  många lövblåsare köpte parkenheten in under våren 2031?')\n"
        "    assert answer == '17 st'\n"
        "def test_b():\n"
        "    ask('Hur många lövblåsare köpte parkenheten under våren?')\n"  # abridged
        "def test_c():\n"
        "    ask('Hur många sopkärl töms på Gärdet?')\n"  # its own question
        "    # unrelated: '17 st' alone is no leak without the question\n"
        "    assert answer == '17 st'\n",
        encoding="utf-8",
    )
    found = eval_leak.scan([test], [case, other], root=tmp_path)
    assert {(f.unit, f.kind) for f in found} == {("test_a", "quote"), ("test_a", "answer"), ("test_b", "near")}
