"""Runs as data (JSON-ready) for ``toolkit experiments list|show|compare``: the overview with the
parameters that differ, one run's details, and two runs compared with paired tests and a verdict.
Rendering that data is :mod:`toolkit.cli.render.experiments`."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Sequence

from toolkit.errors import SettingError, ToolkitError
from toolkit.provenance import json_safe
from toolkit.runs.statistics import as_number, class_f1, cv_spread, mcnemar, paired_bootstrap
from toolkit.runs.store import PREDICTIONS_FILE, RESAMPLE_UNITS, SETTING_LEAVES, SHORT_VALUE, Run
from toolkit.runs.verdict import verdict
from toolkit.themes.config import flatten
from toolkit.themes.labels import is_seed_doc


# --------------------------------------------------------------------------------------------
# Overview, details and comparison as data (JSON-ready)


def _fingerprint(value: Any) -> str:
    return json.dumps(json_safe(value), sort_keys=True, ensure_ascii=False)


def _flat_params(run: Run) -> dict:
    return {k: v for k, v in run.params.items() if k != "pipeline"}


def _pipeline_params(run: Run) -> dict:
    pipeline = run.params.get("pipeline")
    return flatten(pipeline, "pipeline.") if isinstance(pipeline, dict) else {}


def value_text(value: Any) -> str:
    """How a parameter value reads in a table; its length decides whether it gets a column."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _is_short(value: Any) -> bool:
    return len(value_text(value)) <= SHORT_VALUE


_MISSING = object()


def differing_params(runs: Sequence[Run]) -> list[str]:
    """Parameters whose values are not the same in every run (a missing key counts as different).

    A pipeline internal is added only when every run has it, its values are short, and it splits
    the runs differently from every column already chosen: ``pipeline.clf__C`` beside ``model.C``,
    or the thirty vectorizer settings that come and go with ``features.analyzer``, say nothing new.
    """
    if len(runs) < 2:
        return []

    flats = [_flat_params(r) for r in runs]
    chosen = _differing(flats)
    seen = {_partition(flats, k) for k in chosen}
    pipes = [_pipeline_params(r) for r in runs]
    for key in _differing(pipes):
        if not all(key in p and _is_short(p[key]) for p in pipes):
            continue
        partition = _partition(pipes, key)
        if partition in seen:
            continue
        seen.add(partition)
        chosen.append(key)
    return chosen


def _signature(tables: list[dict], key: str) -> tuple[str, ...]:
    return tuple(_fingerprint(t[key]) if key in t else "\0missing" for t in tables)


def _partition(tables: list[dict], key: str) -> tuple[int, ...]:
    """Which runs share a value, whatever the values are: ("none", "balanced") splits like (None, "balanced")."""
    first: dict[str, int] = {}
    return tuple(first.setdefault(v, len(first)) for v in _signature(tables, key))


def _differing(tables: list[dict]) -> list[str]:
    keys = sorted({k for t in tables for k in t})
    return [k for k in keys if len(set(_signature(tables, k))) > 1]


def _param_value(run: Run, key: str) -> Any:
    table = _pipeline_params(run) if key.startswith("pipeline.") else _flat_params(run)
    return table.get(key, _MISSING)


def overview(runs: Sequence[Run], root: str | Path | None = None) -> dict:
    """The ``list`` table as data: runs by macro-F1 (best first), with the parameters that differ."""
    keys = differing_params(runs)
    shas = {r.labels_sha256 for r in runs}
    # Best first; among equal scores the newest first; runs without a score last.
    ordered = sorted(runs, key=lambda r: (r.created, r.id), reverse=True)
    ordered.sort(key=lambda r: (r.macro_f1 is None, -(r.macro_f1 or 0.0)))
    entries = []
    for run in ordered:
        entries.append({
            "id": run.id,
            "name": run.name,
            "created": run.created,
            "rows": run.rows,
            "labels_sha256": run.labels_sha256,
            "macro_f1": run.macro_f1,
            "macro_f1_std": cv_spread(run.metrics),
            "accuracy": as_number(run.metrics.get("accuracy")),
            "seed_macro_f1": as_number(run.metrics.get("seed_macro_f1")),
            "params": {k: v for k in keys if (v := _param_value(run, k)) is not _MISSING},
            "path": str(run.path),
        })
    return {
        "root": None if root is None else str(root),
        "differing_params": keys,
        "same_labels": len(shas) <= 1,
        "runs": json_safe(entries),
    }


def details(run: Run) -> dict:
    """The ``show`` view as data: the record as written, plus where it lives."""
    return {"id": run.id, "path": str(run.path), "run": run.info, "params": run.params, "metrics": run.metrics}


def compare_runs(
    a: Run,
    b: Run,
    *,
    allow_different_labels: bool = False,
    resamples: int = 2000,
    seed: int = 0,
    resample: str = "doc",
    confidence: float = 0.95,
) -> dict:
    """Everything ``compare`` reports, as data: parameter and metric changes, and the paired tests.

    The tests run on the paragraphs :func:`pair_predictions` pairs: every row when both runs used
    the same labels file. Seed rows (:func:`is_seed_doc`) get a second paired bootstrap of their
    own under ``paired_seed``. ``resample="doc"`` resamples whole documents, as cross-validation
    holds them out; ``"paragraph"`` resamples paragraphs one by one.
    """
    if resample not in RESAMPLE_UNITS:
        raise ToolkitError(f"resample must be one of {', '.join(RESAMPLE_UNITS)}, not {resample!r}")
    if resamples < 100:
        raise SettingError("resamples", resamples, "use at least 100 resamples (2000 is the default)")
    if a.path.resolve() == b.path.resolve():
        raise ToolkitError(
            f"A and B are the same run ({a.id}); name two runs, e.g. 'toolkit experiments compare latest~1' "
            f"(B defaults to latest)"
        )
    same_labels = a.labels_sha256 == b.labels_sha256 and bool(a.labels_sha256)
    if not same_labels and not allow_different_labels:
        shared = len(pair_predictions(a, b, by_row=False))
        raise ToolkitError(
            f"{a.id} and {b.id} were trained on different labels files "
            f"(sha256 {a.labels_sha256[:12] or '?'} vs {b.labels_sha256[:12] or '?'}), so their figures "
            f"are not comparable; allow_different_labels=True compares the {shared} paragraphs "
            f"coded the same way in both"
        )
    pairs = pair_predictions(a, b, by_row=same_labels)
    if not pairs:
        raise ToolkitError(f"{a.id} and {b.id} have no paragraph in common (same text and label) to compare")

    gold = [pa["label"] for pa, _ in pairs]
    pred_a = [pa["predicted"] for pa, _ in pairs]
    pred_b = [pb["predicted"] for _, pb in pairs]
    docs = [pa.get("doc") or pb.get("doc") or "" for pa, pb in pairs]
    options = dict(resamples=resamples, seed=seed, confidence=confidence)

    boot = _paired_tests(gold, pred_a, pred_b, docs, resample, options)
    boot["per_class_f1"] = class_f1(gold, pred_a, pred_b)
    changed = {doc for doc, g, x, y in zip(docs, gold, pred_a, pred_b) if (x == g) != (y == g)}
    boot["docs"] = len(set(docs))
    boot["docs_changed"] = len(changed)

    seed_rows = [i for i, doc in enumerate(docs) if is_seed_doc(doc)]
    paired_seed = None
    if seed_rows:
        pick = lambda values: [values[i] for i in seed_rows]  # noqa: E731
        paired_seed = _paired_tests(pick(gold), pick(pred_a), pick(pred_b), pick(docs), resample, options,
                                    labels=sorted(set(pick(gold))))

    return json_safe({
        "a": _run_summary(a),
        "b": _run_summary(b),
        "labels": {
            "same_file": same_labels,
            "sha256_a": a.labels_sha256,
            "sha256_b": b.labels_sha256,
            "rows_a": len(a.predictions()),
            "rows_b": len(b.predictions()),
            "paired": len(pairs),
            "paired_by": "row" if same_labels else "text",
            "left_out_a": len(a.predictions()) - len(pairs),
            "left_out_b": len(b.predictions()) - len(pairs),
        },
        "params": _param_changes(a, b),
        "metrics": _metric_changes(a.metrics, b.metrics),
        "per_class": _class_changes(a.metrics, b.metrics),
        "confusion": _confusion_change(a.metrics, b.metrics),
        "paired": boot,
        "paired_seed": paired_seed,
        "verdict": verdict(boot),
    })


def pair_predictions(a: Run, b: Run, *, by_row: bool) -> list[tuple[dict, dict]]:
    """A's and B's out-of-fold predictions for the same paragraphs, in A's row order.

    ``by_row`` (both runs on one labels file) pairs row numbers, so a paragraph coded twice counts
    twice, as it did in training. Otherwise a paragraph is its text hash, its label and which
    occurrence of that pair it is in its file: the second copy in A meets the second copy in B,
    and a copy only one file has is left out rather than paired twice.
    """
    if by_row:
        rows_b = {p["row"]: p for p in b.predictions()}
        pairs = []
        for pa in a.predictions():
            pb = rows_b.get(pa["row"])
            if pb is None:
                continue
            if (pa["text_hash"], pa["label"]) != (pb["text_hash"], pb["label"]):
                raise ToolkitError(
                    f"{a.id} and {b.id} record the same labels file, but row {pa['row']} differs between "
                    f"their {PREDICTIONS_FILE}; one of the records has been edited"
                )
            pairs.append((pa, pb))
        return pairs
    keyed_b = dict(_occurrence_keys(b.predictions()))
    return [(pa, keyed_b[key]) for key, pa in _occurrence_keys(a.predictions()) if key in keyed_b]


def _occurrence_keys(predictions: list[dict]) -> list[tuple[tuple[str, str, int], dict]]:
    seen: Counter = Counter()
    out = []
    for p in predictions:
        seen[p["text_hash"], p["label"]] += 1
        out.append(((p["text_hash"], p["label"], seen[p["text_hash"], p["label"]]), p))
    return out


def _paired_tests(gold, pred_a, pred_b, docs, resample: str, options: dict, labels=None) -> dict:
    result = paired_bootstrap(gold, pred_a, pred_b, groups=docs if resample == "doc" else None,
                              labels=labels, **options)
    result["resample"] = resample
    result["accuracy_a"] = sum(x == g for x, g in zip(pred_a, gold)) / len(gold)
    result["accuracy_b"] = sum(x == g for x, g in zip(pred_b, gold)) / len(gold)
    result["mcnemar"] = mcnemar(gold, pred_a, pred_b)
    return result


def _run_summary(run: Run) -> dict:
    return {"id": run.id, "name": run.name, "created": run.created, "path": str(run.path),
            "rows": run.rows, "labels_sha256": run.labels_sha256}


def _param_changes(a: Run, b: Run) -> list[dict]:
    """Every parameter that differs; ``in_table`` marks those worth a row in a table."""
    shown = differing_params([a, b])
    keys = shown + [k for k in _differing([_pipeline_params(a), _pipeline_params(b)]) if k not in shown]
    out = []
    for key in keys:
        va, vb = _param_value(a, key), _param_value(b, key)
        out.append({"key": key, "a": None if va is _MISSING else va, "b": None if vb is _MISSING else vb,
                    "in_a": va is not _MISSING, "in_b": vb is not _MISSING, "in_table": key in shown})
    return out


def _numeric_leaves(metrics: dict, prefix: str = "") -> dict:
    """Dotted metric -> number, without the per-class and confusion tables and without settings."""
    out = {}
    for key, value in metrics.items():
        dotted = f"{prefix}{key}"
        if key == "confusion" or (key == "per_class" and not prefix) or key in SETTING_LEAVES:
            continue
        if isinstance(value, dict):
            out.update(_numeric_leaves(value, dotted + "."))
        elif as_number(value) is not None:
            out[dotted] = value
    if not prefix and "cv.macro_f1_std" in out and cv_spread(metrics) is None:
        out["cv.macro_f1_std"] = None  # a single repeat: there is no spread to compare
    return out


def _metric_changes(ma: dict, mb: dict) -> list[dict]:
    la, lb = _numeric_leaves(ma), _numeric_leaves(mb)
    order = list(la) + [k for k in lb if k not in la]
    rows = []
    for key in order:
        va, vb = as_number(la.get(key)), as_number(lb.get(key))
        if va is None and vb is None:
            continue
        rows.append({"metric": key, "a": la.get(key), "b": lb.get(key),
                     "change": None if va is None or vb is None else vb - va})
    return rows


def _class_changes(ma: dict, mb: dict) -> list[dict]:
    ca = ma.get("per_class") if isinstance(ma.get("per_class"), dict) else {}
    cb = mb.get("per_class") if isinstance(mb.get("per_class"), dict) else {}
    rows = []
    for label in list(ca) + [k for k in cb if k not in ca]:
        row: dict = {"label": label}
        for measure in ("precision", "recall", "f1", "support"):
            va = (ca.get(label) or {}).get(measure)
            vb = (cb.get(label) or {}).get(measure)
            na, nb = as_number(va), as_number(vb)
            row[measure] = {"a": va if na is not None else None, "b": vb if nb is not None else None,
                            "change": None if na is None or nb is None else vb - va}
        rows.append(row)
    return rows


def _confusion_change(ma: dict, mb: dict) -> dict | None:
    def table(m: dict) -> dict[tuple[str, str], int] | None:
        conf = m.get("confusion")
        if not isinstance(conf, dict) or "labels" not in conf or "matrix" not in conf:
            return None
        labels = conf["labels"]
        return {(t, p): conf["matrix"][i][j] for i, t in enumerate(labels) for j, p in enumerate(labels)}

    ta, tb = table(ma), table(mb)
    if ta is None or tb is None:
        return None
    labels = list(dict.fromkeys([t for t, _ in ta] + [t for t, _ in tb]))
    grid = lambda t: [[t.get((x, y), 0) for y in labels] for x in labels]  # noqa: E731
    a, b = grid(ta), grid(tb)
    return {"labels": labels, "a": a, "b": b,
            "change": [[b[i][j] - a[i][j] for j in range(len(labels))] for i in range(len(labels))]}
