"""`rapportsok serve`: the library's CLI with the web app added (the library never imports the
web layer). This module's `main` is the `rapportsok` command."""

from __future__ import annotations

from pathlib import Path

import click

from indexer import IndexBusy, IndexMissing, open_index
from indexer.cli import index_dir_option, main, run_index

from . import create_app


@main.command()
@index_dir_option
@click.option("--host", default=None, help="Address to listen on (default: config).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default: config).")
@click.pass_obj
def serve(config, index_dir: Path | None, host: str | None, port: int | None) -> None:
    """Serve the web app with waitress; with no usable index, build one from the corpus first."""
    import waitress

    index_dir = index_dir or config.index_dir
    try:
        open_index(index_dir)
    except IndexMissing as exc:
        click.echo(f"{exc}; building it from {config.corpus_dir} …", err=True)
        try:
            report = run_index(config, [config.corpus_dir], index_dir)
        except IndexBusy as busy:
            raise click.ClickException(str(busy)) from None
        click.echo(f"{report.passages} passages indexed in {report.seconds:.1f} s", err=True)
    host, port = host or config.host, port or config.port
    click.echo(f"Rapportsök: http://{host}:{port}/", err=True)
    waitress.serve(create_app(config, index_dir=index_dir), host=host, port=port, threads=8)


__all__ = ["main"]
