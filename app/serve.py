"""`rapportsok serve`: the library's CLI with the web app added (the library never imports the
web layer). This module's `main` is the `rapportsok` command.

Searching is pure Python and holds the GIL, so one process uses one core: on Unix the app is
served by gunicorn with a process per core (benchmarks/load.py measures it beside waitress);
waitress, one process with threads, is the fallback where gunicorn does not run."""

from __future__ import annotations

import errno
import importlib.util
import os
import socket
import threading
from dataclasses import replace
from pathlib import Path

import click

from indexer import IndexMissing, open_index
from indexer.cli import index_dir_option, index_or_exit, main

from . import create_app

SERVERS = ("gunicorn", "waitress")
THREADS = 4  # request threads per worker process
WARM_UP = "/api/ask?q=Hur+stor+var+budgeten%3F"  # a question: search, answer and their word lists


class CannotListen(click.ClickException):
    """The address cannot be listened on: a setting to change, so exit 2 like a usage error."""

    exit_code = 2


def default_server() -> str:
    return "gunicorn" if os.name == "posix" and importlib.util.find_spec("gunicorn") else "waitress"


def listen(host: str, port: int) -> socket.socket:
    """Bind before anything is printed or forked, so a taken port is one line, not a server's
    traceback."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise CannotListen(f"cannot listen on {host}: {exc.strerror}; choose another with --host") from None
    sock = socket.socket(family, kind, proto)
    try:
        if os.name == "posix":  # a just-stopped server's port is free again (on Windows it would share a taken one)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(1024)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise CannotListen(f"port {port} on {host} is already in use; choose another with --port") from None
        raise CannotListen(f"cannot listen on {host} port {port}: {exc.strerror}; choose another with --port"
                           " or --host") from None
    return sock


def warm_up(app) -> threading.Thread:
    """Ask a first question in the background: the word lists, the sentence model and the index's
    columns load while the server already answers, not on the first user's search."""
    thread = threading.Thread(target=lambda: app.test_client().get(WARM_UP), name="warm-up", daemon=True)
    thread.start()
    return thread


def warmed(make_app):
    def make():
        app = make_app()
        warm_up(app)
        return app
    return make


def run_waitress(make_app, sock: socket.socket, workers: int) -> None:
    import waitress

    # As many request threads in all as gunicorn would run.
    waitress.create_server(make_app(), sockets=[sock], threads=THREADS * workers).run()


def run_gunicorn(make_app, sock: socket.socket, workers: int) -> None:
    from gunicorn.app.base import BaseApplication
    from gunicorn.arbiter import Arbiter

    fd = sock.detach()  # gunicorn owns (and closes) the descriptor from here on

    class Master(Arbiter):
        # A closed terminal ends the server at once, as it ends waitress, instead of gunicorn's
        # reload: its workers are told to quit now, not waited for up to 30 s.
        handle_hup = Arbiter.handle_int

    class Server(BaseApplication):
        def load_config(self) -> None:
            # gthread: keep-alive and a thread pool per process; only warnings on the terminal.
            for key, value in {"bind": f"fd://{fd}", "workers": workers, "worker_class": "gthread",
                               "threads": THREADS, "loglevel": "warning"}.items():
                self.cfg.set(key, value)

        def load(self):
            # Called in each worker after the fork: every process opens the index itself, and
            # its IndexHolder follows a rebuild on its own.
            return make_app()

        def run(self) -> None:
            Master(self).run()

    Server().run()


@main.command()
@index_dir_option
@click.option("--host", default=None, help="Address to listen on (default: config).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default: config).")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help=f"gunicorn processes (default: cores); waitress runs {THREADS} threads for each.")
@click.option("--server", type=click.Choice(SERVERS), default=None,
              help="gunicorn, a process per worker (default on Unix), or waitress, one process.")
@click.pass_obj
def serve(config, index_dir: Path | None, host: str | None, port: int | None, workers: int | None,
          server: str | None) -> None:
    """Serve the web app; with no usable index, build one from the corpus first.

    \b
    Example (http://127.0.0.1:8000/; --port N where 8000 is taken):
      rapportsok serve
    """
    index_dir = index_dir or config.index_dir
    host, port = host or config.host, port or config.port
    config = replace(config, host=host, port=port)  # links in exports and feeds follow the address served on
    # First: a taken port is said before a build that would be for nothing.
    with listen(host, port) as sock:
        try:
            open_index(index_dir)
        except IndexMissing:
            click.echo(f"No usable index in {index_dir} yet: building it from {config.corpus_dir}, then serving.",
                       err=True)
            report = index_or_exit(config, [config.corpus_dir], index_dir)
            click.echo(f"{report.passages} passages indexed in {report.seconds:.1f} s", err=True)
        click.echo(f"Rapportsök: http://{host}:{port}/", err=True)
        run = run_gunicorn if (server or default_server()) == "gunicorn" else run_waitress
        run(warmed(lambda: create_app(config, index_dir=index_dir)), sock, workers or os.cpu_count() or 1)


__all__ = ["main"]
