"""The ``toolkit`` command: thin Typer commands over the library, one module per command group."""

from __future__ import annotations

import sys

import typer

from toolkit import __version__
from toolkit.cli._app import app
from toolkit.errors import ToolkitError

# Each module registers its commands on ``app``; none imports scikit-learn or jieba at import time.
from toolkit.cli import classify, evaluate, experiments, labels, model, report, summarize, train  # noqa: E402,F401


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
    import signal

    # A reader that goes away (toolkit classify ... | head) ends the command as it ends cat or
    # grep: silently, by SIGPIPE (exit status 141 in the shell). Python would otherwise raise
    # BrokenPipeError, which click turns into exit status 1.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        app()
    except ToolkitError as exc:
        # an error listing several problems (every bad row of a labels file) prints one line each
        for line in getattr(exc, "problems", None) or [str(exc)]:
            typer.echo(f"error: {line}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        # Ctrl-C: one line and 128 + SIGINT, as a shell expects; partial outputs were never renamed
        _quiet_stdout()
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        # the reader went away (toolkit classify ... | head): stop quietly with 128 + SIGPIPE
        _quiet_stdout()
        sys.exit(141)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail a second time."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
