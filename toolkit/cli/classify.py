"""``toolkit classify``: code every paragraph of each article by theme, streaming one article at a time."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from toolkit.cli._app import app
from toolkit.cli._common import Batch, in_flags, warn, warnings_as_lines
from toolkit.cli.render import TableFormat


class Level(str, Enum):
    paragraph = "paragraph"
    document = "document"


HELP = (
    "Code each paragraph of articles by theme.\n\n"
    "Per paragraph (--level paragraph, the default): path, doc, id (path#paragraph), paragraph, label, "
    "confidence, boilerplate kind, one p_THEME probability per theme, text. Per document (--level "
    "document): path, doc, paragraphs, chars, label, share_THEME (shares of body characters), chinese, "
    "replaced (undecodable bytes). The same columns in the same order for every article. As text: "
    "a table of its paragraphs per article, or one table with a row per article."
)


@app.command(help=HELP)
def classify(
    paths: List[str] = typer.Argument(..., metavar="PATHS...", help="Article files, folders (*.txt, *.md), globs, or - for stdin."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", metavar="FILE", help="Model file (default: the shipped model)."),
    level: Level = typer.Option(Level.paragraph, "--level", "-l", help="One record per paragraph or per document."),
    fmt: Optional[TableFormat] = typer.Option(None, "--format", "-f", show_default=False, help="Output format (default: from --output's extension, else text)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write here (complete or not at all; a FIFO or device in place) instead of standard output."),
    force: bool = typer.Option(False, "--force", help="Replace an existing --output file."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, metavar="N", help="Articles classified in parallel (processes; with --scheduler local, Dask workers)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS", help="Run on a Dask cluster: tcp://HOST:PORT of its scheduler, or 'local' for a LocalCluster of --jobs workers (pip install 'toolkit\\[dask]'). Output as a local run's."),
) -> None:
    import functools

    from toolkit.themes.classifier import cached_model, record_columns
    from toolkit.cli.render import check_output, choose_format, emit, nothing_written, serialize
    from toolkit.cli.render.classify import DocumentTable, write_table
    from toolkit.coding.drift import DriftMonitor, PairBudget
    from toolkit.themes.results import DocumentResult, code_file

    fmt = choose_format(fmt, output, TableFormat)
    with warnings_as_lines():
        loaded = cached_model(model)  # fail once, before the batch
    columns = record_columns(loaded.classes, level.value)
    rows = functools.partial(DocumentResult.rows, level=level.value)
    # Workers load the model from its path once each, code, and send back the lines to write.
    table = functools.partial(DocumentResult.table, level=level.value)
    shaped = None if fmt.value == "text" else functools.partial(serialize, fmt=fmt.value, rows=rows, columns=columns,
                                                                table=table)
    parallel = jobs > 1 or scheduler is not None
    # A serial run codes its documents here in input order: character pairs the monitor will not
    # add (past its sample) are never computed. Parallel workers compute them all.
    budget = None if parallel else PairBudget(DriftMonitor.vocabulary_sample)
    work = functools.partial(code_file, model=loaded.portable() if parallel else loaded, serialize=shaped,
                             budget=budget)
    batch = Batch(paths, work, label="classifying", jobs=jobs, scheduler=scheduler)
    check_output(output, [*batch.sources, str(loaded.path)], force=force)
    monitor = DriftMonitor.for_model(loaded)  # one warning per run if the corpus looks unfamiliar

    def watched():
        for coded in batch:
            monitor.add(coded.drift)
            yield coded.output

    text = write_table if level is Level.paragraph else DocumentTable(rows, columns)
    try:
        with in_flags({"scheduler": "--scheduler"}):
            emit(watched(), fmt, output, rows=rows, columns=columns, text=text)
    except Exception as exc:
        if not nothing_written(exc):
            raise
        raise typer.Exit(1)  # nothing classified: an existing output file stays as it was
    if monitor.message():  # the way forward, in commands
        warn(monitor.message() + ". Code a sample of it and retrain: toolkit labels suggest PATHS -n 100 -o to_code.csv")
    if batch.failed:
        raise typer.Exit(1)
