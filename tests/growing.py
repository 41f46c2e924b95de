"""An archive that grows one report at a time: random sequences of adding, changing and removing
files in a folder, each step indexed incrementally and compared with a clean build of the same
folder (the same passages, records, report list, searches and facets, and the same files named
as not read). Used by `tests/test_growing.py` and `benchmarks/growing.py`.

Reading a file is the same in both builds and is not what is compared, so each distinct file is
read once per process (the index's own steps — deleting, replacing, committing, records — run
every time)."""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from indexer import FACETS, KINDS, SearchParams, build_index, document_ids, document_record, open_index, open_searcher, report_list
from indexer import search as run_search
from indexer.store import build as build_module
from indexer.store.engine import query

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED_PDFS = ROOT.parent / "shared" / "pdfs"


def _excerpt(name: str, lines: int) -> bytes:
    text = (CORPUS / name).read_text(encoding="utf-8").splitlines()[:lines]
    return ("\n".join(text) + "\n").encode()


def _noise(seed: int) -> bytes:
    """Random bytes without NUL: binary that no rule about NUL bytes catches."""
    rng = random.Random(seed)
    return bytes(rng.randrange(1, 256) for _ in range(20_000))


def pool(pdfs: tuple[str, ...] = ("forsvarsmakten_2008",)) -> dict[str, dict[str, bytes]]:
    """Contents by suffix: bundled reports (one whole, two opening parts), the agency PDFs named
    where present (each takes 10–30 s to read once), and odd files: no nämnd or year, too little
    text, no structure, empty, binary."""
    txt = {
        "ks-2006": (CORPUS / "ks-tertialrapport-2-delarsrapport-2006.txt").read_bytes(),
        "ks-2015-början": _excerpt("ks-tertialrapport-2-2015.txt", 700),
        "sodermalm-2020-början": _excerpt("sodermalm-tertialrapport-1-2020.txt", 500),
        "utan-namnd-och-ar": ("Minnesanteckningar\n\nBudgeten för året gicks igenom och följs upp "
                              "vid nästa möte med förvaltningen.\n").encode(),
        "for-lite-text": "Minnesanteckningar\n\nbudget\n".encode(),
        "utan-struktur": ("Det här är en anteckning om budget och trygghet i staden. " * 30 + "\n").encode(),
        "tom": b"",
        "binar": _noise(1),
    }
    found = {p.stem: p.read_bytes() for p in sorted(SHARED_PDFS.glob("*.pdf")) if p.stem in pdfs}
    return {".txt": txt, ".pdf": found}


# Where files are put: names with the suffix they take (a nested one gets an id from its folder).
# One PDF place: a PDF is read once per place it is put in.
SLOTS = ("a.txt", "b.txt", "mapp/c.txt", "d.txt", "e.pdf")
SIDECARS = ('namnd = "Testnämnden"\nyear = 2019\n', 'title = "Omdöpt rapport"\n')


@dataclass
class Sequence:
    seed: int
    steps: list[str] = field(default_factory=list)


_READ: dict[tuple, object] = {}


def cached_reading(monkeypatch=None) -> None:
    """Each distinct file at each place is read once per process; reading stays limited as in a
    real build."""
    original = build_module.read_limited
    memo = _READ

    def cached(source, limits):
        key = (str(source.path), source.doc_id, build_module.file_hash(source.path) if source.path.is_file() else "")
        if key not in memo:
            memo[key] = original(source, limits)
        return memo[key]

    if monkeypatch is not None:
        monkeypatch.setattr(build_module, "read_limited", cached)
    else:
        build_module.read_limited = cached


def step(rng: random.Random, folder: Path, contents: dict[str, dict[str, bytes]]) -> str:
    """One random add, change or remove; what it did, in words."""
    present = [s for s in SLOTS if (folder / s).exists()]
    free = [s for s in SLOTS if s not in present and contents[Path(s).suffix]]
    op = rng.choice(["add"] * bool(free) * 3 + ["change", "remove"] * bool(present))
    if op == "add":
        slot = rng.choice(free)
        name = rng.choice(sorted(contents[Path(slot).suffix]))
        (folder / slot).parent.mkdir(parents=True, exist_ok=True)
        (folder / slot).write_bytes(contents[Path(slot).suffix][name])
        return f"add {slot} ← {name}"
    slot = rng.choice(present)
    path = folder / slot
    sidecar = path.with_name(path.name + ".meta.toml")
    if op == "remove":
        path.unlink()
        sidecar.unlink(missing_ok=True)
        return f"remove {slot}"
    how = rng.choice(["replace", "append", "sidecar"] if path.suffix == ".txt" else ["replace"])
    if how == "replace":
        name = rng.choice(sorted(contents[path.suffix]))
        path.write_bytes(contents[path.suffix][name])
        return f"change {slot} ← {name}"
    if how == "append":
        path.write_bytes(path.read_bytes() + f"\nTillägg {rng.randrange(1000)}: budgeten följs upp.\n".encode())
        return f"change {slot}: a paragraph appended"
    if sidecar.exists() and rng.random() < 0.4:
        sidecar.unlink()
        return f"change {slot}: its .meta.toml removed"
    sidecar.write_text(rng.choice(SIDECARS), encoding="utf-8")
    return f"change {slot}: its .meta.toml edited"


def snapshot(index_dir: Path, failed: list[tuple[str, str]]) -> dict:
    """What users see of an index: every passage's stored fields, the records and the report list,
    the facet columns over every passage, searches by relevance and by date with their totals, and
    the files named as not read. (A search's facets count the passages shown of each group of
    near-identical ones, and which one is shown where two tie is the engine's document order.)"""
    with open_searcher(open_index(index_dir)) as s:
        passages = sorted(json.dumps(f.to_dict(), sort_keys=True, ensure_ascii=False, default=str) for f in s.all_stored_fields())
        every = query.Or(tuple(query.Term("kind", k) for k in KINDS))
        facets = {name: sorted(counts.items(), key=str) for name, counts in s.facet_counts(every, None, FACETS).items()}
        searches = {}
        for q, sort in (("budget", "relevance"), ("mål", "relevance"), ("budget", "date")):
            searches[q, sort] = run_search(s, SearchParams(q=q, sort=sort)).total
    return {"passages": passages, "facets": facets,
            "records": {d: document_record(index_dir, d) for d in document_ids(index_dir)},
            "list": report_list(index_dir), "searches": searches, "failed": sorted(p for p, _ in failed)}


def run(seed: int, root: Path, engine: str, contents: dict[str, dict[str, bytes]], steps: int,
        clean_cache: dict) -> Sequence:
    """One sequence; raises AssertionError naming the seed and its steps where the incremental
    index differs from a clean build."""
    rng = random.Random(seed)
    folder, index = root / "rapporter", root / "index"
    for leftover in (folder, index, root / "index.lock", *root.glob("index.g*")):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover)
        elif leftover.exists() or leftover.is_symlink():
            leftover.unlink()
    folder.mkdir(parents=True)
    done = Sequence(seed)
    for _ in range(steps):
        done.steps.append(step(rng, folder, contents))
        grown = build_index([folder], index, workers=1, engine=engine)
        state = (engine, tuple(sorted((str(p.relative_to(folder)), build_module.file_hash(p))
                                      for p in folder.rglob("*") if p.is_file())))
        if state not in clean_cache:
            clean_dir = root / "clean"
            shutil.rmtree(clean_dir, ignore_errors=True)
            for g in root.glob("clean.g*"):
                shutil.rmtree(g)
            clean = build_index([folder], clean_dir, workers=1, engine=engine, rebuild=True)
            clean_cache[state] = snapshot(clean_dir, clean.failed)
        if snapshot(index, grown.failed) != clean_cache[state]:
            raise AssertionError(f"seed {seed} on {engine}: the index differs from a clean build after "
                                 + " → ".join(done.steps))
    return done
