"""Shared fixtures: the bundled corpus parsed once, and the agency PDFs where present."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.ingest.pipeline import parse_file

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED_PDFS = ROOT.parent / "shared" / "pdfs"

# The five bundled reports under their corpus names, keyed by the seed number the docs use.
REPORTS = {
    "000": "ks-tertialrapport-2-2015.txt",
    "001": "ks-tertialrapport-2-delarsrapport-2006.txt",
    "002": "ks-avstamning-mal-och-budget-2021.txt",
    "003": "ks-tertialrapport-1-2020.txt",
    "004": "sodermalm-tertialrapport-1-2020.txt",
}


@pytest.fixture(scope="session")
def reports():
    return {key: parse_file(CORPUS / name) for key, name in REPORTS.items()}


@pytest.fixture(scope="session")
def agency_pdfs() -> list[Path]:
    pdfs = sorted(SHARED_PDFS.glob("*.pdf")) if SHARED_PDFS.is_dir() else []
    if not pdfs:
        pytest.skip("../shared/pdfs is not here (the agency PDFs are never committed)")
    return pdfs


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory):
    """The bundled corpus indexed once into a temporary folder."""
    from indexer import build_index

    folder = tmp_path_factory.mktemp("index") / "index"
    build_index([CORPUS], folder, workers=2)
    return folder


@pytest.fixture
def searcher(corpus_index):
    from indexer import open_index, open_searcher

    with open_searcher(open_index(corpus_index)) as s:
        yield s


@pytest.fixture(scope="session")
def app(corpus_index):
    from app import create_app

    application = create_app(index_dir=corpus_index)
    application.testing = True
    return application


@pytest.fixture
def client(app):
    return app.test_client()
