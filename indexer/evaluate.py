"""Measures on an evaluation set (shared/eval/README.md): recall@1, recall@5 and MRR@10 over
passages, overall and per kind; answer accuracy per kind and the share of unanswerable questions
withheld; the answer threshold chosen by 2-fold cross-validation, with the trade-off between the
share of questions answered and the accuracy of those answers — all beside the stock baseline on
the same input in the same run.

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
from .query import answers
from .query.plan import plan
from .query.ranking import DEFAULT, Ranking
from .query.search import MAX_OFFSET, SearchParams, search, shown_text
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
                              tuple(d.get("evidence", ())), d.get("answer"), d.get("filters") or {}))
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


# The thresholds the cross-validation chooses from and the README's trade-off table shows.
THRESHOLDS = (0.0, 0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)
# What a wrong answer costs against a right one when choosing the threshold: a wrong confident
# answer misleads, a withheld one only sends the reader to the passages.
WRONG_COST = 2.0


def answer_texts(ranked: list[answers.Ranked], threshold: float = answers.THRESHOLD) -> list[str | None]:
    return [(a.text if (a := answers.decide(r, 1, threshold).answer) else None) for r in ranked]


def utility(cases: list[Case], texts: list[str | None]) -> float:
    """Right answers minus WRONG_COST per wrong one; an answer to an unanswerable case is wrong."""
    right = sum(bool(c.answer) and answered(t, c) for c, t in zip(cases, texts))
    wrong = sum(t is not None and not (c.answer and answered(t, c)) for c, t in zip(cases, texts))
    return right - WRONG_COST * wrong


def _outcome(cases: list[Case], texts: list[str | None]) -> dict:
    """The share of answerable cases answered, the accuracy of those answers, the accuracy over
    all answerable cases, and the share of unanswerable cases withheld."""
    pairs = [(c, t) for c, t in zip(cases, texts) if c.answer]
    given = [(c, t) for c, t in pairs if t is not None]
    right = sum(answered(t, c) for c, t in given)
    others = [t for c, t in zip(cases, texts) if not c.answer]
    return {"answered": len(given) / max(len(pairs), 1), "precision": right / max(len(given), 1),
            "accuracy": right / max(len(pairs), 1), "withheld": sum(t is None for t in others) / max(len(others), 1),
            "n": len(pairs), "n_unanswerable": len(others)}


def trade_off(cases: list[Case], ranked: list[answers.Ranked]) -> list[dict]:
    """The outcome at each threshold."""
    return [{"threshold": t, **_outcome(cases, answer_texts(ranked, t))} for t in THRESHOLDS]


def cross_validate(cases: list[Case], ranked: list[answers.Ranked], folds: int = 2) -> list[dict]:
    """K-fold choice of the threshold: for each fold, the threshold with the best utility on the
    other folds (the higher one of a tie: withholding is the safer error), and its outcome on the
    fold itself (cases are dealt to folds in id order)."""
    order = sorted(range(len(cases)), key=lambda i: cases[i].id)
    parts = [order[k::folds] for k in range(folds)]
    out = []
    for k, held in enumerate(parts):
        train = [i for i in order if i not in held]
        train_cases, train_ranked = [cases[i] for i in train], [ranked[i] for i in train]
        best = max(THRESHOLDS, key=lambda t: (utility(train_cases, answer_texts(train_ranked, t)), t))
        held_cases = [cases[i] for i in held]
        out.append({"fold": k + 1, "threshold": best,
                    **_outcome(held_cases, answer_texts([ranked[i] for i in held], best))})
    return out


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


def withheld(texts: list[str | None]) -> dict:
    return {"withheld": sum(t is None for t in texts) / max(len(texts), 1), "n": len(texts)}


def evaluate(searcher, cases: list[Case], unanswerable: list[Case] = ()) -> dict:
    stock_ix = stock_index(document_texts(searcher))
    ours = product_ranks(searcher, cases)
    stock = stock_ranks(stock_ix, cases)
    with_answer = [c for c in cases if c.answer]
    asked = with_answer + list(unanswerable)
    ranked = [answers.rank(searcher, c.query, 1) for c in asked]
    texts = answer_texts(ranked)
    stock_texts = stock_answers(stock_ix, asked)
    n = len(with_answer)
    pairs = dict(zip((c.id for c in with_answer), zip(texts[:n], stock_texts[:n])))
    result = {
        "product": {"overall": measures(ours), "by_kind": by_kind(cases, ours),
                    "answers": accuracy(with_answer, texts[:n])},
        "stock": {"overall": measures(stock), "by_kind": by_kind(cases, stock),
                  "answers": accuracy(with_answer, stock_texts[:n])},
        "cases": [{"id": c.id, "kind": c.kind, "rank": r, "stock_rank": s,
                   "answer": pairs.get(c.id, (None, None))[0],
                   "answer_correct": answered(pairs[c.id][0], c) if c.id in pairs else None,
                   "stock_answer_correct": answered(pairs[c.id][1], c) if c.id in pairs else None}
                  for c, r, s in zip(cases, ours, stock)],
        "threshold": answers.THRESHOLD,
    }
    if unanswerable:
        result["product"]["unanswerable"] = withheld(texts[n:])
        result["stock"]["unanswerable"] = withheld(stock_texts[n:])
        result["unanswerable_cases"] = [{"id": c.id, "answer": t} for c, t in zip(unanswerable, texts[n:])]
    if asked:
        result["trade_off"] = trade_off(asked, ranked)
        result["cross_validation"] = cross_validate(asked, ranked)
    return result


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
    if "unanswerable" in result["product"]:
        ours, stock = result["product"]["unanswerable"], result["stock"]["unanswerable"]
        rows.append(f"{'unanswerable':<12} {ours['n']:>3}   {ours['withheld']:.2f} withheld |"
                    f"  {stock['withheld']:.2f} withheld")
    if result.get("trade_off"):
        rows.append("")
        rows.append(f"threshold  answered  accuracy of answered  accuracy  unanswerable withheld"
                    f"   (product: {result['threshold']:.2f})")
        for r in result["trade_off"]:
            rows.append(f"{r['threshold']:>9.2f}  {r['answered']:>8.2f}  {r['precision']:>20.2f}  {r['accuracy']:>8.2f}"
                        f"  {r['withheld']:>21.2f}")
        rows.append("")
        rows.append("2-fold cross-validation: the threshold chosen on one half, measured on the other")
        for f in result["cross_validation"]:
            rows.append(f"fold {f['fold']}: threshold {f['threshold']:.2f} · answer accuracy {f['accuracy']:.2f}"
                        f" (n {f['n']}) · answered {f['answered']:.2f} · accuracy of answered {f['precision']:.2f}"
                        f" · unanswerable withheld {f['withheld']:.2f} (n {f['n_unanswerable']})")
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
    tokens = {t.text for t in analyzer(shown_text(fields))}  # the plain analysis, not the search's memo
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
