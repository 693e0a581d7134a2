"""``toolkit evaluate``: grouped cross-validation of a configuration, or the saved model on a test file."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from toolkit.cli._app import app
from toolkit.cli._common import check_choice, echo_json, warnings_as_lines


@app.command()
def evaluate(
    labels: Path = typer.Option(Path("labels.csv"), "--labels", "-l", help="Coded paragraphs to cross-validate on."),
    test: Optional[Path] = typer.Option(None, "--test", help="Score the saved model on this file (same format as labels.csv) instead."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model for --test (default: models/theme.skops)."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="Run configuration (TOML) to cross-validate."),
    set_: List[str] = typer.Option([], "--set", help="Override a config value: --set model.C=2.0 (repeatable)."),
    format_: str = typer.Option("text", "--format", "-f", help="text or json."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Folds fitted in parallel."),
) -> None:
    """Per-class precision/recall/F1, macro-F1, accuracy, confusion, baselines, seed-only macro-F1."""
    from toolkit.evaluation import report_text, run_evaluation

    check_choice("--format", format_, ("text", "json"))
    with warnings_as_lines():
        evaluation = run_evaluation(labels, test=test, model=model, config=config, overrides=set_, jobs=jobs)
    if format_ == "json":
        echo_json(evaluation.metrics)
    else:
        typer.echo(report_text(evaluation.metrics))
