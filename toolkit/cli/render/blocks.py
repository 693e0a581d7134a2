"""Reports as blocks (a heading, lines of text, tables) that print as rich tables on a terminal
or in a file, or as GitHub markdown: one layout, two renderings, so text and md never disagree.

rich is imported inside :func:`print_report`, so importing this module stays light.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 paragraph``, ``3 paragraphs``; ``many`` for a plural not made with -s."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


@dataclass
class Heading:
    text: str


@dataclass
class Lines:
    lines: list[str]


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]]
    numeric: set[int] = field(default_factory=set)


Report = list  # of Heading | Lines | Table


def to_markdown(report: Report) -> str:
    """GitHub-flavoured markdown, for pasting into an issue, a README or a lab notebook."""

    def cell(text: str) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    out: list[str] = []
    for block in report:
        if isinstance(block, Heading):
            out += [f"## {block.text}", ""]
        elif isinstance(block, Lines):
            out += [f"- {cell(line)}" for line in block.lines] + [""]
        elif isinstance(block, Table):
            out += [f"**{cell(block.title)}**", ""]
            out.append("| " + " | ".join(cell(c) or " " for c in block.columns) + " |")
            out.append("|" + "|".join("---:" if i in block.numeric else "---" for i in range(len(block.columns))) + "|")
            out += ["| " + " | ".join(cell(v) for v in row) + " |" for row in block.rows]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def print_report(report: Report, console=None, stream=None) -> None:
    """Rich tables on the terminal; every cell is plain text (a value like ``[1, 3]`` is not markup)."""
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    if console is None:
        stream = stream if stream is not None else sys.stdout
        tty = stream is sys.stdout and sys.stdout.isatty()
        console = Console(file=stream, soft_wrap=False, width=None if tty else 120, no_color=not tty)
    for block in report:
        if isinstance(block, Heading):
            console.print(Text(block.text, style="bold"))
        elif isinstance(block, Lines):
            for line in block.lines:
                console.print(Text(line), soft_wrap=True)  # one line in a pipe; the terminal wraps it
        elif isinstance(block, Table):
            console.print(Text(block.title, style="bold"))  # a rich title would wrap to the table's width
            table = RichTable()
            for i, column in enumerate(block.columns):
                # ids are copied into the next command, so their column is never cut short
                keep = column in ("id", "coded", "label", "metric", "parameter")
                widest = max((len(str(r[i])) for r in block.rows), default=0)
                table.add_column(Text(column), justify="right" if i in block.numeric else "left", no_wrap=keep,
                                 min_width=max(widest, len(column)) if keep else max(min(widest, 16), min(len(column), 24)))
            for row in block.rows:
                table.add_row(*(Text(str(v)) for v in row))
            # a table too wide for the console is printed whole (a pipe or file has no width)
            needed = sum((c.min_width or 1) + 3 for c in table.columns) + 1
            console.print(table, width=max(console.width, needed) if console.file is not sys.stdout or
                          not console.is_terminal else None, crop=False)
