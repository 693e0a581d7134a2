"""``toolkit summarize``: an extractive abstract and keywords for each article of a batch."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from toolkit.cli._app import app
from toolkit.cli._common import run_batch, warn


class SummaryFormat(str, Enum):
    text = "text"
    jsonl = "jsonl"


@app.command("summarize")
def summarize(
    paths: list[str] = typer.Argument(..., help="Articles: files, folders (*.txt, *.md, recursively), globs, or - for stdin."),
    sentences: Optional[int] = typer.Option(None, "--sentences", "-n", min=1, show_default="3", help="Sentences per abstract."),
    ratio: Optional[float] = typer.Option(None, "--ratio", "-r", help="Instead of -n: this share of the candidate sentences, rounded up (0 < R <= 1)."),
    keywords: int = typer.Option(10, "--keywords", "-k", min=0, help="Keywords per article (0: none)."),
    fmt: SummaryFormat = typer.Option(SummaryFormat.text, "--format", "-f", help="text for reading, jsonl for programs (one object per article)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (complete or not at all) instead of stdout."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Articles summarised in parallel."),
) -> None:
    """Summarise articles with TextRank.

    Per article: the most central body sentences, quoted verbatim in document order with their
    position (paragraph and sentence, from 0) and score (1.0 = an average sentence), then the
    keywords and keyphrases with their weights. An article with nothing to summarise (empty, or
    only headings and page furniture) gets a warning line. Exit code 1 when a file could not be
    read or when no article at all could be summarised.
    """
    if sentences is not None and ratio is not None:
        raise typer.BadParameter("give --sentences or --ratio, not both", param_hint="--ratio")
    if ratio is not None and not 0 < ratio <= 1:
        raise typer.BadParameter("must be more than 0 and at most 1", param_hint="--ratio")
    from functools import partial

    from toolkit.summarizer import summarize_file

    work = partial(summarize_file, sentences=sentences, ratio=ratio, keywords=keywords)
    summarised = 0

    with ExitStack() as stack:
        if output is None:
            out = sys.stdout
        else:
            from toolkit.files import atomic_path

            out = stack.enter_context(open(stack.enter_context(atomic_path(output)), "w", encoding="utf-8"))

        def emit(summary) -> None:
            nonlocal summarised
            if summary.empty:
                warn(f"{summary.path or summary.document}: {summary.message}")
            else:
                summarised += 1
            if fmt is SummaryFormat.jsonl:
                out.write(_jsonl(summary))
            elif not summary.empty:
                out.write(_text(summary))
            out.flush()

        failed = run_batch(paths, work, emit, label="summarising", jobs=jobs)
    if failed or not summarised:
        raise typer.Exit(1)


def _jsonl(summary) -> str:
    import json

    return json.dumps(summary.to_dict(), ensure_ascii=False) + "\n"


def _text(summary) -> str:
    lines = [f"{summary.path or summary.document}: {len(summary.sentences)} of {summary.candidates} sentences"]
    for s in summary.sentences:
        lines.append(f"  p{s.paragraph} s{s.sentence}  {s.score:.2f}  {s.text}")
    if summary.keywords:
        lines.append("  keywords: " + ", ".join(f"{k.word} {k.weight:.2f}" for k in summary.keywords))
    if summary.keyphrases:
        lines.append("  keyphrases: " + ", ".join(f"{k.word} {k.weight:.2f}" for k in summary.keyphrases))
    return "\n".join(lines) + "\n\n"
