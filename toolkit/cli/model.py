"""``toolkit model show``: what a model was trained on, how well it did, and what drives each code."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from toolkit.cli._app import app

model_app = typer.Typer(help="Inspect the theme model.", no_args_is_help=True)
app.add_typer(model_app, name="model")


@model_app.command("show")
def show(
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model file (default: models/theme.skops)."),
    terms: int = typer.Option(15, "--terms", "-n", min=1, help="Heaviest terms shown per theme."),
    format_: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Labels and their training counts, training data, evaluation figures, heaviest terms per theme."""
    import json

    from toolkit.classifier import default_model_path, describe_model, load_model, describe_text
    from toolkit.errors import ToolkitError

    if format_ not in ("text", "json"):
        raise ToolkitError(f"--format must be text or json, not {format_!r}")
    description = describe_model(load_model(model if model is not None else default_model_path()), terms)
    if format_ == "json":
        typer.echo(json.dumps(description, ensure_ascii=False, indent=2))
    else:
        typer.echo(describe_text(description))
