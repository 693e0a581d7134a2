"""The ``toolkit`` command: thin Typer commands over the library, one module per command group."""

from __future__ import annotations

import sys

import typer

from toolkit import __version__
from toolkit.cli._app import app
from toolkit.errors import ToolkitError

# Each module registers its commands on ``app``; none imports scikit-learn or jieba at import time.
from toolkit.cli import classify, evaluate, experiments, labels, model, summarize, train  # noqa: E402,F401


def _version(value: bool) -> None:
    if value:
        typer.echo(f"toolkit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Theme coding, summaries and experiment tracking for Chinese articles."""


def main() -> None:
    try:
        app()
    except ToolkitError as exc:
        # an error listing several problems (every bad row of a labels file) prints one line each
        for line in getattr(exc, "problems", None) or [str(exc)]:
            typer.echo(f"error: {line}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
