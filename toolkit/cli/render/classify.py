"""``toolkit classify`` as text: per article its theme shares, then a table of its paragraphs
(``--level paragraph``); or one table with a row per article (``--level document``)."""

from __future__ import annotations

import sys
from typing import IO

from toolkit.cli.render.blocks import plural


def _console(stream: IO[str]):
    from rich.console import Console

    to_terminal = stream is sys.stdout and sys.stdout.isatty()
    return Console(file=stream, width=None if to_terminal else 120, no_color=not to_terminal, soft_wrap=False)


def write_table(result, stream: IO[str]) -> None:
    """A header line per article, then one row per paragraph with column headers; long text wraps."""
    from rich.table import Table
    from rich.text import Text

    console = _console(stream)
    shares = sorted(result.shares.items(), key=lambda kv: -kv[1])
    summary = ", ".join(f"{label} {share:.0%}" for label, share in shares if share > 0) or "no body text"
    where = result.path or result.doc
    console.print(Text.assemble((where, "bold"), f"  {plural(len(result.paragraphs), 'paragraph')}, "
                                f"{plural(result.chars, 'character')}: "), Text(summary, style="cyan"), soft_wrap=True)
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("label", no_wrap=True)
    table.add_column("conf", justify="right", no_wrap=True)
    table.add_column("text", overflow="fold", ratio=1)
    for p in result.paragraphs:
        if p.boilerplate:
            table.add_row(str(p.paragraph), p.label, "-", Text(f"[{p.boilerplate}] {p.text}"), style="dim")
        else:
            table.add_row(str(p.paragraph), p.label, f"{p.confidence:.2f}", Text(p.text))
    console.print(table)
    console.print()


class DocumentTable:
    """``--level document`` as text: one row per article with the data of the json and csv rows
    (``rows``, laid out by ``columns``): the document, its paragraphs, each theme's share of its
    body characters, and its main theme.

    Called once per article by :func:`toolkit.cli.render.emit`, it keeps the rows and prints the
    table at :meth:`close`: a column is as wide as its widest cell, known only at the end.
    """

    def __init__(self, rows, columns):
        self.rows = rows
        self.themes = [name.removeprefix("share_") for name, _ in columns if name.startswith("share_")]
        self.records: list[dict] = []

    def __call__(self, result, stream: IO[str]) -> None:
        self.records.extend(self.rows(result))

    def close(self, stream: IO[str]) -> None:
        from rich.table import Table

        table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
        table.add_column("document", overflow="fold")
        table.add_column("paragraphs", justify="right", no_wrap=True)
        for theme in self.themes:
            table.add_column(theme, justify="right", no_wrap=True)
        table.add_column("main theme", no_wrap=True)
        for record in self.records:
            table.add_row(record["path"], str(record["paragraphs"]),
                          *(f"{record[f'share_{theme}']:.0%}" for theme in self.themes), record["label"])
        _console(stream).print(table)
