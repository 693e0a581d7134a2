"""Experiment runs: every training recorded under ``experiments/``, and runs compared honestly.

This module records runs, reads them back, and turns them into data (JSON-ready dicts) for
``toolkit experiments list|show|compare``; configuration files are :mod:`toolkit.themes.config`, and the
terminal and markdown rendering of that data is :mod:`toolkit.cli.render.experiments`.

Why it is built this way:

- A run is a directory ``experiments/<UTC time>-<name>/`` of plain files a reader can open
  without the toolkit (``run.json``, ``params.json``, ``metrics.json``, ``predictions.csv``).
  It is built under a temporary name and renamed into place, so an interrupted training leaves
  nothing that :func:`list_runs` would show, and a rename that fails because another training
  took the same id is retried under a new suffix: two trainings started at once are both kept.
- Researchers retrain after editing labels.csv and ask "did that help?". A difference of one or
  two points of macro-F1 on a few hundred paragraphs is often noise, so :func:`compare_runs`
  pairs the two runs' out-of-fold predictions paragraph by paragraph and reports a bootstrap
  confidence interval of the macro-F1 change and McNemar's exact test, with a verdict in words.
  The bootstrap resamples whole documents by default: cross-validation holds out whole articles
  and the model is judged on outlets it has not seen, and paragraphs of one article are not
  independent, so resampling them one by one would make intervals look narrower than they are.
- Two runs on the same labels file (same SHA-256) are paired row by row: every row counts, even
  a paragraph coded twice. Figures from different labels files are not comparable, so comparing
  them is refused unless asked for; then paragraphs are matched by a hash of their
  whitespace-normalised text (row numbers move whenever someone inserts a row in Excel), their
  label, and which occurrence of that text and label they are, and the rows left unmatched on
  either side are counted in the report.
- Team-written paragraphs are easier than those from real articles, so the seed rows get their
  own paired test (see :func:`is_seed_doc`): that is the honest figure.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import json
import math
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from toolkit.themes.config import flatten, load_config  # noqa: F401  (re-exported: toolkit.themes.training imports them from here)
from toolkit.errors import ToolkitError
from toolkit.files import atomic_directory, sha256_file
from toolkit.themes.labels import WRITTEN_DOC_PREFIX as WRITTEN_PREFIX, is_seed_doc  # noqa: F401  (re-exported)
from toolkit.provenance import json_safe, library_versions

RUN_FILE = "run.json"
PARAMS_FILE = "params.json"
METRICS_FILE = "metrics.json"
PREDICTIONS_FILE = "predictions.csv"
PREDICTION_COLUMNS = ("row", "doc", "label", "predicted", "confidence", "text_hash")
#: Docs whose name starts with this were written by the team, not taken from an article.
#: Pipeline parameters longer than this (estimator reprs, step lists) are left out of tables.
SHORT_VALUE = 24
#: Leaves of metrics.json that describe the data or the procedure rather than how well the model
#: did (row counts, folds, repeats, the CV seed, class supports): they are not metrics to compare;
#: the procedure is in the parameters and the row counts in the pairing line.
SETTING_LEAVES = frozenset({"rows", "seed_rows", "folds", "repeats", "seed", "support"})
RESAMPLE_UNITS = ("doc", "paragraph")
#: Every way to name a run that :func:`resolve_run` accepts, for help texts.
RUN_FORMS = ("run id, unique id prefix, run directory, run name (its latest run), "
             "'latest' or 'latest~N' (N runs before the latest)")
_MAX_ID_ATTEMPTS = 1000


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# --------------------------------------------------------------------------------------------
# Recording a run


def paragraph_hash(text: str) -> str:
    """A short hash of a paragraph's whitespace-normalised text: how runs find the same paragraph."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _slug(name: str) -> str:
    slug = re.sub(r"[^\w.-]+", "-", name.strip()).strip("-.")
    return slug[:60] or "run"


def record_run(
    root: Path,
    name: str,
    *,
    params: dict,
    metrics: dict,
    predictions: list[dict],
    labels,
    model_path: Path | None,
    duration_s: float,
) -> Path:
    """Write ``root/<UTC time>-<name>/`` atomically and return its path.

    Everything is computed and checked before the first byte is written; the directory appears
    under its final name only when every file in it is complete.
    """
    root = Path(root)
    now = _utcnow()
    stem = f"{now:%Y%m%dT%H%M%SZ}-{_slug(name)}"
    rows = _prediction_rows(predictions, labels)
    info = {
        "id": stem,
        "name": name,
        "created": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "duration_s": round(float(duration_s), 3),
        "labels": _labels_info(labels),
        "model": _model_info(model_path),
        "versions": library_versions(),
        "command": list(sys.argv),
    }
    params_text = _dumps(params)
    metrics_text = _dumps(metrics)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ToolkitError(f"{root}: cannot create the experiments directory ({exc.strerror or exc})") from None
    git = git_state(root)
    if git:
        info["git"] = git

    for attempt in range(1, _MAX_ID_ATTEMPTS + 1):
        run_id = stem if attempt == 1 else f"{stem}-{attempt}"
        target = root / run_id
        if target.exists():
            continue
        info["id"] = run_id
        try:
            with atomic_directory(target) as tmp:
                (tmp / PARAMS_FILE).write_text(params_text, encoding="utf-8")
                (tmp / METRICS_FILE).write_text(metrics_text, encoding="utf-8")
                _write_predictions(tmp / PREDICTIONS_FILE, rows)
                (tmp / RUN_FILE).write_text(_dumps(info), encoding="utf-8")
        except OSError as exc:
            if exc.errno in (errno.EEXIST, errno.ENOTEMPTY) and target.exists():
                continue  # another training took this id between our check and our rename
            raise ToolkitError(f"{root}: cannot write the run record ({exc.strerror or exc})") from None
        return target
    raise ToolkitError(f"{root}: could not find a free run id for {stem!r}")


def _prediction_rows(predictions: Iterable[dict], labels) -> list[list]:
    by_row = {r.row: r for r in labels.rows}
    out = []
    seen: set[int] = set()
    for p in predictions:
        row = by_row.get(int(p["row"]))
        if row is None:
            raise ValueError(f"prediction for row {p['row']}, which is not in {labels.path}")
        if row.row in seen:
            raise ValueError(f"row {row.row} predicted twice; a run holds one out-of-fold prediction per row")
        seen.add(row.row)
        confidence = p.get("confidence")
        out.append([
            int(p["row"]), p.get("doc", row.doc), p.get("label", row.label), p["predicted"],
            "" if confidence is None else f"{float(confidence):.6f}", paragraph_hash(row.text),
        ])
    out.sort(key=lambda r: r[0])
    return out


def _write_predictions(path: Path, rows: list[list]) -> None:
    # utf-8-sig, like labels.csv, so Excel shows Chinese doc names and labels.
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(PREDICTION_COLUMNS)
        writer.writerows(rows)


def _labels_info(labels) -> dict:
    counts = Counter(r.label for r in labels.rows)
    info = {
        "path": str(labels.path),
        "sha256": labels.sha256,
        "rows": len(labels.rows),
        "docs": len({r.doc for r in labels.rows}),
        "counts": {label: counts[label] for label in sorted(counts)},
    }
    if getattr(labels, "sources", ()):
        # several files trained together: each named with its SHA-256, its weight and its rows
        info["files"] = [s.to_dict() for s in labels.sources]
    return info


def _model_info(model_path: Path | None) -> dict | None:
    if model_path is None:
        return None
    try:
        return {"path": str(model_path), "sha256": sha256_file(model_path)}
    except FileNotFoundError:
        raise ToolkitError(f"{model_path}: model file not found, so the run cannot record it") from None


def git_state(where: Path) -> dict | None:
    """The commit checked out where the run is recorded, and whether tracked files were edited.

    None when git is missing or the directory is not in a repository: recording must not depend on it.
    """

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=where, capture_output=True, text=True, timeout=10,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    if not commit:
        return None
    status = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "dirty": bool(status) if status is not None else None}


def _dumps(value: Any) -> str:
    return json.dumps(json_safe(value), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


# --------------------------------------------------------------------------------------------
# Reading runs


@dataclass
class Run:
    """One recorded training, read back from its directory."""

    path: Path
    info: dict
    params: dict
    metrics: dict
    _predictions: list[dict] | None = field(default=None, repr=False)

    @property
    def id(self) -> str:
        return self.path.name  # what ls shows is what resolve_run accepts, even after a rename

    @property
    def name(self) -> str:
        return self.info.get("name", "")

    @property
    def created(self) -> str:
        return self.info.get("created", "")

    @property
    def labels_sha256(self) -> str:
        return (self.info.get("labels") or {}).get("sha256", "")

    @property
    def rows(self) -> int | None:
        return (self.info.get("labels") or {}).get("rows")

    @property
    def macro_f1(self) -> float | None:
        return as_number(self.metrics.get("macro_f1"))

    def predictions(self) -> list[dict]:
        if self._predictions is None:
            self._predictions = _read_predictions(self.path / PREDICTIONS_FILE)
        return self._predictions


def load_run(path: str | Path) -> Run:
    path = Path(path)
    info = _read_json(path / RUN_FILE)
    return Run(path, info, _read_json(path / PARAMS_FILE), _read_json(path / METRICS_FILE))


def list_runs(root: str | Path, on_problem: Callable[[str], None] | None = None) -> list[Run]:
    """The runs under ``root``, oldest first.

    Directories without run.json (``configs/``, a training still being written) are not runs.
    A damaged record raises, or, with ``on_problem``, is reported and skipped so one bad
    directory does not hide all the others.
    """
    root = Path(root)
    if not root.is_dir():
        if root.exists():
            raise ToolkitError(f"{root}: not a directory (give the directory that holds the runs, e.g. experiments)")
        raise ToolkitError(f"{root}: no such experiments directory")
    runs = []
    for child in sorted(root.iterdir()):
        if child.name.startswith(".") or not child.is_dir() or not (child / RUN_FILE).exists():
            continue
        try:
            runs.append(load_run(child))
        except ToolkitError as exc:
            if on_problem is None:
                raise
            on_problem(str(exc))
    runs.sort(key=lambda r: (r.created, r.id))
    return runs


def resolve_run(
    root: str | Path, spec: str, runs: list[Run] | None = None, on_problem: Callable[[str], None] | None = None
) -> Run:
    """A run named by id, unique id prefix, run directory, run name (its latest run), ``latest`` or ``latest~N``.

    :data:`RUN_FORMS` says the same to the command line; keep the two in step.
    """
    candidate = Path(spec)
    if (candidate / RUN_FILE).is_file():
        return load_run(candidate)
    if runs is None:
        runs = list_runs(root, on_problem)
    root_text = str(root)
    latest = re.fullmatch(r"latest(?:~(\d+))?", spec.strip())
    if latest:
        back = int(latest.group(1) or 0)
        if back >= len(runs):
            raise ToolkitError(f"{spec}: {root_text} holds {_plural(len(runs), 'run')}")
        return runs[-1 - back]
    for run in runs:
        if run.id == spec:
            return run
    named = [r for r in runs if r.name == spec]
    if named:
        return named[-1]  # a run name means its latest run
    matches = [r for r in runs if r.id.startswith(spec)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        shown = ", ".join(r.id for r in matches[:5]) + (", ..." if len(matches) > 5 else "")
        raise ToolkitError(f"{spec}: matches {len(matches)} runs in {root_text} ({shown}); give more of the id")
    if "/" in spec or candidate.exists():
        raise ToolkitError(f"{spec}: not a run directory (no {RUN_FILE})")
    raise ToolkitError(
        f"{spec}: no such run in {root_text} ({_plural(len(runs), 'run')}; 'toolkit experiments list' shows them)"
    )


def _read_json(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ToolkitError(f"{path}: missing, so this run record is incomplete") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ToolkitError(f"{path}: cannot read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise ToolkitError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(value, dict):
        raise ToolkitError(f"{path}: expected a JSON object")
    return value


def _read_predictions(path: Path) -> list[dict]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in ("row", "label", "predicted", "text_hash") if c not in (reader.fieldnames or [])]
            if missing:
                raise ToolkitError(f"{path}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
            out = []
            for line, record in enumerate(reader, start=2):
                try:
                    confidence = record.get("confidence") or ""
                    out.append({
                        "row": int(record["row"]),
                        "doc": record.get("doc", ""),
                        "label": record["label"],
                        "predicted": record["predicted"],
                        "confidence": float(confidence) if confidence else None,
                        "text_hash": record["text_hash"],
                    })
                except (TypeError, ValueError):
                    raise ToolkitError(f"{path}: line {line}: not a prediction row") from None
            return out
    except FileNotFoundError:
        raise ToolkitError(f"{path}: missing, so this run has no predictions to compare") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ToolkitError(f"{path}: cannot read ({exc})") from None


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


def format_p(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def cv_spread(metrics: dict) -> float | None:
    """The macro-F1 standard deviation over CV repeats, or None: one repeat has no spread (its 0.0 is no figure)."""
    cv = metrics.get("cv") if isinstance(metrics.get("cv"), dict) else {}
    repeated = not isinstance(cv.get("repeats"), int) or cv["repeats"] > 1
    return as_number(cv.get("macro_f1_std")) if repeated else None


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
        raise ToolkitError(f"--bootstrap {resamples}: use at least 100 resamples (2000 is the default)")
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
            f"are not comparable; --allow-different-labels compares the {shared} paragraphs "
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
    verdict, summary = _verdict(boot)

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
        "verdict": verdict,
        "summary": summary,
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


def _moved_most(per_class: dict, top: int = 2) -> str:
    """``"; F1 moved most in talent (+0.500), ecology (+0.167)"``, or nothing when no class moved."""
    moved = sorted(((label, c["change"]) for label, c in per_class.items() if abs(c["change"]) >= 0.0005),
                   key=lambda item: (-abs(item[1]), item[0]))
    if not moved:
        return ""
    return "; F1 moved most in " + ", ".join(f"{label} ({change:+.3f})" for label, change in moved[:top])


def _verdict(boot: dict) -> tuple[str, str]:
    """One line a researcher can act on; both tests have to agree before anything is called real.

    Every reason given is computed: the classes whose F1 moved most on the paired paragraphs,
    and, when whole documents are resampled, how many documents hold the paragraphs that changed.
    """
    mc = boot["mcnemar"]
    fixed, broken, p = mc["b_only_correct"], mc["a_only_correct"], mc["p"]
    level = round(boot["confidence"] * 100)
    alpha = 1 - boot["confidence"]
    diff = boot["difference"]
    if "ci" in boot:
        low, high = boot["ci"]
        boot_sign = 1 if low > 0 else -1 if high < 0 else 0
    else:
        boot_sign = 0
    mc_sign = (1 if fixed > broken else -1) if p < alpha else 0
    counts = f"B fixes {_plural(fixed, 'paragraph')} A got wrong and breaks {broken}"
    moved = _moved_most(boot.get("per_class_f1") or {})
    if boot_sign and boot_sign == mc_sign:
        word = "better" if boot_sign > 0 else "worse"
        return word, (
            f"B is {word} than A beyond noise: macro-F1 {diff:+.3f} ({level}% CI excludes 0), "
            f"{counts} (McNemar p {format_p(p)}){moved}"
        )
    if not boot_sign and not mc_sign:
        what = "no change in any prediction" if fixed == broken == 0 else (
            f"the macro-F1 change ({diff:+.3f}) is within noise and {counts} (McNemar p {format_p(p)})"
        )
        return "no_difference", f"no detectable difference: {what}"
    if boot_sign and not mc_sign:
        side = "higher" if boot_sign > 0 else "lower"
        return "mixed", (
            f"mixed evidence: B's macro-F1 is {side} beyond noise ({diff:+.3f}), but {counts}, a split "
            f"chance could give (McNemar p {format_p(p)}){moved}; treat it as a lead, not a result"
        )
    if mc_sign and not boot_sign:
        side = "more" if mc_sign > 0 else "fewer"
        where = ""
        if boot.get("resample") == "doc" and "docs_changed" in boot:
            where = (f" when whole documents are resampled: the paragraphs B fixes or breaks lie in "
                     f"{boot['docs_changed']} of {_plural(boot['docs'], 'document')}")
        return "mixed", (
            f"mixed evidence: B gets {side} paragraphs right beyond noise ({counts}, McNemar p {format_p(p)}), "
            f"but its macro-F1 change ({diff:+.3f}) is within noise{where}{moved}"
        )
    return "mixed", (
        f"mixed evidence: B's macro-F1 moves {diff:+.3f} beyond noise while {counts} (McNemar p {format_p(p)})"
        f"{moved}"
    )


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
