"""The `rapportsok` command.

Exit codes: 0 all went well; 1 some input could not be read (each named on stderr,
the rest still processed); 2 a usage or configuration error.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import click

from .config import ConfigError, load_config
from .parse import parse_file
from .read import SUPPORTED, ReadError
from .records import Report


def expand(paths: list[Path]) -> list[Path]:
    """Files as given, folders as the supported files inside them (sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in SUPPORTED and p.is_file()))
        else:
            files.append(path)
    return files


def summary(report: Report) -> str:
    d = report.document
    levels = Counter(g.level for g in report.goals)
    statuses = Counter(g.status for g in report.goals if g.status)
    lines = [
        f"{d.path}",
        f"  {d.title or '(utan titel)'}",
        (f"  nämnd: {d.namnd}" if d.namnd else f"  organisation: {d.organisation or '–'}") + f" · år: {d.year or '–'} · typ: {d.report_type or '–'}"
        f" · period: {d.period or '–'} · dnr: {d.dnr or '–'} · datum: {d.date or '–'} · sidor: {d.pages or '–'}",
        f"  mål: {levels['inriktningsmal']} inriktningsmål, {levels['verksamhetsmal']} verksamhetsmål,"
        f" {levels['namndmal']} nämndmål · uppfylls helt {statuses['helt']}, delvis {statuses['delvis']},"
        f" inte {statuses['inte']}",
        f"  aktiviteter: {len(report.activities)} (avvikelse {sum(a.deviation for a in report.activities)})"
        f" · indikatorer: {len(report.indicators)} · beslut: {len(report.decisions)}"
        f" · avsnitt: {len(report.sections)}",
    ]
    return "\n".join(lines)


@click.group()
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Settings file (default: $RAPPORTSOK_CONFIG or config.toml).")
@click.pass_context
def main(ctx: click.Context, config_path: str | None) -> None:
    """Rapportsök: search the City of Stockholm's follow-up reports."""
    try:
        ctx.obj = load_config(config_path)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per report (one per line for several).")
@click.pass_obj
def parse(config, paths: tuple[Path, ...], as_json: bool) -> None:
    """Read reports (.txt, .pdf, or folders of them) into typed structure.

    Without PATHS, the configured corpus is read."""
    files = expand(list(paths) or [config.corpus_dir])
    if not files:
        raise click.UsageError("no .txt or .pdf files to read")
    failed = 0
    for path in files:
        try:
            report = parse_file(path)
        except ReadError as exc:
            failed += 1
            click.echo(f"rapportsok: error: {exc}", err=True)
            continue
        if as_json:
            indent = 2 if len(files) == 1 else None
            click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=indent))
        else:
            click.echo(summary(report))
    if failed:
        click.echo(f"rapportsok: {failed} of {len(files)} files could not be read", err=True)
        sys.exit(1)
