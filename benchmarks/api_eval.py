"""The evaluation through the JSON API, as a client sees it: `/api/search` (the hits, then the
nearest passages) and `/api/ask`, on either engine, per half — beside the library's own figures
in the same run, which they must equal.

    python benchmarks/api_eval.py [--engine whoosh|tantivy] ../shared/eval/dev.jsonl ../shared/eval/dev2.jsonl

The corpus and the agency PDFs (../shared/pdfs) are indexed into var/eval-index-<engine> first
(incrementally). Held-out cases are only counted.
"""

from __future__ import annotations

import sys
from pathlib import Path

from app import create_app
from indexer import build_index, load_sets, open_index, open_searcher
from indexer.evaluate import HALVES, answer_texts, by_half, product_ranks, rank_of
from indexer.query import answers

ROOT = Path(__file__).resolve().parent.parent


def api_ranks(client, cases) -> list[int | None]:
    ranks = []
    for c in cases:
        data = client.get("/api/search", query_string={"q": c.query, "limit": 10}).get_json()
        shown = [h["text"] for h in data["hits"] + data["nearest"]][:10]
        ranks.append(rank_of(shown, c))
    return ranks


def api_answers(client, asked) -> list[str | None]:
    out = []
    for c in asked:
        data = client.get("/api/ask", query_string={"q": c.query, "limit": 1}).get_json()
        out.append(data["answer"]["text"] if data["answer"] else None)
    return out


def row(name: str, halves: dict) -> list[str]:
    lines = []
    for h in HALVES:
        s, a, u, p, pa = (halves[h][k] for k in ("search", "answers", "unanswerable", "pdf", "pdf_answers"))
        lines.append(f"{name:<8} {h:<9} R@1 {s['recall@1']:.2f}  R@5 {s['recall@5']:.2f}  MRR@10 {s['mrr@10']:.2f}"
                     f"  answers {a['accuracy']:.2f} (n {a['n']})  withheld {u['withheld']:.2f} (n {u['n']})"
                     f"  | PDF R@1 {p['recall@1']:.2f} (n {p['n']})  answers {pa['accuracy']:.2f} (n {pa['n']})")
    return lines


def main(engine: str, *sets: str) -> None:
    cases, unanswerable = load_sets(sets)
    asked = [c for c in cases if c.answer] + unanswerable
    index_dir = ROOT / "var" / f"eval-index-{engine}"
    inputs = [ROOT / "corpus"] + [p for p in [ROOT.parent / "shared" / "pdfs"] if p.is_dir()]
    build_index(inputs, index_dir, engine=engine)
    with open_searcher(open_index(index_dir)) as s:
        library = by_half(cases, product_ranks(s, cases), asked,
                          answer_texts([answers.rank(s, c.query, 1) for c in asked]))
    client = create_app(index_dir=index_dir).test_client()
    api = by_half(cases, api_ranks(client, cases), asked, api_answers(client, asked))
    print(f"engine {engine}: {len(cases)} cases, {len(asked)} asked")
    print("\n".join(row("library", library) + row("api", api)))


if __name__ == "__main__":
    args = sys.argv[1:]
    engine = "whoosh"
    if "--engine" in args:
        i = args.index("--engine")
        engine = args[i + 1]
        del args[i:i + 2]
    if not args:
        sys.exit(__doc__)
    main(engine, *args)
