"""How good the theme classifier is, measured so that the figures mean something on new articles.

- Cross-validation is grouped by ``doc``: an article's paragraphs are never on both sides, because
  paragraphs of one article share names, places and wording that would flatter the model.
- It is repeated with several shuffles and every figure comes from the out-of-fold probabilities
  averaged over the repeats (each row is out of fold once per repeat), so one lucky split does not
  decide; the spread over repeats is reported beside the mean.
- Two baselines are scored the same way: the majority class (what a model must beat at all) and a
  cue-word dictionary from the codebook (what a model must beat to be worth more than keywords).
- Macro-F1 on the seed rows alone (``source`` other than ``written``) is reported apart, because
  the team-written rows are easier than real articles and the model is judged on real ones.
"""

from __future__ import annotations

import warnings
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Sequence

from toolkit.errors import ToolkitError

# --------------------------------------------------------------------------------------------
# Scores


def scores(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str]) -> dict:
    """macro-F1, accuracy and per-class precision/recall/F1/support over ``labels``."""
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support

    labels = list(labels)
    if not len(y_true):
        return {"macro_f1": None, "accuracy": None, "per_class": {}}
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    per_class = {
        label: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                "f1": round(float(f[i]), 4), "support": int(s[i])}
        for i, label in enumerate(labels)
    }
    return {
        "macro_f1": round(float(f.mean()), 4),
        "accuracy": round(float(accuracy_score(y_true, y_pred)), 4),
        "per_class": per_class,
    }


def macro_f1(y_true, y_pred, labels) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(y_true, y_pred, labels=list(labels), average="macro", zero_division=0))


def bootstrap_macro_f1(
    y_true: Sequence[str], y_pred: Sequence[str], groups: Sequence[str], labels: Sequence[str] | None = None,
    *, resamples: int = 2000, seed: int = 0, level: float = 0.95,
) -> dict:
    """Macro-F1 with a percentile bootstrap interval that resamples whole documents.

    Paragraphs of one article are not independent (same place, same topic, same writer), so
    resampling paragraphs would give an interval far too narrow; resampling articles gives the
    uncertainty a reader of "0.80 on 40 articles" needs. ``labels`` defaults to the labels present
    in ``y_true``, so a theme absent from the test set does not count as an F1 of zero.
    """
    import numpy as np

    labels = sorted(set(y_true)) if labels is None else list(labels)
    index = {label: i for i, label in enumerate(labels)}
    k = len(labels)
    docs = sorted(set(groups))
    if not docs:
        return {"macro_f1": None, "low": None, "high": None, "docs": 0, "rows": 0}
    doc_index = {d: i for i, d in enumerate(docs)}
    # Per document: true positives, predicted counts and true counts per label.
    tp = np.zeros((len(docs), k)); pred = np.zeros((len(docs), k)); true = np.zeros((len(docs), k))
    for t, p, g in zip(y_true, y_pred, groups):
        d = doc_index[g]
        if t in index:
            true[d, index[t]] += 1
        if p in index:
            pred[d, index[p]] += 1
        if t == p and t in index:
            tp[d, index[t]] += 1

    def macro(weights):  # weights: (m, docs) -> (m,)
        TP, P, T = weights @ tp, weights @ pred, weights @ true
        denom = P + T
        f1 = np.divide(2 * TP, denom, out=np.zeros_like(TP), where=denom > 0)
        return f1.mean(axis=1)

    point = float(macro(np.ones((1, len(docs))))[0])
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(docs), size=(resamples, len(docs)))
    weights = np.zeros((resamples, len(docs)))
    np.add.at(weights, (np.repeat(np.arange(resamples), len(docs)), draws.ravel()), 1.0)
    values = macro(weights)
    alpha = (1.0 - level) / 2
    return {
        "macro_f1": round(point, 4),
        "low": round(float(np.quantile(values, alpha)), 4),
        "high": round(float(np.quantile(values, 1 - alpha)), 4),
        "docs": len(docs),
        "rows": len(y_true),
    }


def confusion(y_true, y_pred, labels) -> dict:
    from sklearn.metrics import confusion_matrix

    matrix = confusion_matrix(y_true, y_pred, labels=list(labels))
    return {"labels": list(labels), "matrix": matrix.tolist()}


def seed_scores(rows, y_true, y_pred) -> dict:
    """Scores on real-article rows only, over the labels those rows carry."""
    mask = [r.is_seed for r in rows]
    true = [t for t, m in zip(y_true, mask) if m]
    pred = [p for p, m in zip(y_pred, mask) if m]
    if not true:
        return {"macro_f1": None, "accuracy": None, "rows": 0}
    present = sorted(set(true))
    out = scores(true, pred, present)
    return {"macro_f1": out["macro_f1"], "accuracy": out["accuracy"], "rows": len(true)}


# --------------------------------------------------------------------------------------------
# Cue-word baseline


@lru_cache(maxsize=1)
def cue_words() -> dict[str, tuple[str, ...]]:
    """label -> cue words, from toolkit/data/cues.csv (the codebook's "typical cues")."""
    import csv
    import io

    text = resources.files("toolkit").joinpath("data", "cues.csv").read_text(encoding="utf-8")
    cues: dict[str, list[str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        label, cue = row["label"].strip().lower(), row["cue"].strip()
        if label and cue:
            cues.setdefault(label, []).append(cue)
    return {label: tuple(words) for label, words in cues.items()}


def cue_predict(texts: Sequence[str], classes: Sequence[str], fallback: str) -> list[str]:
    """The label whose cue words occur most often; ``fallback`` when none occurs.

    Only labels of the data are candidates (a theme added to labels.csv has no cues and is never
    predicted: that is the baseline's weakness, not a bug). Ties go to the earlier label in
    ``classes`` order, so the result does not depend on dictionary order.
    """
    from toolkit.text.cleaning import to_simplified

    cues = {label: words for label, words in cue_words().items() if label in set(classes)}
    out = []
    for text in texts:
        text = to_simplified(text)
        best, best_hits = fallback, 0
        for label in classes:
            hits = sum(text.count(w) for w in cues.get(label, ()))
            if hits > best_hits:
                best, best_hits = label, hits
        out.append(best)
    return out


def _majority(counts: Counter) -> str:
    """The commonest label; ties go to the first in sorted order, whatever order the rows came in."""
    return max(sorted(counts), key=lambda label: counts[label])


def _fallback(classes: Sequence[str], counts: Counter) -> str:
    from toolkit.themes.classifier import OTHER

    return OTHER if OTHER in classes else _majority(counts)


# --------------------------------------------------------------------------------------------
# Cross-validation


@dataclass
class Evaluation:
    metrics: dict
    predictions: list[dict]
    #: out-of-fold probabilities averaged over the repeats (rows: labelled rows, columns: ``classes``);
    #: set by :func:`cross_validate`, what :mod:`toolkit.coding.audit` reads
    proba: object = None
    classes: list[str] | None = None


def _fold_fit_predict(config, X, y, train, test, classes, weights=None):
    """One fold: fit a fresh pipeline on ``train``, probabilities for ``test`` in ``classes`` order."""
    import numpy as np

    from toolkit.themes.classifier import build_pipeline

    fit_params = {} if weights is None else {"classifier__sample_weight": weights[train]}
    pipeline = build_pipeline(config).fit(X[train], y[train], **fit_params)
    proba = pipeline.predict_proba(X[test])
    out = np.zeros((len(test), len(classes)))
    index = {c: i for i, c in enumerate(classes)}
    for j, c in enumerate(pipeline.classes_):
        out[:, index[c]] = proba[:, j]
    return test, out


def _splits(labels, folds: int, repeats: int, seed: int):
    """(repeat, train, test) index triples; grouped by doc, stratified by label where it can be."""
    import numpy as np
    from sklearn.model_selection import StratifiedGroupKFold

    y = np.array(labels.labels)
    groups = np.array(labels.docs)
    n_groups = len(set(labels.docs))
    if n_groups < 2:
        raise ToolkitError(f"{labels.path}: all rows are in one doc; grouped cross-validation needs at least two docs")
    folds = min(folds, n_groups)
    out = []
    for r in range(repeats):
        splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed + r)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "least populated class ..." is expected
            for train, test in splitter.split(np.zeros(len(y)), y, groups):
                if len(set(y[train])) < 2:
                    raise ToolkitError(
                        f"{labels.path}: too few documents for {folds}-fold grouped cross-validation "
                        f"(a training fold had a single label); add rows or lower evaluation.folds"
                    )
                out.append((r, train, test))
    return folds, out


def cross_validate(labels, config: dict, jobs: int = 1, X: Sequence[str] | None = None) -> Evaluation:
    """Repeated grouped cross-validation of ``config`` on a :class:`~toolkit.themes.labels.LabelSet`.

    Text is tokenised once for all folds (tokenisation has no learned state, so this leaks
    nothing); the vectorizers and the classifier are fitted afresh inside every fold. Row
    weights of a set read from several files (``LabelSet.weights``) weight the fitting only:
    every figure counts each row once.
    """
    import numpy as np
    from joblib import Parallel, delayed

    from toolkit.themes.classifier import prepared_texts

    ev = config["evaluation"]
    classes = labels.classes
    y = np.array(labels.labels)
    if X is None:
        X = prepared_texts(labels, config)
    folds, splits = _splits(labels, ev["folds"], ev["repeats"], ev["seed"])
    weights = getattr(labels, "weights", None)
    weights = None if weights is None else np.asarray(weights, dtype=float)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on tiny folds
        results = Parallel(n_jobs=jobs)(
            delayed(_fold_fit_predict)(config, X, y, train, test, classes, weights) for _, train, test in splits
        )
    repeats = ev["repeats"]
    per_repeat = np.zeros((repeats, len(y), len(classes)))
    majority = np.empty(len(y), dtype=object)
    for (r, train, test), (_, proba) in zip(splits, results):
        per_repeat[r, test] = proba
        if r == 0:
            majority[test] = _majority(Counter(y[train]))
    repeat_f1 = [macro_f1(y, _most_probable(per_repeat[r], classes), classes) for r in range(repeats)]
    mean_proba = per_repeat.mean(axis=0)
    predicted = _most_probable(mean_proba, classes)

    metrics = _report(labels.rows, list(y), predicted, classes, list(majority), Counter(labels.labels))
    metrics["cv"] = {
        "folds": folds,
        "repeats": repeats,
        "seed": ev["seed"],
        "grouped_by": "doc",
        "macro_f1_std": round(float(np.std(repeat_f1)), 4),
        "repeat_macro_f1": [round(v, 4) for v in repeat_f1],
    }
    return Evaluation(metrics, _prediction_records(labels.rows, predicted, mean_proba), mean_proba, list(classes))


def _most_probable(proba, classes: Sequence[str]) -> list[str]:
    return [classes[i] for i in proba.argmax(axis=1)]


def _prediction_records(rows, predicted: Sequence[str], proba) -> list[dict]:
    """One record per labelled row, as :func:`toolkit.runs.store.record_run` stores them."""
    return [
        {"row": r.row, "doc": r.doc, "label": r.label, "predicted": predicted[i],
         "confidence": round(float(proba[i].max()), 4)}
        for i, r in enumerate(rows)
    ]


def _report(rows, y_true, y_pred, classes, majority_pred, train_counts: Counter) -> dict:
    metrics = scores(y_true, y_pred, classes)
    metrics["confusion"] = confusion(y_true, y_pred, classes)
    cue_pred = cue_predict([r.text for r in rows], classes, _fallback(classes, train_counts))
    metrics["baselines"] = {
        "majority": scores(y_true, majority_pred, classes),
        "cue_words": scores(y_true, cue_pred, classes),
    }
    seed = seed_scores(rows, y_true, y_pred)
    metrics["seed_macro_f1"] = seed["macro_f1"]
    metrics["seed_accuracy"] = seed["accuracy"]
    metrics["seed_rows"] = seed["rows"]
    metrics["rows"] = len(y_true)
    return metrics


def evaluate_model(model, labels) -> Evaluation:
    """The saved model on a held-out labels file: the same figures, without cross-validation.

    The majority baseline predicts the most frequent label of the model's own training data.
    Rows are coded as paragraphs by the model itself (no boilerplate short cut: a test row has
    no page around it to tell what kind of block it was).
    """
    from toolkit.themes.scoring import analysis_texts

    from toolkit.themes.classifier import row_hashes

    trained = Counter(model.card.get("labels", {}))
    unknown = sorted(set(labels.classes) - set(model.classes))
    classes = sorted(set(model.classes) | set(labels.classes))
    proba = model.predict_proba(analysis_texts(labels.texts))
    predicted = _most_probable(proba, model.classes)
    top = _majority(trained) if trained else labels.classes[0]
    metrics = _report(labels.rows, labels.labels, predicted, classes, [top] * len(predicted), trained or Counter(labels.labels))
    # Intervals by document: a test file of a few articles says less than its row count suggests.
    docs = labels.docs
    present = sorted(set(labels.labels))
    metrics["macro_f1_ci"] = _interval(bootstrap_macro_f1(labels.labels, predicted, docs, present))
    cue_pred = cue_predict(labels.texts, classes, _fallback(classes, trained or Counter(labels.labels)))
    metrics["baselines"]["cue_words"]["macro_f1_ci"] = _interval(bootstrap_macro_f1(labels.labels, cue_pred, docs, present))
    seen = set(model.card.get("row_hashes") or ())
    overlap = sum(1 for h in row_hashes(labels.texts) if h in seen)
    metrics["cv"] = None
    metrics["test"] = {"path": str(labels.path), "sha256": labels.sha256, "model": str(model.path),
                       "labels_unknown_to_model": unknown, "rows_also_in_training": overlap,
                       "docs": len(set(docs))}
    if overlap:
        warnings.warn(
            f"{labels.path}: {overlap} of {len(labels.rows)} test rows are also training rows of the model; "
            f"the figures flatter it (test on paragraphs it was not trained on)",
            stacklevel=2,
        )
    return Evaluation(metrics, _prediction_records(labels.rows, predicted, proba))


def _interval(boot: dict) -> list[float] | None:
    return None if boot["low"] is None else [boot["low"], boot["high"]]


def run_evaluation(labels_path, *, test=None, model=None, config=None, overrides=(), jobs: int = 1) -> Evaluation:
    """What ``toolkit evaluate`` does: cross-validate a configuration, or score a model on ``test``."""
    from toolkit.themes.classifier import load_model
    from toolkit.themes.labels import read_labels
    from toolkit.themes.config import resolve_config

    if test is not None:
        if config is not None or overrides:
            raise ToolkitError("a config and overrides choose what to cross-validate, and a test file scores the "
                              "saved model as it is: give one or the other")
        return evaluate_model(load_model(model), read_test_labels(test))
    settings = resolve_config(config, overrides)
    return cross_validate(read_labels(labels_path), settings, jobs=jobs)


def read_test_labels(path):
    """A held-out file is checked like labels.csv, except that a label may occur only once."""
    from toolkit.themes.labels import LabelSet, check_labels

    report = check_labels(path, min_per_label=1)
    if not report.ok:
        raise ToolkitError(f"{path}: " + "; ".join(report.errors[:3]))
    return LabelSet(str(path), tuple(report.rows), report.sha256)
