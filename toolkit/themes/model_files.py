"""A theme model's files: where they are, and writing them so that a killed process loses nothing.

A model is three files side by side, written by ``toolkit train`` (:func:`toolkit.themes.model.save_model`):

- ``theme.card.json``, the card: what the model was trained on, how it prepares text, and the
  SHA-256 of each of the other two files. Nothing is loaded that the card does not name.
- ``theme.scorer.npz``, the scorer (:class:`~toolkit.themes.scoring.FastScorer`'s numpy arrays: numbers
  and fixed-width text, read with ``allow_pickle=False``): all that classifying needs, without
  scikit-learn or skops.
- ``theme.skops``, the fitted scikit-learn pipeline: for training, inspection and evaluation, and
  the fallback when a model has no scorer file.

Loading and the trust checks are in :mod:`toolkit.themes.model`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError

MODEL_DIR = Path("models")
MODEL_NAME = "theme.skops"
MODEL_SUFFIX = ".skops"
SCORER_SUFFIX = ".scorer.npz"
CARD_FORMAT = "toolkit-theme-model/1"
TRAIN_COMMAND = "toolkit train --labels labels.csv"


def scorer_path(model_path: str | Path) -> Path:
    """``models/theme.skops`` -> ``models/theme.scorer.npz``."""
    model_path = Path(model_path)
    return model_path.with_name(model_path.stem + SCORER_SUFFIX)

def card_path(model_path: str | Path) -> Path:
    """``models/theme.skops`` -> ``models/theme.card.json``."""
    model_path = Path(model_path)
    return model_path.with_name(model_path.stem + ".card.json")


def _card_text(card: dict) -> str:
    return json.dumps(card, ensure_ascii=False, indent=2) + "\n"


def pending_path(model_path: str | Path) -> Path:
    """Where a new model waits while its card is renamed into place (``.theme.skops.pending``)."""
    model_path = Path(model_path)
    return model_path.with_name(f".{model_path.name}.pending")


def previous_path(model_path: str | Path) -> Path:
    """Where the model a retrain replaced is kept: ``theme.skops`` -> ``theme.prev.skops``."""
    model_path = Path(model_path)
    return model_path.with_name(model_path.stem + ".prev" + model_path.suffix)


def write_model_files(path: str | Path, data: bytes, card_text: str, scorer: bytes | None = None) -> None:
    """Put a model, its scorer and its card in place in an order that recovers from a kill at any point.

    The model (and scorer) are written complete to :func:`pending_path`, then the card is renamed
    into place, then the pending files. Killed before the card's rename, the old files are intact;
    killed after it, the card names the pending files' SHA-256 and loading finishes the move. A
    model without a scorer removes a stale scorer file (the card no longer names it).
    """
    from toolkit.files import atomic_path, atomic_write_text

    path = Path(path)
    pending = pending_path(path)
    with atomic_path(pending) as tmp:
        tmp.write_bytes(data)
    if scorer is not None:
        with atomic_path(pending_path(scorer_path(path))) as tmp:
            tmp.write_bytes(scorer)
    atomic_write_text(card_path(path), card_text)
    if scorer is not None:
        os.replace(pending_path(scorer_path(path)), scorer_path(path))
    else:
        scorer_path(path).unlink(missing_ok=True)
    os.replace(pending, path)


def keep_previous(path: str | Path) -> Path | None:
    """Copy an existing model, its scorer and its card to :func:`previous_path` before it is replaced."""
    path = Path(path)
    card = card_path(path)
    if not (path.is_file() and card.is_file()):
        return None
    previous = previous_path(path)
    card_text = card.read_text(encoding="utf-8")
    try:
        old = json.loads(card_text)
        card_text = _card_text({**old, "model_file": previous.name,
                                **({"scorer_file": scorer_path(previous).name} if old.get("scorer_file") else {})})
    except ValueError:
        pass
    scorer = scorer_path(path)
    write_model_files(previous, path.read_bytes(), card_text, scorer.read_bytes() if scorer.is_file() else None)
    return previous


def update_card(path: str | Path, **fields: Any) -> dict:
    """Add fields (such as the experiment run id) to a saved model's card, atomically."""
    from toolkit.files import atomic_write_text

    path = Path(path)
    card = {**_read_card(path), **fields}
    atomic_write_text(card_path(path), _card_text(card))
    return card


def shipped_model_path() -> Path:
    """The model shipped with the toolkit: inside the installed package (a wheel copies
    ``models/`` to ``toolkit/models/``), or ``models/`` of the source tree (editable install)."""
    package = Path(__file__).resolve().parents[1]  # toolkit/, this module being in toolkit/themes/
    for candidate in (package / MODEL_DIR / MODEL_NAME, package.parent / MODEL_DIR / MODEL_NAME):
        if candidate.exists():
            return candidate
    return package / MODEL_DIR / MODEL_NAME


def default_model_path() -> Path:
    """The model commands use when none is named: the shipped one (never a file that happens to
    be in the working directory, and never a retrain unless it is named with ``model``)."""
    return shipped_model_path()


def user_model_path() -> Path:
    """Where a retrain is saved unless told otherwise: ``$TOOLKIT_HOME/models/theme.skops``, else
    ``$XDG_DATA_HOME/toolkit/models/theme.skops``, else ``~/.local/share/toolkit/models/theme.skops``."""
    home = os.environ.get("TOOLKIT_HOME")
    if home:
        root = Path(home).expanduser()
    else:
        data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        root = Path(data).expanduser() / "toolkit"
    return root / MODEL_DIR / MODEL_NAME


def is_shipped(path: str | Path) -> bool:
    """True when ``path`` is the shipped model file (through links, or by its absolute path)."""
    from toolkit.files import same_file

    shipped = shipped_model_path()
    return same_file(path, shipped) or Path(path).resolve() == shipped.resolve()


def _read_card(path: Path) -> dict:
    card_file = card_path(path)
    if not path.exists():
        raise ToolkitError(f"{path}: no model there; train one with: {TRAIN_COMMAND} --model {path}")
    if path.is_dir():
        raise ToolkitError(f"{path}: is a directory, not a model file")
    try:
        card = json.loads(card_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ToolkitError(
            f"{path}: its model card {card_file.name} is missing; a model is only loaded with the card "
            f"written beside it by 'toolkit train' (retrain: {TRAIN_COMMAND} --model {path})"
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise ToolkitError(f"{card_file}: model card is not valid JSON (corrupt; retrain: {TRAIN_COMMAND})") from None
    if not isinstance(card, dict) or card.get("format") != CARD_FORMAT:
        raise ToolkitError(f"{card_file}: not a toolkit model card (expected format {CARD_FORMAT})")
    return card
