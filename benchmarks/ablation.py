"""Dev-set results for the stock Whoosh analyzer and each analysis and ranking step, in one run.

    python benchmarks/ablation.py ../shared/eval/dev.jsonl corpus ../shared/pdfs

Every variant indexes the same passages (read once) in memory and answers the same queries
with the product's search; only the named step differs. The first row is the stock baseline
of `rapportsok eval` (LanguageAnalyzer("sv") over 120-word windows, OR query).
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from whoosh.analysis import LanguageAnalyzer

from indexer import collect_sources, load_cases, open_searcher
from indexer.evaluate import measures, product_ranks, stock_index, stock_ranks
from indexer.query.ranking import ABLATION, DEFAULT
from indexer.store.analysis import swedish_analyzer
from indexer.store.build import parse_one
from indexer.store.engine.whoosh import WhooshIndex
from indexer.store.schema import make_schema, passage_fields


def build(passages, analyzer):
    ix = WhooshIndex.in_memory(make_schema(analyzer=analyzer))
    writer = ix.writer()
    for source, p in passages:
        writer.add_document(**passage_fields(p, source, "0"))
    writer.commit()
    return ix


def main(cases_path: str, *inputs: str) -> None:
    cases = load_cases(cases_path)
    files, _ = collect_sources(Path(i) for i in inputs)
    with ProcessPoolExecutor() as pool:
        parsed = list(pool.map(parse_one, files))
    passages = [(r.source, p) for r in parsed for p in r.passages]
    texts: dict[str, list] = {}
    for _, p in passages:
        texts.setdefault(p.doc_id, []).append(p.text)
    rows = []
    began = time.perf_counter()
    rows.append(("stock: LanguageAnalyzer(\"sv\"), 120-word windows, OR query",
                 measures(stock_ranks(stock_index({d: "\n\n".join(t) for d, t in texts.items()}), cases))))

    analyzers = [
        ("passages, LanguageAnalyzer(\"sv\") (Snowball, stock stop list)", LanguageAnalyzer("sv")),
        ("+ tokenizer keeping numbers whole, stop list keeping inte/ej/ingen/delvis/helt",
         swedish_analyzer(compounds=False, stemming="snowball")),
        ("+ lemmas (simplemma + domain exceptions) beside the word as written",
         swedish_analyzer(compounds=False, stemming="lemma")),
        ("+ compound parts from the Hunspell word list (the product's analyzer)", swedish_analyzer()),
    ]
    # Analyzer steps are measured with plain BM25F ranking, then the named ranking steps are added.
    switched_off = [name for name, _ in ABLATION]
    plain = DEFAULT.without(*switched_off)
    for label, analyzer in analyzers:
        ix = build(passages, analyzer)
        with open_searcher(ix, plain) as s:
            rows.append((label, measures(product_ranks(s, cases, plain))))
    ix = build(passages, swedish_analyzer())
    for name, label in ABLATION:
        switched_off.remove(name)
        ranking = DEFAULT.without(*switched_off)
        with open_searcher(ix, ranking) as s:
            rows.append((label, measures(product_ranks(s, cases, ranking))))
    # The alternative to lemmas, with everything else as in the product.
    ix = build(passages, swedish_analyzer(stemming="snowball"))
    with open_searcher(ix, DEFAULT) as s:
        rows.append(("alternative: Snowball stems instead of lemmas, all else as the product",
                     measures(product_ranks(s, cases))))
    print(f"{len(cases)} cases, {len(passages)} passages from {len(files)} files, {time.perf_counter() - began:.0f} s")
    print("| step | recall@1 | recall@5 | MRR@10 |\n|---|---|---|---|")
    for label, m in rows:
        print(f"| {label} | {m['recall@1']:.2f} | {m['recall@5']:.2f} | {m['mrr@10']:.2f} |")


if __name__ == "__main__":
    main(*sys.argv[1:])
