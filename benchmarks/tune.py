"""Choose the ranking's named weights on the tuning half of the evaluation cases.

    python benchmarks/tune.py var/eval-index ../shared/eval/dev.jsonl ../shared/eval/dev2.jsonl

The weights are tuned on the tuning half (`evaluate.half`) by coordinate ascent over a small grid
of values per weight (MRR@10, ties to the current value), then the held-out half, which tuning
never saw, is measured with the defaults and with the tuned weights (totals only). A tuned value
is adopted only if the held-out half holds or improves.
"""

from __future__ import annotations

import sys
from dataclasses import replace

from indexer import load_cases, open_index, open_searcher
from indexer.evaluate import HELD_OUT, TUNING, half, measures, product_ranks
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


def main(index_dir: str, *sets: str) -> None:
    cases = [c for path in sets for c in load_cases(path) if c.kind != "unanswerable"]
    tuning = [c for c in cases if half(c.id) == TUNING]
    held_out = [c for c in cases if half(c.id) == HELD_OUT]
    with open_searcher(open_index(index_dir)) as s:
        tuned = tune(s, tuning)
        print("| ranking | half | n | recall@1 | recall@5 | MRR@10 |\n|---|---|---|---|---|---|")
        for label, ranking in (("defaults", DEFAULT), ("tuned", tuned)):
            for name, part in ((TUNING, tuning), (HELD_OUT, held_out)):
                m = measures(product_ranks(s, part, ranking))
                print(f"| {label} | {name} | {m['n']} | {m['recall@1']:.2f} | {m['recall@5']:.2f} | {m['mrr@10']:.2f} |")
        print("\n| weight | default | tuned |\n|---|---|---|")
        for name in GRID:
            print(f"| {name} | {getattr(DEFAULT, name)} | {getattr(tuned, name)} |")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
