"""Serving under load: requests a second, p50 and p95 at 1, 8 and 32 concurrent clients, for
each way `rapportsok serve` can run (gunicorn with a process per core, waitress with threads in
one process), in one run on loopback.

    python benchmarks/load.py --index-dir var/index [--cases ../shared/eval/dev.jsonl] [--requests 150]

- Each server is `rapportsok serve` itself, started on a free port of 127.0.0.1 against the same
  built index (without --index-dir the corpus, plus --pdfs if given, is indexed into a temporary
  folder first). All servers run side by side and are measured in turn at each client count, so
  a change in the machine's other load falls on all of them alike.
- The requests are the evaluation set's queries as a user sends them: the results page (`/sok`,
  with its answer box), `/api/search` and `/api/ask`, the same sequence for every server. Each
  client is a thread with a keep-alive `http.client` connection; every level is bounded by a
  number of requests and by --seconds.
- "cores" is the CPU time of the server's processes over the wall time of the level (Linux
  /proc): one process holding the GIL cannot pass 1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from app.serve import SERVERS, THREADS

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only
CLIENTS = (1, 8, 32)
TICKS = os.sysconf("SC_CLK_TCK")


def request_paths(cases_file: Path) -> list[str]:
    queries = [json.loads(line)["query"] for line in cases_file.read_text(encoding="utf-8").splitlines() if line]
    return [f"{prefix}{urllib.parse.quote(q)}" for q in queries for prefix in ("/sok?q=", "/api/search?q=",
                                                                               "/api/ask?q=")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User and system time of a process and its children (gunicorn's workers)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a process that just ended
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


class Server:
    def __init__(self, name: str, index_dir: Path, workers: int, log: Path):
        self.name, self.port = name, free_port()
        self.log = log.open("wb")
        command = [sys.executable, "-c", "from app.serve import main; main()", "serve", "--server", name,
                   "--workers", str(workers), "--host", HOST, "--port", str(self.port), "--index-dir", str(index_dir)]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} ended at start: see {self.log.name}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=10)
                conn.request("GET", "/")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"{self.name} did not answer in {timeout:.0f} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def load(port: int, paths: list[str], clients: int, requests: int, seconds: float) -> dict:
    """`requests` GETs from `clients` threads at once, stopping early at `seconds`."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    numbers = iter(range(requests))
    deadline = time.monotonic() + seconds

    def client() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection(HOST, port, timeout=120)
        while time.monotonic() < deadline:
            with lock:
                n = next(numbers, None)
            if n is None:
                break
            began = time.perf_counter()
            try:
                conn.request("GET", paths[n % len(paths)])
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
                if response.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException):
                conn.close()
                ok = False
            with lock:
                latencies.append(time.perf_counter() - began)
                errors += not ok
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    latencies.sort()

    def percentile(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    return {"requests": len(latencies), "errors": errors, "wall": wall, "rps": len(latencies) / wall,
            "p50": percentile(0.50), "p95": percentile(0.95)}


def built_index(args, folder: Path) -> Path:
    if args.index_dir:
        return args.index_dir
    from indexer import build_index

    index_dir = folder / "index"
    report = build_index([ROOT / "corpus", *([args.pdfs] if args.pdfs else [])], index_dir)
    print(f"indexed {report.passages} passages in {report.seconds:.0f} s", file=sys.stderr)
    return index_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-dir", type=Path, help="a built index (default: index the corpus into a temp folder)")
    parser.add_argument("--pdfs", type=Path, help="reports indexed beside the corpus when no --index-dir is given")
    parser.add_argument("--cases", type=Path, default=ROOT.parent / "shared" / "eval" / "dev.jsonl",
                        help="evaluation set whose queries are sent")
    parser.add_argument("--requests", type=int, default=240, help="requests per server and client count")
    parser.add_argument("--seconds", type=float, default=90, help="at most this long per server and client count")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes for gunicorn")
    args = parser.parse_args()
    paths = request_paths(args.cases)
    machine_load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = built_index(args, Path(tmp))
        servers = [Server(name, index_dir, args.workers, Path(tmp) / f"{name}.log") for name in SERVERS]
        try:
            for server in servers:
                server.wait_ready()
                load(server.port, paths, 4, 24, args.seconds)  # every process opens the index and reads the records
            rows = []
            for clients in CLIENTS:
                for server in servers:
                    cpu = cpu_seconds(server.process.pid)
                    result = load(server.port, paths, clients, args.requests, args.seconds)
                    cores = (cpu_seconds(server.process.pid) - cpu) / result["wall"]
                    rows.append((server.name, clients, result, cores))
                    print(f"{server.name} {clients}: {result['rps']:.1f} req/s", file=sys.stderr)
        finally:
            for server in servers:
                server.stop()
    print(f"{os.cpu_count()} cores, load average before the run {machine_load:.1f}; "
          f"gunicorn {args.workers} processes × {THREADS} threads, "
          f"waitress 1 process × {THREADS * args.workers} threads; "
          f"{len(paths)} distinct requests (/sok, /api/search, /api/ask for each of {len(paths) // 3} queries)\n")
    print("| server | clients | requests | errors | req/s | p50 ms | p95 ms | cores |")
    print("|---|---|---|---|---|---|---|---|")
    for name, clients, r, cores in rows:
        print(f"| {name} | {clients} | {r['requests']} | {r['errors']} | {r['rps']:.1f} | {r['p50']:.0f} "
              f"| {r['p95']:.0f} | {cores:.2f} |")


if __name__ == "__main__":
    main()
