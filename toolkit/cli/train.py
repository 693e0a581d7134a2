"""``toolkit train``: fit the theme classifier on labels.csv, save it with its card, record the run."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from toolkit.cli._app import app
from toolkit.cli._common import in_flags, warnings_as_lines

#: What the library calls the settings and parameters these flags give (see in_flags).
SETTINGS = {"override": "--set", "weight": "--weight"}
PARAMETERS = {"model_path": "--model", "replace_shipped=True": "--replace-shipped", "experiments_dir": "--experiments"}


@app.command()
def train(
    labels: List[Path] = typer.Option(
        [Path("labels.csv")], "--labels", "-l", metavar="FILE",
        help="Coded paragraphs (CSV: doc,text,label[,source]); repeat to add a coded sheet beside labels.csv.",
    ),
    weight: List[str] = typer.Option(
        [], "--weight", "-w", metavar="FILE=W", help="FILE=W: each row of that --labels file counts W times in fitting (repeatable)."
    ),
    model: Optional[Path] = typer.Option(
        None, "--model", "-m", metavar="FILE", show_default=False,
        help="Where to write the model (*.skops); its card goes beside it, and a model already there is kept "
             "as NAME.prev.skops. Default: ~/.local/share/toolkit/models/theme.skops ($TOOLKIT_HOME/models/… "
             "or $XDG_DATA_HOME/toolkit/models/… when set).",
    ),
    replace_shipped: bool = typer.Option(
        False, "--replace-shipped",
        help="Maintainers: write the shipped model (models/theme.skops), keeping the old one as theme.prev.skops.",
    ),
    config: Optional[Path] = typer.Option(None, "--config", "-c", metavar="FILE", help="Run configuration (TOML), e.g. experiments/configs/default.toml."),
    set_: List[str] = typer.Option([], "--set", metavar="KEY=VALUE", help="Override a config value: --set model.C=2.0 (repeatable)."),
    experiments: Path = typer.Option(Path("experiments"), "--experiments", metavar="DIR", help="Where runs are recorded."),
    name: Optional[str] = typer.Option(None, "--name", metavar="NAME", help="Run name (default: the config's name and the --set overrides)."),
    no_record: bool = typer.Option(False, "--no-record", help="Do not record the run under --experiments."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, metavar="N", help="Cross-validation folds fitted in parallel."),
) -> None:
    """Cross-validate, fit on all rows, and save the model with its card (atomically)."""
    from toolkit.coding.sheets import parse_weights
    from toolkit.cli.render.evaluation import training_text
    from toolkit.themes.classifier import shipped_model_path
    from toolkit.errors import ToolkitError
    from toolkit.themes.config import resolve_config
    from toolkit.themes.training import check_model_target, run_name, train_model

    if replace_shipped:
        if model is not None:
            raise ToolkitError("give --model or --replace-shipped, not both")
        model = shipped_model_path()
    with in_flags(SETTINGS, PARAMETERS):  # the library names its settings and parameters; say them as flags
        weights = parse_weights(weight, labels)
        model = check_model_target(model, labels, replace_shipped=replace_shipped)
        settings = resolve_config(config, set_)
    with warnings_as_lines(), in_flags(SETTINGS, PARAMETERS):
        result = train_model(
            labels, model, settings, replace_shipped=replace_shipped, experiments_dir=None if no_record else experiments,
            name=name or run_name(settings, set_), record=not no_record, jobs=jobs, weights=weights,
        )
    typer.echo(training_text(result, model, shipped=replace_shipped))
