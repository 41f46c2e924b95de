"""An archive that grows: how many random add/change/remove sequences end unlike a clean build
(the figure in benchmarks/README.md; `tests/test_growing.py` runs a few dozen of the same in CI).

    python benchmarks/growing.py --sequences 1000 [--engine whoosh|tantivy] [--steps 4] [--all-pdfs]

Each sequence starts from an empty folder and takes --steps random steps over the bundled
reports, the agency PDFs in ../shared/pdfs (one, or all four with --all-pdfs; none where the
folder is absent) and odd files; after every step the index, updated in place, is compared with
a clean build of the folder. Prints one line per 25 sequences and the total at the end."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from growing import cached_reading, pool, run  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sequences", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--engine", choices=("whoosh", "tantivy"), default="whoosh")
    parser.add_argument("--all-pdfs", action="store_true")
    parser.add_argument("--first-seed", type=int, default=0)
    args = parser.parse_args()
    cached_reading()
    contents = pool(("forsvarsmakten_2008", "migrationsverket_2007", "pensionsmyndigheten_2009", "skolverket_2013")
                    if args.all_pdfs else ("forsvarsmakten_2008",))
    differ: list[str] = []
    clean: dict = {}
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for n, seed in enumerate(range(args.first_seed, args.first_seed + args.sequences), start=1):
            try:
                run(seed, Path(tmp), args.engine, contents, args.steps, clean)
            except AssertionError as exc:
                differ.append(str(exc))
                print(exc, flush=True)
            if n % 25 == 0:
                print(f"{n} sequences, {len(differ)} differ, {time.perf_counter() - began:.0f} s", flush=True)
    print(f"{args.engine}: {len(differ)} of {args.sequences} sequences of {args.steps} steps differ from a clean "
          f"build ({time.perf_counter() - began:.0f} s)")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
