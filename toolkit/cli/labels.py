"""``toolkit labels check``: validate a labels file before training on it."""

from __future__ import annotations

from pathlib import Path

import typer

from toolkit.cli._app import app
from toolkit.cli._common import error, warn

labels_app = typer.Typer(help="Check the coded paragraphs in labels.csv.", no_args_is_help=True)
app.add_typer(labels_app, name="labels")


@labels_app.command("check")
def check(path: Path = typer.Argument(Path("labels.csv"), help="Labels file (CSV with doc,text,label).")) -> None:
    """Validate a labels file; print counts per label and per document; exit 1 on any problem."""
    from toolkit.labels import check_labels
    from toolkit.cli.render.labels import print_label_report

    report = check_labels(path)
    for message in report.warnings:
        warn(f"{path}: {message}")
    for message in report.errors:
        error(f"{path}: {message}")
    if report.rows:
        print_label_report(report)
    if not report.ok:
        raise typer.Exit(1)
