"""Measures on an evaluation set (shared/eval/README.md): recall@1, recall@5 and MRR@10 over
passages, overall and per kind; answer accuracy per kind and the share of unanswerable questions
withheld; the trade-off between the share of questions answered and the accuracy of those
answers — all beside the stock baseline on the same input in the same run.

The cases are split once, by a hash of their id, into a tuning half and a held-out half (`half`).
Weights, thresholds and rules are chosen on the tuning half only; every measure is reported for
both halves, and the cases answered inside a PDF apart, so a gain fitted to the tuning questions
shows as a gap between the two.

The stock baseline is Whoosh's `LanguageAnalyzer("sv")` over 120-word windows of each
document's text, queried with a plain OR of the words.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .patterns import fold
from .query import answers
from .query.plan import plan
from .query.ranking import DEFAULT, Ranking
from .query.search import MAX_OFFSET, SearchParams, search, shown_text
from .sentences import sentences
from .store.baseline import StockIndex
from .store.engine import Engine, StoredPassage


@dataclass(frozen=True)
class Case:
    id: str
    query: str
    kind: str
    doc: str
    evidence: tuple[str, ...]
    answer: str | None
    filters: dict


TUNING, HELD_OUT = "tuning", "held-out"
HALVES = (TUNING, HELD_OUT)


def half(case_id: str) -> str:
    """The half a case belongs to, fixed by its id: the first byte of its SHA-256, even → tuning."""
    return TUNING if hashlib.sha256(case_id.encode("utf-8")).digest()[0] % 2 == 0 else HELD_OUT


def in_pdf(case: Case) -> bool:
    """Whether the case is answered inside a PDF (an agency's annual report)."""
    return case.doc.lower().endswith(".pdf")


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


def beside_unanswerable(cases_file: Path) -> Path:
    """The questions the reports do not answer, kept beside an evaluation set: dev.jsonl →
    unanswerable.jsonl, dev2.jsonl → unanswerable2.jsonl."""
    number = re.search(r"\d*$", cases_file.stem).group(0)
    return cases_file.parent / f"unanswerable{number}.jsonl"


def load_sets(files: Iterable[str | Path], unanswerable_files: Iterable[str | Path] = ()) -> tuple[list[Case], list[Case]]:
    """(the cases with evidence, the unanswerable questions) of evaluation sets: the unanswerable
    files named, else the one beside each set; each file read once."""
    files = [Path(f) for f in files]
    extra = [Path(f) for f in unanswerable_files] or [b for f in files if (b := beside_unanswerable(f)).is_file()]
    loaded = [c for f in dict.fromkeys(x.resolve() for x in files + extra) for c in load_cases(f)]
    return [c for c in loaded if c.kind != "unanswerable"], [c for c in loaded if c.kind == "unanswerable"]


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


def product_ranks(searcher: Engine, cases: list[Case], ranking: Ranking = DEFAULT) -> list[int | None]:
    ranks = []
    for case in cases:
        result = search(searcher, SearchParams(q=case.query, limit=10), ranking)
        ranks.append(rank_of([h.text for h in result.ranked()[:10]], case))
    return ranks


def document_texts(searcher: Engine) -> dict[str, str]:
    """Each document's text as the index holds it, passages in document order."""
    parts: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for fields in searcher.all_stored_fields():
        parts[fields.doc_id].append((fields.order, fields.text))
    return {doc: "\n\n".join(t for _, t in sorted(items)) for doc, items in parts.items()}


def stock_index(texts: dict[str, str], window: int = 120) -> StockIndex:
    """The stock baseline: LanguageAnalyzer("sv") over 120-word windows, in memory."""
    return StockIndex(texts, window)


def stock_ranks(ix: StockIndex, cases: list[Case]) -> list[int | None]:
    return [rank_of(ix.search(case.query, 10), case) for case in cases]


def answered(text: str | None, case: Case) -> bool:
    return text is not None and fold(case.answer) in fold(text)


# The thresholds the cross-validation chooses from and the README's trade-off table shows.
THRESHOLDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)
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


def choose_threshold(cases: list[Case], ranked: list[answers.Ranked]) -> dict:
    """The threshold with the best utility on the tuning half (the higher one of a tie:
    withholding is the safer error), and the outcome on each half at that threshold."""
    split = {h: [i for i, c in enumerate(cases) if half(c.id) == h] for h in HALVES}

    def outcome(h: str, t: float) -> dict:
        idx = split[h]
        return _outcome([cases[i] for i in idx], answer_texts([ranked[i] for i in idx], t))

    tuning = [cases[i] for i in split[TUNING]]
    best = max(THRESHOLDS, key=lambda t: (utility(tuning, answer_texts([ranked[i] for i in split[TUNING]], t)), t))
    return {"threshold": best, **{h: outcome(h, best) for h in HALVES}}


def stock_answers(ix: StockIndex, cases: list[Case]) -> list[str | None]:
    """The stock answer: of the top 3 stock passages, the sentence sharing most stemmed terms with
    the question."""
    out = []
    for case in cases:
        terms = ix.tokens(case.query)
        best, best_shared = None, 0
        for text in ix.search(case.query, 3):
            for sentence in sentences(text):
                shared = len(terms & ix.tokens(sentence))
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


def by_half(cases: list[Case], ranks: list[int | None], answer_cases: list[Case],
            texts: list[str | None]) -> dict[str, dict]:
    """Each half's measures: search over all its cases and over those answered inside a PDF,
    answer accuracy (all, PDF) and the share of its unanswerable questions withheld."""
    out = {}
    for h in HALVES:
        mine = [(c, r) for c, r in zip(cases, ranks) if half(c.id) == h]
        asked = [(c, t) for c, t in zip(answer_cases, texts) if half(c.id) == h]
        with_answer = [(c, t) for c, t in asked if c.answer]
        out[h] = {
            "search": measures([r for _, r in mine]),
            "pdf": measures([r for c, r in mine if in_pdf(c)]),
            "answers": _share_right(with_answer),
            "pdf_answers": _share_right([(c, t) for c, t in with_answer if in_pdf(c)]),
            "unanswerable": withheld([t for c, t in asked if not c.answer]),
        }
    return out


def _share_right(pairs: list[tuple[Case, str | None]]) -> dict:
    return {"accuracy": sum(answered(t, c) for c, t in pairs) / max(len(pairs), 1), "n": len(pairs)}


def evaluate(searcher: Engine, cases: list[Case], unanswerable: list[Case] = ()) -> dict:
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
                    "answers": accuracy(with_answer, texts[:n]), "halves": by_half(cases, ours, asked, texts)},
        "stock": {"overall": measures(stock), "by_kind": by_kind(cases, stock),
                  "answers": accuracy(with_answer, stock_texts[:n]),
                  "halves": by_half(cases, stock, asked, stock_texts)},
        "cases": [{"id": c.id, "kind": c.kind, "half": half(c.id), "pdf": in_pdf(c), "rank": r, "stock_rank": s,
                   "answer": pairs.get(c.id, (None, None))[0],
                   "answer_correct": answered(pairs[c.id][0], c) if c.id in pairs else None,
                   "stock_answer_correct": answered(pairs[c.id][1], c) if c.id in pairs else None}
                  for c, r, s in zip(cases, ours, stock)],
        "threshold": answers.THRESHOLD,
    }
    if unanswerable:
        result["product"]["unanswerable"] = withheld(texts[n:])
        result["stock"]["unanswerable"] = withheld(stock_texts[n:])
        result["unanswerable_cases"] = [{"id": c.id, "half": half(c.id), "answer": t}
                                        for c, t in zip(unanswerable, texts[n:])]
    if asked:
        result["trade_off"] = trade_off(asked, ranked)
        result["threshold_choice"] = choose_threshold(asked, ranked)
    return result


def format_halves(result: dict) -> list[str]:
    rows = ["half        part     n   R@1  R@5  MRR@10  answers (n)   withheld (n) | stock R@1  answers"]
    for h in HALVES:
        ours, stock = result["product"]["halves"][h], result["stock"]["halves"][h]
        for part, search_key, answer_key in (("all", "search", "answers"), ("pdf", "pdf", "pdf_answers")):
            s, a, u = ours[search_key], ours[answer_key], ours["unanswerable"]
            kept = f"{u['withheld']:.2f} ({u['n']:>2})" if part == "all" else " " * 9
            rows.append(f"{h:<11} {part:<5} {s['n']:>4}  {s['recall@1']:.2f} {s['recall@5']:.2f}  {s['mrr@10']:.2f}"
                        f"    {a['accuracy']:.2f} ({a['n']:>3})    {kept}  |  {stock[search_key]['recall@1']:.2f}"
                        f"      {stock[answer_key]['accuracy']:.2f}")
    return rows


def format_report(result: dict) -> str:
    rows = format_halves(result) + ["", "kind          n   ours R@1  R@5  MRR@10 | stock R@1  R@5  MRR@10"]

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
                    f"   (product: {result['threshold']:.2f}; both halves)")
        for r in result["trade_off"]:
            rows.append(f"{r['threshold']:>9.2f}  {r['answered']:>8.2f}  {r['precision']:>20.2f}  {r['accuracy']:>8.2f}"
                        f"  {r['withheld']:>21.2f}")
        choice = result["threshold_choice"]
        rows.append("")
        rows.append(f"threshold chosen on the tuning half: {choice['threshold']:.2f}")
        for h in HALVES:
            f = choice[h]
            rows.append(f"  {h:<9} answer accuracy {f['accuracy']:.2f} (n {f['n']}) · answered {f['answered']:.2f}"
                        f" · accuracy of answered {f['precision']:.2f} · unanswerable withheld {f['withheld']:.2f}"
                        f" (n {f['n_unanswerable']})")
    return "\n".join(rows)


# --- precision: every returned hit holds every query word ---------------------------------

PRECISION_KINDS = ("keyword", "morphology")


def load_probes(path: str | Path) -> list[str]:
    """Words that occur in no report, one a line (# comments): a search for them must find nothing."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [w for w in (line.split("#", 1)[0].strip() for line in lines) if w]


def all_hits(searcher: Engine, q: str) -> list:
    """Every hit a user can page through, page by page."""
    hits, offset = [], 0
    while offset <= MAX_OFFSET:
        result = search(searcher, SearchParams(q=q, limit=100, offset=offset))
        hits.extend(result.hits)
        offset += 100
        if offset >= result.total:
            break
    return hits


def holds_every_word(searcher: Engine, q: str, hit) -> bool:
    """Whether what the hit shows (text, heading, goal path, nämnd, period) holds every content
    word of the query in some form, read with the index's own analysis."""
    analysis = searcher.analysis()
    shown = StoredPassage(id=hit.id, doc_id=hit.doc["id"], text=hit.text, heading=hit.section["heading"],
                          goal_path=hit.section["goal_path"], namnd=hit.doc["namnd"], period=hit.doc["period"])
    tokens = set(analysis(shown_text(shown)))  # the plain analysis, not the search's memo
    return all(c.held_by(tokens) for c in plan(searcher, q, analysis).concepts if c.required)


def precision(searcher: Engine, cases: list[Case], probes: list[str]) -> dict:
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
