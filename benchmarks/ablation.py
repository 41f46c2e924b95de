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
from whoosh.filedb.filestore import RamStorage

from indexer import search as search_module
from indexer.analysis import swedish_analyzer
from indexer.evaluate import load_cases, measures, product_ranks, stock_index, stock_ranks
from indexer.index import _parse_one, collect_files, make_schema, passage_fields


def build(passages, analyzer):
    ix = RamStorage().create_index(make_schema(analyzer=analyzer))
    writer = ix.writer()
    for source, p in passages:
        writer.add_document(**passage_fields(p, source, "0"))
    writer.commit()
    return ix


def main(cases_path: str, *inputs: str) -> None:
    cases = load_cases(cases_path)
    files = [str(f) for f in collect_files(Path(i) for i in inputs)]
    with ProcessPoolExecutor() as pool:
        parsed = list(pool.map(_parse_one, files))
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
    switches = ("YEAR_BOOST", "NAMND_BOOST", "COVERAGE_WEIGHT", "ANSWER_TYPE_BOOST")
    saved = {name: getattr(search_module, name) for name in switches}
    # Analyzer steps are measured with plain BM25F ranking, then ranking steps are added.
    for name in switches:
        setattr(search_module, name, 0.0)
    for label, analyzer in analyzers:
        ix = build(passages, analyzer)
        with ix.searcher(weighting=search_module.weighting()) as s:
            rows.append((label, measures(product_ranks(s, cases))))
    ix = build(passages, swedish_analyzer())
    for label, name in [("+ soft preference for the years the query names", "YEAR_BOOST"),
                        ("+ … and for the nämnder it names (their names leave the text query)", "NAMND_BOOST"),
                        ("+ query-word coverage of passage and best sentence", "COVERAGE_WEIGHT"),
                        ("+ expected answer type (the product)", "ANSWER_TYPE_BOOST")]:
        setattr(search_module, name, saved[name])
        with ix.searcher(weighting=search_module.weighting()) as s:
            rows.append((label, measures(product_ranks(s, cases))))
    # The alternative to lemmas, with everything else as in the product.
    ix = build(passages, swedish_analyzer(stemming="snowball"))
    with ix.searcher(weighting=search_module.weighting()) as s:
        rows.append(("alternative: Snowball stems instead of lemmas, all else as the product",
                     measures(product_ranks(s, cases))))
    print(f"{len(cases)} cases, {len(passages)} passages from {len(files)} files, {time.perf_counter() - began:.0f} s")
    print("| step | recall@1 | recall@5 | MRR@10 |\n|---|---|---|---|")
    for label, m in rows:
        print(f"| {label} | {m['recall@1']:.2f} | {m['recall@5']:.2f} | {m['mrr@10']:.2f} |")


if __name__ == "__main__":
    main(*sys.argv[1:])
