"""``toolkit model show``: what a model was trained on, how well it did, and what drives each code."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from toolkit.cli._app import App, app
from toolkit.cli._common import force_option, output_option, report_format_option, report_target, warnings_as_lines
from toolkit.cli.render import ReportFormat

model_app = App(help="Inspect the theme model.", no_args_is_help=True)
app.add_typer(model_app, name="model")


@model_app.command("show")
def show(
    model: Optional[Path] = typer.Option(None, "--model", "-m", metavar="FILE", help="Model file (default: the shipped model)."),
    terms: int = typer.Option(15, "--terms", "-n", min=1, metavar="N", help="Heaviest terms shown per theme."),
    fmt: Optional[ReportFormat] = report_format_option(),
    output: Optional[Path] = output_option(),
    force: bool = force_option(),
) -> None:
    """Labels and their training counts, training data, evaluation figures, heaviest terms per theme."""
    from toolkit.themes.classifier import load_model
    from toolkit.cli.render import emit, text_report
    from toolkit.cli.render.model import describe_text
    from toolkit.themes.inspection import describe_model
    from toolkit.themes.model_files import default_model_path

    fmt = report_target(fmt, output, [model or default_model_path()], force=force)
    with warnings_as_lines():
        description = describe_model(load_model(model), terms)
    emit([description], fmt, output, **text_report(describe_text))
