"""Shared fixtures: the bundled corpus parsed once and indexed once by each engine (every test
that searches it runs on Whoosh and on tantivy), an index of two reports built once per module
and handed to each test as it was built, small reports, and the agency PDFs where present."""

from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from indexer import BuildReport, build_index
from indexer.config import ENGINES
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


def pytest_collection_modifyitems(items):
    """Reading the agency PDFs takes minutes: every test that uses them is slow."""
    for item in items:
        if "agency_pdfs" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def agency_pdfs() -> list[Path]:
    pdfs = sorted(SHARED_PDFS.glob("*.pdf")) if SHARED_PDFS.is_dir() else []
    if not pdfs:
        pytest.skip("../shared/pdfs is not here (the agency PDFs are never committed)")
    return pdfs


@pytest.fixture(scope="session", params=ENGINES)
def engine(request) -> str:
    if request.param == "tantivy":
        pytest.importorskip("tantivy", reason="the tantivy engine is not installed (pip install -e .)")
    return request.param


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory, engine):
    """The bundled corpus indexed once into a temporary folder, by each engine."""
    folder = tmp_path_factory.mktemp(f"index-{engine}") / "index"
    build_index([CORPUS], folder, workers=2, engine=engine)
    return folder


def small_report(path: Path, text: str = "Staden ska ge fler personer tak över huvudet under året.") -> Path:
    """A report of one section: enough to be parsed, indexed and found."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Tertialrapport 1 2020 för kommunstyrelsen\n\nVerksamheten\n\n{text}\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class Built:
    """Two bundled reports in `corpus`, indexed into `index` (a symlink to its generation)."""

    corpus: Path
    index: Path
    first: BuildReport

    @property
    def root(self) -> Path:
        return self.index.parent


@pytest.fixture(scope="module")
def _built_once(tmp_path_factory):
    root = tmp_path_factory.mktemp("built")
    corpus = root / "rapporter"
    corpus.mkdir()
    for key in ("001", "003"):
        shutil.copy(CORPUS / REPORTS[key], corpus / REPORTS[key])
    first = build_index([corpus], root / "index", workers=1)
    snapshot = tmp_path_factory.mktemp("snapshot") / "built"
    shutil.copytree(root, snapshot, symlinks=True)
    return Built(corpus, root / "index", first), snapshot


@pytest.fixture
def built(_built_once) -> Built:
    """The index of two reports as its first build left it, at the same paths for every test of a
    module (the index stores its files' paths); a test may change the files and the index."""
    state, snapshot = _built_once
    shutil.rmtree(state.root)
    shutil.copytree(snapshot, state.root, symlinks=True)
    return state


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


# --- the browser tests: the app served by waitress on a free loopback port, Debian's chromium
# driven by Playwright (never a browser download of its own) ---------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
# The flags this closed network needs: no background connections, no sandbox as root.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server(app):
    from waitress.server import create_server

    srv = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.effective_port}"
    srv.close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    tab = context.new_page()
    dialogs = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.dialogs = dialogs
    yield tab
    context.close()
