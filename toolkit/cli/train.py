"""``toolkit train``: fit the theme classifier on labels.csv, save it with its card, record the run."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from toolkit.cli._app import app


@app.command()
def train(
    labels: Path = typer.Option(Path("labels.csv"), "--labels", "-l", help="Coded paragraphs (CSV: doc,text,label[,source])."),
    model: Path = typer.Option(Path("models/theme.skops"), "--model", "-m", help="Where to write the model; its card goes beside it."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="Run configuration (TOML), e.g. experiments/configs/default.toml."),
    set_: List[str] = typer.Option([], "--set", help="Override a config value: --set model.C=2.0 (repeatable)."),
    experiments: Path = typer.Option(Path("experiments"), "--experiments", help="Where runs are recorded."),
    name: Optional[str] = typer.Option(None, "--name", help="Run name (default: the config's name)."),
    no_record: bool = typer.Option(False, "--no-record", help="Do not record the run under --experiments."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Cross-validation folds fitted in parallel."),
) -> None:
    """Cross-validate, fit on all rows, and save the model with its card (atomically)."""
    from toolkit.classifier import resolve_config, train_model

    settings = resolve_config(config, set_)
    result = train_model(
        labels, model, settings, experiments_dir=None if no_record else experiments,
        name=name, record=not no_record, jobs=jobs,
    )
    m = result.metrics
    typer.echo(
        f"trained {model} on {result.model.card['training_data']['rows']} rows "
        f"({', '.join(f'{k} {v}' for k, v in result.model.card['labels'].items())}) in {result.duration_s:.1f}s"
    )
    typer.echo(
        f"grouped CV macro-F1 {m['macro_f1']:.3f} (std {m['cv']['macro_f1_std']:.3f}), accuracy {m['accuracy']:.3f}; "
        f"seed rows macro-F1 {'-' if m['seed_macro_f1'] is None else format(m['seed_macro_f1'], '.3f')}; "
        f"baselines: majority {m['baselines']['majority']['macro_f1']:.3f}, cue words {m['baselines']['cue_words']['macro_f1']:.3f}"
    )
    if result.run_dir is not None:
        typer.echo(f"run recorded in {result.run_dir}")
