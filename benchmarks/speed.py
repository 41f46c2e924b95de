"""Speed and memory: Rapportsök's Whoosh index beside SQLite FTS5 on the same passages and
queries, and PDF reading beside bare pdfminer on the same files, all in one run.

    python benchmarks/speed.py --copies 100 --queries ../shared/eval/dev.jsonl --pdfs ../shared/pdfs

- The corpus is scaled up by copying its passages with new ids (copy k of a report is a new
  document), so both engines index exactly the same passages.
- Each indexing phase runs in a child process of its own, so its peak memory is its own.
- Queries: the evaluation questions, each with a year filter, facets and highlighted snippets
  (Rapportsök: `search()`; FTS5: `MATCH` with an OR of the words, `bm25()`, `snippet()`, and
  `GROUP BY` counts for the same facets).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def peak_mb() -> float:
    """Peak resident memory of this process or any child it waited for (Whoosh's writer procs)."""
    return max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def scaled_passages(copies: int) -> list[tuple[str, object]]:
    from indexer import collect_sources
    from indexer.store.build import parse_one

    base = [parse_one(s) for s in collect_sources([ROOT / "corpus"])[0]]
    out = []
    for k in range(copies):
        for parsed in base:
            source = parsed.source
            for p in parsed.passages:
                q = p.__class__(**{**p.__dict__, "id": f"{p.id}-c{k}", "doc_id": f"{p.doc_id}-c{k}"})
                out.append((f"{source}#{k}", q))
    return out


def phase_whoosh(copies: int, target: str) -> dict:
    from whoosh import index as whoosh_index

    from indexer.store.schema import make_schema, passage_fields

    passages = scaled_passages(copies)
    began = time.perf_counter()
    ix = whoosh_index.create_in(target, make_schema())
    # Two processes, one segment each: what `rapportsok index` would do on two cores.
    writer = ix.writer(procs=2, limitmb=256, multisegment=True)
    for source, p in passages:
        writer.add_document(**passage_fields(p, source, "0"))
    writer.commit()
    seconds = time.perf_counter() - began
    text_mb = sum(len(p.text.encode()) for _, p in passages) / 1e6
    return {"passages": len(passages), "seconds": seconds, "text_mb": text_mb, "peak_mb": peak_mb()}


def phase_fts5(copies: int, target: str) -> dict:
    passages = scaled_passages(copies)
    began = time.perf_counter()
    db = sqlite3.connect(target)
    db.execute("CREATE VIRTUAL TABLE p USING fts5(text, heading, id UNINDEXED, namnd UNINDEXED, year UNINDEXED,"
               " kind UNINDEXED, tokenize='unicode61 remove_diacritics 0')")
    db.executemany("INSERT INTO p(text, heading, id, namnd, year, kind) VALUES (?,?,?,?,?,?)",
                   ((p.text, p.heading or "", p.id, p.namnd or "", p.year or 0, p.kind) for _, p in passages))
    db.commit()
    db.close()
    seconds = time.perf_counter() - began
    text_mb = sum(len(p.text.encode()) for _, p in passages) / 1e6
    return {"passages": len(passages), "seconds": seconds, "text_mb": text_mb, "peak_mb": peak_mb()}


def load_queries(path: str) -> list[tuple[str, int | None]]:
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            year = (case.get("filters") or {}).get("year") or int(
                next(iter(re.findall(r"\b(20\d\d)\b", case["query"])), 2020))
            out.append((case["query"], year))
    return out


def percentiles(times: list[float]) -> dict:
    times = sorted(t * 1000 for t in times)
    return {"p50_ms": statistics.median(times), "p95_ms": times[int(len(times) * 0.95) - 1], "n": len(times)}


def phase_whoosh_queries(target: str, queries_path: str, rounds: int) -> dict:
    from whoosh import index as whoosh_index

    from indexer import SearchParams, open_searcher, search

    queries = load_queries(queries_path)
    times = []
    with open_searcher(whoosh_index.open_dir(target)) as s:
        search(s, SearchParams(q="budget"))  # warm caches (lexicon, word lists)
        for _ in range(rounds):
            for q, year in queries:
                began = time.perf_counter()
                search(s, SearchParams(q=q, year=year, limit=10))
                times.append(time.perf_counter() - began)
    return {**percentiles(times), "peak_mb": peak_mb()}


def phase_fts5_queries(target: str, queries_path: str, rounds: int) -> dict:
    queries = load_queries(queries_path)
    db = sqlite3.connect(target)
    times = []
    for _ in range(rounds):
        for q, year in queries:
            words = [w for w in re.findall(r"\w+", q.lower()) if len(w) > 2]
            match = " OR ".join(f'"{w}"' for w in words)
            began = time.perf_counter()
            db.execute("SELECT id, snippet(p, 0, '<mark>', '</mark>', '…', 20) FROM p WHERE p MATCH ? AND year = ?"
                       " ORDER BY bm25(p) LIMIT 10", (match, year)).fetchall()
            for column in ("namnd", "year", "kind"):
                db.execute(f"SELECT {column}, count(*) FROM p WHERE p MATCH ? AND year = ? GROUP BY {column}",
                           (match, year)).fetchall()
            times.append(time.perf_counter() - began)
    return {**percentiles(times), "peak_mb": peak_mb()}


def pdf_pages(files: list[Path]) -> int:
    from pdfminer.pdfpage import PDFPage

    pages = 0
    for path in files:
        with open(path, "rb") as fh:
            pages += sum(1 for _ in PDFPage.get_pages(fh))
    return pages


def phase_pdf_ours(pdfs: str) -> dict:
    """The whole pipeline (read, clean, structure, passages) on every core, as `rapportsok index`."""
    from indexer import collect_sources
    from indexer.store.build import parse_all

    files = collect_sources([Path(pdfs)])[0]
    began = time.perf_counter()
    for parsed in parse_all(files, os.cpu_count() or 1, lambda path, error: None):
        assert parsed.error is None, parsed.error
    seconds = time.perf_counter() - began
    return {"files": len(files), "pages": pdf_pages([f.path for f in files]), "seconds": seconds,
            "workers": os.cpu_count()}


def phase_pdf_bare(pdfs: str) -> dict:
    from pdfminer.high_level import extract_text

    files = sorted(Path(pdfs).glob("*.pdf"))
    began = time.perf_counter()
    for f in files:
        extract_text(str(f))
    return {"files": len(files), "seconds": time.perf_counter() - began}


def phase_ocr(files: int, pages: int) -> dict:
    """Scanned reports (image-only pages of corpus text) read through the same worker pool."""
    sys.path.insert(0, str(ROOT / "tests"))
    from pdf_render import scanned_pdf

    from indexer import collect_sources
    from indexer.ingest import ocr
    from indexer.store.build import parse_all

    if not ocr.available():
        return {"skipped": "tesseract-ocr-swe or poppler-utils is not installed"}
    text = [line.strip() for line in (ROOT / "corpus" / "ks-tertialrapport-1-2020.txt").read_text(
        encoding="utf-8").splitlines() if 40 < len(line.strip()) < 90]
    with tempfile.TemporaryDirectory() as tmp:
        for f in range(files):
            chunks = [[text[k % len(text)] for k in range((f * pages + p) * 30, (f * pages + p + 1) * 30)]
                      for p in range(pages)]
            scanned_pdf(Path(tmp) / f"skannad-{f}.pdf", chunks)
        sources = collect_sources([Path(tmp)])[0]
        began = time.perf_counter()
        for parsed in parse_all(sources, os.cpu_count() or 1, lambda _: None):
            assert parsed.error is None, parsed.error
        seconds = time.perf_counter() - began
    return {"files": files, "pages": files * pages, "seconds": seconds, "workers": os.cpu_count()}


PHASES = {"whoosh": phase_whoosh, "fts5": phase_fts5, "whoosh_queries": phase_whoosh_queries,
          "fts5_queries": phase_fts5_queries, "pdf_ours": phase_pdf_ours, "pdf_bare": phase_pdf_bare,
          "ocr": phase_ocr}


def child(name: str, *args) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", name, *map(str, args)], check=True,
                         capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=100)
    ap.add_argument("--queries", default=str(ROOT.parent / "shared" / "eval" / "dev.jsonl"))
    ap.add_argument("--pdfs", default=str(ROOT.parent / "shared" / "pdfs"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--ocr-files", type=int, default=4, help="scanned reports to read by OCR")
    ap.add_argument("--ocr-pages", type=int, default=3, help="pages in each scanned report")
    ap.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        name, *rest = args.phase
        rest = [int(r) if r.isdigit() else r for r in rest]
        print(json.dumps(PHASES[name](*rest)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        ix_dir, db = Path(tmp) / "whoosh", Path(tmp) / "fts5.db"
        ix_dir.mkdir()
        w = child("whoosh", args.copies, ix_dir)
        f = child("fts5", args.copies, db)
        wq = child("whoosh_queries", ix_dir, args.queries, args.rounds)
        fq = child("fts5_queries", db, args.queries, args.rounds)
        w["size_mb"], f["size_mb"] = folder_mb(ix_dir), db.stat().st_size / 1e6
    print(f"Indexing {w['passages']} passages ({w['text_mb']:.1f} MB of text), {args.copies} copies of the corpus")
    print("| | Rapportsök (Whoosh) | SQLite FTS5 | ratio |\n|---|---|---|---|")
    rows = [
        ("passages/s", w["passages"] / w["seconds"], f["passages"] / f["seconds"], "{:.0f}"),
        ("MB text/s", w["text_mb"] / w["seconds"], f["text_mb"] / f["seconds"], "{:.2f}"),
        ("index size MB", w["size_mb"], f["size_mb"], "{:.0f}"),
        ("peak memory indexing MB", w["peak_mb"], f["peak_mb"], "{:.0f}"),
        ("query p50 ms (filter, facets, snippets)", wq["p50_ms"], fq["p50_ms"], "{:.1f}"),
        ("query p95 ms (filter, facets, snippets)", wq["p95_ms"], fq["p95_ms"], "{:.1f}"),
        ("peak memory querying MB", wq["peak_mb"], fq["peak_mb"], "{:.0f}"),
    ]
    for label, a, b, fmt in rows:
        print(f"| {label} | {fmt.format(a)} | {fmt.format(b)} | {a / b:.2f}× |")
    if Path(args.pdfs).is_dir():
        ours, bare = child("pdf_ours", args.pdfs), child("pdf_bare", args.pdfs)
        print(f"\nPDF reading, {ours['files']} files, {ours['pages']} pages:")
        print("| | Rapportsök (read, clean, structure, passages; "
              f"{ours['workers']} processes) | bare pdfminer extract_text (1 process) | ratio |\n|---|---|---|---|")
        print(f"| seconds | {ours['seconds']:.1f} | {bare['seconds']:.1f} | {ours['seconds'] / bare['seconds']:.2f}× |")
        print(f"| pages/s | {ours['pages'] / ours['seconds']:.1f} | {ours['pages'] / bare['seconds']:.1f} | |")
    o = child("ocr", args.ocr_files, args.ocr_pages)
    if "skipped" in o:
        print(f"\nOCR: skipped ({o['skipped']})")
    else:
        print(f"\nOCR (Tesseract swe, 300 dpi), {o['files']} scanned files, {o['pages']} pages, {o['workers']} processes: "
              f"{o['seconds']:.1f} s, {o['pages'] / o['seconds']:.2f} pages/s")


if __name__ == "__main__":
    main()
