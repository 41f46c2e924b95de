"""Scanned pages: a page with no text layer is read by Tesseract (skipped where it is missing)."""

from __future__ import annotations

import pytest
from conftest import CORPUS, REPORTS
from pdf_render import scanned_pdf

from indexer import SearchParams, build_index, open_index, open_searcher, search
from indexer.ingest import ocr
from indexer.ingest.pipeline import parse_file

TEXT = [line.strip() for line in (CORPUS / REPORTS["003"]).read_text(encoding="utf-8").splitlines()
        if 40 < len(line.strip()) < 90][:12]


def test_without_tesseract_the_file_is_named_with_what_to_install(tmp_path, monkeypatch):
    pdf = tmp_path / "skannad.pdf"
    scanned_pdf(pdf, [TEXT])
    monkeypatch.setattr(ocr, "available", lambda: False)
    from indexer.ingest.read import ReadError

    with pytest.raises(ReadError, match="inga textlager; installera tesseract-ocr-swe"):
        parse_file(pdf)


@pytest.mark.skipif(not ocr.available(), reason="tesseract-ocr-swe and poppler-utils are not installed")
def test_a_scanned_page_is_read_and_found_by_search(tmp_path):
    folder = tmp_path / "rapporter"
    folder.mkdir()
    scanned_pdf(folder / "skannad.pdf", [TEXT])
    report = parse_file(folder / "skannad.pdf")
    assert report.document.ocr_pages == [1]
    build_index([folder], tmp_path / "index", workers=1)
    with open_searcher(open_index(tmp_path / "index")) as s:
        words = ["valfrihet", "tillväxt", "möjligheter", "dynamisk"]
        assert all(word in " ".join(TEXT) for word in words)
        for word in words:
            hits = search(s, SearchParams(q=word)).hits
            assert hits and hits[0].ocr and (hits[0].page, hits[0].page_label) == (1, None), word
