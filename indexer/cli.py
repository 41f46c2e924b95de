"""The `rapportsok` command.

Exit codes: 0 all went well; 1 some input could not be read (each named on stderr,
the rest still processed); 2 a usage or configuration error; 3 indexing is already running;
4 the index could not be written (a full disk): the last good index is kept.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import click

from . import (
    BuildFailed,
    ConfigError,
    EvalFileError,
    IndexBusy,
    IndexMissing,
    QueryError,
    ReadError,
    Report,
    SearchParams,
    ask,
    build_index,
    collect_sources,
    evaluate,
    format_precision,
    format_report,
    load_sets,
    load_probes,
    load_config,
    open_index,
    open_searcher,
    parse_file,
    precision,
    printable,
    search,
)

BUSY, WRITE_FAILED = 3, 4  # exit codes beside click's 1 (a file not read here) and 2 (usage)


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


def index_dir_option(f):
    return click.option("--index-dir", type=click.Path(path_type=Path), default=None,
                        help="Index folder (default: from the config).")(f)


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(f)


def filter_options(f):
    """The filters search and ask share."""
    for option in reversed([
        click.option("--namnd", default=None, help="Only this nämnd (exact name)."),
        click.option("--year", type=int, default=None, help="Only this year."),
        click.option("--kind", default=None, help="Only this section kind (goal, activity, indicator, …)."),
    ]):
        f = option(f)
    return f


def open_or_fail(config, index_dir: Path | None):
    try:
        return open_index(index_dir or config.index_dir)
    except IndexMissing as exc:
        raise click.UsageError(str(exc)) from None


@click.group()
@click.version_option(package_name="rapportsok", prog_name="rapportsok")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Settings file (default: $RAPPORTSOK_CONFIG or config.toml).")
@click.pass_context
def main(ctx: click.Context, config_path: str | None) -> None:
    """Rapportsök: search the City of Stockholm's follow-up reports.

    \b
    Example (the web app on http://127.0.0.1:8000/; the first start builds the index):
      rapportsok serve
    """
    try:
        ctx.obj = load_config(config_path)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    if ctx.obj.path is None:  # an installed program run where no config.toml is
        click.echo(f"No config.toml here: reports are read from {ctx.obj.corpus_dir}, the index is kept in "
                   f"{ctx.obj.index_dir}.", err=True)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per report (one per line for several).")
@click.pass_obj
def parse(config, paths: tuple[Path, ...], as_json: bool) -> None:
    """Read reports (.txt, .pdf, or folders of them) into typed structure.

    Without PATHS, the configured corpus is read.

    \b
    Example (the full structure of one report):
      rapportsok parse corpus/ks-tertialrapport-1-2020.txt --json
    """
    sources, clashes = collect_sources(list(paths) or [config.corpus_dir])
    files = [s.path for s in sources]
    if not files:
        raise click.UsageError("no .txt or .pdf files to read")
    failed = 0
    for path in files:
        try:
            report = parse_file(path)
        except ReadError as exc:
            failed += 1
            click.echo(f"rapportsok: error: {printable(exc.path)}: {exc.reason}", err=True)
            continue
        if as_json:
            indent = 2 if len(files) == 1 else None
            click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=indent))
        else:
            click.echo(summary(report))
    if failed:
        click.echo(f"rapportsok: {failed} of {len(files)} files could not be read", err=True)
        sys.exit(1)


def run_index(config, paths: list[Path], index_dir: Path, workers: int | None = None, quiet: bool = False,
              rebuild: bool = False, check: bool = False):
    """Build or update the index; a progress bar on a terminal, plain lines in logs."""
    tty = sys.stderr.isatty() and not quiet
    bar = None

    def start(total: int) -> None:
        nonlocal bar
        if tty and total:
            bar = click.progressbar(length=total, label="Indexing", file=sys.stderr)
            bar.__enter__()

    def progress(path: str, error: str | None) -> None:
        if bar is not None:
            bar.update(1)
        elif not quiet and error is None:  # a failure is named once, with its reason, below
            click.echo(f"indexed {printable(path)}", err=True)

    try:
        report = build_index(paths, index_dir, config.analysis, workers=workers, progress=progress, start=start,
                             rebuild=rebuild, check=check, engine=config.engine)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for path, reason in report.failed:
        click.echo(f"rapportsok: error: {printable(path)}: {reason}", err=True)
    if report.engine_why:
        click.echo(f"rapportsok: sökmotor {report.engine}: {report.engine_why}", err=True)
    return report


def index_or_exit(config, paths: list[Path], index_dir: Path, **options):
    """`run_index`; a run that cannot take the lock or cannot write says so in one line and exits
    with its own code."""
    try:
        return run_index(config, paths, index_dir, **options)
    except IndexBusy as exc:
        click.echo(f"rapportsok: {exc}", err=True)
        sys.exit(BUSY)
    except BuildFailed as exc:
        click.echo(f"rapportsok: fel: {exc}", err=True)
        sys.exit(WRITE_FAILED)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@index_dir_option
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Processes reading files (default: cores).")
@click.option("--rebuild", is_flag=True, help="Build the whole index anew, whatever has changed.")
@click.option("--check", is_flag=True,
              help="Also read every posting list; a damaged index is rebuilt (records are checked on every run).")
@click.pass_obj
def index(config, paths: tuple[Path, ...], index_dir: Path | None, workers: int | None, rebuild: bool,
          check: bool) -> None:
    """Index reports (.txt, .pdf, folders). Unchanged files are skipped, changed ones replaced,
    removed ones deleted.

    Without PATHS, the configured corpus is indexed.

    \b
    Example (build or update the index of the configured corpus):
      rapportsok index
    """
    index_dir = index_dir or config.index_dir
    report = index_or_exit(config, list(paths) or [config.corpus_dir], index_dir, workers=workers,
                           rebuild=rebuild, check=check)
    click.echo(f"{index_dir}: {report.passages} passages · {report.added} added, {report.updated} updated, "
               f"{report.removed} removed, {report.unchanged} unchanged"
               + (" · rebuilt" if report.rebuilt else "") + f" · {report.engine} · {report.seconds:.1f} s")
    if report.failed:
        click.echo(f"rapportsok: {len(report.failed)} files could not be read", err=True)
        sys.exit(1)


@main.command(name="search")
@click.argument("query")
@json_option
@filter_options
@click.option("--limit", type=int, default=10, help="Hits to show.")
@index_dir_option
@click.pass_obj
def search_command(config, query, as_json, namnd, year, kind, limit, index_dir) -> None:
    """Search the index.

    \b
    Example:
      rapportsok search "trygghetsmedel 2020"
    """
    ix = open_or_fail(config, index_dir)
    try:
        with open_searcher(ix) as searcher:
            result = search(searcher, SearchParams(q=query, namnd=namnd, year=year, kind=kind, limit=limit))
    except QueryError as exc:
        raise click.UsageError(str(exc)) from None
    if as_json:
        click.echo(json.dumps({"total": result.total, "hits": [h.to_dict() for h in result.hits],
                               "facets": result.facets, "suggestion": result.suggestion}, ensure_ascii=False))
        return
    if result.suggestion:
        click.echo(f"Menade du: {result.suggestion}")
    click.echo(f"{result.total} träffar")
    for n, hit in enumerate(result.hits, start=1):
        doc = hit.doc
        where = f"s. {hit.page}" if hit.page else f"rad {hit.lines[0]}" if hit.lines else ""
        path = " › ".join(f"{g['number'] or ''} {g['title']}".strip() for g in hit.section["goal_path"])
        click.echo(f"{n}. [{hit.section['kind']}] {doc['namnd'] or ''} {doc['year'] or ''} · {doc['title']} · {where}")
        if path:
            click.echo(f"   {path}")
        click.echo(f"   {hit.text[:240]}")


@main.command(name="eval")
@click.argument("cases_files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
@click.option("--index-dir", type=click.Path(path_type=Path), default=None,
              help="Evaluate this index as it is (default: build the eval index from corpus and distractors).")
@click.option("--unanswerable", "unanswerable_files", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Questions the reports do not answer (default: unanswerable*.jsonl beside each set).")
@click.pass_obj
def eval_command(config, cases_files: tuple[Path, ...], as_json: bool, index_dir: Path | None,
                 unanswerable_files: tuple[Path, ...]) -> None:
    """Measure search and answers on evaluation sets, beside the stock Whoosh baseline, for the
    tuning half and the held-out half of the cases (split by a hash of each id) and for the cases
    answered inside a PDF apart.

    CASES_FILES are evaluation sets, one JSON case a line (the query, its kind, the report and the
    evidence that answer it). The project's own are kept beside the repository, never in it:
    ../shared/eval/dev.jsonl and dev2.jsonl. Without --index-dir, the corpus and the distractors
    named in the config's [eval] table (../shared/pdfs) are indexed into its eval index
    (var/eval-index) first.

    \b
    Example (recall@1/5, MRR@10 and answer accuracy per half, ours beside stock):
      rapportsok eval ../shared/eval/dev.jsonl ../shared/eval/dev2.jsonl
    """
    try:
        cases, unanswerable = load_sets(cases_files, unanswerable_files)
    except EvalFileError as exc:
        raise click.UsageError(str(exc)) from None
    if index_dir is None:
        index_dir = config.eval_index_dir
        inputs = [config.corpus_dir]
        if config.eval_distractors and config.eval_distractors.is_dir():
            inputs.append(config.eval_distractors)
        else:
            click.echo(f"note: no distractors at {config.eval_distractors}; corpus only", err=True)
        index_or_exit(config, inputs, index_dir, quiet=True)
    probes = load_probes(config.eval_probes) if config.eval_probes and config.eval_probes.is_file() else []
    with open_searcher(open_or_fail(config, index_dir)) as searcher:
        result = evaluate(searcher, cases, unanswerable)
        result["precision"] = precision(searcher, cases, probes)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(result))
        click.echo(format_precision(result["precision"]))


@main.command(name="ask")
@click.argument("question")
@json_option
@filter_options
@index_dir_option
@click.pass_obj
def ask_command(config, question: str, as_json: bool, namnd, year, kind, index_dir: Path | None) -> None:
    """Answer a Swedish question with a cited sentence (or say plainly that it cannot).

    \b
    Example:
      rapportsok ask "Hur mycket beviljades i trygghetsmedel under första tertialet 2020?"
    """
    ix = open_or_fail(config, index_dir)
    try:
        with open_searcher(ix) as searcher:
            reply = ask(searcher, question, namnd=namnd, year=year, kind=kind)
    except QueryError as exc:
        raise click.UsageError(str(exc)) from None
    answer = reply.answer
    if as_json:
        click.echo(json.dumps({"answer": answer.to_dict() if answer else None, "note": reply.note,
                               "nearest": reply.nearest.to_dict() if reply.nearest else None,
                               "sources": [h.to_dict() for h in reply.sources]}, ensure_ascii=False))
        return
    if answer is None:
        click.echo(reply.note or "Inget säkert svar hittades.")
        if reply.nearest is not None:
            click.echo(f"Närmaste uppgift, om {reply.nearest.about}: {reply.nearest.text}")
            click.echo(f"  Källa: {cite(reply.nearest.source)}")
        click.echo("De bästa styckena:")
    else:
        click.echo(f"Svar: {answer.value}" if answer.value else "Svar:")
        click.echo(f"  {answer.text}")
        for item in answer.items:
            click.echo(f"  - {item.text} ({cite(item.source)})")
        if not answer.items:
            click.echo(f"  Källa: {cite(answer.source)}")
        click.echo("Fler stycken:")
    for hit in reply.sources[:3]:
        click.echo(f"  - {hit.doc['title']}: {hit.text[:160]}")


def cite(hit) -> str:
    where = f"s. {hit.page}" if hit.page else f"rad {hit.lines[0]}" if hit.lines else ""
    return f"{hit.doc['title']} ({hit.doc['namnd'] or ''} {hit.doc['year'] or ''}), {where}".strip(", ")
