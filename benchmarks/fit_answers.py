"""Fit the answer model (`answers.AnswerWeights`: a logistic regression over a candidate's
FEATURES) and choose the answer threshold, on the tuning half of the evaluation cases only.

    python benchmarks/fit_answers.py var/eval-index ../shared/eval/dev.jsonl ../shared/eval/dev2.jsonl

Each agreeing candidate of each tuning question is an example: 1 when its answer text holds the
case's answer, 0 otherwise (every candidate of an unanswerable question is 0). The regression is
fitted by Newton's method with a small L2 penalty; the threshold is the one with the best utility
on the tuning half (a right answer +1, a wrong one −2). The held-out half is measured as a total
only, never looked at case by case. Paste the printed model into `AnswerWeights` when the
held-out half holds or improves.
"""

from __future__ import annotations

import sys
from dataclasses import replace

from indexer import load_sets, open_index, open_searcher
from indexer.evaluate import HALVES, THRESHOLDS, TUNING, _outcome, answer_texts, answered, half, utility
from indexer.query import answers

# The L2 penalty on the coefficients (not the intercept): a few hundred examples, a few dozen positive.
PENALTY = 1.0
ITERATIONS = 25


def solve(a: list[list[float]], b: list[float]) -> list[float]:
    """a·x = b by Gaussian elimination with partial pivoting (a is small and positive definite)."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col and m[col][col]:
                f = m[r][col] / m[col][col]
                m[r] = [x - f * y for x, y in zip(m[r], m[col])]
    return [m[i][n] / m[i][i] if m[i][i] else 0.0 for i in range(n)]


def fit(xs: list[tuple[float, ...]], ys: list[int], start: answers.AnswerWeights) -> answers.AnswerWeights:
    """Logistic regression by Newton's method, L2-penalised, started from the current model."""
    w = [start.intercept, *start.coefficients]
    rows = [(1.0, *x) for x in xs]
    k = len(w)
    for _ in range(ITERATIONS):
        grad = [PENALTY * w[j] if j else 0.0 for j in range(k)]
        hess = [[(PENALTY if i == j and i else 0.0) for j in range(k)] for i in range(k)]
        for row, y in zip(rows, ys):
            p = replace(start, intercept=w[0], coefficients=tuple(w[1:])).score(row[1:])
            for i in range(k):
                grad[i] += (p - y) * row[i]
                for j in range(k):
                    hess[i][j] += p * (1 - p) * row[i] * row[j]
        step = solve(hess, grad)
        w = [a - b for a, b in zip(w, step)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return replace(start, intercept=w[0], coefficients=tuple(w[1:]))


def rescored(r: answers.Ranked, model: answers.AnswerWeights) -> answers.Ranked:
    for x, _ in r.scored:
        x.score = model.score(x.features)
    return replace(r, scored=sorted(r.scored, key=lambda pair: -pair[0].score))


def main(index_dir: str, *sets: str) -> None:
    with_evidence, unanswerable = load_sets(sets)
    cases = [c for c in with_evidence if c.answer] + unanswerable
    with open_searcher(open_index(index_dir)) as s:
        ranked = [answers.rank(s, c.query, 1) for c in cases]
    xs, ys = [], []
    for case, r in zip(cases, ranked):
        if half(case.id) != TUNING:
            continue
        for x, why in r.scored:
            if why is None:
                xs.append(x.features)
                ys.append(int(bool(case.answer) and answered(answers._answer(x, r.kind).text, case)))
    print(f"{len(xs)} candidates of the tuning half, {sum(ys)} answering")
    model = fit(xs, ys, answers.ANSWER_WEIGHTS)
    for name, model_ in (("current", answers.ANSWER_WEIGHTS), ("fitted", model)):
        now = [rescored(r, model_) for r in ranked]
        idx = {h: [i for i, c in enumerate(cases) if half(c.id) == h] for h in HALVES}
        tuning = [cases[i] for i in idx[TUNING]]
        best = max(THRESHOLDS, key=lambda t: (utility(tuning, answer_texts([now[i] for i in idx[TUNING]], t)), t))
        print(f"\n{name}: intercept {model_.intercept:.3f}, coefficients "
              f"({', '.join(f'{w:.3f}' for w in model_.coefficients)}); threshold chosen on tuning {best:.2f}")
        for h in HALVES:
            out = _outcome([cases[i] for i in idx[h]], answer_texts([now[i] for i in idx[h]], best))
            print(f"  {h:<9} answer accuracy {out['accuracy']:.2f} (n {out['n']}) · answered {out['answered']:.2f}"
                  f" · accuracy of answered {out['precision']:.2f} · unanswerable withheld {out['withheld']:.2f}"
                  f" (n {out['n_unanswerable']})")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], *sys.argv[2:])
