"""Agreement between two coders of the same paragraphs, as content analysis reports it.

Before machine codes are trusted, the model is compared with a human coder the way two human
coders are compared: percent agreement, Cohen's kappa, Krippendorff's alpha (nominal), and how
each label fares. Why it is computed this way:

- kappa and alpha correct for the agreement chance alone would give; kappa uses each coder's own
  label distribution, alpha one pooled distribution (so it also penalises coders who use the
  labels in different proportions). Both come from the confusion matrix in closed form, which
  makes a bootstrap of a thousand resamples instant; tests hold them equal to scikit-learn's
  ``cohen_kappa_score`` and the ``krippendorff`` package.
- Confidence intervals are percentile bootstraps that resample whole documents when documents
  are known (paragraphs of one article are not independent), else paragraphs.
- Per label: how often each coder used it, how often both did on the same paragraph, and the
  specific agreement 2·both / (uses by A + uses by B), so a label the coders read differently
  stands out even when overall agreement is high.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from toolkit.errors import ToolkitError


def _statistics(matrices):
    """Agreement, kappa and alpha of a stack of confusion matrices (shape (m, k, k)); nan where undefined."""
    import numpy as np

    matrices = np.asarray(matrices, dtype=float)
    n = matrices.sum(axis=(1, 2))
    observed = np.trace(matrices, axis1=1, axis2=2) / n
    rows, cols = matrices.sum(axis=2) / n[:, None], matrices.sum(axis=1) / n[:, None]
    expected = (rows * cols).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = (observed - expected) / (1.0 - expected)
        # Krippendorff's nominal alpha for two coders and no missing values: the coincidence
        # matrix is A + A^T, with n_c = uses of label c by either coder and 2n values in all.
        pooled = matrices.sum(axis=2) + matrices.sum(axis=1)
        values = 2.0 * n
        disagree_observed = 2.0 * (n - np.trace(matrices, axis1=1, axis2=2))
        disagree_expected = (values**2 - (pooled**2).sum(axis=1)) / (values - 1.0)
        alpha = 1.0 - disagree_observed / disagree_expected
    return observed, kappa, alpha


def agreement(
    a: Sequence[str],
    b: Sequence[str],
    *,
    groups: Sequence[str] | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> dict:
    """Agreement of two codings of the same items: ``n``, ``agreement``, ``kappa``, ``alpha``,
    ``per_label``, ``confusion`` and ``ci`` (bootstrap intervals, resampling ``groups`` if given).

    kappa or alpha is None where it is undefined (both coders used one and the same label).
    """
    import numpy as np

    if len(a) != len(b):
        raise ValueError("the two codings must have the same length")
    if not len(a):
        raise ToolkitError("no paragraphs coded by both coders, so there is no agreement to measure")
    labels = sorted(set(a) | set(b))
    index = {label: i for i, label in enumerate(labels)}
    ia, ib = np.array([index[x] for x in a]), np.array([index[y] for y in b])
    k = len(labels)
    matrix = np.zeros((k, k), dtype=np.int64)
    np.add.at(matrix, (ia, ib), 1)
    observed, kappa, alpha = (float(v[0]) for v in _statistics(matrix[None]))

    units = np.arange(len(a)) if groups is None else np.unique(np.asarray(groups), return_inverse=True)[1]
    n_units = int(units.max()) + 1
    # one confusion matrix per unit; a resample's matrix is the sum of its units' matrices
    per_unit = np.zeros((n_units, k * k), dtype=np.int64)
    np.add.at(per_unit, (units, ia * k + ib), 1)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n_units, size=(n_boot, n_units))
    counts = np.zeros((n_boot, n_units), dtype=np.int64)
    np.add.at(counts, (np.repeat(np.arange(n_boot), n_units), draws.ravel()), 1)
    boot = (counts @ per_unit).reshape(n_boot, k, k)
    stats = _statistics(boot)
    low, high = (1.0 - level) / 2.0, 1.0 - (1.0 - level) / 2.0

    def interval(values):
        values = values[np.isfinite(values)]
        if not len(values):
            return None
        return [round(float(np.quantile(values, low)), 4), round(float(np.quantile(values, high)), 4)]

    per_label = {}
    for i, label in enumerate(labels):
        by_a, by_b, both = int(matrix[i].sum()), int(matrix[:, i].sum()), int(matrix[i, i])
        per_label[label] = {"coder_a": by_a, "coder_b": by_b, "both": both,
                            "agreement": round(2.0 * both / (by_a + by_b), 4)}
    finite = lambda v: float(v) if np.isfinite(v) else None  # noqa: E731
    return {
        "n": len(a),
        "agreement": observed,
        "kappa": finite(kappa),
        "alpha": finite(alpha),
        "per_label": per_label,
        "confusion": {"labels": labels, "matrix": matrix.tolist(), "rows": "coder A", "columns": "coder B"},
        "ci": {"level": level, "resampled": "doc" if groups is not None else "paragraph", "n_boot": n_boot,
               "agreement": interval(stats[0]), "kappa": interval(stats[1]), "alpha": interval(stats[2])},
    }


# --------------------------------------------------------------------------------------------
# Two coding files, or a file and the model


def read_coding(path: str | Path):
    """A coder's file (doc,text,label): every row checked, every problem one line with its row."""
    from toolkit.coding.sheets import LabelProblems
    from toolkit.themes.labels import check_labels

    report = check_labels(path, min_per_label=1, duplicates="error", min_labels=1)
    if not report.ok:
        raise LabelProblems([f"{path}: {e}" for e in report.errors])
    return report


def pair_codings(rows_a, rows_b) -> tuple[list[tuple], int, int]:
    """Rows of A and B coding the same paragraph, matched by doc and whitespace-normalised text;
    and how many rows of each had no partner."""
    key = lambda r: (r.doc, " ".join(r.text.split()))  # noqa: E731
    by_key = {key(r): r for r in rows_b}
    pairs = [(r, by_key[key(r)]) for r in rows_a if key(r) in by_key]
    return pairs, len(rows_a) - len(pairs), len(rows_b) - len(pairs)


def compare_coders(path_a, path_b=None, *, model=None, n_boot: int = 1000, seed: int = 0) -> dict:
    """What ``toolkit labels agreement`` reports: two coding files, or one file and the model.

    With ``model`` (a :class:`~toolkit.themes.classifier.ThemeModel`), the model codes coder A's
    paragraphs and is coder B. A model scored on rows it was trained on agrees too well; when the
    file is the model's own training file (same SHA-256), ``warnings`` says so.
    """
    if (path_b is None) == (model is None):
        raise ToolkitError("give two coders: two coding files, or one file and a model")
    a = read_coding(path_a)
    warnings: list[str] = []
    if model is not None:
        from toolkit.themes.scoring import analysis_texts

        rows = a.rows
        proba = model.predict_proba(analysis_texts([r.text for r in rows]))
        predicted = [model.classes[i] for i in proba.argmax(axis=1)]
        coder_b = f"model {model.path}"
        pairs = [(r.label, p, r.doc) for r, p in zip(rows, predicted)]
        only_a = only_b = 0
        trained_on = model.card.get("training_data", {})
        shas = {trained_on.get("sha256")} | {f.get("sha256") for f in trained_on.get("files", [])}
        if a.sha256 in shas:
            warnings.append(f"{path_a} is (part of) the model's training data: the model has seen these paragraphs, "
                            f"so this agreement flatters it; code a fresh sample to measure it")
    else:
        b = read_coding(path_b)
        coder_b = str(path_b)
        matched, only_a, only_b = pair_codings(a.rows, b.rows)
        pairs = [(ra.label, rb.label, ra.doc) for ra, rb in matched]
        if only_a or only_b:
            warnings.append(f"{only_a} row(s) of {path_a} and {only_b} of {path_b} have no partner (matched by doc "
                            f"and text) and are left out")
    result = agreement([p[0] for p in pairs], [p[1] for p in pairs], groups=[p[2] for p in pairs],
                       n_boot=n_boot, seed=seed)
    result["coders"] = {"a": str(path_a), "b": coder_b}
    result["unmatched"] = {"a": only_a, "b": only_b}
    result["warnings"] = warnings
    return result
