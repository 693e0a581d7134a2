"""``toolkit summarize``: an extractive abstract and keywords for each article of a batch."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from toolkit.cli._app import app
from toolkit.cli._common import output_stream, run_batch, warn


class SummaryFormat(str, Enum):
    text = "text"
    jsonl = "jsonl"


# One line per paragraph: Typer keeps a docstring's line breaks, so a hard-wrapped docstring
# shows ragged lines in any terminal narrower or wider than the source.
HELP = (
    "Summarise articles with TextRank.\n\n"
    "Per article: the most central body sentences, quoted verbatim in document order with their "
    "position (paragraph and sentence, from 0; a quotation of several sentences is quoted whole, "
    "with who said it) and score (1.0 = an average sentence), then the keywords and keyphrases "
    "with their weights.\n\n"
    "An article with nothing to summarise (empty, or only headings and page furniture) gets a "
    "warning line. Exit code 1 when a file could not be read or when no article at all could be "
    "summarised; an existing --output file is then replaced only if some article was summarised."
)


@app.command("summarize", help=HELP)
def summarize(
    paths: List[str] = typer.Argument(..., help="Articles: files, folders (*.txt, *.md, recursively), globs, or - for stdin."),
    sentences: Optional[int] = typer.Option(None, "--sentences", "-n", min=1, show_default=False, help="Sentences per abstract (default 3)."),
    ratio: Optional[float] = typer.Option(None, "--ratio", "-r", help="Instead of -n: this share of the candidate sentences, rounded up (0 < R <= 1)."),
    keywords: int = typer.Option(10, "--keywords", "-k", min=0, help="Keywords per article (0: none)."),
    fmt: SummaryFormat = typer.Option(SummaryFormat.text, "--format", "-f", help="text for reading, jsonl for programs (one object per article)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (complete or not at all) instead of stdout."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Articles summarised in parallel."),
) -> None:
    if sentences is not None and ratio is not None:
        raise typer.BadParameter("give --sentences or --ratio, not both", param_hint="--ratio")
    if ratio is not None and not 0 < ratio <= 1:
        raise typer.BadParameter("must be more than 0 and at most 1", param_hint="--ratio")
    from functools import partial

    from toolkit.summarizer import summarize_file

    work = partial(summarize_file, sentences=sentences, ratio=ratio, keywords=keywords)
    summarised = 0
    # Entered before the batch, so a bad --output fails at once (one line, from atomic_path).
    with output_stream(output) as out:

        def emit(summary) -> None:
            nonlocal summarised
            if summary.empty:
                warn(f"{summary.path or summary.doc}: {summary.message}")
            else:
                summarised += 1
            if fmt is SummaryFormat.jsonl:
                out.write(_jsonl(summary))
            elif not summary.empty:
                out.write(_text(summary))
            out.flush()

        failed = run_batch(paths, work, emit, label="summarising", jobs=jobs)
        if not summarised:
            raise typer.Exit(1)  # inside the block: an existing output file stays as it was
    if failed:
        raise typer.Exit(1)


def _jsonl(summary) -> str:
    import json

    return json.dumps(summary.to_dict(), ensure_ascii=False) + "\n"


def _text(summary) -> str:
    lines = [f"{summary.path or summary.doc}: {len(summary.sentences)} of {summary.candidates} passages (a quotation counts as one)"]
    for s in summary.sentences:
        where = f"p{s.paragraph} s{s.sentence}" + (f"-{s.last_sentence}" if s.last_sentence != s.sentence else "")
        lines.append(f"  {where}  {s.score:.2f}  {s.text}")
    if summary.keywords:
        lines.append("  keywords: " + ", ".join(f"{k.word} {k.weight:.2f}" for k in summary.keywords))
    if summary.keyphrases:
        lines.append("  keyphrases: " + ", ".join(f"{k.word} {k.weight:.2f}" for k in summary.keyphrases))
    return "\n".join(lines) + "\n\n"
