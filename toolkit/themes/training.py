"""What a training run is: its configuration, and the run that evaluates, fits, saves and records.

The configuration (its defaults, the TOML files, the overrides and the checks) is
:mod:`toolkit.themes.config`'s.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from toolkit.themes.classifier import (
    MODEL_NAME,
    MODEL_SUFFIX,
    ThemeModel,
    card_path,
    fit,
    is_shipped,
    prepared_texts,
    previous_path,
    save_model,
    scorer_path,
    update_card,
)
from toolkit.errors import ToolkitError
from toolkit.runs.store import record_run
from toolkit.themes.config import flatten, resolve_config, validate_config

# --------------------------------------------------------------------------------------------
# The training run


@dataclass
class TrainResult:
    model: ThemeModel
    metrics: dict
    predictions: list[dict]
    run_dir: Path | None
    duration_s: float
    previous: Path | None = None


def train_model(
    labels_path: str | Path | Sequence[str | Path],
    model_path: str | Path | None = None,
    config: dict | None = None,
    *,
    replace_shipped: bool = False,
    experiments_dir: str | Path | None = Path("experiments"),
    name: str | None = None,
    record: bool = True,
    jobs: int = 1,
    weights: dict[str, float] | None = None,
) -> TrainResult:
    """Cross-validate, fit on everything, save model and card, and record the run.

    ``labels_path`` may be several files (labels.csv and a coded sheet): they are checked
    together, every problem named, before anything is fitted; ``weights`` maps a file to how
    much each of its rows counts in fitting (see :mod:`toolkit.coding.sheets`).

    ``model_path`` defaults to :func:`~toolkit.themes.classifier.user_model_path`; the shipped model is
    replaced only with ``replace_shipped=True``. A model already at ``model_path`` is kept as
    :func:`~toolkit.themes.classifier.previous_path` (``theme.prev.skops``). Every check and all the fitting happen before the first write, so a failure leaves an existing
    model untouched. The run record is written last and its id added to the card.
    """
    from toolkit.coding.sheets import read_label_files
    from toolkit.themes.evaluation import cross_validate

    started = time.perf_counter()
    config = config if config is not None else resolve_config()
    validate_config(config)
    model_path = check_model_target(model_path, labels_path, replace_shipped=replace_shipped)
    recording = record and experiments_dir is not None
    if recording:
        _check_experiments_dir(Path(experiments_dir))  # before minutes of fitting, not after
    paths = [labels_path] if isinstance(labels_path, (str, Path)) else list(labels_path)
    labels = read_label_files(paths, weights)
    X = prepared_texts(labels, config)  # tokenised once, for the CV and the final fit
    evaluation = cross_validate(labels, config, jobs=jobs, X=X)
    model = fit(labels, config, X)
    model.card["evaluation"] = evaluation.metrics
    previous = _saved_files(model_path)
    kept = previous_path(model_path) if None not in previous[model_path][:2] else None
    model = save_model(model, model_path)
    duration = time.perf_counter() - started
    run_dir = None
    if recording:
        params = flatten({k: v for k, v in config.items() if isinstance(v, dict)})
        params["pipeline"] = model.card["pipeline"]
        try:
            run_dir = record_run(
                Path(experiments_dir),
                name or str(config.get("name", "default")),
                params=params,
                metrics=evaluation.metrics,
                predictions=evaluation.predictions,
                labels=labels,
                model_path=model_path,
                duration_s=duration,
            )
        except BaseException:
            # every training is recorded: a model whose run could not be written is taken back
            _restore_files(previous)
            raise
        model.card = update_card(model_path, run=Path(run_dir).name)
    return TrainResult(model, evaluation.metrics, evaluation.predictions, run_dir, duration, kept)


def check_model_target(model_path: str | Path | None,
                       labels_path: str | Path | Sequence[str | Path] | None = None,
                       replace_shipped: bool = False) -> Path:
    """Where a training run may save its model, or a one-line error before any work is done."""
    from toolkit.themes.classifier import user_model_path
    from toolkit.files import is_special, same_file

    model_path = Path(model_path) if model_path is not None else user_model_path()
    if model_path.is_dir():
        raise ToolkitError(f"{model_path}: is a directory; give the model file, e.g. {model_path / MODEL_NAME}")
    if model_path.suffix != MODEL_SUFFIX or is_special(model_path):
        raise ToolkitError(f"{model_path}: a model is saved to a file ending in {MODEL_SUFFIX} (model_path)")
    label_paths = [] if labels_path is None else [labels_path] if isinstance(labels_path, (str, Path)) else list(labels_path)
    if any(same_file(model_path, path) for path in label_paths):
        raise ToolkitError(f"{model_path}: is the labels file being trained on; the model would replace it")
    if is_shipped(model_path) and not replace_shipped:
        raise ToolkitError(
            f"{model_path}: is the shipped model; a retrain goes elsewhere (model_path), or replaces it "
            f"only with replace_shipped=True (the old one is kept as {previous_path(model_path).name})"
        )
    if model_path.exists() and not card_path(model_path).exists():
        raise ToolkitError(
            f"{model_path}: exists and has no model card beside it, so it is not a model 'toolkit train' "
            f"wrote; it is not replaced (choose another model_path)"
        )
    return model_path


def run_name(config: dict, overrides: Sequence[str] = ()) -> str:
    """The config's name plus the overrides, so runs made with overrides tell themselves apart."""
    parts = [str(config.get("name", "default"))]
    for item in overrides:
        key, _, value = item.partition("=")
        parts.append(f"{key.strip().split('.')[-1]}={value.strip()}")
    return re.sub(r"[^\w.=+-]+", "_", "-".join(parts))[:80]


def _check_experiments_dir(root: Path) -> None:
    if root.exists() and not root.is_dir():
        raise ToolkitError(f"{root}: not a directory, so runs cannot be recorded there (experiments_dir)")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ToolkitError(f"{root}: cannot create the experiments directory ({exc.strerror or exc})") from None


def _saved_files(model_path: Path) -> dict[Path, tuple[bytes | None, ...]]:
    """The model and card, and the kept previous ones, as they are now (a few MB at most), to put
    back if the run fails."""
    files = {}
    for path in (model_path, previous_path(model_path)):
        files[path] = tuple(f.read_bytes() if f.is_file() else None for f in (path, card_path(path), scorer_path(path)))
    return files


def _restore_files(files: dict[Path, tuple[bytes | None, ...]]) -> None:
    from toolkit.themes.classifier import write_model_files

    for path, (model_data, card_data, scorer_data) in files.items():
        if model_data is not None and card_data is not None:
            write_model_files(path, model_data, card_data.decode("utf-8"), scorer_data)
        else:
            card_path(path).unlink(missing_ok=True)
            scorer_path(path).unlink(missing_ok=True)
            path.unlink(missing_ok=True)
