"""Search and answers on the cases answered inside the agency PDFs (`doc` ends in .pdf), split
once by a hash of the id into a tuning half and a held-out half.

    python benchmarks/pdf_eval.py ../shared/eval/dev2.jsonl [--index-dir var/eval-index] [--show]

Builds (or updates) the eval index from the corpus and ../shared/pdfs as `rapportsok eval` does,
then prints recall@1, recall@5 and answer accuracy per half. `--show` prints the tuning half's
cases one by one (rank, answer); the held-out half is only ever printed as a total.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

from indexer import SearchParams, ask, build_index, load_cases, load_config, open_index, open_searcher, search
from indexer.evaluate import answered, rank_of


def tuning(case_id: str) -> bool:
    return hashlib.sha256(case_id.encode()).digest()[0] % 2 == 0


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("cases")
    p.add_argument("--index-dir", type=Path, help="evaluate this index as it is")
    p.add_argument("--build", type=Path, help="build the eval index here instead of the configured one")
    p.add_argument("--show", action="store_true")
    p.add_argument("--all", action="store_true", help="all cases, not only the PDF ones")
    args = p.parse_args()
    config = load_config(None)
    cases = [c for c in load_cases(args.cases) if args.all or c.doc.endswith(".pdf")]
    index_dir = args.index_dir or args.build or config.eval_index_dir
    if args.index_dir is None:
        build_index([config.corpus_dir, config.eval_distractors], index_dir, config.analysis, engine=config.engine)
    halves = {"tuning": [], "held-out": []}
    with open_searcher(open_index(index_dir)) as searcher:
        for case in cases:
            result = search(searcher, SearchParams(q=case.query, limit=10))
            hits = result.ranked()[:10]
            rank = rank_of([h.text for h in hits], case)
            reply = ask(searcher, case.query) if case.answer else None
            text = reply.answer.text if reply and reply.answer else None
            ok = answered(text, case) if case.answer else None
            half = "tuning" if tuning(case.id) else "held-out"
            halves[half].append((case, rank, text, ok))
            if args.show and half == "tuning":
                top = hits[0] if hits else None
                print(f"--- {case.id} rank={rank} answer_ok={ok}\n  Q: {case.query}\n  gold: {case.answer}"
                      f"\n  ev: {case.evidence[0][:120]}\n  ans: {(text or '')[:200]}"
                      f"\n  top: {top.doc.get('id') or top.doc.get('title') if top else None} p{top.page_label if top else ''}"
                      f" {(top.text[:160] if top else '')!r}")
    for half, rows in halves.items():
        n = len(rows) or 1
        with_answer = [r for r in rows if r[0].answer]
        print(f"{half:<9} n={len(rows):>2}  recall@1 {sum(r[1] == 1 for r in rows) / n:.2f}"
              f"  recall@5 {sum(bool(r[1]) and r[1] <= 5 for r in rows) / n:.2f}"
              f"  answers {sum(bool(r[3]) for r in with_answer)}/{len(with_answer)}"
              f" = {sum(bool(r[3]) for r in with_answer) / max(len(with_answer), 1):.2f}")


if __name__ == "__main__":
    main()
