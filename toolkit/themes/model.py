"""Loading a theme model, refusing anything that could run code, and saving one.

Classifying needs only the scorer file (see :mod:`toolkit.themes.model_files`), so :func:`load_model`
reads the card and the scorer's numpy arrays and imports neither scikit-learn nor skops; the
pipeline is loaded from the skops file when something asks for it (training, inspection,
evaluation), or at once when the model has no usable scorer file.

Checks, before anything is built: the card exists and is ours; the model file's SHA-256 is the
card's (always, even when only the scorer is used); the scorer file's SHA-256 is the card's (a
scorer that differs is not used: the pipeline is, with all its checks); the model prepares text as
this toolkit does; the lexicon is the one it was trained with. The scorer is read with
``allow_pickle=False``; the skops file is built from trusted types only (:data:`ALLOWED_TYPES`).
A scikit-learn of another major.minor than the card's (read from package metadata, never by
importing it) warns when the pipeline is loaded; the scorer's numbers do not depend on it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import warnings
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Sequence

from toolkit.errors import ToolkitError
from toolkit.themes.model_files import (
    TRAIN_COMMAND,
    _card_text,
    _read_card,
    card_path,
    default_model_path,
    keep_previous,
    pending_path,
    scorer_path,
    write_model_files,
)
from toolkit.themes.scoring import PREPARATION_VERSION, FastScorer, Predictor



#: Types outside skops' default trust that our own pipelines contain (the sigmoid-calibrated
#: linear SVM of ``model.classifier = "svm"``). Anything else a model file names is refused.
ALLOWED_TYPES = frozenset({"sklearn.calibration._CalibratedClassifier", "sklearn.calibration._SigmoidCalibration"})


class ModelVersionWarning(UserWarning):
    """The model was trained under another scikit-learn major.minor: it is used, but may score differently."""


class ThemeModel:
    """A fitted model with its card: what prediction needs to prepare text as training did.

    ``pipeline`` is the scikit-learn pipeline; a model loaded through its scorer file has none
    until something asks for it, then it is loaded from the skops file with every check.
    """

    def __init__(self, pipeline: Any, card: dict, path: Path | None = None,
                 scorer: FastScorer | None = None, classes: Sequence[str] | None = None):
        self._pipeline, self.card, self.path = pipeline, card, (Path(path) if path is not None else None)
        self._scorer, self._classes = scorer, (list(classes) if classes is not None else None)

    @property
    def pipeline(self) -> Any:
        if self._pipeline is None:
            if self.path is None:
                raise ToolkitError("this model has no pipeline and no file to load it from")
            self._pipeline = load_model(self.path, scorer=False).pipeline
        return self._pipeline

    @property
    def classes(self) -> list[str]:
        if self._classes is None:
            self._classes = [str(c) for c in self.pipeline.classes_]
        return self._classes

    @property
    def tokenizer(self) -> str | None:
        """The word segmenter prediction must use; None when the model reads characters only."""
        return self.card.get("tokenizer")

    @property
    def lexicon(self) -> bool:
        """Whether prediction must add the lexicon tags (the card names the lexicon's SHA-256)."""
        return self.card.get("lexicon_sha256") is not None

    @property
    def context(self) -> dict:
        """How paragraphs are decided in their article (:mod:`toolkit.themes.context`); none for older models."""
        from toolkit.themes.context import NONE

        return {**NONE, **(self.card.get("config", {}).get("context") or {})}

    @property
    def scorer(self) -> FastScorer | None:
        """The scikit-learn-free scorer: from the scorer file, or built from the pipeline (None
        when the pipeline is not one it reproduces)."""
        if self._scorer is None and self._pipeline is not None:
            self._scorer = FastScorer.build(self._pipeline)
        elif self._scorer is None:
            self._scorer = FastScorer.build(self.pipeline)
        return self._scorer

    @cached_property
    def predictor(self) -> Predictor:
        """Scores through :class:`~toolkit.themes.scoring.FastScorer` when it reproduces the pipeline
        (the same numbers, several times faster), otherwise through the pipeline itself."""
        scorer = self.scorer
        return Predictor(self.classes, self.tokenizer, self.pipeline if scorer is None else scorer, self.lexicon,
                         self.context)

    def predict_proba(self, texts: Sequence[str]):
        """Probabilities (rows: texts, columns: :attr:`classes`) for Simplified texts."""
        return self.predictor.predict_proba(texts)

    def portable(self) -> Predictor | str:
        """What to send to batch workers: the model's path (each worker loads its scorer once), or
        the scikit-learn-free predictor of a model that was never saved."""
        if self.path is not None:
            return str(self.path)
        if not self.predictor.is_portable:
            raise ToolkitError("a model that was never saved and has no scorer cannot go to batch workers; save it first")
        return self.predictor


def scorer_bytes(model: ThemeModel) -> bytes | None:
    """The scorer file's content for a model (None when its pipeline is not one the scorer reproduces)."""
    import numpy as np

    scorer = model.scorer
    if scorer is None:
        return None
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **scorer.to_arrays(model.classes))
    return buffer.getvalue()


def save_model(model: ThemeModel, path: str | Path, keep: bool = True) -> ThemeModel:
    """Write the model, its scorer file and its card (see :func:`write_model_files`); the card
    records both files' SHA-256. An existing model there is kept as :func:`previous_path` unless
    ``keep`` is false. A pipeline the scorer cannot reproduce gets no scorer file."""
    import zipfile

    import skops.io as sio

    path = Path(path)
    # skops writes every vocabulary entry as a JSON node: deflate takes 17 MB down to under 1 MB.
    data = sio.dumps(model.pipeline, compression=zipfile.ZIP_DEFLATED, compresslevel=6)
    scorer = scorer_bytes(model)
    card = {k: v for k, v in model.card.items() if k not in ("scorer_file", "scorer_sha256")}
    card.update(model_file=path.name, model_sha256=hashlib.sha256(data).hexdigest())
    if scorer is not None:
        card.update(scorer_file=scorer_path(path).name, scorer_sha256=hashlib.sha256(scorer).hexdigest())
    if keep:
        keep_previous(path)
    write_model_files(path, data, _card_text(card), scorer)
    return ThemeModel(model.pipeline, card, path)


def add_scorer(path: str | Path) -> dict:
    """Write the scorer file of a saved model that has none (a model saved before scorer files
    existed) and name it in the card; the model file itself is not touched. Returns the card."""
    from toolkit.files import atomic_write_bytes, atomic_write_text

    path = Path(path)
    model = load_model(path, scorer=False)
    scorer = scorer_bytes(model)
    if scorer is None:
        raise ToolkitError(f"{path}: this pipeline has no scikit-learn-free scorer; it is loaded with scikit-learn")
    atomic_write_bytes(scorer_path(path), scorer)
    card = {**model.card, "scorer_file": scorer_path(path).name, "scorer_sha256": hashlib.sha256(scorer).hexdigest()}
    atomic_write_text(card_path(path), _card_text(card))
    return card


def load_model(path: str | Path | None = None, scorer: bool = True) -> ThemeModel:
    """Load a model written by ``toolkit train``, refusing anything that could run code.

    Checks, in order, before a single object is built: the card exists and is ours; the file's
    SHA-256 is the card's; the model prepares text as this toolkit does. Then, with ``scorer``
    and a scorer file whose SHA-256 is the card's, the scorer's arrays are read
    (``allow_pickle=False``) and must score an empty paragraph; the pipeline waits until asked for.
    Otherwise the pipeline is built: every type the file names must be trusted by skops or on
    :data:`ALLOWED_TYPES` (skops checks this over the whole file before it builds anything, so a
    refused file runs no code). A card naming another scikit-learn major.minor only warns
    (:class:`ModelVersionWarning`); the model must then still build and score an empty
    paragraph, or the error says to retrain.
    """
    path = Path(path) if path is not None else default_model_path()
    card = _read_card(path)
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != card.get("model_sha256"):
        data = _finish_interrupted_save(path, card) or data
    if hashlib.sha256(data).hexdigest() != card.get("model_sha256"):
        raise ToolkitError(
            f"{path}: the model file does not match its card {card_path(path).name} (SHA-256 differs); "
            f"it was changed or replaced after training, so it is not loaded (retrain: {TRAIN_COMMAND})"
        )
    if card.get("preparation_version") != PREPARATION_VERSION:
        raise ToolkitError(
            f"{path}: the model prepares text in an older way (version {card.get('preparation_version')}, "
            f"this toolkit uses {PREPARATION_VERSION}); retrain it: {TRAIN_COMMAND}"
        )
    wanted = card.get("lexicon_sha256")
    from toolkit.themes.lexicon import lexicon_sha256

    if wanted is not None and wanted != lexicon_sha256():
        raise ToolkitError(
            f"{path}: the model was trained with another version of the domain lexicon "
            f"(toolkit/data/lexicon.csv); its features would not mean what they meant; retrain: {TRAIN_COMMAND}"
        )
    fast = _load_scorer(path, card, 3 if wanted else 2) if scorer else None
    if fast is not None:
        return ThemeModel(None, card, path, scorer=fast[0], classes=fast[1])
    pipeline = _load_pipeline(path, data, _other_sklearn_version(path, card), 3 if wanted else 2)
    classes = [str(c) for c in pipeline.classes_]
    if sorted(card.get("labels", {})) != sorted(classes):
        raise ToolkitError(f"{path}: the model's labels {classes} differ from its card's")
    return ThemeModel(pipeline, card, path)


def _load_scorer(path: Path, card: dict, columns: int) -> tuple[FastScorer, list[str]] | None:
    """The scorer and its labels from the scorer file the card names, or None to use the pipeline
    (no scorer file, or one whose SHA-256 is not the card's: it is never read then)."""
    import numpy as np

    wanted = card.get("scorer_sha256")
    if not wanted or not card.get("scorer_file"):
        return None
    file = path.with_name(str(card["scorer_file"]))
    if file.name != scorer_path(path).name:
        return None
    data = _matching_bytes(file, wanted)
    if data is None:
        return None
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            fast, classes = FastScorer.from_arrays(arrays)
        if fast.columns_read() > columns:
            raise ValueError(f"reads column {fast.columns_read() - 1} of {columns}")
        fast.predict_proba(np.array([[""] * columns], dtype=object))
    except Exception as exc:
        raise ToolkitError(f"{file}: cannot use the scorer file ({type(exc).__name__}: {exc}); retrain: {TRAIN_COMMAND}") from None
    if sorted(card.get("labels", {})) != sorted(classes):
        raise ToolkitError(f"{path}: the model's labels {classes} differ from its card's")
    return fast, classes


def _matching_bytes(file: Path, sha256: str) -> bytes | None:
    """The file's bytes when their SHA-256 is ``sha256`` (finishing a save killed before the file
    was moved into place), else None."""
    for candidate in (file, pending_path(file)):
        try:
            data = candidate.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() == sha256:
            if candidate != file:
                try:
                    os.replace(candidate, file)
                except OSError:
                    pass
            return data
    return None


def _finish_interrupted_save(path: Path, card: dict) -> bytes | None:
    """A save killed between the card's rename and the model's left the new model pending:
    move it into place (or, where that is not allowed, load it from there)."""
    pending = pending_path(path)
    try:
        data = pending.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != card.get("model_sha256"):
        return None
    try:
        os.replace(pending, path)
    except OSError:
        pass
    return data


def _other_sklearn_version(path: Path, card: dict) -> str | None:
    """The scikit-learn version the card names when its major.minor is not the running one (warned)."""
    saved = str(card.get("versions", {}).get("scikit-learn", "unknown"))
    running = sklearn_version()
    if saved.split(".")[:2] == running.split(".")[:2]:
        return None
    warnings.warn(
        f"{path}: trained with scikit-learn {saved}, running {running}; results may differ from the "
        f"model's evaluation; retrain it with: {TRAIN_COMMAND}",
        ModelVersionWarning,
        stacklevel=3,
    )
    return saved


def _load_pipeline(path: Path, data: bytes, trained_with: str | None, columns: int = 2):
    """The fitted pipeline in ``data``, built by skops from trusted types only, and shown to score."""
    import zipfile

    import numpy as np
    import skops.io as sio
    from sklearn.exceptions import InconsistentVersionWarning
    from skops.io.exceptions import UntrustedTypesFoundException

    try:
        with warnings.catch_warnings():
            # The version gap was reported once above; scikit-learn would repeat it per estimator.
            warnings.simplefilter("ignore", InconsistentVersionWarning)
            # skops audits the whole tree against the trusted types before it builds a single
            # object (the check get_untrusted_types makes, done in the same pass).
            pipeline = sio.loads(data, trusted=sorted(ALLOWED_TYPES))
    except UntrustedTypesFoundException:
        refused = sorted(set(sio.get_untrusted_types(data=data)) - ALLOWED_TYPES)
        raise ToolkitError(
            f"{path}: refusing to load: the file names types outside scikit-learn's own "
            f"({', '.join(refused[:3])}{', ...' if len(refused) > 3 else ''})"
        ) from None
    except Exception as exc:  # skops raises many kinds on a damaged archive
        if trained_with is None and isinstance(exc, (zipfile.BadZipFile, KeyError, json.JSONDecodeError, UnicodeDecodeError)):
            raise ToolkitError(f"{path}: not a skops model file (corrupt, or a pickle); refusing to load it") from None
        raise _unusable(path, exc, trained_with) from None
    if not hasattr(pipeline, "predict_proba") or not hasattr(pipeline, "classes_"):
        raise ToolkitError(f"{path}: not a fitted classifier pipeline")
    try:
        # An empty paragraph as prepare() gives it runs every step; a scikit-learn that cannot use
        # the fitted state fails here, with advice, rather than in the middle of a batch.
        pipeline.predict_proba(np.array([[""] * columns], dtype=object))
    except Exception as exc:
        raise _unusable(path, exc, trained_with) from None
    return pipeline


def sklearn_version() -> str:
    """The installed scikit-learn's version, from its package metadata (importing it takes a second)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("scikit-learn")
    except PackageNotFoundError:
        return "not installed"


def _unusable(path: Path, exc: Exception, trained_with: str | None) -> ToolkitError:

    problem = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
    if trained_with is None:
        return ToolkitError(f"{path}: cannot load the model ({problem}); retrain: {TRAIN_COMMAND}")
    return ToolkitError(
        f"{path}: the model was trained with scikit-learn {trained_with} and {sklearn_version()} cannot "
        f"use it ({problem}); retrain it with: {TRAIN_COMMAND}"
    )


@lru_cache(maxsize=4)
def _cached_model(path: str, mtime_ns: int, size: int) -> ThemeModel:
    return load_model(path)


def cached_model(path: str | Path | None = None) -> ThemeModel:
    """One load per process and model file, so batch workers do not reload it for every article.
    Without ``path``, the model commands use when none is named (:func:`default_model_path`)."""
    path = Path(path) if path is not None else default_model_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return load_model(path)  # raises the missing-model message
    return _cached_model(str(path), stat.st_mtime_ns, stat.st_size)
