"""Statistics for comparing two runs: a paired bootstrap of the macro-F1 change, McNemar's exact
test, per-class F1 changes, and the spread of cross-validation repeats."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any, Sequence


def as_number(value: Any) -> float | None:
    """A finite number as float; None for anything else (bools, strings, NaN), so a damaged figure shows as missing."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


# --------------------------------------------------------------------------------------------
# Statistics


def paired_bootstrap(
    y_true: Sequence[str],
    pred_a: Sequence[str],
    pred_b: Sequence[str],
    *,
    resamples: int = 2000,
    seed: int = 0,
    groups: Sequence[str] | None = None,
    confidence: float = 0.95,
    labels: Sequence[str] | None = None,
) -> dict:
    """The macro-F1 change B - A and a percentile bootstrap interval for it.

    Both runs are scored on the same resample each time (paired), which cancels the variation that
    comes from which paragraphs happen to be in the data. With ``groups`` (e.g. the doc of each
    paragraph) whole groups are resampled, since paragraphs of one article are not independent.
    Each resample is a row of counts; all F1s come from one matrix product of those counts with
    per-unit indicator sums, so 2000 resamples of a thousand paragraphs take well under a second.
    Macro-F1 of a resample averages over the labels that occur in its gold or predicted labels,
    as ``sklearn.metrics.f1_score(average="macro")`` would on the materialised resample; with
    ``labels``, only over those of them that occur, so the observed figure is
    ``f1_score(..., labels=labels, average="macro")`` when all of them occur in the gold labels
    (how the seed-row figure in metrics.json is computed).
    """
    import numpy as np

    y = np.asarray(y_true, dtype=object)
    a = np.asarray(pred_a, dtype=object)
    b = np.asarray(pred_b, dtype=object)
    n = len(y)
    if n == 0 or len(a) != n or len(b) != n:
        raise ValueError("need gold labels and two predictions of the same, non-zero length")
    names = sorted(set(y) | set(a) | set(b))
    k = len(names)
    code = {label: i for i, label in enumerate(names)}
    kept = set(names) if labels is None else set(labels)
    counted = np.array([label in kept for label in names])
    yi = np.fromiter((code[v] for v in y), dtype=np.int64, count=n)
    ai = np.fromiter((code[v] for v in a), dtype=np.int64, count=n)
    bi = np.fromiter((code[v] for v in b), dtype=np.int64, count=n)
    eye = np.eye(k)
    # Per paragraph: gold one-hot, A's predicted one-hot, A's true positive, and the same for B.
    parts = np.hstack([eye[yi], eye[ai], eye[ai] * (ai == yi)[:, None], eye[bi], eye[bi] * (bi == yi)[:, None]])
    if groups is None:
        units = parts
    else:
        group_codes = {g: i for i, g in enumerate(dict.fromkeys(groups))}
        gi = np.fromiter((group_codes[g] for g in groups), dtype=np.int64, count=n)
        units = np.zeros((len(group_codes), parts.shape[1]))
        np.add.at(units, gi, parts)
    n_units = units.shape[0]

    def macro(sums):  # sums: (m, 5k) -> macro-F1 of A and of B, shape (m,)
        gold, pa, tpa, pb, tpb = (sums[:, i * k:(i + 1) * k] for i in range(5))
        out = []
        for pred, tp in ((pa, tpa), (pb, tpb)):
            denom = gold + pred
            present = (denom > 0) & counted
            f1 = np.divide(2 * tp, denom, out=np.zeros_like(denom), where=present)
            out.append(f1.sum(axis=1) / np.maximum(present.sum(axis=1), 1))
        return out

    observed_a, observed_b = (v[0] for v in macro(units.sum(axis=0, keepdims=True)))
    result = {
        "paragraphs": n,
        "units": n_units,
        "labels": [label for label, kept in zip(names, counted) if kept],
        "macro_f1_a": float(observed_a),
        "macro_f1_b": float(observed_b),
        "difference": float(observed_b - observed_a),
        "resamples": int(resamples),
        "seed": seed,
        "confidence": confidence,
    }
    if resamples <= 0:
        return result
    rng = np.random.default_rng(seed)
    chunk = max(1, 2_000_000 // n_units)
    uniform = np.full(n_units, 1.0 / n_units)
    diffs = []
    for start in range(0, resamples, chunk):
        counts = rng.multinomial(n_units, uniform, size=min(chunk, resamples - start)).astype(float)
        fa, fb = macro(counts @ units)
        diffs.append(fb - fa)
    d = np.concatenate(diffs)
    tail = (1.0 - confidence) / 2
    low, high = np.quantile(d, [tail, 1.0 - tail])
    result.update(
        ci=[float(low), float(high)],
        bootstrap_p=float(min(1.0, 2 * min((d <= 0).mean(), (d >= 0).mean()))),
        difference_std=float(d.std(ddof=1)) if len(d) > 1 else 0.0,
    )
    return result


def mcnemar(y_true: Sequence[str], pred_a: Sequence[str], pred_b: Sequence[str]) -> dict:
    """McNemar's exact test: of the paragraphs exactly one run gets right, is the split 50/50?"""
    from scipy.stats import binomtest

    a_only = b_only = both = neither = 0
    for gold, a, b in zip(y_true, pred_a, pred_b):
        ra, rb = a == gold, b == gold
        if ra and rb:
            both += 1
        elif ra:
            a_only += 1
        elif rb:
            b_only += 1
        else:
            neither += 1
    discordant = a_only + b_only
    p = binomtest(b_only, discordant, 0.5).pvalue if discordant else 1.0
    return {"a_only_correct": a_only, "b_only_correct": b_only, "both_correct": both,
            "both_wrong": neither, "p": float(p)}


def class_f1(y_true: Sequence[str], pred_a: Sequence[str], pred_b: Sequence[str]) -> dict[str, dict]:
    """F1 of each gold label for A and for B on the same paragraphs, and its change.

    What the verdict names when it says where macro-F1 moved: computed on the paired paragraphs,
    so with two labels files it speaks of the paragraphs both runs were scored on.
    """
    gold = Counter(y_true)
    out = {}
    for label in sorted(gold):
        f1 = []
        for pred in (pred_a, pred_b):
            tp = sum(1 for g, p in zip(y_true, pred) if g == p == label)
            predicted = sum(1 for p in pred if p == label)
            f1.append(2 * tp / (gold[label] + predicted))
        out[label] = {"a": f1[0], "b": f1[1], "change": f1[1] - f1[0]}
    return out


def cv_spread(metrics: dict) -> float | None:
    """The macro-F1 standard deviation over CV repeats, or None: one repeat has no spread (its 0.0 is no figure)."""
    cv = metrics.get("cv") if isinstance(metrics.get("cv"), dict) else {}
    repeated = not isinstance(cv.get("repeats"), int) or cv["repeats"] > 1
    return as_number(cv.get("macro_f1_std")) if repeated else None
