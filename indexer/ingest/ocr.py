"""Scanned pages: a PDF page with no text layer is rendered to an image by poppler's `pdftoppm`
and read by Tesseract with its Swedish model (Debian: poppler-utils, tesseract-ocr,
tesseract-ocr-swe). Nothing is downloaded; where the programs are missing, `available()` says so."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

LANGUAGE = "swe"
MISSING = "inga textlager; installera tesseract-ocr-swe för att läsa den"
DPI = 300


@lru_cache(maxsize=1)
def available() -> bool:
    """Tesseract with its Swedish model, and pdftoppm, are installed."""
    if not (shutil.which("tesseract") and shutil.which("pdftoppm")):
        return False
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False)
    return LANGUAGE in langs.stdout.split()


def read_page(path: Path, page: int) -> list[str]:
    """The text Tesseract reads on one page (1-based), line by line; a blank line ends a paragraph.
    One thread per call: pages are read in the indexer's worker processes, one per core."""
    with tempfile.TemporaryDirectory() as tmp:
        image = Path(tmp) / "page"
        subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(DPI), "-gray", "-png",
                        "-singlefile", str(path), str(image)], check=True, capture_output=True)
        out = subprocess.run(["tesseract", f"{image}.png", "stdout", "-l", LANGUAGE], check=True,
                             capture_output=True, text=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    return out.stdout.splitlines()
