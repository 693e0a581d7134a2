"""``toolkit labels check|suggest|agreement|audit``: the coded paragraphs, and coding one's own corpus."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from toolkit.cli._app import app
from toolkit.cli._common import check_choice, echo_json, error, output_stream, warn, warnings_as_lines

labels_app = typer.Typer(help="Check, suggest, compare and audit coded paragraphs.", no_args_is_help=True)
app.add_typer(labels_app, name="labels")


@labels_app.command("check")
def check(path: Path = typer.Argument(Path("labels.csv"), help="Labels file (CSV with doc,text,label).")) -> None:
    """Validate a labels file; print counts per label and per document; exit 1 on any problem."""
    from toolkit.labels import check_labels
    from toolkit.cli.render import print_label_report

    report = check_labels(path)
    for message in report.warnings:
        warn(f"{path}: {message}")
    for message in report.errors:
        error(f"{path}: {message}")
    if report.rows:
        print_label_report(report)
    if not report.ok:
        raise typer.Exit(1)


@labels_app.command("suggest")
def suggest(
    paths: List[str] = typer.Argument(..., help="Your corpus: article files, folders (*.txt, *.md), globs."),
    n: int = typer.Option(100, "-n", "--number", min=1, help="Paragraphs to suggest."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="The sheet to code (CSV; default: standard output)."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model file (default: models/theme.skops)."),
    exclude: List[Path] = typer.Option([], "--exclude", "-x", help="A sheet or labels file already coded: its paragraphs are not suggested again (repeatable)."),
) -> None:
    """The paragraphs whose codes would teach the model most: uncertain, spread over documents and
    themes, no near-duplicates, page furniture skipped. Fill in the empty `label` column, then
    train with: toolkit train --labels labels.csv --labels SHEET --weight SHEET=3"""
    from toolkit.classifier import cached_model, default_model_path
    from toolkit.cli._common import expand_sources
    from toolkit.coding.sheets import read_texts, training_texts
    from toolkit.coding.suggest import suggest_paragraphs, write_sheet
    from toolkit.errors import InputError
    from toolkit.reading import read_document

    with warnings_as_lines():
        loaded = cached_model(model if model is not None else default_model_path())
    coded = training_texts(loaded) + [t for path in exclude for t in read_texts(path)]
    sources, failed = expand_sources(paths)
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
    with output_stream(output, encoding="utf-8-sig") as stream:
        write_sheet(stream, suggestions)
    if len(suggestions) < n:
        warn(f"only {len(suggestions)} paragraphs to suggest, not {n}")
    if output is not None:
        docs = len({s.doc for s in suggestions})
        typer.echo(f"{output}: {len(suggestions)} paragraphs from {docs} document{'s' if docs != 1 else ''} to code")
    if failed:
        raise typer.Exit(1)


@labels_app.command("agreement")
def agreement(
    coder_a: Path = typer.Argument(..., help="Coder A's file (CSV with doc,text,label)."),
    coder_b: Optional[Path] = typer.Argument(None, help="Coder B's file, coding the same paragraphs (matched by doc and text)."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Make this model coder B: it codes A's paragraphs."),
    format_: str = typer.Option("text", "--format", "-f", help="text or json."),
    boot: int = typer.Option(1000, "--bootstrap", min=100, help="Bootstrap resamples for the confidence intervals."),
) -> None:
    """Agreement of two coders: n, percent agreement, Cohen's kappa, Krippendorff's alpha
    (nominal), per-label agreement and confusion, with bootstrap confidence intervals."""
    from toolkit.classifier import load_model
    from toolkit.coding.agreement import agreement_text, compare_coders

    check_choice("--format", format_, ("text", "json"))
    with warnings_as_lines():
        loaded = load_model(model) if model is not None else None
    result = compare_coders(coder_a, coder_b, model=loaded, n_boot=boot)
    for message in result["warnings"]:
        warn(message)
    if format_ == "json":
        echo_json(result)
    else:
        typer.echo(agreement_text(result))


@labels_app.command("audit")
def audit(
    path: Path = typer.Argument(Path("labels.csv"), help="Labels file to audit."),
    top: int = typer.Option(30, "--top", "-n", min=1, help="Rows to list, most suspicious first."),
    format_: Optional[str] = typer.Option(None, "--format", "-f", help="text, csv or json (default: from --output's suffix, else text)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here (atomically) instead of to standard output."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="Run configuration (TOML) whose cross-validation scores the rows."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Folds fitted in parallel."),
) -> None:
    """The rows most likely mislabelled, from out-of-fold probabilities (confident learning):
    row number as `labels check` counts rows, doc, text, label, suggested label, score."""
    from toolkit.coding.audit import audit_labels, suspects_csv, suspects_text
    from toolkit.labels import read_labels
    from toolkit.training import resolve_config

    suffix = output.suffix.lower() if output is not None else ""
    fmt = check_choice("--format", format_ or {".csv": "csv", ".json": "json"}.get(suffix, "text"), ("text", "csv", "json"))
    settings = resolve_config(config)
    suspects = audit_labels(read_labels(path), settings, jobs=jobs)[:top]
    with output_stream(output, encoding="utf-8-sig" if fmt == "csv" else "utf-8") as stream:
        if fmt == "json":
            import json

            stream.write(json.dumps([s.to_dict() for s in suspects], ensure_ascii=False, indent=2) + "\n")
        elif fmt == "csv":
            suspects_csv(stream, suspects)
        else:
            stream.write(suspects_text(suspects) + "\n")
