"""``toolkit classify`` as text: per article its theme shares, then a table of its paragraphs."""

from __future__ import annotations

import sys
from typing import IO


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def write_table(result, stream: IO[str]) -> None:
    """A header line per article, then one row per paragraph with column headers; long text wraps."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    to_terminal = stream is sys.stdout and sys.stdout.isatty()
    console = Console(file=stream, width=None if to_terminal else 120, no_color=not to_terminal, soft_wrap=False)
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
