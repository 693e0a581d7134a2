"""The Typer application object, apart from ``toolkit.cli`` so command modules can import it."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="toolkit",
    help="Theme coding, summaries and experiment tracking for Chinese articles on rural development and Party building.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
