"""``toolkit evaluate``: grouped cross-validation of a configuration, or the saved model on a test file."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from toolkit.cli._app import app
from toolkit.cli._common import (force_option, in_flags, output_option, report_format_option, report_target,
                                 warnings_as_lines)
from toolkit.cli.render import ReportFormat


@app.command()
def evaluate(
    labels: Path = typer.Option(Path("labels.csv"), "--labels", "-l", metavar="FILE", help="Coded paragraphs to cross-validate on."),
    test: Optional[Path] = typer.Option(None, "--test", metavar="FILE", help="Score the saved model on this file (same format as labels.csv) instead."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", metavar="FILE", help="Model for --test (default: the shipped model)."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", metavar="FILE", help="Run configuration (TOML) to cross-validate."),
    set_: List[str] = typer.Option([], "--set", metavar="KEY=VALUE", help="Override a config value: --set model.C=2.0 (repeatable)."),
    fmt: Optional[ReportFormat] = report_format_option(),
    output: Optional[Path] = output_option(),
    force: bool = force_option(),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, metavar="N", help="Folds fitted in parallel."),
) -> None:
    """Per-class precision/recall/F1, macro-F1, accuracy, confusion, baselines, seed-only macro-F1."""
    from toolkit.cli.render import emit, text_report
    from toolkit.cli.render.evaluation import report_text
    from toolkit.errors import ToolkitError
    from toolkit.themes.evaluation import run_evaluation
    from toolkit.themes.model_files import default_model_path

    if test is not None and (config is not None or set_):
        raise ToolkitError("--config and --set choose what to cross-validate; with --test the saved model is scored")
    used_model = (model or default_model_path()) if test is not None else None
    fmt = report_target(fmt, output, [labels, test, used_model, config], force=force)
    with warnings_as_lines(), in_flags({"override": "--set"}):
        evaluation = run_evaluation(labels, test=test, model=model, config=config, overrides=set_, jobs=jobs)
    emit([evaluation.metrics], fmt, output, **text_report(report_text))
