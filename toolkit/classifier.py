"""The theme model: a TF-IDF + linear pipeline with its card, and coding documents with it.

Why it is built this way:

- The persisted estimator holds only scikit-learn classes, so :mod:`skops.io` can load it without
  trusting any type of ours. Tokenisation therefore happens *outside* it, in
  :func:`toolkit.scoring.prepare`, and the card records the tokenizer and the preparation version
  so prediction prepares text exactly as training did.
- A model file is loaded only beside its card (``theme.card.json``): the card's SHA-256 must match
  the file and every type the file asks for must be on :data:`ALLOWED_TYPES`. A pickle renamed to
  ``.skops`` or a file that names any other type is refused before anything in it is built.
- A model trained under another scikit-learn major.minor is loaded with a
  :class:`ModelVersionWarning`, not refused: the dependencies are lower-bound pins, so a fresh
  install soon runs a newer scikit-learn than the shipped model's, and ``toolkit classify`` must
  keep working there. If that scikit-learn cannot build the model or score with it, loading
  fails with the advice to retrain.
- The label set comes from the training data (``pipeline.classes_``), never from this code.
- Boilerplate paragraphs (bylines, captions, menus, copyright lines) are coded ``other`` without
  asking the model when ``other`` is a label, but they stay in the output; headings are the
  article's own words and go to the model.

The configuration and the training run are in :mod:`toolkit.training`, fast scoring in
:mod:`toolkit.scoring`, and what a model has learned in :mod:`toolkit.inspection`.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Sequence

from toolkit.errors import ToolkitError
from toolkit.provenance import json_safe, library_versions
from toolkit.scoring import (
    PREPARATION,
    PREPARATION_VERSION,
    WORD_TOKEN_PATTERN,
    FastScorer,
    Predictor,
    analysis_texts,
    prepare,
)

MODEL_DIR = Path("models")
MODEL_NAME = "theme.skops"
MODEL_SUFFIX = ".skops"
CARD_FORMAT = "toolkit-theme-model/1"
OTHER = "other"
TRAIN_COMMAND = "toolkit train --labels labels.csv"

#: Types outside skops' default trust that our own pipelines contain (the sigmoid-calibrated
#: linear SVM of ``model.classifier = "svm"``). Anything else a model file names is refused.
ALLOWED_TYPES = frozenset({"sklearn.calibration._CalibratedClassifier", "sklearn.calibration._SigmoidCalibration"})


class ModelVersionWarning(UserWarning):
    """The model was trained under another scikit-learn major.minor: it is used, but may score differently."""


# --------------------------------------------------------------------------------------------
# The pipeline


def build_pipeline(config: dict):
    """A fresh, unfitted Pipeline for ``config``: features, then a classifier with probabilities.

    It reads :func:`~toolkit.scoring.prepare`'s rows: column 0 for character n-grams, column 1
    (words already split by the tokenizer) for word n-grams.
    """
    import numpy as np
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import Pipeline

    f = config["features"]
    # float32 halves the matrices; newton-cg solves on them as exactly as on float64 here.
    common = dict(min_df=f["min_df"], sublinear_tf=f["sublinear_tf"], dtype=np.float32)
    parts = []
    if f["analyzer"] in ("word", "both"):
        words = TfidfVectorizer(
            analyzer="word", token_pattern=WORD_TOKEN_PATTERN, lowercase=True,
            ngram_range=tuple(f["word_ngram_range"]), **common,
        )
        parts.append(("words", words, 1))
    if f["analyzer"] in ("char", "both"):
        chars = TfidfVectorizer(analyzer="char", ngram_range=tuple(f["char_ngram_range"]), **common)
        parts.append(("chars", chars, 0))
    weights = None
    if f.get("lexicon"):
        # One weight per lexicon group, learned from the rows and carried to every term of the
        # group; sublinear counts so that one more hit matters less than the first.
        tags = TfidfVectorizer(
            analyzer="word", token_pattern=WORD_TOKEN_PATTERN, lowercase=True, min_df=1,
            sublinear_tf=True, norm=None if f.get("lexicon_norm") == "none" else "l2", dtype=np.float32,
        )
        parts.append(("lexicon", tags, 2))
        weights = {name: 1.0 for name, _, _ in parts}
        weights["lexicon"] = float(f.get("lexicon_weight", 1.0))
    features = ColumnTransformer(parts, sparse_threshold=1.0, transformer_weights=weights)
    return Pipeline([("features", features), ("classifier", _classifier(config["model"]))])


def _classifier(m: dict):
    class_weight = None if m["class_weight"] == "none" else m["class_weight"]
    if m["classifier"] == "logreg":
        from sklearn.linear_model import LogisticRegression

        # newton-cg reaches the same optimum as lbfgs here in a twentieth of the time (measured).
        return LogisticRegression(C=float(m["C"]), class_weight=class_weight, solver="newton-cg", max_iter=1000)
    if m["classifier"] == "svm":
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.svm import LinearSVC

        return CalibratedClassifierCV(LinearSVC(C=float(m["C"]), class_weight=class_weight), cv=3, method="sigmoid")
    if m["classifier"] == "sgd":
        from sklearn.linear_model import SGDClassifier

        # modified_huber gives probabilities; alpha plays the part of 1/C (per sample).
        return SGDClassifier(
            loss="modified_huber", alpha=1.0 / (float(m["C"]) * 1000.0), class_weight=class_weight,
            max_iter=50, tol=None, random_state=0,
        )
    raise ToolkitError(f"unknown classifier {m['classifier']!r}")


def pipeline_params(pipeline) -> dict:
    """Every parameter of the pipeline, JSON-safe: the card and the run record say exactly what ran."""
    return {k: json_safe(v) for k, v in sorted(pipeline.get_params(deep=True).items())}


# --------------------------------------------------------------------------------------------
# Fitting


def word_tokenizer(features: dict) -> str | None:
    """The tokenizer the features need, or None for character n-grams alone (no segmentation)."""
    return None if features["analyzer"] == "char" else features["tokenizer"]


def uses_lexicon(features: dict) -> bool:
    """Whether the features include the :mod:`toolkit.lexicon` group tags (prepare's column 2)."""
    return bool(features.get("lexicon"))


def prepared_texts(labels, config: dict) -> list[str]:
    """The rows as the pipeline sees them; computed once per training and shared with the CV."""
    f = config["features"]
    return prepare(analysis_texts(labels.texts), word_tokenizer(f), uses_lexicon(f))


def fit(labels, config: dict, X: Sequence[str] | None = None) -> ThemeModel:
    """Fit the pipeline on every row of a :class:`~toolkit.labels.LabelSet`; no file is written."""
    X = X if X is not None else prepared_texts(labels, config)
    weights = getattr(labels, "weights", None)
    fit_params = {} if weights is None else {"classifier__sample_weight": weights}
    pipeline = build_pipeline(config).fit(X, labels.labels, **fit_params)
    _drop_introspection(pipeline)
    return ThemeModel(pipeline, _card(labels, config, pipeline))


def _drop_introspection(pipeline) -> None:
    """Remove ``stop_words_`` (every term min_df dropped): most of the file's size, unused to predict."""
    for _, vectorizer, _ in pipeline.named_steps["features"].transformers_:
        if hasattr(vectorizer, "stop_words_"):
            delattr(vectorizer, "stop_words_")


def _card(labels, config: dict, pipeline) -> dict:
    from collections import Counter


    counts = Counter(labels.labels)
    seed_rows = sum(1 for r in labels.rows if r.is_seed)
    training_data = {
        "path": str(labels.path),
        "sha256": labels.sha256,
        "rows": len(labels.rows),
        "docs": len(set(labels.docs)),
        "seed_rows": seed_rows,
        "written_rows": len(labels.rows) - seed_rows,
    }
    if getattr(labels, "sources", ()):
        training_data["files"] = [s.to_dict() for s in labels.sources]
    return {
        "format": CARD_FORMAT,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "labels": {label: counts[label] for label in labels.classes},
        "training_data": training_data,
        # Short hashes of the training paragraphs: `evaluate --test` warns when test rows were trained on.
        "row_hashes": sorted({row_hash(t) for t in labels.texts}),
        "tokenizer": word_tokenizer(config["features"]),
        "lexicon_sha256": _lexicon_sha256() if uses_lexicon(config["features"]) else None,
        "preparation": PREPARATION,
        "preparation_version": PREPARATION_VERSION,
        "config": config,
        "pipeline": pipeline_params(pipeline),
        "versions": library_versions(),
        "evaluation": None,
        "run": None,
    }


def row_hash(text: str) -> str:
    """A short hash of a paragraph's Simplified, whitespace-free text: the same paragraph in either
    script or spacing hashes alike, so a test row copied from the training data is recognised."""
    simplified = analysis_texts([text])[0]
    return hashlib.sha256("".join(simplified.split()).encode("utf-8")).hexdigest()[:12]


def _lexicon_sha256() -> str:
    from toolkit.lexicon import lexicon

    return lexicon().sha256


# --------------------------------------------------------------------------------------------
# The model and its files


@dataclass
class ThemeModel:
    """A fitted pipeline with its card: what prediction needs to prepare text as training did."""

    pipeline: Any
    card: dict
    path: Path | None = None

    @property
    def classes(self) -> list[str]:
        return [str(c) for c in self.pipeline.classes_]

    @property
    def tokenizer(self) -> str | None:
        """The word segmenter prediction must use; None when the model reads characters only."""
        return self.card.get("tokenizer")

    @property
    def context(self) -> dict:
        """How paragraphs are decided in their article (:mod:`toolkit.context`); none for older models."""
        from toolkit.context import NONE

        return {**NONE, **(self.card.get("config", {}).get("context") or {})}

    @property
    def lexicon(self) -> bool:
        """Whether prediction must add the lexicon tags (the card names the lexicon's SHA-256)."""
        return self.card.get("lexicon_sha256") is not None

    @cached_property
    def predictor(self) -> Predictor:
        """Scores through :class:`~toolkit.scoring.FastScorer` when it reproduces the pipeline
        (the same numbers, several times faster), otherwise through the pipeline itself."""
        scorer = FastScorer.build(self.pipeline)
        return Predictor(self.classes, self.tokenizer, self.pipeline if scorer is None else scorer, self.lexicon,
                         self.context)

    def predict_proba(self, texts: Sequence[str]):
        """Probabilities (rows: texts, columns: :attr:`classes`) for Simplified texts."""
        return self.predictor.predict_proba(texts)

    def portable(self) -> Predictor | str:
        """What to send to batch workers: the scikit-learn-free predictor, or else the model's path."""
        return self.predictor if self.predictor.is_portable else str(self.path)


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


def write_model_files(path: str | Path, data: bytes, card_text: str) -> None:
    """Put a model and its card in place in an order that recovers from a kill at any point.

    The model is written complete to :func:`pending_path`, then the card is renamed into place,
    then the pending model. Killed before the card's rename, the old pair is intact; killed after
    it, the card names the pending file's SHA-256 and :func:`load_model` finishes the move.
    """
    from toolkit.files import atomic_path, atomic_write_text

    path = Path(path)
    pending = pending_path(path)
    with atomic_path(pending) as tmp:
        tmp.write_bytes(data)
    atomic_write_text(card_path(path), card_text)
    os.replace(pending, path)


def keep_previous(path: str | Path) -> Path | None:
    """Copy an existing model and its card to :func:`previous_path` before it is replaced."""
    from toolkit.files import atomic_write_bytes

    path = Path(path)
    card = card_path(path)
    if not (path.is_file() and card.is_file()):
        return None
    previous = previous_path(path)
    card_text = card.read_text(encoding="utf-8")
    try:
        old = json.loads(card_text)
        card_text = _card_text({**old, "model_file": previous.name})
    except ValueError:
        pass
    write_model_files(previous, path.read_bytes(), card_text)
    return previous


def save_model(model: ThemeModel, path: str | Path, keep: bool = True) -> ThemeModel:
    """Write the model and its card (see :func:`write_model_files`); the card records the model
    file's SHA-256. An existing model there is kept as :func:`previous_path` unless ``keep`` is false."""
    import zipfile

    import skops.io as sio

    path = Path(path)
    # skops writes every vocabulary entry as a JSON node: deflate takes 17 MB down to under 1 MB.
    data = sio.dumps(model.pipeline, compression=zipfile.ZIP_DEFLATED, compresslevel=6)
    card = {**model.card, "model_file": path.name, "model_sha256": hashlib.sha256(data).hexdigest()}
    if keep:
        keep_previous(path)
    write_model_files(path, data, _card_text(card))
    return ThemeModel(model.pipeline, card, path)


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
    package = Path(__file__).resolve().parent
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


def load_model(path: str | Path | None = None) -> ThemeModel:
    """Load a model written by ``toolkit train``, refusing anything that could run code.

    Checks, in order, before a single object is built: the card exists and is ours; the file's
    SHA-256 is the card's; the model prepares text as this toolkit does; every type the file
    names is trusted by skops or on :data:`ALLOWED_TYPES` (skops checks this over the whole file
    before it builds anything, so a refused file runs no code). A card naming another scikit-learn
    major.minor only warns (:class:`ModelVersionWarning`); the model must then still build and
    score an empty paragraph, or the error says to retrain.
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
    if wanted is not None and wanted != _lexicon_sha256():
        raise ToolkitError(
            f"{path}: the model was trained with another version of the domain lexicon "
            f"(toolkit/data/lexicon.csv); its features would not mean what they meant; retrain: {TRAIN_COMMAND}"
        )
    pipeline = _load_pipeline(path, data, _other_sklearn_version(path, card), 3 if wanted else 2)
    classes = [str(c) for c in pipeline.classes_]
    if sorted(card.get("labels", {})) != sorted(classes):
        raise ToolkitError(f"{path}: the model's labels {classes} differ from its card's")
    return ThemeModel(pipeline, card, path)


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
    import sklearn

    saved = str(card.get("versions", {}).get("scikit-learn", "unknown"))
    running = sklearn.__version__
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


def _unusable(path: Path, exc: Exception, trained_with: str | None) -> ToolkitError:
    import sklearn

    problem = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
    if trained_with is None:
        return ToolkitError(f"{path}: cannot load the model ({problem}); retrain: {TRAIN_COMMAND}")
    return ToolkitError(
        f"{path}: the model was trained with scikit-learn {trained_with} and {sklearn.__version__} cannot "
        f"use it ({problem}); retrain it with: {TRAIN_COMMAND}"
    )


@lru_cache(maxsize=4)
def _cached_model(path: str, mtime_ns: int, size: int) -> ThemeModel:
    return load_model(path)


def cached_model(path: str | Path) -> ThemeModel:
    """One load per process and model file, so batch workers do not reload it for every article."""
    path = Path(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return load_model(path)  # raises the missing-model message
    return _cached_model(str(path), stat.st_mtime_ns, stat.st_size)


# --------------------------------------------------------------------------------------------
# Classifying documents


@dataclass
class ParagraphResult:
    doc: str
    paragraph: int
    label: str
    confidence: float
    probabilities: dict[str, float]
    boilerplate: str | None
    text: str

    def to_dict(self) -> dict:
        return {
            "doc": self.doc,
            "paragraph": self.paragraph,
            "label": self.label,
            "confidence": round(self.confidence, 4),
            "probabilities": {k: round(v, 4) for k, v in self.probabilities.items()},
            "boilerplate": self.boilerplate,
            "text": self.text,
        }


@dataclass
class DocumentResult:
    doc: str
    path: str | None
    paragraphs: list[ParagraphResult]
    labels: list[str]
    shares: dict[str, float] = field(default_factory=dict)
    chars: int = 0
    #: Undecodable bytes replaced when reading, and whether the text is Chinese at all.
    replaced: int = 0
    chinese: bool = True
    #: Problems worth a warning line (see :attr:`toolkit.document.Document.notes`).
    notes: list[str] = field(default_factory=list)

    @property
    def main_label(self) -> str | None:
        if not self.chars:
            return None
        return max(self.labels, key=lambda label: self.shares[label])

    def to_dict(self) -> dict:
        return {
            "doc": self.doc,
            "path": self.path,
            "paragraphs": len(self.paragraphs),
            "chars": self.chars,
            "label": self.main_label,
            "shares": {k: round(v, 4) for k, v in self.shares.items()},
            "chinese": self.chinese,
            "replaced": self.replaced,
        }

    def rows(self, level: str = "paragraph") -> list[dict]:
        """The result as flat records for a table: one per paragraph (``level="paragraph"``) or one
        for the document (``"document"``), with the columns of :func:`record_columns` in order."""
        path = self.path if self.path is not None else ("-" if self.doc == "<stdin>" else self.doc)
        if level == "document":
            return [{
                "path": path, "doc": self.doc, "paragraphs": len(self.paragraphs), "chars": self.chars,
                "label": self.main_label, **{f"share_{c}": round(self.shares.get(c, 0.0), 4) for c in self.labels},
                "chinese": self.chinese, "replaced": self.replaced,
            }]
        if level != "paragraph":
            raise ToolkitError(f"level must be 'paragraph' or 'document', not {level!r}")
        return [{
            "path": path, "doc": self.doc, "id": f"{path}#{p.paragraph}", "paragraph": p.paragraph,
            "label": p.label, "confidence": round(p.confidence, 4), "boilerplate": p.boilerplate,
            **{f"p_{c}": round(p.probabilities.get(c, 0.0), 4) for c in self.labels}, "text": p.text,
        } for p in self.paragraphs]


LEVELS = ("paragraph", "document")


def record_columns(classes: Sequence[str], level: str = "paragraph") -> list[tuple[str, str]]:
    """``(name, type)`` of every column of :meth:`DocumentResult.rows`, the same for every document.

    ``id`` (``path#paragraph``) names a paragraph stably across runs; ``p_<theme>`` are its
    probabilities, ``share_<theme>`` a document's character shares.
    """
    if level == "document":
        return [("path", "str"), ("doc", "str"), ("paragraphs", "int"), ("chars", "int"), ("label", "str"),
                *((f"share_{c}", "float") for c in classes), ("chinese", "bool"), ("replaced", "int")]
    return [("path", "str"), ("doc", "str"), ("id", "str"), ("paragraph", "int"), ("label", "str"),
            ("confidence", "float"), ("boilerplate", "str"), *((f"p_{c}", "float") for c in classes),
            ("text", "str")]


def document_shares(paragraphs: Sequence[ParagraphResult], labels: Sequence[str]) -> tuple[dict[str, float], int]:
    """Each theme's share of the document's characters, over paragraphs that are not boilerplate.

    Weighting by characters keeps a one-line heading from counting as much as a long paragraph.
    """
    totals = {label: 0 for label in labels}
    for p in paragraphs:
        if p.boilerplate is None:
            totals[p.label] = totals.get(p.label, 0) + len(p.text)
    chars = sum(totals.values())
    return {k: (v / chars if chars else 0.0) for k, v in totals.items()}, chars


#: Paragraphs scored at a time.
PREDICT_CHUNK = 2000


def classify_document(document, model: "ThemeModel | Predictor | None" = None) -> DocumentResult:
    """Code every paragraph of a :class:`~toolkit.document.Document` and the document's shares.

    Structure is ``other`` by rule when ``other`` is a label (the codebook codes headlines, section
    titles, bylines and captions ``other``): boilerplate always, headings when the model's
    ``[context]`` says so. Body paragraphs are scored by the model and decided in their article's
    context (:mod:`toolkit.context`); the probabilities reported are the ones the label comes from.
    """
    import numpy as np

    from toolkit.context import in_context
    from toolkit.document import HEADING

    model = model if model is not None else cached_model(default_model_path())
    classes = model.classes
    settings = model.context
    shortcut = OTHER in classes

    def structural(p) -> bool:
        return shortcut and (p.is_boilerplate or (settings["headings_other"] and p.kind == HEADING))

    asked = [p for p in document.paragraphs if not structural(p)]
    rows = []
    # In slices, so a huge document's feature matrix never exists whole (memory stays bounded).
    for start in range(0, len(asked), PREDICT_CHUNK):
        rows.append(model.predict_proba([p.analysis_text for p in asked[start:start + PREDICT_CHUNK]]))
    proba = np.vstack(rows) if rows else np.zeros((0, len(classes)))
    proba = in_context(proba, [len(p.text) for p in asked], classes, settings)
    by_index = {p.index: tuple(float(v) for v in row) for p, row in zip(asked, proba)}
    results = []
    for p in document.paragraphs:
        row = by_index.pop(p.index, None)
        if row is None:
            probabilities = {c: (1.0 if c == OTHER else 0.0) for c in classes}
        else:
            probabilities = dict(zip(classes, row))
        label = max(classes, key=lambda c: probabilities[c])
        results.append(
            ParagraphResult(
                doc=document.name,
                paragraph=p.index,
                label=label,
                confidence=probabilities[label],
                probabilities=probabilities,
                boilerplate=p.kind if p.is_boilerplate else None,
                text=p.text,
            )
        )
    shares, chars = document_shares(results, classes)
    notes = list(getattr(document, "notes", []))
    return DocumentResult(document.name, document.path, results, classes, shares, chars,
                          replaced=getattr(document, "replaced", 0),
                          chinese=not any(n.startswith("not Chinese") for n in notes), notes=notes)


def classify_text(text: str, model: "ThemeModel | Predictor | None" = None, name: str = "<text>") -> DocumentResult:
    """Segment an article held in a string and code it, as ``toolkit classify`` does a file."""
    from toolkit.reading import document_from_text

    if not text.strip():
        raise ToolkitError(f"{name}: empty text")
    return classify_document(document_from_text(text, name), model)


def classify_file(source: str, model: "ThemeModel | Predictor | str | Path") -> DocumentResult:
    """Read and code one file with a model, a :class:`Predictor`, or a model path.

    A path is how ``--jobs`` workers get a model that has no portable predictor: each loads it
    once (cached per process), quietly, since the parent process loaded it first and has already
    shown any :class:`ModelVersionWarning`.
    """
    from toolkit.reading import read_document

    if isinstance(model, (str, Path)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ModelVersionWarning)
            model = cached_model(model)
    return classify_document(read_document(source), model)
