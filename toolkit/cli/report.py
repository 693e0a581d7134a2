"""``toolkit report``: one self-contained HTML page of a corpus, its themes and every paragraph."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from toolkit.cli._app import app
from toolkit.cli._common import Batch, warnings_as_lines
from toolkit.cli.render import PageFormat


class GroupBy(str, Enum):
    folder = "folder"
    date = "date"


HELP = (
    "Write a corpus report a researcher can open offline and share: one HTML file, no network.\n\n"
    "Corpus view: theme shares per document as stacked bars (sortable by theme), corpus totals, shares "
    "by folder (outlet) and by publication date where a byline or publication field gives one. Document "
    "view: the abstract and keywords, then every paragraph coloured by its theme with its confidence "
    "(low confidence marked), page furniture greyed with its kind. Each article is read, coded and "
    "summarised once. --format json (or -o FILE.json) writes the same data as JSON.\n\n"
    "A file that cannot be read is reported on one line and left out; the exit code is then 1."
)


@app.command("report", help=HELP)
def report(
    paths: List[str] = typer.Argument(..., metavar="PATHS...", help="Article files, folders (*.txt, *.md), globs, or - for stdin."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write here, e.g. report.html (complete or not at all); standard output if it is not a terminal."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", metavar="FILE", help="Model file (default: the shipped model)."),
    group_by: GroupBy = typer.Option(GroupBy.folder, "--group-by", "-g", help="Order the document list by folder (outlet) or by date; that breakdown comes first."),
    fmt: Optional[PageFormat] = typer.Option(None, "--format", "-f", show_default=False, help="html or json (default: from --output's extension, else html)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing --output file."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, metavar="N", help="Articles processed in parallel (processes)."),
) -> None:
    import functools

    from toolkit.themes.classifier import cached_model
    from toolkit.cli.render import check_output, emit, nothing_written
    from toolkit.cli.render.html import render
    from toolkit.report import assemble, report_file

    fmt = _choose(fmt, output)
    with warnings_as_lines():
        loaded = cached_model(model)
    work = functools.partial(report_file, model=loaded if jobs == 1 else loaded.portable())
    batch = Batch(paths, work, label="reporting", jobs=jobs)
    check_output(output, [*batch.sources, str(loaded.path)], force=force)
    documents = list(batch)
    name = "shipped" if model is None else str(model)
    result = assemble(documents, loaded.classes, group_by.value, model=name)
    try:
        emit([result] if documents else [], fmt, output, html=render, records=lambda r: [r.to_dict()])
    except Exception as exc:
        if not nothing_written(exc):
            raise
        raise typer.Exit(1)  # nothing could be read: an existing output file stays as it was
    if batch.failed:
        raise typer.Exit(1)


def _choose(fmt: Optional[PageFormat], output: Optional[Path]) -> PageFormat:
    from toolkit.cli.render import choose_format

    if fmt is None and (output is None or str(output) == "-" or output.suffix == ""):
        return PageFormat.html
    return choose_format(fmt, output, PageFormat)
