"""Choose the ranking's named weights by 2-fold cross-validation over the dev set.

    python benchmarks/tune.py ../shared/eval/dev.jsonl var/eval-index

The cases are split into two folds (alternating within each kind, so both folds hold every
kind). On each fold the weights are tuned by coordinate ascent over a small grid of values per
weight (MRR@10, ties to the current value), then measured on the other fold, which tuning never
saw. Both held-out figures are printed beside the defaults', and the values each fold chose: a
weight whose two folds disagree is not worth trusting beyond the defaults.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import replace

from indexer import load_cases, open_index, open_searcher
from indexer.evaluate import measures, product_ranks
from indexer.query.ranking import DEFAULT, Ranking

GRID = {
    "heading_field": (1.0, 1.5, 2.0),
    "about_field": (0.1, 0.3, 0.6),
    "context_field": (0.1, 0.3, 0.6),
    "year": (0.2, 0.35, 0.7, 1.0),
    "namnd": (0.5, 1.0, 2.0),
    "coverage": (1.0, 2.0, 3.0),
    "held": (0.0, 1.0, 2.0),
    "answer_type": (0.0, 0.2, 0.5),
    "clause": (0.0, 0.25, 0.5, 0.8, 1.0),
    "synonym": (0.25, 0.5),
    "variant": (0.25, 0.5, 1.0),
}


def folds(cases):
    by_kind = defaultdict(list)
    for case in cases:
        by_kind[case.kind].append(case)
    first, second = [], []
    for group in by_kind.values():
        for i, case in enumerate(sorted(group, key=lambda c: c.id)):
            (first if i % 2 == 0 else second).append(case)
    return first, second


def score(searcher, cases, ranking: Ranking) -> float:
    return measures(product_ranks(searcher, cases, ranking))["mrr@10"]


def tune(searcher, cases, start: Ranking = DEFAULT, rounds: int = 1) -> Ranking:
    best, best_score = start, score(searcher, cases, start)
    for _ in range(rounds):
        for name, values in GRID.items():
            for value in values:
                candidate = replace(best, **{name: value})
                s = score(searcher, cases, candidate)
                if s > best_score + 1e-9:
                    best, best_score = candidate, s
    return best


def row(label: str, m: dict) -> str:
    return f"| {label} | {m['n']} | {m['recall@1']:.2f} | {m['recall@5']:.2f} | {m['mrr@10']:.2f} |"


def main(cases_path: str, index_dir: str) -> None:
    cases = load_cases(cases_path)
    a, b = folds(cases)
    with open_searcher(open_index(index_dir)) as s:
        print("| ranking | n | recall@1 | recall@5 | MRR@10 |\n|---|---|---|---|---|")
        chosen = {}
        for name, train, test in (("A", a, b), ("B", b, a)):
            tuned = tune(s, train)
            chosen[name] = tuned
            print(row(f"defaults, fold {'B' if name == 'A' else 'A'}", measures(product_ranks(s, test))))
            print(row(f"tuned on {name}, measured on {'B' if name == 'A' else 'A'}",
                      measures(product_ranks(s, test, tuned))))
        print("\n| weight | default | fold A chose | fold B chose |\n|---|---|---|---|")
        for name in GRID:
            print(f"| {name} | {getattr(DEFAULT, name)} | {getattr(chosen['A'], name)} | {getattr(chosen['B'], name)} |")


if __name__ == "__main__":
    main(*sys.argv[1:])
