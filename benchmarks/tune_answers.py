"""Choose the answers' named weights (`answers.AnswerWeights`) and the threshold together by
2-fold cross-validation over the dev set and its unanswerable questions.

    python benchmarks/tune_answers.py ../shared/eval/dev.jsonl var/eval-index

Cases are dealt to two folds in id order, as `rapportsok eval` deals them. On each fold the
weight value and threshold with the best utility (a right answer +1, a wrong one −2, an answer to
an unanswerable question wrong) are chosen, then measured on the other fold, which the choice
never saw. A value both folds choose is worth keeping; the defaults are printed beside it.
"""

from __future__ import annotations

import sys
from dataclasses import fields, replace
from pathlib import Path

from indexer import load_cases, open_index, open_searcher
from indexer.evaluate import THRESHOLDS, _outcome, answer_texts, utility
from indexer.query import answers

GRID = {"predicate": (0.0, 0.05, 0.1, 0.15, 0.2, 0.3), "loose": (0.0, 0.25, 0.5, 0.75, 1.0)}


def main(cases_path: str, index_dir: str) -> None:
    cases = [c for c in load_cases(cases_path) if c.answer]
    beside = Path(cases_path).with_name("unanswerable.jsonl")
    if beside.is_file():
        cases += load_cases(beside)
    order = sorted(range(len(cases)), key=lambda i: cases[i].id)
    folds = [order[0::2], order[1::2]]
    with open_searcher(open_index(index_dir)) as s:
        for name in GRID:
            ranked = {}
            for value in GRID[name]:
                tuned = replace(answers.ANSWER_WEIGHTS, **{name: value})
                ranked[value] = [answers.rank(s, c.query, 1, tuned=tuned) for c in cases]
            print(f"\n{name} (default {getattr(answers.ANSWER_WEIGHTS, name)})")
            print("| chosen on fold | value | threshold | measured on the other: accuracy | withheld |")
            print("|---|---|---|---|---|")
            for k, train in enumerate(folds):
                held = folds[1 - k]

                def score(choice, idx=train):
                    value, t = choice
                    texts = answer_texts([ranked[value][i] for i in idx], t)
                    return utility([cases[i] for i in idx], texts), t

                value, t = max(((v, t) for v in GRID[name] for t in THRESHOLDS), key=score)
                out = _outcome([cases[i] for i in held], answer_texts([ranked[value][i] for i in held], t))
                print(f"| {k + 1} | {value} | {t:.2f} | {out['accuracy']:.2f} | {out['withheld']:.2f} |")
            for value in GRID[name]:
                out = _outcome(cases, answer_texts(ranked[value]))
                print(f"  all cases at {value} (threshold {answers.THRESHOLD}): accuracy {out['accuracy']:.2f},"
                      f" answered {out['answered']:.2f}, unanswerable withheld {out['withheld']:.2f}")


if __name__ == "__main__":
    assert {f.name for f in fields(answers.AnswerWeights)} >= GRID.keys()
    main(*sys.argv[1:])
