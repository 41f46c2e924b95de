"""Speed and memory as the archive grows: Rapportsök on each engine (Whoosh, tantivy) beside SQLite FTS5 and bare tantivy on
the same passages and queries, at several sizes, every engine in one run (the machine is shared,
so ratios between engines count, not absolute times).

    python benchmarks/speed.py --sizes 10000 100000 1000000

- Passages: the bundled corpus as the product parses it, copied until each size is reached.
  Copy k of a report is a new report (passage, doc and group ids end in -c<k>) dated
  k mod 20 years earlier, so a year filter selects about a twentieth, as in a 20-year archive.
- Indexes are built once and reused from var/bench/<engine>-<size>/ while the manifest's code
  fingerprint (and tantivy version) still hold; --rebuild builds them again. Each build and each
  query run is a child process of its own, so its memory is its own.
- Queries: the evaluation questions (../shared/eval/dev.jsonl), each with a year filter (its own,
  else the first 20xx it names, else 2020), facets, the top 10 and highlighted snippets, --rounds
  times. Rapportsök: `search()` and `ask()`, timed after a first sight of every query (its
  figures reported apart; the second sight finds its words' tokens remembered). FTS5: MATCH with an OR of the words, bm25(),
  snippet(), GROUP BY counts for namnd, year and kind. tantivy: the product's own Swedish tokens
  (our analyzer's output, whitespace-joined) and the product's query plan, see tantivy_query().
- Cold start: `rapportsok serve` on each engine's largest product index until GET / answers 200.
- --files N: `build_index` from N report files (copies of the bundled ones) to a searchable index,
  on each product engine and on `auto`, beside the engine alone writing as many parsed passages.
- --pdfs DIR and --ocr add PDF reading (beside bare pdfminer) and OCR, as before.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import itertools
import json
import os
import re
import resource
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "bench"
# Rapportsök on each of its engines, then the peers: FTS5 and bare tantivy fed our tokens.
ENGINES = ("whoosh", "rs-tantivy", "fts5", "tantivy")
PRODUCT = {"whoosh": "whoosh", "rs-tantivy": "tantivy"}  # the product's engine name in config.toml
YEAR_SPREAD = 20
FACETS = ("namnd", "year", "report_type", "kind", "status", "deviation")  # as search() counts them
HEAP_MB = 256  # the Whoosh writer's limitmb in build_index; tantivy's writer gets the same


# --- measuring --------------------------------------------------------------------------------

def peak_mb() -> float:
    """Peak resident memory of this process or any child it waited for (Whoosh's writer procs)."""
    return max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024


def cpu_seconds() -> float:
    """CPU time of this process, its children and the fork server's workers (reaped by the fork
    server, so counted in its children's time): on a shared machine, what the work took."""
    from multiprocessing import forkserver

    used = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for f in ("ru_utime", "ru_stime"))
    server = forkserver._forkserver._forkserver_pid
    if server:
        fields = Path(f"/proc/{server}/stat").read_text().rsplit(")", 1)[1].split()
        used += sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # its own and its children's
    return used


def rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def percentiles(times: list[float]) -> dict:
    ms = sorted(t * 1000 for t in times)
    return {"p50": statistics.median(ms), "p95": ms[max(int(len(ms) * 0.95) - 1, 0)], "n": len(ms)}


def tantivy_version() -> str | None:
    try:
        from importlib import metadata
        return metadata.version("tantivy")
    except Exception:  # noqa: BLE001 — not installed: the column is skipped
        return None


# --- passages ---------------------------------------------------------------------------------

def base_reports() -> list:
    from indexer import collect_sources
    from indexer.store.build import parse_one

    reports = [parse_one(s) for s in collect_sources([ROOT / "corpus"])[0]]
    assert all(r.error is None for r in reports), [r.error for r in reports if r.error]
    return reports


def shifted(year: int | None, k: int) -> int | None:
    return None if year is None else year - k % YEAR_SPREAD


def scaled(size: int, reports: list):
    """`size` passages as (copy, report, passage): copy k has new ids and is dated earlier.
    A generator, so a million passages are never all in memory."""
    n = 0
    for k in itertools.count():
        for parsed in reports:
            for p in parsed.passages:
                if n == size:
                    return
                yield k, parsed, dataclasses.replace(
                    p, id=f"{p.id}-c{k}", doc_id=f"{p.doc_id}-c{k}", group=f"{p.group}-c{k}", year=shifted(p.year, k))
                n += 1


def base_id(passage_id: str) -> str:
    """The corpus passage a copy was made from: copies of one passage are interchangeable."""
    return passage_id.rsplit("-c", 1)[0]


def copy_record(parsed, k: int, passages: int) -> dict:
    """The report record of copy k, as build_index writes it beside the index (pages read it)."""
    doc = parsed.record["document"]
    return {**parsed.record, "id": f"{parsed.doc_id}-c{k}", "source": f"{parsed.source}#{k}", "hash": "0",
            "passages": passages, "document": {**doc, "year": shifted(doc.get("year"), k)}}


def load_queries(path: str) -> list[tuple[str, int]]:
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            year = (case.get("filters") or {}).get("year") or int(
                next(iter(re.findall(r"\b(20\d\d)\b", case["query"])), 2020))
            out.append((case["query"], year))
    return out


def the_analyzer():
    from indexer.config import Analysis
    from indexer.store.analysis import analyzer_for

    return analyzer_for(Analysis())


# --- building (each in a child process) -------------------------------------------------------

def build_whoosh(size: int, target: str, procs: int, engine: str = "whoosh") -> dict:
    """As build_index writes a fresh generation: the product's schema, fields, writer settings,
    report records and version stamp, so `open_index` and `rapportsok serve` take it as it is."""
    from indexer.config import Analysis
    from indexer.store import documents, generations
    from indexer.store.engine.registry import index_class
    from indexer.store.schema import passage_fields, version_of

    reports = base_reports()
    began, cpu = time.perf_counter(), cpu_seconds()
    ix = index_class(engine).create(Path(target), Analysis())
    # As build_index: on tantivy, the analysis in a process per core.
    writer = (ix.ix.writer(procs=procs, limitmb=HEAP_MB, multisegment=procs > 1) if procs > 1
              else ix.writer(os.cpu_count() or 1))
    counts: dict[tuple[int, str], int] = {}
    text_mb = 0.0
    for k, parsed, p in scaled(size, reports):
        writer.add_document(**passage_fields(p, f"{parsed.source}#{k}", "0"))
        counts[k, parsed.source] = counts.get((k, parsed.source), 0) + 1
        text_mb += len(p.text.encode()) / 1e6
    by_source = {r.source: r for r in reports}
    written = {}
    for (k, source), n in counts.items():
        record = copy_record(by_source[source], k, n)
        documents.write_record(Path(target), record)
        written[record["id"]] = documents.listed(record)
    writer.commit()
    documents.publish(Path(target))
    documents.write_report_list(Path(target), written)
    generations.write_meta(Path(target), version_of(None, engine))
    return {"passages": size, "seconds": time.perf_counter() - began, "text_mb": text_mb, "peak_mb": peak_mb(),
            "reports": len(counts), "procs": procs, "cpu": cpu_seconds() - cpu}


def build_rs_tantivy(size: int, target: str) -> dict:
    """Rapportsök on tantivy, as build_index writes it with `[index] engine = "tantivy"`."""
    return build_whoosh(size, target, 1, "tantivy")


def build_fts5(size: int, target: str) -> dict:
    reports = base_reports()
    began = time.perf_counter()
    db = sqlite3.connect(Path(target) / "fts5.db")
    db.execute("CREATE VIRTUAL TABLE p USING fts5(text, heading, id UNINDEXED, namnd UNINDEXED, year UNINDEXED,"
               " kind UNINDEXED, tokenize='unicode61 remove_diacritics 0')")
    db.executemany("INSERT INTO p(text, heading, id, namnd, year, kind) VALUES (?,?,?,?,?,?)",
                   ((p.text, p.heading or "", p.id, p.namnd or "", p.year or 0, p.kind)
                    for _, _, p in scaled(size, reports)))
    db.commit()
    db.close()
    return {"passages": size, "seconds": time.perf_counter() - began, "peak_mb": peak_mb()}


TOKEN_FIELDS = {"text": "position", "heading_text": "position", "about": "freq", "context": "freq"}
RAW_FIELDS = ("id", "doc_id", "source", "namnd", "report_type", "kind", "status", "deviation")


def tantivy_schema():
    import tantivy

    sb = tantivy.SchemaBuilder()
    for name, option in TOKEN_FIELDS.items():  # our tokens, space-joined: split on whitespace only
        sb.add_text_field(name, tokenizer_name="whitespace", index_option=option)
    for name in RAW_FIELDS:  # whole values: filters, facets (fast) and delete-by-term (raw)
        sb.add_text_field(name, stored=True, fast=name in FACETS, tokenizer_name="raw")
    sb.add_integer_field("year", stored=True, indexed=True, fast=True)
    sb.add_unsigned_field("group_key", fast=True)  # collapsing near-duplicates reads it per hit
    sb.add_bytes_field("shown", stored=True)  # heading and text as shown: stored, not indexed
    return sb.build()


def group_key(group: str) -> int:
    return int.from_bytes(hashlib.blake2b(group.encode(), digest_size=8).digest(), "big")


def build_tantivy(size: int, target: str) -> dict:
    """Our analyzer's tokens for each text field, fed to tantivy's whitespace tokenizer. The
    Swedish analysis (pure Python) is timed apart from tantivy's own work."""
    import tantivy

    from indexer.store.schema import passage_fields

    analyzer = the_analyzer()
    reports = base_reports()
    began = time.perf_counter()
    ix = tantivy.Index(tantivy_schema(), path=target)
    writer = ix.writer(heap_size=HEAP_MB * 1_000_000, num_threads=0)
    analysis = 0.0
    for k, parsed, p in scaled(size, reports):
        fields = passage_fields(p, f"{parsed.source}#{k}", "0")  # what Whoosh indexes, field by field
        t0 = time.perf_counter()
        tokens = {name: " ".join(t.text for t in analyzer(fields[name])) for name in TOKEN_FIELDS}
        analysis += time.perf_counter() - t0
        doc = tantivy.Document(**tokens, **{name: str(fields[name]) for name in RAW_FIELDS if name in fields})
        if p.year is not None:
            doc.add_integer("year", p.year)
        doc.add_unsigned("group_key", group_key(p.group))
        doc.add_bytes("shown", json.dumps([p.heading or "", p.text], ensure_ascii=False).encode())
        writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()  # consumes the writer: merges finish before the size is read
    return {"passages": size, "seconds": time.perf_counter() - began, "analysis_seconds": analysis,
            "peak_mb": peak_mb()}


def index_files(reports: int, target: str, engine: str) -> dict:
    """`rapportsok index` end to end, files → a searchable index: `reports` report files (the
    bundled ones copied under new names, so the copies keep their text and year) indexed by
    `build_index` with a process per core, reading and analysis included."""
    from indexer import build_index

    folder = Path(target) / "files"
    folder.mkdir()
    corpus = sorted((ROOT / "corpus").glob("*.txt"))
    for n in range(reports):
        report = corpus[n % len(corpus)]
        shutil.copyfile(report, folder / f"{report.stem}-kopia-{n // len(corpus) + 1}.txt")
    began, cpu = time.perf_counter(), cpu_seconds()
    built = build_index([folder], Path(target) / "index", engine=engine)
    return {"passages": built.passages, "seconds": time.perf_counter() - began, "engine": built.engine,
            "cpu": cpu_seconds() - cpu}


BUILDERS = {"whoosh": build_whoosh, "rs-tantivy": build_rs_tantivy, "fts5": build_fts5, "tantivy": build_tantivy}


# --- querying (each in a child process) -------------------------------------------------------

def query_product(target: str, queries_path: str, rounds: int) -> dict:
    """Rapportsök through its public API, on whichever engine built the index."""
    from indexer import QueryError, SearchParams, ask, open_index, open_searcher, search
    from indexer.query.plan import plan
    from indexer.query.ranking import DEFAULT
    from indexer.query.search import _filters, strict_query

    queries = load_queries(queries_path)
    times: dict[str, list[float]] = {"search": [], "ask": [], "plan": [], "first": [], "cpu": []}
    per_query = []
    with open_searcher(open_index(target)) as s:
        search(s, SearchParams(q="budget", year=2020))  # word lists, synonyms, columns: loaded once
        ask(s, "Hur stor var budgeten?", year=2020)
        warm = rss_mb()
        for q, year in queries:  # first sight (the words' memo and the page cache cold for them), and
            began = time.perf_counter()  # the match set for the sanity check beside tantivy
            try:
                result = search(s, SearchParams(q=q, year=year, limit=10))
            except QueryError:
                per_query.append(None)
                continue
            times["first"].append(time.perf_counter() - began)
            raw = s.match(strict_query(plan(s, q), DEFAULT), _filters(SearchParams(q=q, year=year)), 1).count
            per_query.append({"total": result.total, "raw": raw, "nearest": bool(result.nearest),
                              "top": [base_id(h.id) for h in result.hits]})
        for _ in range(rounds):
            for q, year in queries:
                began = time.perf_counter()
                plan(s, q)
                times["plan"].append(time.perf_counter() - began)
                began, cpu = time.perf_counter(), time.process_time()
                try:
                    search(s, SearchParams(q=q, year=year, limit=10))
                except QueryError:
                    continue
                times["search"].append(time.perf_counter() - began)
                times["cpu"].append(time.process_time() - cpu)  # this process's CPU: the machine is shared
                began = time.perf_counter()
                ask(s, q, year=year)
                times["ask"].append(time.perf_counter() - began)
    return {**{name: percentiles(t) for name, t in times.items()}, "rss_warm_mb": warm, "peak_mb": peak_mb(),
            "queries": per_query}


def query_fts5(target: str, queries_path: str, rounds: int) -> dict:
    queries = load_queries(queries_path)
    db = sqlite3.connect(Path(target) / "fts5.db")
    db.execute("SELECT count(*) FROM p WHERE p MATCH 'budget'").fetchall()
    warm = rss_mb()
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
    return {"search": percentiles(times), "rss_warm_mb": warm, "peak_mb": peak_mb()}


def plans(target: str, queries_path: str, out: str) -> dict:
    """The product's parsed query for every question, from a Whoosh index (copies share one
    vocabulary, so any size gives the same plans): what the tantivy runs search for."""
    from indexer import open_index, open_searcher
    from indexer.query.plan import plan

    rows = []
    with open_searcher(open_index(target)) as s:
        for q, year in load_queries(queries_path):
            concepts = [{"forms": sorted(c.forms), "synonyms": sorted(c.synonyms), "parts": list(c.parts)}
                        for c in plan(s, q).concepts]
            rows.append({"q": q, "year": year, "concepts": concepts})
    Path(out).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return {"plans": len(rows)}


def tantivy_query(schema, concepts: list[dict], year: int, strict: bool = True):
    """strict_query() in tantivy terms: every concept required (any_query(): any one, when not
    `strict`); a concept is any of its forms in any match field, all its compound parts in one
    field, or a synonym (weighted lower); the section around (context) only adds to the score;
    the year a filter that scores nothing. Fields are weighted by the product's boosts, but
    tantivy sums BM25 per field (not BM25F)."""
    import tantivy

    from indexer.query.plan import MATCH_FIELDS
    from indexer.query.ranking import DEFAULT as ranking

    boosts = ranking.field_boosts()
    Q, Occur = tantivy.Query, tantivy.Occur

    def term(field, token, boost=1.0):
        return Q.boost_query(Q.term_query(schema, field, token), boost)

    def any_field(token, factor=1.0):
        return Q.boolean_query([(Occur.Should, term(f, token, boosts[f] * factor)) for f in MATCH_FIELDS if boosts[f]])

    required = []
    for c in concepts:
        options = [any_field(form) for form in c["forms"]]
        if c["parts"]:
            options += [Q.boolean_query([(Occur.Must, term(f, p, boosts[f])) for p in c["parts"]])
                        for f in MATCH_FIELDS if boosts[f]]
        options += [any_field(s, ranking.synonym) for s in c["synonyms"]]
        required.append((Occur.Must if strict else Occur.Should, Q.boolean_query([(Occur.Should, o) for o in options])))
    around = [(Occur.Should, term("context", form, ranking.context_field)) for c in concepts for form in c["forms"]]
    year_filter = (Occur.Must, Q.const_score_query(Q.term_query(schema, "year", year), 0.0))
    if strict:
        return Q.boolean_query(required + around + [year_filter])
    return Q.boolean_query([(Occur.Must, Q.boolean_query(required + around)), year_filter])


def highlight(text: str, tokens: set[str], analyzer, width: int = 260) -> str:
    """Our own snippet (tantivy's SnippetGenerator re-tokenizes the stored text with the field's
    tokenizer, which for pre-analysed tokens is not ours): the query's tokens marked, in the
    window of `width` characters that holds most of them."""
    marks = sorted({(t.startchar, t.endchar) for t in analyzer(text, chars=True) if t.text in tokens})
    if not marks:
        return text[:width]
    best = max(marks, key=lambda m: sum(1 for s, e in marks if m[0] <= s and e <= m[0] + width))
    start = max(0, best[0] - 70)
    end = start + width
    out, at = [], start
    for s, e in marks:
        if start <= s and e <= end:
            out += [text[at:s], "<mark>", text[s:e], "</mark>"]
            at = e
    return "".join(out) + text[at:end]


def query_tantivy(target: str, plans_path: str, rounds: int) -> dict:
    import tantivy

    analyzer = the_analyzer()
    ix = tantivy.Index.open(target)
    schema, s = ix.schema, ix.searcher()
    facets = {name: {"terms": {"field": name, "size": 1000}} for name in FACETS}

    def run(row, strict: bool) -> tantivy.SearchResult:
        q = tantivy_query(schema, row["concepts"], row["year"], strict)
        found = s.search(q, 10)
        s.aggregate(q, facets)
        tokens = {t for c in row["concepts"] for key in ("forms", "synonyms", "parts") for t in c[key]}
        for _, address in found.hits:
            _, text = json.loads(s.doc(address).to_dict()["shown"][0])
            highlight(text, tokens, analyzer)
        return found

    rows = [row for row in json.loads(Path(plans_path).read_text(encoding="utf-8")) if row["concepts"]]
    run(rows[0], True)
    warm = rss_mb()
    per_query, everything = [], []
    for row in rows:
        found = run(row, True)
        per_query.append({"count": found.count, "any": run(row, False).count,
                          "top": [base_id(s.doc(a).to_dict()["id"][0]) for _, a in found.hits]})
        # Every address of the any-word match set (the large one) and its group: what counting
        # with near-duplicates collapsed would read.
        q = tantivy_query(schema, row["concepts"], row["year"], strict=False)
        began = time.perf_counter()
        addresses = [a for _, a in s.search(q, max(per_query[-1]["any"], 1), count=False).hits]
        s.fast_field_values("group_key", addresses)
        everything.append(time.perf_counter() - began)
    times: dict[str, list[float]] = {"search": [], "any": []}
    for _ in range(rounds):
        for row in rows:
            for name, strict in (("search", True), ("any", False)):
                began = time.perf_counter()
                run(row, strict)
                times[name].append(time.perf_counter() - began)
    return {**{name: percentiles(t) for name, t in times.items()}, "all_addresses": percentiles(everything),
            "rss_warm_mb": warm, "peak_mb": peak_mb(), "queries": per_query}


# --- PDF and OCR (optional) -------------------------------------------------------------------

def pdf_pages(files: list[Path]) -> int:
    from pdfminer.pdfpage import PDFPage

    pages = 0
    for path in files:
        with open(path, "rb") as fh:
            pages += sum(1 for _ in PDFPage.get_pages(fh))
    return pages


def pdf_ours(pdfs: str) -> dict:
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


def pdf_bare(pdfs: str) -> dict:
    from pdfminer.high_level import extract_text

    files = sorted(Path(pdfs).glob("*.pdf"))
    began = time.perf_counter()
    for f in files:
        extract_text(str(f))
    return {"files": len(files), "seconds": time.perf_counter() - began}


def ocr_phase(files: int, pages: int) -> dict:
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
        for parsed in parse_all(sources, os.cpu_count() or 1, lambda *_: None):
            assert parsed.error is None, parsed.error
        seconds = time.perf_counter() - began
    return {"files": files, "pages": files * pages, "seconds": seconds, "workers": os.cpu_count()}


PHASES = {**{f"build_{e}": f for e, f in BUILDERS.items()}, "index_files": index_files, "query_whoosh": query_product,
          "query_rs-tantivy": query_product, "query_fts5": query_fts5,
          "query_tantivy": query_tantivy, "plans": plans, "pdf_ours": pdf_ours, "pdf_bare": pdf_bare,
          "ocr": ocr_phase}


def child(name: str, *args) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", name, *map(str, args)], capture_output=True,
                         text=True, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(f"phase {name} {args} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- the cache of built indexes ---------------------------------------------------------------

def manifest_wanted(engine: str, size: int) -> dict:
    from indexer.store.schema import code_fingerprint

    return {"engine": engine, "size": size, "code": code_fingerprint(),
            "tantivy": tantivy_version() if "tantivy" in engine else None}


def built(engine: str, size: int, rebuild: bool, may_build: bool) -> dict | None:
    """The manifest of the cached index (with its build figures), building it when missing or
    stale; None when it is not there and may not be built."""
    folder = CACHE / f"{engine}-{size}"
    wanted = manifest_wanted(engine, size)
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
        if not rebuild and {k: manifest.get(k) for k in wanted} == wanted:
            return {**manifest, "cached": True}
    except (OSError, ValueError):
        pass
    if not may_build:
        return None
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "index").mkdir(parents=True)  # the manifest, written last, marks a finished build
    print(f"building {engine} at {size:,} passages …", file=sys.stderr, flush=True)
    args = (size, folder / "index", 1) if engine == "whoosh" else (size, folder / "index")  # procs=1: as build_index
    stats = child(f"build_{engine}", *args)
    manifest = {**wanted, "build": {**stats, "index_mb": folder_mb(folder / "index")},
                "built": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return {**manifest, "cached": False}


# --- cold start -------------------------------------------------------------------------------

def cold_start(index: Path, timeout: float = 900) -> dict:
    """`rapportsok serve` (gunicorn, a process per core) on a built index, until GET / answers;
    then the first search. The corpus folder is empty: serve only builds when the index is unusable."""
    work = CACHE / "serve"
    (work / "empty").mkdir(parents=True, exist_ok=True)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = work / "config.toml"
    config.write_text(f'[corpus]\npath = "empty"\n\n[index]\npath = "{index}"\n\n[server]\nport = {port}\n')
    began = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-c", "from app.serve import main; main()", "--config", str(config),
                               "serve"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              start_new_session=True)

    def get(path: str) -> float | None:
        while time.perf_counter() - began < timeout:
            if server.poll() is not None:
                raise SystemExit(f"rapportsok serve ended: {server.stderr.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as reply:
                    if reply.status == 200:
                        return time.perf_counter() - began
            except OSError:
                time.sleep(0.05)
        return None

    try:
        home = get("/")
        first = get("/sok?q=budget&year=2020")
    finally:
        os.killpg(server.pid, 15)  # its own session: the gunicorn master and its workers
        server.wait()
    return {"home_s": home, "first_search_s": None if first is None or home is None else first - home}


# --- the report -------------------------------------------------------------------------------

def fmt(value, spec: str = "{:.0f}") -> str:
    return "—" if value is None else spec.format(value)


def machine() -> str:
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, load average {load} (1/5/15 min)"


def report(sizes: list[int], results: dict, engines: list[str]) -> None:
    for engine in engines:
        title = {"whoosh": "Rapportsök (Whoosh): `search()` with a year filter, facets, snippets; `ask()`",
                 "rs-tantivy": "Rapportsök (tantivy engine): the same `search()` and `ask()`",
                 "fts5": "SQLite FTS5 (unicode61, no Swedish analysis): OR of the words, year filter, bm25, "
                         "snippet(), 3 GROUP BY facets",
                 "tantivy": "tantivy: our tokens, the product's query plan, year filter, 6 terms aggregations, "
                            "top 10 stored, our highlighting"}[engine]
        print(f"\n{title}\n")
        head = ["passages", "search p50 ms", "search p95 ms"]
        if engine in PRODUCT:  # timed rounds follow a first sight of each query
            head[2] += " (CPU p95 of the process; first sight p50 / p95)"
        head += {"whoosh": ["ask p50 ms", "ask p95 ms", "plan p50 ms"],
                 "rs-tantivy": ["ask p50 ms", "ask p95 ms", "plan p50 ms"], "fts5": [],
                 "tantivy": ["any concept p50 ms", "any concept p95 ms", "all addresses, any concept, p50 / p95 ms"]}[engine]
        head += ["indexing passages/s", "index MB", "indexing peak RSS MB", "query RSS warm MB", "query peak RSS MB"]
        print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
        for size in sizes:
            r = results.get((engine, size))
            if r is None:
                print(f"| {size:,} | " + " | ".join(["not measured"] + ["—"] * (len(head) - 2)) + " |")
                continue
            b, q = r["build"], r["query"]
            speed = fmt(b["passages"] / b["seconds"])
            if engine == "tantivy":
                speed += f" ({b['passages'] / (b['seconds'] - b['analysis_seconds']):.0f} without our analysis)"
            if r["cached"]:
                speed += f" (built {r['built'][:10]})"
            row = [f"{size:,}", fmt(q["search"]["p50"], "{:.1f}"), fmt(q["search"]["p95"], "{:.1f}")]
            if engine in PRODUCT:
                row += [fmt(q["ask"]["p50"], "{:.1f}"), fmt(q["ask"]["p95"], "{:.1f}"), fmt(q["plan"]["p50"], "{:.1f}")]
                row[2] += f" (CPU {q['cpu']['p95']:.1f}; first sight {q['first']['p50']:.1f} / {q['first']['p95']:.1f})"
            elif engine == "tantivy":
                row += [fmt(q["any"]["p50"], "{:.1f}"), fmt(q["any"]["p95"], "{:.1f}"),
                        f"{q['all_addresses']['p50']:.1f} / {q['all_addresses']['p95']:.1f}"]
            row += [speed, fmt(b["index_mb"]), fmt(b["peak_mb"]), fmt(q["rss_warm_mb"]), fmt(q["peak_mb"])]
            print("| " + " | ".join(row) + " |")
    columns = [(label, engine, key) for label, engine, key in (
        ("Rapportsök `search()`", "whoosh", "search"), ("Rapportsök on tantivy `search()`", "rs-tantivy", "search"),
        ("Rapportsök on tantivy `ask()`", "rs-tantivy", "ask"), ("FTS5, any word", "fts5", "search"),
        ("tantivy, all concepts", "tantivy", "search"), ("tantivy, any concept", "tantivy", "any")) if engine in engines]
    # Whoosh against each peer; FTS5 against tantivy with the same any-word semantics.
    at = {(e, key): n for n, (_, e, key) in enumerate(columns)}
    ratios = [(at[a], at[b]) for a, b in ((("whoosh", "search"), ("fts5", "search")),
                                           (("rs-tantivy", "search"), ("fts5", "search")),
                                           (("whoosh", "search"), ("tantivy", "search")),
                                           (("fts5", "search"), ("tantivy", "any"))) if a in at and b in at]
    print("\nSearch p50 / p95 ms side by side, same run\n")
    head = ["passages"] + [c[0] for c in columns] + [f"{columns[a][0]} ÷ {columns[b][0]} (p50)" for a, b in ratios]
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for size in sizes:
        cells = [results[e, size]["query"][key] if (e, size) in results else None for _, e, key in columns]
        row = [f"{size:,}"] + [fmt(c and c["p50"], "{:.1f}") + " / " + fmt(c and c["p95"], "{:.1f}") for c in cells]
        row += [fmt(cells[a] and cells[b] and cells[a]["p50"] / cells[b]["p50"], "{:.1f}×") for a, b in ratios]
        print("| " + " | ".join(row) + " |")
    if "whoosh" in engines and "tantivy" in engines:
        print("\nSanity: match sets and top 10, Whoosh beside tantivy (queries with a plan; top-10 overlap counts "
              "corpus passages, copies being interchangeable)\n")
        print("| passages | queries | with a match | Whoosh matches (strict query, before collapsing) "
              "| Whoosh `total` (collapsed) | tantivy matches | equal counts | Whoosh hits also in tantivy's top 10 "
              "| Whoosh used its any-word fallback | tantivy any-word matches |\n|" + "---|" * 10)
        for size in sizes:
            w, t = results.get(("whoosh", size)), results.get(("tantivy", size))
            if not (w and t):
                continue
            pairs = [(a, b) for a, b in zip(w["query"]["queries"], t["query"]["queries_by_q"]) if a and b]
            hits = [x in b["top"] for a, b in pairs for x in a["top"]]
            print(f"| {size:,} | {len(pairs)} | {sum(a['raw'] > 0 for a, _ in pairs)} | "
                  f"{sum(a['raw'] for a, _ in pairs):,} | {sum(a['total'] for a, _ in pairs):,} | "
                  f"{sum(b['count'] for _, b in pairs):,} | {sum(a['raw'] == b['count'] for a, b in pairs)} | "
                  f"{fmt(hits and sum(hits) / len(hits), '{:.0%}')} | {sum(a['nearest'] for a, _ in pairs)} | "
                  f"{sum(b['any'] for _, b in pairs):,} |")


def rate(build: dict) -> str:
    return (f"{build['passages'] / build['seconds']:,.0f} ({build['seconds']:.1f} s) · "
            f"{build['passages'] / build['cpu']:,.0f} ({build['cpu']:.1f} s)")


def end_to_end(reports: int, engines: list[str]) -> None:
    """Indexing from files (`build_index`: reading, structuring, analysis, writing) beside the
    engine alone writing as many parsed passages (the build_* phases), back to back."""
    CACHE.mkdir(parents=True, exist_ok=True)
    print(f"\nIndexing {reports} report files end to end beside the engine alone, {os.cpu_count()} cores\n")
    print("The machine may be shared: beside passages a second of wall time, passages a second of CPU time (every "
          "process of the build: the writer, its threads, the fork server's workers and the children reading "
          "files), which the cores divide when they are free.\n")
    print("| engine | passages | files → searchable index: passages/s wall (s) · per CPU second (CPU s) "
          "| engine alone: the same | load average at the end |\n|---|---|---|---|---|")
    for engine in [*engines, "auto"]:
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            files = child("index_files", reports, tmp, PRODUCT.get(engine, engine))
        alone = ""
        if engine in BUILDERS:
            with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
                args = (files["passages"], tmp, 1) if engine == "whoosh" else (files["passages"], tmp)
                b = child(f"build_{engine}", *args)
            alone = rate(b)
        name = f"auto (chose {files['engine']})" if engine == "auto" else engine
        print(f"| {name} | {files['passages']:,} | {rate(files)} | {alone or '—'} | {os.getloadavg()[0]:.1f} |",
              flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000],
                    help="passages of each archive (none: only --files, --pdfs, --ocr)")
    ap.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    ap.add_argument("--whoosh-up-to", type=int, default=None, metavar="N",
                    help="build Whoosh indexes only up to N passages (a few hundred a second); bigger cached "
                         "ones are still measured")
    ap.add_argument("--whoosh-procs-at", type=int, default=None, metavar="N",
                    help="also build Whoosh at N passages with procs=1 and procs=2 (multisegment), back to back, "
                         "not cached, and compare")
    ap.add_argument("--rebuild", action="store_true", help="build every index again")
    ap.add_argument("--queries", default=str(ROOT.parent / "shared" / "eval" / "dev.jsonl"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-cold-start", action="store_true")
    ap.add_argument("--files", type=int, metavar="N",
                    help="also index N report files end to end (copies of the bundled ones), beside the engine "
                         "alone writing as many passages, for each product engine and for auto")
    ap.add_argument("--pdfs", help="also read these PDFs, beside bare pdfminer")
    ap.add_argument("--ocr", action="store_true", help="also read scanned reports by OCR")
    ap.add_argument("--ocr-files", type=int, default=4, help="scanned reports to read by OCR")
    ap.add_argument("--ocr-pages", type=int, default=3, help="pages in each scanned report")
    ap.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        name, *rest = args.phase
        print(json.dumps(PHASES[name](*[int(r) if r.isdigit() else r for r in rest])))
        return
    sizes, engines = sorted(set(args.sizes)), list(args.engines)
    if tantivy_version() is None:
        print("tantivy: skipped, not installed (pip install -e .)")
        engines = [e for e in engines if e not in ("tantivy", "rs-tantivy")]
    print(f"Machine at start: {machine()}; Python {sys.version.split()[0]}, tantivy {tantivy_version()}; "
          f"{len(load_queries(args.queries))} queries × {args.rounds} rounds")
    results: dict[tuple[str, int], dict] = {}
    plans_file = CACHE / "plans.json"
    ready: dict[tuple[str, int], dict | None] = {}
    if "tantivy" in engines and sizes:
        # tantivy searches the product's query plans, read from the smallest Whoosh index (copies
        # share one vocabulary), planned every run since the query code may have changed.
        ready["whoosh", sizes[0]] = built("whoosh", sizes[0], args.rebuild, True)
        child("plans", CACHE / f"whoosh-{sizes[0]}" / "index", args.queries, plans_file)
    for size in sizes:
        manifests = {}
        for engine in engines:
            may = engine != "whoosh" or args.whoosh_up_to is None or size <= args.whoosh_up_to
            manifests[engine] = ready[engine, size] if (engine, size) in ready else built(engine, size, args.rebuild,
                                                                                             may)
        for engine, manifest in manifests.items():  # back to back, so the load is alike for all
            if manifest is None:
                continue
            print(f"querying {engine} at {size:,} passages …", file=sys.stderr, flush=True)
            source = plans_file if engine == "tantivy" else args.queries
            query = child(f"query_{engine}", CACHE / f"{engine}-{size}" / "index", source, args.rounds)
            results[engine, size] = {**manifest, "query": query}
        if ("tantivy", size) in results:  # tantivy ran only the queries with a plan: line them up by question
            rows = json.loads(plans_file.read_text(encoding="utf-8"))
            found = iter(results["tantivy", size]["query"]["queries"])
            results["tantivy", size]["query"]["queries_by_q"] = [next(found) if r["concepts"] else None for r in rows]
    if sizes:
        report(sizes, results, engines)
    if args.whoosh_procs_at:
        # Both built now, back to back, so the machine's load is alike for the two.
        size, rows = args.whoosh_procs_at, []
        for procs in (1, 2):
            with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
                rows.append({**child("build_whoosh", size, tmp, procs), "index_mb": folder_mb(Path(tmp))})
        print(f"\nWhoosh writer, {size:,} passages: procs=1 (what build_index uses) against procs=2, multisegment\n")
        print("| procs | passages/s | index MB | peak RSS MB (largest process) |\n|---|---|---|---|")
        for b in rows:
            print(f"| {b['procs']} | {b['passages'] / b['seconds']:.0f} | {b['index_mb']:.0f} | {b['peak_mb']:.0f} |")
    for engine in PRODUCT:
        largest = max((s for e, s in results if e == engine), default=None)
        if largest and not args.no_cold_start:
            c = cold_start(CACHE / f"{engine}-{largest}" / "index")
            print(f"\nCold start, `rapportsok serve` (gunicorn, {os.cpu_count()} workers) on the {largest:,}-passage "
                  f"{PRODUCT[engine]} index: GET / answered after {fmt(c['home_s'], '{:.1f}')} s; the first search "
                  f"(/sok?q=budget&year=2020) {fmt(c['first_search_s'], '{:.1f}')} s after that")
    if args.files:
        end_to_end(args.files, [e for e in engines if e in PRODUCT])
    if args.pdfs:
        ours, bare = child("pdf_ours", args.pdfs), child("pdf_bare", args.pdfs)
        print(f"\nPDF reading, {ours['files']} files, {ours['pages']} pages:")
        print("| | Rapportsök (read, clean, structure, passages; "
              f"{ours['workers']} processes) | bare pdfminer extract_text (1 process) | ratio |\n|---|---|---|---|")
        print(f"| seconds | {ours['seconds']:.1f} | {bare['seconds']:.1f} | {ours['seconds'] / bare['seconds']:.2f}× |")
        print(f"| pages/s | {ours['pages'] / ours['seconds']:.1f} | {ours['pages'] / bare['seconds']:.1f} | |")
    if args.ocr:
        o = child("ocr", args.ocr_files, args.ocr_pages)
        if "skipped" in o:
            print(f"\nOCR: skipped ({o['skipped']})")
        else:
            print(f"\nOCR (Tesseract swe, 300 dpi), {o['files']} scanned files, {o['pages']} pages, {o['workers']} "
                  f"processes: {o['seconds']:.1f} s, {o['pages'] / o['seconds']:.2f} pages/s")
    print(f"\nMachine at end: {machine()}")


if __name__ == "__main__":
    main()
