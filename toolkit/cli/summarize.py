"""``toolkit summarize``: an extractive abstract and keywords for each article of a batch."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from toolkit.cli._app import app
from toolkit.cli._common import Batch, warn
from toolkit.cli.render import TableFormat


class Method(str, Enum):
    """toolkit.summaries.SUMMARIZERS by name (a test keeps them in step; --help imports no library)."""

    newsrank = "newsrank"
    textrank = "textrank"
    lead = "lead"


# One line per paragraph: Typer keeps a docstring's line breaks, so a hard-wrapped docstring
# shows ragged lines in any terminal narrower or wider than the source.
HELP = (
    "Summarise articles with NewsRank.\n\n"
    "NewsRank is TextRank with the lead as a prior (plain TextRank where the lead is not central); "
    "--method textrank or lead gives plain TextRank or the first sentences.\n\n"
    "Per article: the most central body sentences, quoted verbatim in document order with their "
    "position (paragraph and sentence, from 0; a quotation of several sentences is quoted whole, "
    "with who said it) and score (1.0 = an average sentence), then the keywords and keyphrases "
    "with their weights. json and jsonl keep this structure; csv, xlsx and parquet have one row per "
    "article (path, doc, candidates, sentences, summary, positions, keywords, keyphrases).\n\n"
    "An article with nothing to summarise (empty, or only headings and page furniture) gets a "
    "warning line. Exit code 1 when a file could not be read or when no article at all could be "
    "summarised; an existing --output file is then left as it was."
)


@app.command("summarize", help=HELP)
def summarize(
    paths: List[str] = typer.Argument(..., metavar="PATHS...", help="Articles: files, folders (*.txt, *.md, recursively), globs, or - for stdin."),
    sentences: Optional[int] = typer.Option(None, "--sentences", "-n", min=1, metavar="N", show_default=False, help="Sentences per abstract (default 3)."),
    ratio: Optional[float] = typer.Option(None, "--ratio", "-r", metavar="R", help="Instead of -n: this share of the candidate sentences, rounded up (more than 0, at most 1)."),
    chars: Optional[int] = typer.Option(None, "--chars", "-c", min=1, metavar="N", show_default=False, help="Length budget in characters of quoted text (alone, or as a limit beside -n/-r)."),
    method: Method = typer.Option(Method.newsrank, "--method", "-m", help="NewsRank, plain TextRank, or the first sentences."),
    keywords: int = typer.Option(10, "--keywords", "-k", min=0, metavar="N", help="Keywords per article (0: none)."),
    fmt: Optional[TableFormat] = typer.Option(None, "--format", "-f", show_default=False, help="Output format (default: from --output's extension, else text)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write to this file (complete or not at all; a FIFO or device in place) instead of stdout."),
    force: bool = typer.Option(False, "--force", help="Replace an existing --output file."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, metavar="N", help="Articles summarised in parallel."),
) -> None:
    if sentences is not None and ratio is not None:
        raise typer.BadParameter("give --sentences or --ratio, not both", param_hint="--ratio")
    if ratio is not None and not 0 < ratio <= 1:
        raise typer.BadParameter("must be more than 0 and at most 1", param_hint="--ratio")
    from functools import partial

    from toolkit.cli.render import check_output, choose_format, emit, nothing_written
    from toolkit.cli.render import summary as render
    from toolkit.summaries import summarize_file

    fmt = choose_format(fmt, output, TableFormat)
    batch = Batch(paths, partial(summarize_file, sentences=sentences, ratio=ratio, keywords=keywords,
                                  chars=chars, method=method.value),
                  label="summarising", jobs=jobs, chunk_bytes=20_000, min_pool_bytes=0)  # seconds per article
    check_output(output, batch.sources, force=force)

    def summaries():
        for summary in batch:
            if summary.empty:
                warn(f"{summary.path or summary.doc}: {summary.message}")
            yield summary

    try:
        emit(summaries(), fmt, output, rows=render.rows, columns=render.COLUMNS, records=render.records,
             text=render.write_text, counts=lambda summary: not summary.empty)
    except Exception as exc:
        if not nothing_written(exc):
            raise
        raise typer.Exit(1)  # no article summarised: an existing output file stays as it was
    if batch.failed:
        raise typer.Exit(1)
