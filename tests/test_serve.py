"""`rapportsok serve`: what the first start says, a taken port, and the real servers (gunicorn's
processes and waitress) answering from an index that is rebuilt under them, ending when their
terminal closes."""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import pty
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS, REPORTS

from app import serve
from indexer import build_index


def small_setup(tmp_path, *names: str):
    """A config whose corpus is the given reports, and whose index is not built yet."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in names:
        shutil.copy(CORPUS / name, corpus / name)
    config = tmp_path / "config.toml"
    config.write_text('[corpus]\npath = "corpus"\n[index]\npath = "ix"\n', encoding="utf-8")
    return config, corpus, tmp_path / "ix"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_first_start_says_it_builds_the_index_then_serves(tmp_path, monkeypatch):
    config, corpus, ix = small_setup(tmp_path, REPORTS["004"])
    started = []

    def run(make_app, sock, workers):
        with sock:
            started.append(sock.getsockname())
            text = make_app().test_client().get("/api/search.csv?q=budget").get_data(as_text=True)
            links.extend(row[-1] for row in list(csv.reader(io.StringIO(text), delimiter=";"))[1:])

    links = []

    monkeypatch.setattr(serve, "run_gunicorn", run)
    port = free_port()
    result = CliRunner().invoke(serve.main, ["--config", str(config), "serve", "--port", str(port),
                                             "--server", "gunicorn"])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == f"No usable index in {ix} yet: building it from {corpus}, then serving."
    assert lines[1] == f"indexed {corpus / REPORTS['004']}"
    assert lines[2].startswith("rapportsok: sökmotor whoosh: ")  # the engine `auto` chose, and why
    assert re.fullmatch(r"[1-9]\d* passages indexed in \d+\.\d s", lines[3])
    assert lines[4] == f"Rapportsök: http://127.0.0.1:{port}/"
    assert "run `rapportsok index`" not in result.output
    assert started == [("127.0.0.1", port)]
    assert links and all(link.startswith(f"http://127.0.0.1:{port}/dokument/") for link in links)  # not :8000


@pytest.mark.parametrize("server", ["gunicorn", "waitress"])
def test_a_taken_port_is_one_line_naming_it_and_the_option(tmp_path, server):
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        result = CliRunner().invoke(serve.main, ["serve", "--index-dir", str(tmp_path / "ix"), "--port", str(port),
                                                 "--server", server])
    assert result.exit_code == 2
    # Said at once: no index is built for a server that cannot start.
    assert result.output == f"Error: port {port} on 127.0.0.1 is already in use; choose another with --port\n"
    assert not (tmp_path / "ix").exists()


def test_an_unknown_host_is_one_line(tmp_path):
    result = CliRunner().invoke(serve.main, ["serve", "--index-dir", str(tmp_path / "ix"), "--host", "ingen.invalid"])
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1
    assert result.output.startswith("Error: cannot listen on ingen.invalid") and "--host" in result.output


def read_until(fd: int, marker: bytes, seconds: float) -> bytes:
    out = b""
    deadline = time.monotonic() + seconds
    while marker not in out and time.monotonic() < deadline:
        if select.select([fd], [], [], 0.5)[0]:
            try:
                out += os.read(fd, 4096)
            except OSError:  # the terminal closed: the process ended
                break
    return out


def read_until_closed(fd: int, seconds: float) -> bytes:
    """What the terminal shows until every process writing to it has ended (or `seconds` pass)."""
    return read_until(fd, b"\0", seconds)  # no server prints a NUL: read until the terminal closes


def get_json(port: int, path: str, timeout: float = 30) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        assert response.status == 200
        return json.loads(response.read())
    finally:
        conn.close()


def workers_of(pid: int) -> int:
    """gunicorn's workers: forks of the serving process, so the same command line."""
    command = Path(f"/proc/{pid}/cmdline").read_bytes()
    count = 0
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            parent = (proc / "stat").read_text().rsplit(")", 1)[1].split()[1]
            count += parent == str(pid) and (proc / "cmdline").read_bytes() == command
        except OSError:
            continue  # a process that just ended
    return count


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a terminal and /proc")
@pytest.mark.parametrize("server", ["gunicorn", "waitress"])
def test_serving_on_a_terminal_builds_with_a_bar_follows_a_rebuild_and_ends_with_it(tmp_path, server):
    config, corpus, ix = small_setup(tmp_path, REPORTS["004"])
    port = free_port()
    terminal, child_end = pty.openpty()
    # SIGHUP as a terminal sends it, even where the tests run with it ignored (nohup, some CI
    # runners): an ignored signal would be inherited by the server.
    process = subprocess.Popen([sys.executable, "-c", "from app.serve import main; main()", "--config", str(config),
                                "serve", "--port", str(port), "--server", server],
                               stdin=subprocess.DEVNULL, stdout=child_end, stderr=child_end,
                               preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_DFL))
    os.close(child_end)
    try:
        shown = read_until(terminal, b"Rapport", 120).decode(errors="replace")
        shown += read_until(terminal, b"/\r\n", 10).decode(errors="replace")
        assert "No usable index" in shown and "Indexing" in shown and f"indexed {corpus}" not in shown
        assert f"http://127.0.0.1:{port}/" in shown
        # Said once the socket listens: the first request waits in its queue until a worker takes
        # it, however long the workers take to start (the timeout only bounds a hang).
        assert [d["name"] for d in get_json(port, "/api/documents", timeout=300)["documents"]] == [REPORTS["004"]]
        if server == "gunicorn":
            assert workers_of(process.pid) == os.cpu_count()
        shutil.copy(CORPUS / REPORTS["003"], corpus / REPORTS["003"])
        assert build_index([corpus], ix, workers=1, rebuild=True).rebuilt
        # New connections land on any worker: each has opened the index itself and follows the switch.
        for _ in range(8):
            assert len(get_json(port, "/api/documents")["documents"]) == 2
        process.send_signal(signal.SIGHUP)  # the terminal closed: the server ends at once (gunicorn would reload)
        # The terminal is read meanwhile, as a terminal would be: a server writing its last lines into
        # a full one would block there, not end.
        read_until_closed(terminal, 30)
        assert process.wait(timeout=1) in (0, -signal.SIGHUP)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(terminal)


def test_each_server_process_asks_a_first_question_in_the_background(corpus_index, monkeypatch):
    from app import create_app
    from indexer.query.search import word_tokens

    app = create_app(index_dir=corpus_index)
    serve.warm_up(app).join(60)
    holder = app.extensions["rapportsok.index"]
    assert holder._ix is not None  # the index opened before the first request
    with holder.searcher() as s:
        assert len(word_tokens(s)._words) > 100  # the question was searched: its passages read
    warmed = []
    monkeypatch.setattr(serve, "warm_up", warmed.append)
    assert serve.warmed(lambda: app)() is app and warmed == [app]  # what each server process loads
