"""``toolkit labels check|suggest|agreement|audit``: the coded paragraphs, and coding one's own corpus."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from toolkit.cli._app import App, app
from toolkit.cli._common import (error, force_option, output_option, report_format_option, report_target, warn,
                                 warnings_as_lines)
from toolkit.cli.render import ReportFormat, TableFormat

labels_app = App(help="Check, suggest, compare and audit coded paragraphs.", no_args_is_help=True)
app.add_typer(labels_app, name="labels")


@labels_app.command("check")
def check(
    path: Path = typer.Argument(Path("labels.csv"), metavar="FILE", help="Labels file (CSV with doc,text,label)."),
    fmt: Optional[ReportFormat] = report_format_option(),
    output: Optional[Path] = output_option(),
    force: bool = force_option(),
) -> None:
    """Validate a labels file; print counts per label and per document; exit 1 on any problem."""
    from toolkit.cli.render import emit
    from toolkit.cli.render.blocks import print_report, to_markdown
    from toolkit.cli.render.labels import check_report
    from toolkit.themes.labels import check_labels

    fmt = report_target(fmt, output, [path], force=force)
    report = check_labels(path)
    for message in report.warnings:
        warn(f"{path}: {message}")
    for message in report.errors:
        error(f"{path}: {message}")
    if report.rows:
        emit([report.to_dict()], fmt, output, text=lambda data, stream: print_report(check_report(data), stream=stream),
             markdown=lambda data: to_markdown(check_report(data)))
    if not report.ok:
        raise typer.Exit(1)


SUGGEST_HELP = (
    "The paragraphs of your corpus worth coding: those whose codes would teach the model most.\n\n"
    "Uncertain paragraphs, spread over documents and themes, no near-duplicates, page furniture skipped. "
    "Fill in the empty `label` column, then train with: "
    "toolkit train --labels labels.csv --labels SHEET --weight SHEET=3"
)


@labels_app.command("suggest", help=SUGGEST_HELP)
def suggest(
    paths: List[str] = typer.Argument(..., metavar="PATHS...", help="Your corpus: article files, folders (*.txt, *.md), globs."),
    n: int = typer.Option(100, "-n", "--number", min=1, metavar="N", help="Paragraphs to suggest."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="The sheet to code (.csv or .xlsx; default: CSV on standard output)."),
    fmt: Optional[TableFormat] = typer.Option(None, "--format", "-f", show_default=False, help="Sheet format (default: from --output's extension, else csv)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing --output file."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", metavar="FILE", help="Model file (default: the shipped model)."),
    exclude: List[Path] = typer.Option([], "--exclude", "-x", metavar="FILE", help="A sheet or labels file already coded: its paragraphs are not suggested again (repeatable)."),
) -> None:
    from toolkit.themes.classifier import cached_model
    from toolkit.cli._common import expand_sources
    from toolkit.coding.sheets import read_texts, training_texts
    from toolkit.cli.render import check_output, choose_format, emit
    from toolkit.cli.render.labels import SHEET_COLUMNS, sheet_note, write_suggestions
    from toolkit.coding.suggest import suggest_paragraphs
    from toolkit.errors import InputError
    from toolkit.text.reading import read_document

    with warnings_as_lines():
        loaded = cached_model(model)
    fmt = fmt or (choose_format(None, output, TableFormat) if output is not None and str(output) != "-" else TableFormat.csv)
    coded = training_texts(loaded) + [t for path in exclude for t in read_texts(path)]
    sources, failed = expand_sources(paths)
    check_output(output, [*sources, *map(str, exclude)], force=force)
    documents = []
    for source in sources:
        try:
            documents.append(read_document(source))
        except InputError as exc:
            error(str(exc))
            failed += 1
    suggestions = suggest_paragraphs(documents, loaded, n, exclude=coded)
    if not suggestions:
        error("no paragraph to suggest (no readable body text, or all of it already coded)")
        raise typer.Exit(1)
    emit([suggestions], fmt, output, rows=lambda ss: [s.to_row() for s in ss], columns=SHEET_COLUMNS,
         text=write_suggestions)
    if len(suggestions) < n:
        warn(f"only {len(suggestions)} paragraphs to suggest, not {n}")
    if output is not None:
        typer.echo(sheet_note(output, suggestions))
    if failed:
        raise typer.Exit(1)


AGREEMENT_HELP = (
    "Agreement of two coders, or of a coder and a model.\n\n"
    "n, percent agreement, Cohen's kappa, Krippendorff's alpha (nominal), per-label agreement and "
    "confusion, with bootstrap confidence intervals that resample whole documents."
)


@labels_app.command("agreement", help=AGREEMENT_HELP)
def agreement(
    coder_a: Path = typer.Argument(..., metavar="FILE_A", help="Coder A's file (CSV with doc,text,label)."),
    coder_b: Optional[Path] = typer.Argument(None, metavar="FILE_B", help="Coder B's file, coding the same paragraphs (matched by doc and text)."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", metavar="FILE", help="Make this model coder B: it codes A's paragraphs."),
    fmt: Optional[ReportFormat] = report_format_option(),
    output: Optional[Path] = output_option(),
    force: bool = force_option(),
    boot: int = typer.Option(1000, "--bootstrap", min=100, metavar="N", help="Bootstrap resamples for the confidence intervals."),
) -> None:
    from toolkit.themes.classifier import load_model
    from toolkit.cli.render import emit, text_report
    from toolkit.cli.render.labels import agreement_text
    from toolkit.coding.agreement import compare_coders

    fmt = report_target(fmt, output, [coder_a, coder_b, model], force=force)
    with warnings_as_lines():
        loaded = load_model(model) if model is not None else None
    result = compare_coders(coder_a, coder_b, model=loaded, n_boot=boot)
    for message in result["warnings"]:
        warn(message)
    emit([result], fmt, output, **text_report(agreement_text))


AUDIT_HELP = (
    "The rows most likely mislabelled, from out-of-fold probabilities (confident learning).\n\n"
    "Listed most suspicious first: row number as `labels check` counts rows, doc, text, label, "
    "suggested label, score."
)


@labels_app.command("audit", help=AUDIT_HELP)
def audit(
    path: Path = typer.Argument(Path("labels.csv"), metavar="FILE", help="Labels file to audit."),
    top: int = typer.Option(30, "--top", "-n", min=1, metavar="N", help="Rows to list, most suspicious first."),
    fmt: Optional[TableFormat] = typer.Option(None, "--format", "-f", show_default=False, help="Output format (default: from --output's extension, else text)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write here (complete or not at all) instead of to standard output."),
    force: bool = typer.Option(False, "--force", help="Replace an existing --output file."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", metavar="FILE", help="Run configuration (TOML) whose cross-validation scores the rows."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, metavar="N", help="Folds fitted in parallel."),
) -> None:
    from toolkit.cli.render import check_output, choose_format, emit
    from toolkit.cli.render.labels import AUDIT_COLUMNS, write_suspects
    from toolkit.coding.audit import audit_labels
    from toolkit.themes.labels import read_labels
    from toolkit.themes.config import resolve_config

    fmt = choose_format(fmt, output, TableFormat)
    check_output(output, [str(path)], force=force)
    settings = resolve_config(config)
    suspects = audit_labels(read_labels(path), settings, jobs=jobs)[:top]
    emit([suspects], fmt, output, rows=lambda ss: [s.to_dict() for s in ss], columns=AUDIT_COLUMNS,
         text=write_suspects, keep_if_empty=True)
