"""Where Whoosh stops being fast enough: search p50 and p95 through `/api/search` on archives of
2, 5, 10, 20 … copies of the bundled reports, each built from its files by `build_index`; the
size where p95 passes 150 ms is what `engine = "auto"` switches at (config.TANTIVY_FROM).

    python benchmarks/threshold.py [--copies 2 5 10 20] [--engine whoosh] [--rounds 1]

- Copy k of a report is the same file under another name (`…-kopia-k.txt`): its year stays, so a
  year filter keeps every copy of that year's reports, the heavy case (speed.py dates copies apart).
- Requests: each evaluation question (../shared/eval/dev.jsonl) with its year filter, as
  speed.py sends them, to the app's `/api/search` in this process (Flask's test client): one
  round unmeasured (the index opened, the word lists loaded), then --rounds measured. The
  machine is shared, so besides the wall time each request's CPU time is taken: what it would
  take on an idle core. The switch is set by the CPU p95.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from speed import load_queries, percentiles  # benchmarks/ is the script's folder

from app import create_app
from indexer import build_index

ROOT = Path(__file__).resolve().parent.parent
LIMIT_MS = 150.0


def copies(folder: Path, n: int) -> Path:
    """n copies of each bundled report, each under a name of its own."""
    target = folder / f"copies-{n}"
    target.mkdir()
    for k in range(1, n + 1):
        for report in sorted((ROOT / "corpus").glob("*.txt")):
            shutil.copyfile(report, target / f"{report.stem}-kopia-{k}.txt")
    return target


def crossing(rows: list[tuple[int, float]]) -> float | None:
    """The passages where p95 passes LIMIT_MS, between the two sizes around it (linear)."""
    for (a, pa), (b, pb) in zip(rows, rows[1:]):
        if pa <= LIMIT_MS < pb:
            return a + (b - a) * (LIMIT_MS - pa) / (pb - pa)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[2, 5, 10, 20])
    parser.add_argument("--engine", choices=("whoosh", "tantivy"), default="whoosh")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--queries", default=str(ROOT.parent / "shared" / "eval" / "dev.jsonl"))
    args = parser.parse_args()
    paths = [f"/api/search?q={urllib.parse.quote(q)}&year={year}" for q, year in load_queries(args.queries)]
    rows = []
    print(f"{os.cpu_count()} cores; {args.engine}; {len(paths)} searches × {args.rounds} rounds")
    print("| copies | passages | build s | wall p50 · p95 ms | CPU p50 · p95 ms | load average |\n|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sorted(args.copies):
            folder = copies(Path(tmp), n)
            began = time.perf_counter()
            built = build_index([folder], Path(tmp) / f"index-{n}", engine=args.engine)
            seconds = time.perf_counter() - began
            client = create_app(index_dir=Path(tmp) / f"index-{n}").test_client()
            for path in paths:  # unmeasured
                assert client.get(path).status_code == 200, path
            wall, cpu = [], []
            for path in paths * args.rounds:
                began, used = time.perf_counter(), time.process_time()
                client.get(path)
                wall.append(time.perf_counter() - began)
                cpu.append(time.process_time() - used)
            w, c = percentiles(wall), percentiles(cpu)
            rows.append((built.passages, c["p95"]))
            print(f"| {n} | {built.passages:,} | {seconds:.0f} | {w['p50']:.0f} · {w['p95']:.0f} "
                  f"| {c['p50']:.0f} · {c['p95']:.0f} | {os.getloadavg()[0]:.1f} |", flush=True)
    at = crossing(rows)
    print(f"\nCPU p95 passes {LIMIT_MS:.0f} ms at about {at:,.0f} passages" if at else
          f"\nCPU p95 does not cross {LIMIT_MS:.0f} ms between the sizes measured")


if __name__ == "__main__":
    sys.exit(main())
