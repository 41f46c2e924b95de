"""Find evaluation questions quoted in the code: tests that ask an eval or fresh question (or a
near copy of one), and tests that assert that question's gold answer or evidence. A test that
holds a dev case in place keeps a rule fitted to that case; tests ask their own questions.

    python tools/eval_leak.py                 # tests/, indexer/ and app/ against every set found
    python tools/eval_leak.py tests/test_answers.py --sets ../shared/eval/dev.jsonl

Sets: ../shared/eval/*.jsonl (when present) and benchmarks/fresh*.jsonl. What is read: every
string literal of a Python file (implicitly joined strings as one; f-strings by their literal
parts), every comment block, and every quoted phrase inside a literal or comment.

A text quotes a question (both case-folded, whitespace collapsed, compared as word sequences)
when
  - it is the question, or holds the question's whole word sequence (questions of 3+ words);
  - it shares a run of 8 words with the question (a quote inside longer text), or of 5 words
    (a quoted fragment: "eftersom det blir färre barn" from a dev question);
  - it is a near copy: ≥ 6 words in common making ≥ 80 % of its own words (an abridged
    question), or ≥ 80 % of the question's words in a text at most twice as long (a reworded one).
A test asserts a gold answer when a literal in the same test (function, decorators included, or
top-level statement) as a quoted question holds that question's `answer`, or holds one of its
`evidence` alternatives or a run of 6+ of its words.

Exit status 1 when anything is found (0 with --report-only).
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import re
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT.parent / "shared" / "eval"
DEFAULT_PATHS = ("tests", "indexer", "app")

RUN = 8  # words in a shared run that make a quote
FRAGMENT = 5  # words in a shared run that make a quoted fragment ("eftersom det blir färre barn")
NEAR_WORDS = 6  # words in common a near copy needs
NEAR_SHARE = 0.8  # ... and the share of each side's words they make
EVIDENCE_RUN = 6  # words of an evidence alternative a literal may not repeat next to its question

_WORD = re.compile(r"\w+")
_QUOTED = re.compile(r"\"([^\"]{8,})\"|'([^']{8,})'|“([^”]{8,})”|”([^”]{8,})”|«([^»]{8,})»")


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def normal(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class Case:
    set: str
    id: str
    query: str
    answer: str | None
    evidence: tuple[str, ...]

    @property
    def words(self) -> list[str]:
        return words(self.query)


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    unit: str  # the test (or top-level statement) the text is in
    kind: str  # "quote", "near", "run", "answer", "evidence"
    case: Case
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} [{self.unit}] {self.kind} {self.case.set}/{self.case.id}: {self.text[:90]!r}"


def eval_sets(eval_dir: Path = EVAL_DIR, root: Path = ROOT) -> list[Path]:
    sets = sorted(eval_dir.glob("*.jsonl")) if eval_dir.is_dir() else []
    return sets + sorted((root / "benchmarks").glob("fresh*.jsonl"))


def load_cases(paths: list[Path]) -> list[Case]:
    cases = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            evidence = row.get("evidence") or ()
            if isinstance(evidence, str):
                evidence = (evidence,)
            cases.append(Case(path.stem, row["id"], row["query"], row.get("answer"), tuple(evidence)))
    return cases


def _runs(seq: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(seq[i : i + n]) for i in range(len(seq) - n + 1)}


def _contains(hay: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(hay[i : i + n] == needle for i in range(len(hay) - n + 1))


class Matcher:
    def __init__(self, cases: list[Case]):
        self.cases = cases
        self._words = [(case, case.words, set(case.words)) for case in cases]
        self._runs = [(case, _runs(w, RUN)) for case, w, _ in self._words]
        self._fragments = [(case, _runs(w, FRAGMENT)) for case, w, _ in self._words]

    def quotes(self, text: str) -> list[tuple[str, Case]]:
        """The questions `text` quotes, each with how."""
        tw = words(text)
        if not tw:
            return []
        found: dict[str, tuple[str, Case]] = {}
        truns = _runs(tw, RUN) if len(tw) >= RUN else set()
        tset = set(tw)
        for case, qw, qset in self._words:
            if not qw:
                continue
            if tw == qw or (len(qw) >= 3 and qset <= tset and _contains(tw, qw)):
                found[case.id] = ("quote", case)
                continue
            common = len(tset & qset)
            if common >= NEAR_WORDS and (
                common >= NEAR_SHARE * len(tset)  # an abridged question
                or (common >= NEAR_SHARE * len(qset) and len(tset) <= 2 * len(qset))  # a reworded one
            ):
                found[case.id] = ("near", case)
        if truns:
            for case, qruns in self._runs:
                if case.id not in found and truns & qruns:
                    found[case.id] = ("run", case)
        if len(tw) >= FRAGMENT:
            tfrag = _runs(tw, FRAGMENT)
            for case, qfrag in self._fragments:
                if case.id not in found and tfrag & qfrag:
                    found[case.id] = ("fragment", case)
        return list(found.values())

    @staticmethod
    def gold(text: str, case: Case) -> str | None:
        """How `text` repeats `case`'s gold answer or evidence, if it does."""
        t = normal(text)
        if case.answer and len(normal(case.answer)) >= 2 and normal(case.answer) in t:
            return "answer"
        tw = words(text)
        for alternative in case.evidence:
            e = normal(alternative)
            ew = words(alternative)
            if e and (e in t or (len(tw) >= EVIDENCE_RUN and _contains(ew, tw))):
                return "evidence"
            if len(tw) >= EVIDENCE_RUN and len(ew) >= EVIDENCE_RUN and _runs(tw, EVIDENCE_RUN) & _runs(ew, EVIDENCE_RUN):
                return "evidence"
        return None


@dataclass
class _Text:
    line: int
    text: str
    unit: str


def _units(tree: ast.Module) -> list[tuple[int, int, str]]:
    """(first line, last line, name) of every function (decorators included), innermost last, and of
    every other top-level statement."""
    spans = []
    for node in tree.body:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        name = getattr(node, "name", None) or f"line {node.lineno}"
        spans.append((first, node.end_lineno or node.lineno, name))
        if isinstance(node, ast.ClassDef):
            for sub in ast.walk(node):
                if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    sfirst = min([sub.lineno] + [d.lineno for d in sub.decorator_list])
                    spans.append((sfirst, sub.end_lineno or sub.lineno, f"{node.name}.{sub.name}"))
    return spans


def _unit_of(spans, line: int) -> str:
    best = None
    for first, last, name in spans:
        if first <= line <= last and (best is None or first >= best[0]):
            best = (first, name)
    return best[1] if best else "module"


def texts(source: str) -> list[_Text]:
    """Every string literal and comment block of `source`, and the phrases quoted inside them."""
    tree = ast.parse(source)
    spans = _units(tree)
    out: list[_Text] = []
    joined_parts: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
            for v in node.values:
                joined_parts.add(id(v))
            out.append(_Text(node.lineno, " ".join(parts), _unit_of(spans, node.lineno)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in joined_parts:
            out.append(_Text(node.lineno, node.value, _unit_of(spans, node.lineno)))
    # Comment blocks: consecutive comment lines read as one text.
    block: list[str] = []
    start = 0
    last = -2
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type != tokenize.COMMENT:
            continue
        row = tok.start[0]
        if row != last + 1 and block:
            out.append(_Text(start, " ".join(block), _unit_of(spans, start)))
            block = []
        if not block:
            start = row
        block.append(tok.string.lstrip("#").strip())
        last = row
    if block:
        out.append(_Text(start, " ".join(block), _unit_of(spans, start)))
    quoted = []
    for t in out:
        for m in _QUOTED.finditer(t.text):
            phrase = next(g for g in m.groups() if g)
            if phrase.strip() != t.text.strip():
                quoted.append(_Text(t.line, phrase, t.unit))
    return out + quoted


def scan_file(path: Path, matcher: Matcher, root: Path = ROOT) -> list[Finding]:
    source = path.read_text(encoding="utf-8")
    try:
        found = texts(source)
    except SyntaxError:
        return []
    rel = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    findings: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    quoted_in_unit: dict[str, dict[str, Case]] = {}
    for t in found:
        for kind, case in matcher.quotes(t.text):
            quoted_in_unit.setdefault(t.unit, {})[case.id] = case
            key = (t.unit, case.id, "q")
            if key not in seen:
                seen.add(key)
                findings.append(Finding(rel, t.line, t.unit, kind, case, t.text))
    for t in found:
        for case in quoted_in_unit.get(t.unit, {}).values():
            how = matcher.gold(t.text, case)
            key = (t.unit, case.id, how or "")
            if how and key not in seen:
                seen.add(key)
                findings.append(Finding(rel, t.line, t.unit, how, case, t.text))
    return sorted(findings, key=lambda f: (f.path, f.line))


def python_files(paths: list[Path]) -> list[Path]:
    files = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*.py") if ".venv" not in f.parts))
        elif p.suffix == ".py":
            files.append(p)
    return files


def scan(paths: list[Path], cases: list[Case], root: Path = ROOT, skip: tuple[str, ...] = ()) -> list[Finding]:
    matcher = Matcher(cases)
    findings = []
    for f in python_files(paths):
        if f.resolve() in {Path(s).resolve() for s in skip}:
            continue
        findings.extend(scan_file(f, matcher, root))
    return findings


def summary(findings: list[Finding]) -> str:
    files = {f.path for f in findings}
    units = {(f.path, f.unit) for f in findings}
    questions = {(f.case.set, f.case.id) for f in findings if f.kind in ("quote", "near", "run", "fragment")}
    gold = [f for f in findings if f.kind in ("answer", "evidence")]
    by_set: dict[str, int] = {}
    for s, _ in questions:
        by_set[s] = by_set.get(s, 0) + 1
    sets = ", ".join(f"{k} {v}" for k, v in sorted(by_set.items())) or "none"
    return (
        f"{len(findings)} findings in {len(units)} tests/statements of {len(files)} files; "
        f"{len(questions)} distinct questions quoted ({sets}); {len(gold)} gold answer/evidence assertions"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default: tests, indexer, app)")
    parser.add_argument("--sets", nargs="*", type=Path, help="eval jsonl files (default: ../shared/eval/*.jsonl and benchmarks/fresh*.jsonl)")
    parser.add_argument("--report-only", action="store_true", help="exit 0 even when something is found")
    parser.add_argument("--summary", action="store_true", help="print only the counts")
    args = parser.parse_args(argv)
    sets = args.sets or eval_sets()
    paths = args.paths or [ROOT / p for p in DEFAULT_PATHS]
    findings = scan(paths, load_cases(sets), skip=(__file__,))
    if not args.summary:
        for f in findings:
            print(f)
    print(f"sets: {', '.join(p.name for p in sets)}")
    print(summary(findings))
    return 1 if findings and not args.report_only else 0


if __name__ == "__main__":
    sys.exit(main())
