"""The theme model: a TF-IDF + linear pipeline with its card, and coding documents with it.

Why it is built this way:

- The persisted estimator holds only scikit-learn classes, so :mod:`skops.io` can load it without
  trusting any type of ours. Tokenisation therefore happens *outside* it, in
  :func:`toolkit.themes.scoring.prepare`, and the card records the tokenizer and the preparation version
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

The model's files are in :mod:`toolkit.themes.model_files`, loading them (and the scorer file that lets
``toolkit classify`` run without scikit-learn) in :mod:`toolkit.themes.model`, coding documents in
:mod:`toolkit.themes.results`, the configuration and the training run in :mod:`toolkit.themes.training`, fast
scoring in :mod:`toolkit.themes.scoring`, and what a model has learned in :mod:`toolkit.themes.inspection`.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Sequence

from toolkit.errors import ToolkitError
# The model's files, loading and the trust checks live in toolkit.themes.model_files and toolkit.themes.model,
# the coding of documents in toolkit.themes.results; their names stay importable from here.
from toolkit.themes.model import (  # noqa: F401
    ALLOWED_TYPES,
    ModelVersionWarning,
    ThemeModel,
    add_scorer,
    cached_model,
    load_model,
    save_model,
    sklearn_version,
)
from toolkit.themes.model_files import (  # noqa: F401
    CARD_FORMAT,
    MODEL_DIR,
    MODEL_NAME,
    MODEL_SUFFIX,
    SCORER_SUFFIX,
    TRAIN_COMMAND,
    card_path,
    default_model_path,
    is_shipped,
    keep_previous,
    pending_path,
    previous_path,
    scorer_path,
    shipped_model_path,
    update_card,
    user_model_path,
    write_model_files,
)
from toolkit.provenance import json_safe, library_versions
from toolkit.themes.results import (  # noqa: F401
    LEVELS,
    OTHER,
    PREDICT_CHUNK,
    DocumentResult,
    ParagraphResult,
    classify_document,
    classify_file,
    classify_text,
    document_shares,
    record_columns,
)
from toolkit.themes.scoring import PREPARATION, PREPARATION_VERSION, WORD_TOKEN_PATTERN, analysis_texts, prepare


# --------------------------------------------------------------------------------------------
# The pipeline


def build_pipeline(config: dict):
    """A fresh, unfitted Pipeline for ``config``: features, then a classifier with probabilities.

    It reads :func:`~toolkit.themes.scoring.prepare`'s rows: column 0 for character n-grams, column 1
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
    """Whether the features include the :mod:`toolkit.themes.lexicon` group tags (prepare's column 2)."""
    return bool(features.get("lexicon"))


def prepared_texts(labels, config: dict) -> list[str]:
    """The rows as the pipeline sees them; computed once per training and shared with the CV."""
    f = config["features"]
    return prepare(analysis_texts(labels.texts), word_tokenizer(f), uses_lexicon(f))


def fit(labels, config: dict, X: Sequence[str] | None = None) -> ThemeModel:
    """Fit the pipeline on every row of a :class:`~toolkit.themes.labels.LabelSet`; no file is written."""
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

    from toolkit.themes.lexicon import lexicon_sha256

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
        "row_hashes": sorted(set(row_hashes(labels.texts))),
        "tokenizer": word_tokenizer(config["features"]),
        "lexicon_sha256": lexicon_sha256() if uses_lexicon(config["features"]) else None,
        "preparation": PREPARATION,
        "preparation_version": PREPARATION_VERSION,
        "config": config,
        "pipeline": pipeline_params(pipeline),
        "versions": library_versions(),
        "evaluation": None,
        "run": None,
    }


def row_hashes(texts: Sequence[str]) -> list[str]:
    """A short hash of each paragraph's Simplified, whitespace-free text: the same paragraph in
    either script or spacing hashes alike, so a test row copied from the training data is recognised."""
    return [hashlib.sha256("".join(form.split()).encode("utf-8")).hexdigest()[:12] for form in analysis_texts(texts)]


