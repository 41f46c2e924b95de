"""Measures on an evaluation set (shared/eval/README.md): recall@1, recall@5 and MRR@10 over
passages, overall and per kind, beside the stock baseline on the same input in the same run.

The stock baseline is Whoosh's `LanguageAnalyzer("sv")` over 120-word windows of each
document's text, queried with a plain OR of the words.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from whoosh import qparser
from whoosh.analysis import LanguageAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from .patterns import fold
from .query.answers import ask
from .query.ranking import DEFAULT, Ranking
from .query.plan import plan
from .query.search import MAX_OFFSET, SearchParams, search, shown_text, token_sets
from .sentences import sentences


@dataclass(frozen=True)
class Case:
    id: str
    query: str
    kind: str
    doc: str
    evidence: tuple[str, ...]
    answer: str | None
    filters: dict


class EvalFileError(ValueError):
    pass


def load_cases(path: str | Path) -> list[Case]:
    cases = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            cases.append(Case(d["id"], d["query"], d.get("kind", "other"), d.get("doc", ""),
                              tuple(d["evidence"]), d.get("answer"), d.get("filters") or {}))
        except (ValueError, KeyError, TypeError) as exc:
            raise EvalFileError(f"{path}:{n}: not a case ({exc})") from None
    return cases


def rank_of(texts: list[str], case: Case) -> int | None:
    """1-based rank of the first text that contains one of the case's evidence strings."""
    evidence = [fold(e) for e in case.evidence]
    for rank, text in enumerate(texts, start=1):
        folded = fold(text)
        if any(e in folded for e in evidence):
            return rank
    return None


def measures(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks) or 1
    return {
        "recall@1": sum(r == 1 for r in ranks if r) / n,
        "recall@5": sum(r <= 5 for r in ranks if r) / n,
        "mrr@10": sum(1 / r for r in ranks if r and r <= 10) / n,
        "n": len(ranks),
    }


def by_kind(cases: list[Case], ranks: list[int | None]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[int | None]] = defaultdict(list)
    for case, rank in zip(cases, ranks):
        groups[case.kind].append(rank)
    return {kind: measures(r) for kind, r in sorted(groups.items())}


def product_ranks(searcher, cases: list[Case], ranking: Ranking = DEFAULT) -> list[int | None]:
    ranks = []
    for case in cases:
        result = search(searcher, SearchParams(q=case.query, limit=10), ranking)
        ranks.append(rank_of([h.text for h in result.ranked()[:10]], case))
    return ranks


def document_texts(searcher) -> dict[str, str]:
    """Each document's text as the index holds it, passages in document order."""
    parts: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for fields in searcher.all_stored_fields():
        parts[fields["doc_id"]].append((fields.get("order", 0), fields["text"]))
    return {doc: "\n\n".join(t for _, t in sorted(items)) for doc, items in parts.items()}


def stock_index(texts: dict[str, str], window: int = 120):
    """The stock baseline: LanguageAnalyzer("sv") over 120-word windows, in memory."""
    schema = Schema(id=ID(stored=True), text=TEXT(analyzer=LanguageAnalyzer("sv"), stored=True))
    ix = RamStorage().create_index(schema)
    writer = ix.writer()
    for doc, text in texts.items():
        words = text.split()
        for start in range(0, max(len(words), 1), window):
            writer.add_document(id=f"{doc}:{start}", text=" ".join(words[start:start + window]))
    writer.commit()
    return ix


def stock_ranks(ix, cases: list[Case]) -> list[int | None]:
    parser = qparser.QueryParser("text", ix.schema, group=qparser.OrGroup)
    ranks = []
    with ix.searcher() as s:
        for case in cases:
            hits = s.search(parser.parse(case.query), limit=10)
            ranks.append(rank_of([h["text"] for h in hits], case))
    return ranks


def answered(text: str | None, case: Case) -> bool:
    return text is not None and fold(case.answer) in fold(text)


def product_answers(searcher, cases: list[Case]) -> list[str | None]:
    return [(a.text if (a := ask(searcher, c.query)[0]) else None) for c in cases]


def stock_answers(ix, cases: list[Case]) -> list[str | None]:
    """The stock answer: of the top 3 stock passages, the sentence sharing most stemmed terms with
    the question."""
    analyzer = LanguageAnalyzer("sv")
    parser = qparser.QueryParser("text", ix.schema, group=qparser.OrGroup)
    out = []
    with ix.searcher() as s:
        for case in cases:
            terms = {t.text for t in analyzer(case.query)}
            best, best_shared = None, 0
            for hit in s.search(parser.parse(case.query), limit=3):
                for sentence in sentences(hit["text"]):
                    shared = len(terms & {t.text for t in analyzer(sentence)})
                    if shared > best_shared:
                        best, best_shared = sentence, shared
            out.append(best)
    return out


def accuracy(cases: list[Case], texts: list[str | None]) -> dict:
    pairs = [(c, t) for c, t in zip(cases, texts)]
    if not pairs:
        return {}
    groups: dict[str, list[bool]] = defaultdict(list)
    for case, text in pairs:
        groups[case.kind].append(answered(text, case))
        groups["overall"].append(answered(text, case))
    order = sorted(k for k in groups if k != "overall") + ["overall"]
    return {kind: {"accuracy": sum(groups[kind]) / len(groups[kind]), "n": len(groups[kind])} for kind in order}


def evaluate(searcher, cases: list[Case]) -> dict:
    stock_ix = stock_index(document_texts(searcher))
    ours = product_ranks(searcher, cases)
    stock = stock_ranks(stock_ix, cases)
    with_answer = [c for c in cases if c.answer]
    our_answers = product_answers(searcher, with_answer)
    stock_answer_texts = stock_answers(stock_ix, with_answer)
    answers = dict(zip((c.id for c in with_answer), zip(our_answers, stock_answer_texts)))
    return {
        "product": {"overall": measures(ours), "by_kind": by_kind(cases, ours),
                    "answers": accuracy(with_answer, our_answers)},
        "stock": {"overall": measures(stock), "by_kind": by_kind(cases, stock),
                  "answers": accuracy(with_answer, stock_answer_texts)},
        "cases": [{"id": c.id, "kind": c.kind, "rank": r, "stock_rank": s,
                   "answer": answers.get(c.id, (None, None))[0],
                   "answer_correct": answered(answers[c.id][0], c) if c.id in answers else None,
                   "stock_answer_correct": answered(answers[c.id][1], c) if c.id in answers else None}
                  for c, r, s in zip(cases, ours, stock)],
    }


def format_report(result: dict) -> str:
    rows = ["kind          n   ours R@1  R@5  MRR@10 | stock R@1  R@5  MRR@10"]

    def row(name: str, ours: dict, stock: dict) -> str:
        return (f"{name:<12} {ours['n']:>3}   {ours['recall@1']:.2f}  {ours['recall@5']:.2f}  {ours['mrr@10']:.2f}   |"
                f"  {stock['recall@1']:.2f}  {stock['recall@5']:.2f}  {stock['mrr@10']:.2f}")

    for kind, ours in result["product"]["by_kind"].items():
        rows.append(row(kind, ours, result["stock"]["by_kind"][kind]))
    rows.append(row("overall", result["product"]["overall"], result["stock"]["overall"]))
    ours, stock = result["product"]["answers"], result["stock"]["answers"]
    if ours:
        rows.append("")
        rows.append("answers       n   ours accuracy | stock accuracy")
        for kind in ours:
            rows.append(f"{kind:<12} {ours[kind]['n']:>3}   {ours[kind]['accuracy']:.2f}          |"
                        f"  {stock[kind]['accuracy']:.2f}")
    return "\n".join(rows)


# --- precision: every returned hit holds every query word ---------------------------------

PRECISION_KINDS = ("keyword", "morphology")


def load_probes(path: str | Path) -> list[str]:
    """Words that occur in no report, one a line (# comments): a search for them must find nothing."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [w for w in (line.split("#", 1)[0].strip() for line in lines) if w]


def all_hits(searcher, q: str) -> list:
    """Every hit a user can page through, page by page."""
    hits, offset = [], 0
    while offset <= MAX_OFFSET:
        result = search(searcher, SearchParams(q=q, limit=100, offset=offset))
        hits.extend(result.hits)
        offset += 100
        if offset >= result.total:
            break
    return hits


def holds_every_word(searcher, q: str, hit) -> bool:
    """Whether what the hit shows (text, heading, goal path, nämnd, period) holds every content
    word of the query in some form, read with the index's own analysis."""
    analyzer = searcher.schema["text"].analyzer
    fields = {"text": hit.text, "heading": hit.section["heading"], "goal_path": hit.section["goal_path"],
              "namnd": hit.doc["namnd"], "period": hit.doc["period"]}
    tokens = set().union(*token_sets(shown_text(fields), analyzer))
    return all(c.held_by(tokens) for c in plan(searcher, q, analyzer).concepts)


def precision(searcher, cases: list[Case], probes: list[str]) -> dict:
    """The share of all returned hits (every page) of the keyword and morphology queries that hold
    every query word, and the hits returned for probe words that occur in no report (must be 0)."""
    held = returned = 0
    for case in (c for c in cases if c.kind in PRECISION_KINDS):
        for hit in all_hits(searcher, case.query):
            returned += 1
            held += holds_every_word(searcher, case.query, hit)
    probe_hits = {word: search(searcher, SearchParams(q=word)).total for word in probes}
    return {"precision": held / returned if returned else 1.0, "hits": returned,
            "probes": len(probes), "probe_hits": sum(probe_hits.values()),
            "probes_found": sorted(w for w, n in probe_hits.items() if n)}


def format_precision(result: dict) -> str:
    found = f" ({', '.join(result['probes_found'])})" if result["probes_found"] else ""
    return (f"precision   {result['precision']:.3f} of {result['hits']} hits hold every query word"
            f" · {result['probe_hits']} hits for {result['probes']} absent probe words{found}")
