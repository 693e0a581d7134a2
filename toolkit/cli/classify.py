"""``toolkit classify``: code every paragraph of each article by theme, streaming one article at a time."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from toolkit.cli._app import app
from toolkit.cli._common import check_choice, output_stream, run_batch, warn, warnings_as_lines

FORMATS = ("table", "jsonl", "csv")


@app.command()
def classify(
    paths: List[str] = typer.Argument(..., help="Article files, folders (*.txt, *.md), globs, or - for stdin."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model file (default: models/theme.skops)."),
    format_: Optional[str] = typer.Option(None, "--format", "-f", help="table, jsonl or csv (default: from --output's suffix, else table)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here (atomically) instead of to standard output."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Articles classified in parallel (processes)."),
) -> None:
    """Per paragraph: label, confidence, probabilities, boilerplate kind; per article: theme shares by characters."""
    import functools

    from toolkit.classifier import cached_model, classify_file, default_model_path
    from toolkit.coding.drift import DriftMonitor

    fmt = check_choice("--format", format_ or _format_from_suffix(output), FORMATS)
    with warnings_as_lines():
        loaded = cached_model(model if model is not None else default_model_path())  # fail once, before the batch
    # Workers get the scikit-learn-free predictor, so they start in a fraction of a second.
    work = functools.partial(classify_file, model=loaded if jobs == 1 else loaded.portable())
    with output_stream(output, encoding="utf-8-sig" if fmt == "csv" else "utf-8") as stream:
        writer = _WRITERS[fmt](stream, loaded.classes, to_file=output is not None)
        monitor = DriftMonitor.for_model(loaded)  # one warning per run if the corpus looks unfamiliar

        def emit(result) -> None:
            writer.write(result)
            monitor.update(result)

        # Files take milliseconds each: joblib's adaptive batches keep both cores busy (measured
        # 2.3 s against 3.4 s with batches of 4 on 5 MB).
        failed = run_batch(paths, work, emit, label="classifying", jobs=jobs, batch_size="auto")
        if monitor.message():
            warn(monitor.message())
        if output is not None and not writer.count:
            raise typer.Exit(1)  # nothing classified: leave an existing output file as it was
    if failed:
        raise typer.Exit(1)


def _format_from_suffix(output: Optional[Path]) -> str:
    suffix = output.suffix.lower() if output is not None else ""
    return {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}.get(suffix, "table")


class _Writer:
    def __init__(self, stream, classes: list[str], to_file: bool):
        self.stream = stream
        self.classes = classes
        self.to_file = to_file
        self.count = 0

    def write(self, result) -> None:
        self._write(result)
        self.count += 1
        self.stream.flush()


class _JsonlWriter(_Writer):
    """One JSON object a line: the article's record (``"record": "document"``), then its paragraphs."""

    def _write(self, result) -> None:
        import json

        self.stream.write(json.dumps({"record": "document", **result.to_dict()}, ensure_ascii=False) + "\n")
        for p in result.paragraphs:
            self.stream.write(json.dumps({"record": "paragraph", **p.to_dict()}, ensure_ascii=False) + "\n")


class _CsvWriter(_Writer):
    """One row a paragraph and one per article (``record`` = document, first).

    The per-label columns hold the probabilities on paragraph rows and the character shares on
    document rows, so one sheet answers both questions.
    """

    def __init__(self, stream, classes, to_file):
        import csv

        super().__init__(stream, classes, to_file)
        self.writer = csv.writer(stream, lineterminator="\n")
        self.writer.writerow(["record", "doc", "paragraph", "label", "confidence", "boilerplate", *classes, "text"])

    def _write(self, result) -> None:
        self.writer.writerow(
            ["document", result.doc, "", result.main_label or "", "", "",
             *(f"{result.shares.get(c, 0.0):.4f}" for c in self.classes), ""]
        )
        for p in result.paragraphs:
            self.writer.writerow(
                ["paragraph", p.doc, p.paragraph, p.label, f"{p.confidence:.4f}", p.boilerplate or "",
                 *(f"{p.probabilities.get(c, 0.0):.4f}" for c in self.classes), p.text]
            )


class _TableWriter(_Writer):
    """A readable view per article: its theme shares, then each paragraph on one line."""

    def __init__(self, stream, classes, to_file):
        from rich.console import Console

        super().__init__(stream, classes, to_file)
        self.console = Console(file=stream, width=120 if to_file else None, no_color=to_file, soft_wrap=False)

    def _write(self, result) -> None:
        from rich.cells import set_cell_size
        from rich.text import Text

        shares = sorted(result.shares.items(), key=lambda kv: -kv[1])
        summary = ", ".join(f"{label} {share:.0%}" for label, share in shares if share > 0) or "no body text"
        out = self.console
        out.print(Text.assemble((result.doc, "bold"), f"  {len(result.paragraphs)} paragraphs, {result.chars} characters:"),
                  Text(summary, style="cyan"), soft_wrap=True)
        width = max(len(c) for c in self.classes)
        digits = max(len(str(len(result.paragraphs))), 1)
        room = max(out.width - (digits + width + 11), 20)
        for p in result.paragraphs:
            head = f"{p.paragraph:>{digits}}  {p.label:<{width}}  "
            if p.boilerplate:
                body = set_cell_size(f"[{p.boilerplate}] {p.text}", room).rstrip()
                out.print(Text(head + "   -  " + body, style="dim"), soft_wrap=True)
            else:
                body = set_cell_size(p.text, room).rstrip()
                out.print(Text(head + f"{p.confidence:.2f}  " + body), soft_wrap=True)
        out.print()


_WRITERS = {"table": _TableWriter, "jsonl": _JsonlWriter, "csv": _CsvWriter}
