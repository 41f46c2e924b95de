"""Does each rule suspected of being fitted to single dev cases (issue 22, item 5) help on the
held-out half? (The rules it found helping no held-out case are gone from the product: the
benchmarks/README.md, "Search and answers, per half", lists them with the figures.) Each rule is switched off in-process (a module attribute or function patched, then
restored) and search and answers are run over dev + dev2 and both unanswerable files with one
opened searcher; the cases that got better and worse with the rule ON against OFF are counted per
half (`evaluate.half`).

    python benchmarks/rules.py var/eval-index ../shared/eval/dev.jsonl ../shared/eval/dev2.jsonl

Held-out cases are only ever counted: their ids and queries are never printed. Tuning-half cases
are listed by id. The rule for keeping a rule: the held-out half shows it helps at least 2 cases
(net of the ones it hurts).

Measured per case, ON (the product as it is) against OFF (the rule switched off):
- search: whether the evidence is at rank 1 (`product_ranks`: hits, then nearest passages);
- answers: whether the answer is right (`answers.rank` + `decide`, `evaluate.answered`);
- unanswerable: whether the answer is withheld.

Then each synonym group (swedish.SYNONYMS) is switched off alone, re-running only
the cases whose question words belong to it (found by tracing `plan.synonyms_of` in the baseline
run), and each group's members are listed with the passages each finds alone and the passages the
group adds to it (a search for the word with `Ranking.synonym` 0 against the product's).
"""

from __future__ import annotations

import contextlib
import inspect
import re
import sys
import textwrap
import time
from dataclasses import dataclass
from typing import Callable

from indexer import load_sets, open_index, open_searcher
from indexer.evaluate import HALVES, HELD_OUT, TUNING, Case, answered, half, measures, rank_of
from indexer.query import answers, plan as plan_module, questions, reading, synonyms
from indexer.query.ranking import DEFAULT
from indexer.query.search import SearchParams, search

# --- patching ------------------------------------------------------------------------------


@contextlib.contextmanager
def patched(*changes: tuple[object, str, object]):
    """Set module attributes for the duration, then put the originals back."""
    saved = [(obj, name, getattr(obj, name)) for obj, name, _ in changes]
    try:
        for obj, name, value in changes:
            setattr(obj, name, value)
        yield
    finally:
        for obj, name, value in reversed(saved):
            setattr(obj, name, value)


def rewritten(module, name: str, old: str, new: str) -> Callable:
    """The module's function with one piece of its source replaced, compiled in the module's
    namespace: a rule inside a function is switched off without copying the function here, and a
    change to the product's source that moves the rule fails loudly instead of measuring nothing."""
    source = textwrap.dedent(inspect.getsource(getattr(module, name)))
    if source.count(old) != 1:
        raise RuntimeError(f"{module.__name__}.{name}: the rule's text {old!r} is not in its source once")
    namespace = dict(vars(module))
    exec(compile(source.replace(old, new), inspect.getsourcefile(module), "exec"), namespace)
    return namespace[name]


def never(*_args, **_kwargs) -> bool:
    return False


NEVER = re.compile(r"(?!x)x")  # a pattern that matches nothing


def synonym_groups(kept: tuple[frozenset[str], ...]):
    """The synonyms as these groups only."""
    return patched((synonyms, "groups", lambda: kept))


def everything(q: str) -> bool:
    return True


def says(*words: str) -> Callable[[str], bool]:
    """Whether a question holds one of these words (or a word they begin)."""
    pattern = re.compile(rf"\b(?:{'|'.join(words)})", re.IGNORECASE)
    return lambda q: bool(pattern.search(q))


@dataclass(frozen=True)
class Rule:
    """A rule, how to switch it off, and which cases it can change at all: the patched function
    gives another result only for the questions `applies` admits, and an answers-only rule
    (`in_search` False) never changes a search. The other cases keep their baseline outcome."""

    name: str
    what: str
    off: Callable[[], contextlib.AbstractContextManager]
    applies: Callable[[str], bool] = everything
    in_search: bool = True


RULES = [
    Rule("signature", "questions.asks_signer false when a question is read and in answers.candidates",
         lambda: patched((reading, "asks_signer", never), (answers, "asks_signer", never)),
         questions.asks_signer),
    Rule("clause", "no subordinate-clause words (plan.presumed_words empty: Ranking.clause has nothing to weigh)",
         lambda: patched((plan_module, "presumed_words", lambda q: frozenset())),
         lambda q: bool(plan_module.presumed_words(q))),
    Rule("table_value", "money-table rule off (a table row without the question's rarest word keeps its value)",
         lambda: patched((answers, "candidates", rewritten(
             answers, "candidates", "if table and value and heaviest is not None", "if False and table and value"))),
         in_search=False),
    Rule("goal_status", "goal-status rule off (GOAL_QUESTION never matches when a question is read)",
         lambda: patched((reading, "GOAL_QUESTION", NEVER)),
         lambda q: bool(questions.GOAL_QUESTION.search(q))),
    Rule("synonyms", "all synonym groups off",
         lambda: synonym_groups(())),
]


# --- running ---------------------------------------------------------------------------------

@dataclass
class Outcome:
    rank: dict[str, int | None]  # search cases: the evidence's rank in the first 10
    text: dict[str, str | None]  # answerable and unanswerable cases: the answer given (None: withheld)


def reset(searcher) -> None:
    """Forget what a generation and the loaders remember of the query analysis. None of the
    patches change the index's analyzer (WordTokens memo), but the reports and accent map are
    rebuilt anyway so no patch leaks into the next run."""
    searcher._shared.extra.clear()


def run(searcher, search_cases: list[Case], asked: list[Case], trace: Callable[[Case], None] | None = None) -> Outcome:
    out = Outcome({}, {})
    for c in search_cases:
        if trace:
            trace(c)
        result = search(searcher, SearchParams(q=c.query, limit=10), DEFAULT)
        out.rank[c.id] = rank_of([h.text for h in result.ranked()[:10]], c)
    for c in asked:
        if trace:
            trace(c)
        reply = answers.decide(answers.rank(searcher, c.query, 1), 1)
        out.text[c.id] = reply.answer.text if reply.answer else None
    return out


def correct(case: Case, text: str | None) -> bool:
    return answered(text, case) if case.answer else text is None


@dataclass
class Change:
    """Per half, the cases the rule helps (right ON, wrong OFF) and hurts, per measure."""

    helped: dict[str, dict[str, list[str]]]
    hurt: dict[str, dict[str, list[str]]]


MEASURES = ("search", "answers", "withheld")


def compare(on: Outcome, off: Outcome, cases: dict[str, Case]) -> Change:
    helped = {h: {m: [] for m in MEASURES} for h in HALVES}
    hurt = {h: {m: [] for m in MEASURES} for h in HALVES}
    for cid, r_off in off.rank.items():
        a, b = on.rank[cid] == 1, r_off == 1
        if a != b:
            (helped if a else hurt)[half(cid)]["search"].append(cid)
    for cid, t_off in off.text.items():
        case = cases[cid]
        a, b = correct(case, on.text[cid]), correct(case, t_off)
        if a != b:
            (helped if a else hurt)[half(cid)]["answers" if case.answer else "withheld"].append(cid)
    return Change(helped, hurt)


def net_cases(change: Change, h: str) -> tuple[int, int]:
    """Distinct cases of a half the rule helps on balance, and hurts on balance."""
    up, down = {}, {}
    for m in MEASURES:
        for cid in change.helped[h][m]:
            up[cid] = up.get(cid, 0) + 1
        for cid in change.hurt[h][m]:
            down[cid] = down.get(cid, 0) + 1
    ids = set(up) | set(down)
    return (sum(up.get(i, 0) > down.get(i, 0) for i in ids), sum(down.get(i, 0) > up.get(i, 0) for i in ids))


def summary(outcome: Outcome, cases: dict[str, Case], h: str) -> str:
    ranks = [r for cid, r in outcome.rank.items() if half(cid) == h]
    m = measures(ranks)
    right = [correct(cases[cid], t) for cid, t in outcome.text.items() if half(cid) == h and cases[cid].answer]
    kept = [t is None for cid, t in outcome.text.items() if half(cid) == h and not cases[cid].answer]
    return (f"R@1 {m['recall@1']:.3f} R@5 {m['recall@5']:.3f} MRR@10 {m['mrr@10']:.3f} (n {m['n']}) · "
            f"answers {sum(right) / max(len(right), 1):.3f} (n {len(right)}) · "
            f"withheld {sum(kept) / max(len(kept), 1):.3f} (n {len(kept)})")


def counts(change: Change, h: str) -> str:
    return " · ".join(f"{m} +{len(change.helped[h][m])}/-{len(change.hurt[h][m])}" for m in MEASURES)


def tuning_ids(change: Change, cases: dict[str, Case]) -> list[str]:
    rows = []
    for sign, side in (("+", change.helped), ("-", change.hurt)):
        for m in MEASURES:
            for cid in side[TUNING][m]:
                rows.append(f"      {sign}{m:<8} {cid}: {cases[cid].query}")
    return rows


def verdict(change: Change) -> str:
    up, down = net_cases(change, HELD_OUT)
    return "keep" if up - down >= 2 else "remove"


# --- synonym groups -------------------------------------------------------------------------

def traced_groups(searcher, search_cases: list[Case], asked: list[Case]) -> tuple[Outcome, dict[frozenset, set[str]]]:
    """The baseline run, noting for each case the synonym groups its question words belong to."""
    touched: dict[frozenset, set[str]] = {g: set() for g in synonyms.groups()}
    current: list[str] = [""]
    original = plan_module.synonyms_of

    def tracing(forms):
        for g in synonyms.groups():
            if g & forms:
                touched[g].add(current[0])
        return original(forms)

    def trace(c: Case) -> None:
        current[0] = c.id

    with patched((plan_module, "synonyms_of", tracing)):
        outcome = run(searcher, search_cases, asked, trace)
    return outcome, touched


def member_counts(searcher, group: frozenset[str]) -> list[tuple[str, int, int]]:
    """(member, passages it finds alone, passages the group adds) for each member of a group."""
    alone = DEFAULT.without("synonym")
    out = []
    for word in sorted(group):
        own = search(searcher, SearchParams(q=word, limit=1), alone).total
        full = search(searcher, SearchParams(q=word, limit=1), DEFAULT).total
        out.append((word, own, full - own))
    return out


# --- main -----------------------------------------------------------------------------------

def main(index_dir: str, *sets: str) -> None:
    search_cases, unanswerable = load_sets(sets)
    asked = [c for c in search_cases if c.answer] + unanswerable
    loaded = search_cases + unanswerable
    cases = {c.id: c for c in loaded}
    assert len(cases) == len(loaded), "case ids must be unique"
    only = set(sys.argv[sys.argv.index("--only") + 1].split(",")) if "--only" in sys.argv else None
    skip_groups = "--no-groups" in sys.argv
    began = time.perf_counter()
    with open_searcher(open_index(index_dir)) as s:
        on, touched = traced_groups(s, search_cases, asked)
        print(f"{len(search_cases)} search cases, {len(asked)} answer cases "
              f"({sum(not c.answer for c in asked)} unanswerable); baseline {time.perf_counter() - began:.0f} s")
        for h in HALVES:
            print(f"  ON  {h:<9} {summary(on, cases, h)}")
        table = []
        for rule in RULES:
            if only and rule.name not in only:
                continue
            t = time.perf_counter()
            reset(s)
            # Without synonyms, only the cases whose words belong to some group can change.
            touching = set().union(*touched.values()) if rule.name == "synonyms" else None
            mine = [c for c in search_cases if rule.in_search and rule.applies(c.query)
                    and (touching is None or c.id in touching)]
            theirs = [c for c in asked if rule.applies(c.query) and (touching is None or c.id in touching)]
            with rule.off():
                off = run(s, mine, theirs)
            off = Outcome({**on.rank, **off.rank}, {**on.text, **off.text})
            reset(s)
            change = compare(on, off, cases)
            print(f"\n== {rule.name}: {rule.what} ({time.perf_counter() - t:.0f} s; re-ran {len(mine)} searches,"
                  f" {len(theirs)} questions)")
            for h in HALVES:
                print(f"  OFF {h:<9} {summary(off, cases, h)}")
                up, down = net_cases(change, h)
                print(f"  rule ON vs OFF, {h}: {counts(change, h)} · cases helped {up}, hurt {down}")
            print("    tuning cases (+ helped by the rule, - hurt by it):")
            print("\n".join(tuning_ids(change, cases)) or "      none")
            table.append((rule, change))
        print("\n| rule | held-out helped/hurt: R@1 · answers · withheld | held-out cases net |"
              " tuning helped/hurt: R@1 · answers · withheld | tuning cases net | ≥2 held-out → |")
        print("|---|---|---|---|---|---|")
        for rule, change in table:
            cells = []
            for h in (HELD_OUT, TUNING):
                cells.append(" · ".join(f"+{len(change.helped[h][m])}/-{len(change.hurt[h][m])}" for m in MEASURES))
                up, down = net_cases(change, h)
                cells.append(f"+{up}/-{down}")
            print(f"| {rule.name} | {' | '.join(cells)} | {verdict(change)} |")
        if skip_groups:
            return
        print("\n== synonym groups, each switched off alone (only the cases whose words belong to it re-run)")
        print("| group | cases touched (tuning/held-out) | held-out R@1 · answers · withheld (+helped/-hurt)"
              " | tuning the same | members: passages alone (+ added by the group) |")
        print("|---|---|---|---|---|")
        groups = synonyms.groups()
        tuning_rows = []
        for g in groups:
            ids = touched[g]
            n = {h: sum(half(i) == h for i in ids) for h in HALVES}
            if ids:
                reset(s)
                with synonym_groups(tuple(x for x in groups if x != g)):
                    sub = run(s, [c for c in search_cases if c.id in ids], [c for c in asked if c.id in ids])
                reset(s)
                change = compare(on, sub, cases)
                cells = [counts(change, h).replace("search ", "R@1 ") for h in (HELD_OUT, TUNING)]
                tuning_rows += [f"  {', '.join(sorted(g))}:"] + tuning_ids(change, cases)
            else:
                cells = ["–", "–"]
            members = "; ".join(f"{w} {own} (+{added})" for w, own, added in member_counts(s, g))
            print(f"| {', '.join(sorted(g))} | {n[TUNING]}/{n[HELD_OUT]} | {cells[0]} | {cells[1]} | {members} |")
        print("\n  tuning cases per group (+ helped by the group, - hurt by it):")
        print("\n".join(r for r in tuning_rows))
    print(f"\n{time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    args = [a for i, a in enumerate(sys.argv[1:], start=1)
            if not a.startswith("--") and sys.argv[i - 1] != "--only"]
    if len(args) < 2:
        sys.exit(__doc__)
    main(args[0], *args[1:])
