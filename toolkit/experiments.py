"""Experiment runs: every training recorded under ``experiments/``, and runs compared honestly.

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
- Figures from different labels files are not comparable, so comparing them is refused unless
  asked for; then only the paragraphs present in both (same text, same label) are paired.
- Paragraphs are matched across runs by a hash of their whitespace-normalised text, since row
  numbers move whenever someone inserts a row in Excel.
"""

from __future__ import annotations

import copy
import csv
import difflib
import errno
import hashlib
import json
import math
import platform
import re
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from toolkit.errors import ToolkitError
from toolkit.files import atomic_directory, sha256_file

RUN_FILE = "run.json"
PARAMS_FILE = "params.json"
METRICS_FILE = "metrics.json"
PREDICTIONS_FILE = "predictions.csv"
PREDICTION_COLUMNS = ("row", "doc", "label", "predicted", "confidence", "text_hash")
VERSIONED_PACKAGES = ("scikit-learn", "numpy", "scipy", "jieba", "rjieba", "opencc", "skops")
#: Pipeline parameters longer than this (estimator reprs, step lists) are left out of tables.
SHORT_VALUE = 24
_MAX_ID_ATTEMPTS = 1000


# --------------------------------------------------------------------------------------------
# Configuration files


def load_config(
    path: str | Path | None,
    overrides: Sequence[str] = (),
    *,
    defaults: dict | None = None,
) -> dict:
    """A run configuration from a TOML file and ``section.key=value`` overrides, as a nested dict.

    Override values are TOML literals (``4.0``, ``[1, 3]``, ``true``, ``"char"``); a bare word such
    as ``char`` is taken as a string, because that is what a user typing ``--set`` means.
    With ``defaults``, the result is the defaults updated by the file and the overrides, and a key
    the defaults do not know is an error naming it and the known ones, so a typo is caught before
    minutes of training rather than silently ignored.
    """
    loaded: dict = {}
    if path is not None:
        loaded = _read_toml(Path(path))
        if defaults is not None:
            _check_known(loaded, defaults, str(path))
    for item in overrides:
        key, value = _parse_override(item)
        if defaults is not None:
            _check_known(_nest(key, value), defaults, f"--set {item}")
        _set_dotted(loaded, key, value, f"--set {item}")
    if defaults is None:
        return loaded
    return _merge(defaults, loaded)


def flatten(config: dict, prefix: str = "") -> dict:
    """``{"features": {"analyzer": "both"}}`` -> ``{"features.analyzer": "both"}``: one column per setting."""
    flat: dict = {}
    for key, value in config.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            flat.update(flatten(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


def _read_toml(path: Path) -> dict:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ToolkitError(f"{path}: no such config file") from None
    except IsADirectoryError:
        raise ToolkitError(f"{path}: is a directory, not a config file") from None
    except OSError as exc:
        raise ToolkitError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ToolkitError(f"{path}: not UTF-8 text (a TOML file must be UTF-8)") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ToolkitError(f"{path}: not valid TOML ({exc})") from None


def _parse_override(item: str) -> tuple[str, Any]:
    key, sep, raw = item.partition("=")
    key, raw = key.strip(), raw.strip()
    if not sep or not key:
        raise ToolkitError(f"--set {item}: expected section.key=value, e.g. model.C=2.0")
    if any(not part.strip() for part in key.split(".")):
        raise ToolkitError(f"--set {item}: {key!r} is not a dotted key like features.analyzer")
    if not raw:
        raise ToolkitError(f'--set {item}: no value (write "" for an empty string)')
    try:
        return key, tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError as exc:
        if raw[0] in "[{\"'":
            raise ToolkitError(f"--set {item}: {raw} is not a valid TOML value ({exc})") from None
    try:
        return key, float(raw) if any(c in raw for c in ".eE") else int(raw)
    except ValueError:
        return key, raw


def _nest(dotted: str, value: Any) -> dict:
    for part in reversed(dotted.split(".")):
        value = {part: value}
    return value


def _set_dotted(config: dict, dotted: str, value: Any, source: str) -> None:
    parts = dotted.split(".")
    node = config
    for depth, part in enumerate(parts[:-1]):
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise ToolkitError(f"{source}: {'.'.join(parts[: depth + 1])} is a value, not a section")
    node[parts[-1]] = value


def _kind(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a section"
    return None


def _check_known(given: dict, defaults: dict, source: str, prefix: str = "") -> None:
    for key, value in given.items():
        dotted = f"{prefix}{key}"
        if key not in defaults:
            known = sorted(defaults)
            where = f"[{prefix[:-1]}]" if prefix else "the top level"
            what = "section" if isinstance(value, dict) and not prefix else "key"
            near = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f"; did you mean '{prefix}{near[0]}'?" if near else ""
            raise ToolkitError(
                f"{source}: unknown {what} {dotted!r} (known in {where}: {', '.join(known)}{hint})"
            )
        expected = defaults[key]
        if isinstance(expected, dict):
            if not isinstance(value, dict):
                raise ToolkitError(f"{source}: {dotted} is a section ([{dotted}]), not a value")
            _check_known(value, expected, source, dotted + ".")
            continue
        if isinstance(value, dict):
            raise ToolkitError(f"{source}: {dotted} is a value, not a section")
        want, got = _kind(expected), _kind(value)
        if want is not None and got != want:
            raise ToolkitError(f"{source}: {dotted} should be {want} (like {_toml(expected)}), not {_toml(value)}")


def _merge(base: dict, update: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        elif isinstance(value, int) and not isinstance(value, bool) and type(out.get(key)) is float:
            out[key] = float(value)  # model.C=4 where the default is 4.0: keep the type estimators expect
        else:
            out[key] = copy.deepcopy(value)
    return out


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return repr(value)


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
    return {
        "path": str(labels.path),
        "sha256": labels.sha256,
        "rows": len(labels.rows),
        "docs": len({r.doc for r in labels.rows}),
        "counts": {label: counts[label] for label in sorted(counts)},
    }


def _model_info(model_path: Path | None) -> dict | None:
    if model_path is None:
        return None
    try:
        return {"path": str(model_path), "sha256": sha256_file(model_path)}
    except FileNotFoundError:
        raise ToolkitError(f"{model_path}: model file not found, so the run cannot record it") from None


def library_versions() -> dict:
    """Versions of what shaped the figures, read from package metadata (nothing is imported)."""
    from importlib.metadata import PackageNotFoundError, version

    from toolkit import __version__

    versions = {"python": platform.python_version(), "toolkit": __version__}
    for package in VERSIONED_PACKAGES:
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = None
    return versions


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


def _jsonable(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return _jsonable(value.tolist())
    return repr(value)


def _dumps(value: Any) -> str:
    return json.dumps(_jsonable(value), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


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
        return _number(self.metrics.get("macro_f1"))

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
    """A run named by id, unique id prefix, directory path, ``latest``, ``latest~N``, or run name (its latest run)."""
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
            raise ToolkitError(f"{spec}: {root_text} holds {len(runs)} run{'s' if len(runs) != 1 else ''}")
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
        f"{spec}: no such run in {root_text} ({len(runs)} runs; 'toolkit experiments list' shows them)"
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


def _number(value: Any) -> float | None:
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
) -> dict:
    """The macro-F1 change B - A and a percentile bootstrap interval for it.

    Both runs are scored on the same resample each time (paired), which cancels the variation that
    comes from which paragraphs happen to be in the data. With ``groups`` (e.g. the doc of each
    paragraph) whole groups are resampled, since paragraphs of one article are not independent.
    Each resample is a row of counts; all F1s come from one matrix product of those counts with
    per-unit indicator sums, so 2000 resamples of a thousand paragraphs take well under a second.
    Macro-F1 of a resample averages over the labels that occur in its gold or predicted labels,
    as ``sklearn.metrics.f1_score(average="macro")`` would on the materialised resample.
    """
    import numpy as np

    y = np.asarray(y_true, dtype=object)
    a = np.asarray(pred_a, dtype=object)
    b = np.asarray(pred_b, dtype=object)
    n = len(y)
    if n == 0 or len(a) != n or len(b) != n:
        raise ValueError("need gold labels and two predictions of the same, non-zero length")
    labels = sorted(set(y) | set(a) | set(b))
    k = len(labels)
    code = {label: i for i, label in enumerate(labels)}
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
            present = denom > 0
            f1 = np.divide(2 * tp, denom, out=np.zeros_like(denom), where=present)
            out.append(f1.sum(axis=1) / np.maximum(present.sum(axis=1), 1))
        return out

    observed_a, observed_b = (v[0] for v in macro(units.sum(axis=0, keepdims=True)))
    result = {
        "paragraphs": n,
        "units": n_units,
        "labels": labels,
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


# --------------------------------------------------------------------------------------------
# Overview, details and comparison as data (JSON-ready)


def _fingerprint(value: Any) -> str:
    return json.dumps(_jsonable(value), sort_keys=True, ensure_ascii=False)


def _flat_params(run: Run) -> dict:
    return {k: v for k, v in run.params.items() if k != "pipeline"}


def _pipeline_params(run: Run) -> dict:
    pipeline = run.params.get("pipeline")
    return flatten(pipeline, "pipeline.") if isinstance(pipeline, dict) else {}


def _is_short(value: Any) -> bool:
    return len(_show(value)) <= SHORT_VALUE


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
        cv = run.metrics.get("cv") if isinstance(run.metrics.get("cv"), dict) else {}
        repeated = not isinstance(cv.get("repeats"), int) or cv["repeats"] > 1  # one repeat has no spread
        entries.append({
            "id": run.id,
            "name": run.name,
            "created": run.created,
            "rows": run.rows,
            "labels_sha256": run.labels_sha256,
            "macro_f1": run.macro_f1,
            "macro_f1_std": _number(cv.get("macro_f1_std")) if repeated else None,
            "accuracy": _number(run.metrics.get("accuracy")),
            "seed_macro_f1": _number(run.metrics.get("seed_macro_f1")),
            "params": {k: v for k in keys if (v := _param_value(run, k)) is not _MISSING},
            "path": str(run.path),
        })
    return {
        "root": None if root is None else str(root),
        "differing_params": keys,
        "same_labels": len(shas) <= 1,
        "runs": _jsonable(entries),
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
    resample: str = "paragraph",
    confidence: float = 0.95,
) -> dict:
    """Everything ``compare`` reports, as data: parameter and metric changes, and the paired tests.

    Paragraphs are paired by text hash and gold label, so with two labels files only those coded
    the same way in both count; with one labels file that is every row.
    """
    if resample not in ("paragraph", "doc"):
        raise ToolkitError(f"resample must be 'paragraph' or 'doc', not {resample!r}")
    if resamples < 100:
        raise ToolkitError(f"--bootstrap {resamples}: use at least 100 resamples (2000 is the default)")
    same_labels = a.labels_sha256 == b.labels_sha256 and bool(a.labels_sha256)
    pred_a = {(p["text_hash"], p["label"]): p for p in a.predictions()}
    pred_b = {(p["text_hash"], p["label"]): p for p in b.predictions()}
    shared = [key for key in pred_a if key in pred_b]
    if not same_labels and not allow_different_labels:
        raise ToolkitError(
            f"{a.id} and {b.id} were trained on different labels files "
            f"(sha256 {a.labels_sha256[:12] or '?'} vs {b.labels_sha256[:12] or '?'}), so their figures "
            f"are not comparable; --allow-different-labels compares the {len(shared)} paragraphs "
            f"coded the same way in both"
        )
    if not shared:
        raise ToolkitError(f"{a.id} and {b.id} have no paragraph in common (same text and label) to compare")

    gold = [key[1] for key in shared]
    pa = [pred_a[key]["predicted"] for key in shared]
    pb = [pred_b[key]["predicted"] for key in shared]
    docs = [pred_a[key].get("doc") or pred_b[key].get("doc") or "" for key in shared]
    boot = paired_bootstrap(
        gold, pa, pb, resamples=resamples, seed=seed,
        groups=docs if resample == "doc" else None, confidence=confidence,
    )
    boot["resample"] = resample
    boot["accuracy_a"] = sum(x == g for x, g in zip(pa, gold)) / len(gold)
    boot["accuracy_b"] = sum(x == g for x, g in zip(pb, gold)) / len(gold)
    boot["mcnemar"] = mcnemar(gold, pa, pb)
    verdict, summary = _verdict(boot)

    return _jsonable({
        "a": _run_summary(a),
        "b": _run_summary(b),
        "labels": {
            "same_file": same_labels,
            "sha256_a": a.labels_sha256,
            "sha256_b": b.labels_sha256,
            "rows_a": len(pred_a),
            "rows_b": len(pred_b),
            "paired": len(shared),
        },
        "params": _param_changes(a, b),
        "metrics": _metric_changes(a.metrics, b.metrics),
        "per_class": _class_changes(a.metrics, b.metrics),
        "confusion": _confusion_change(a.metrics, b.metrics),
        "paired": boot,
        "verdict": verdict,
        "summary": summary,
    })


def _run_summary(run: Run) -> dict:
    return {"id": run.id, "name": run.name, "created": run.created, "path": str(run.path),
            "rows": run.rows, "labels_sha256": run.labels_sha256}


def _verdict(boot: dict) -> tuple[str, str]:
    """One line a researcher can act on; both tests have to agree before anything is called real."""
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
    counts = f"B fixes {fixed} paragraph{'s' if fixed != 1 else ''} A got wrong and breaks {broken}"
    if boot_sign and boot_sign == mc_sign:
        word = "better" if boot_sign > 0 else "worse"
        return word, (
            f"B is {word} than A beyond noise: macro-F1 {diff:+.3f} ({level}% CI excludes 0), "
            f"{counts} (McNemar p {_p(p)})"
        )
    if not boot_sign and not mc_sign:
        what = "no change in any prediction" if fixed == broken == 0 else (
            f"the macro-F1 change ({diff:+.3f}) is within noise and {counts} (McNemar p {_p(p)})"
        )
        return "no_difference", f"no detectable difference: {what}"
    if boot_sign and not mc_sign:
        side = "higher" if boot_sign > 0 else "lower"
        return "mixed", (
            f"mixed evidence: B's macro-F1 is {side} beyond noise ({diff:+.3f}), but {counts}, a split "
            f"chance could give (McNemar p {_p(p)}); the change lies in the rarer themes, so treat it as a lead, not a result"
        )
    if mc_sign and not boot_sign:
        side = "more" if mc_sign > 0 else "fewer"
        why = ("resampling whole documents, the change sits in too few articles to generalise"
               if boot.get("resample") == "doc" else "the change is in the common themes")
        return "mixed", (
            f"mixed evidence: B gets {side} paragraphs right beyond noise ({counts}, McNemar p {_p(p)}), "
            f"but its macro-F1 change ({diff:+.3f}) is within noise: {why}"
        )
    return "mixed", (
        f"mixed evidence: B's macro-F1 moves {diff:+.3f} beyond noise while {counts} (McNemar p {_p(p)}): "
        f"it trades errors in rare themes against errors in common ones"
    )


def _p(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


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
    out = {}
    for key, value in metrics.items():
        dotted = f"{prefix}{key}"
        if key == "confusion" or (key == "per_class" and not prefix):
            continue
        if isinstance(value, dict):
            out.update(_numeric_leaves(value, dotted + "."))
        elif _number(value) is not None:
            out[dotted] = value
    return out


def _metric_changes(ma: dict, mb: dict) -> list[dict]:
    la, lb = _numeric_leaves(ma), _numeric_leaves(mb)
    order = list(la) + [k for k in lb if k not in la]
    rows = []
    for key in order:
        va, vb = _number(la.get(key)), _number(lb.get(key))
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
            na, nb = _number(va), _number(vb)
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


# --------------------------------------------------------------------------------------------
# Reports: the same content as a terminal table (rich) or GitHub markdown


@dataclass
class Heading:
    text: str


@dataclass
class Lines:
    lines: list[str]


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]]
    numeric: set[int] = field(default_factory=set)


Report = list  # of Heading | Lines | Table


def _show(value: Any) -> str:
    if value is _MISSING:
        return "—"
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _fig(value: Any, digits: int = 3) -> str:
    number = _number(value)
    if number is None:
        return "—"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return f"{number:.{digits}f}"


def _change(value: Any, integer: bool = False) -> str:
    number = _number(value)
    if number is None:
        return "—"
    if integer:
        return f"{int(round(number)):+d}" if round(number) else "0"
    return f"{number:+.3f}" if abs(number) >= 0.0005 else "0"


def _when(created: str) -> str:
    return created.replace("T", " ")[:16] if created else "—"


def overview_report(data: dict) -> Report:
    runs = data["runs"]
    if not runs:
        return [Lines([f"no runs in {data.get('root') or 'this directory'} yet; 'toolkit train' records one"])]
    columns = ["id", "name", "created", "rows", "macro-F1", "accuracy"]
    has_seed = any(r["seed_macro_f1"] is not None for r in runs)
    if has_seed:
        columns.append("seed macro-F1")
    if not data["same_labels"]:
        columns.append("labels")
    columns += data["differing_params"]
    rows = []
    for r in runs:
        f1 = _fig(r["macro_f1"])
        if r["macro_f1_std"] is not None and r["macro_f1"] is not None:
            f1 += f" ± {r['macro_f1_std']:.3f}"
        row = [r["id"], r["name"], _when(r["created"]), _fig(r["rows"]), f1, _fig(r["accuracy"])]
        if has_seed:
            row.append(_fig(r["seed_macro_f1"]))
        if not data["same_labels"]:
            row.append((r["labels_sha256"] or "?")[:8])
        row += [_show(r["params"].get(k)) if k in r["params"] else "—" for k in data["differing_params"]]
        rows.append(row)
    report: Report = [Table(f"{len(runs)} run{'s' if len(runs) != 1 else ''}, best macro-F1 first",
                            columns, rows, numeric={3, 4, 5} | ({6} if has_seed else set()))]
    notes = []
    if not data["same_labels"]:
        notes.append("runs were trained on different labels files (see the labels column): "
                     "their figures are not directly comparable")
    if len(runs) > 1 and not data["differing_params"]:
        notes.append("all runs share the same parameters")
    if notes:
        report.append(Lines(notes))
    return report


def details_report(data: dict) -> Report:
    info, metrics, params = data["run"], data["metrics"], data["params"]
    labels = info.get("labels") or {}
    model = info.get("model") or {}
    versions = info.get("versions") or {}
    git = info.get("git") or {}
    facts = [
        f"name: {info.get('name', '—')}",
        f"created: {info.get('created', '—')}, took {_fig(info.get('duration_s'), 1)} s",
        f"labels: {labels.get('path', '—')} ({labels.get('rows', '—')} rows, {labels.get('docs', '—')} docs, "
        f"sha256 {str(labels.get('sha256', ''))[:12]}): "
        + ", ".join(f"{k} {v}" for k, v in (labels.get("counts") or {}).items()),
        f"model: {model.get('path', '—')} (sha256 {str(model.get('sha256', ''))[:12]})" if model else "model: not saved",
        "versions: " + ", ".join(f"{k} {v}" for k, v in versions.items() if v),
    ]
    if git:
        facts.append(f"git: {git.get('commit', '')[:12]}{' with uncommitted changes' if git.get('dirty') else ''}")
    if info.get("command"):
        facts.append("command: " + " ".join(info["command"]))
    facts.append(f"directory: {data['path']}")
    report: Report = [Heading(f"run {data['id']}"), Lines(facts)]

    cv = metrics.get("cv") if isinstance(metrics.get("cv"), dict) else {}
    spread = cv.get("macro_f1_std") if not isinstance(cv.get("repeats"), int) or cv["repeats"] > 1 else None
    figures = [["model", _fig(metrics.get("macro_f1")), _fig(spread),
                _fig(metrics.get("accuracy")), _fig(metrics.get("seed_macro_f1"))]]
    for name, base in (metrics.get("baselines") or {}).items():
        if isinstance(base, dict):
            figures.append([f"baseline: {name}", _fig(base.get("macro_f1")), "—", _fig(base.get("accuracy")),
                            _fig(base.get("seed_macro_f1"))])
    title = "cross-validated figures"
    if cv:
        title += " (" + ", ".join(f"{k} {_show(v)}" for k, v in cv.items()
                                  if k != "macro_f1_std" and not isinstance(v, (list, dict))) + ")"
    report.append(Table(title, ["", "macro-F1", "sd", "accuracy", "seed macro-F1"], figures, numeric={1, 2, 3, 4}))

    per_class = metrics.get("per_class") or {}
    if per_class:
        report.append(Table("per class", ["label", "precision", "recall", "F1", "support"], [
            [label, _fig(m.get("precision")), _fig(m.get("recall")), _fig(m.get("f1")), _fig(m.get("support"))]
            for label, m in per_class.items()
        ], numeric={1, 2, 3, 4}))
    conf = metrics.get("confusion")
    if isinstance(conf, dict) and conf.get("labels"):
        report.append(Table("confusion (rows: coded, columns: predicted)", ["coded"] + list(conf["labels"]), [
            [label] + [str(v) for v in conf["matrix"][i]] for i, label in enumerate(conf["labels"])
        ], numeric=set(range(1, len(conf["labels"]) + 1))))
    flat = {k: v for k, v in params.items() if k != "pipeline"}
    if flat:
        report.append(Table("parameters", ["parameter", "value"], [[k, _show(v)] for k, v in flat.items()]))
    return report


def comparison_report(data: dict) -> Report:
    a, b, labels, paired = data["a"], data["b"], data["labels"], data["paired"]
    report: Report = [
        Heading(f"A {a['id']}  vs  B {b['id']}"),
        Lines([f"verdict: {data['summary']}"]),
    ]
    if labels["same_file"]:
        pairing = (f"paired over {paired['paragraphs']} paragraphs of the same labels file "
                   f"(sha256 {labels['sha256_a'][:12]})")
    else:
        pairing = (f"different labels files (sha256 {labels['sha256_a'][:12]} vs {labels['sha256_b'][:12]}): "
                   f"paired over the {paired['paragraphs']} paragraphs coded the same way in both "
                   f"(A has {labels['rows_a']}, B has {labels['rows_b']}); the metrics below are each run "
                   f"on its own file")
    unit = "paragraphs" if paired["resample"] == "paragraph" else f"documents ({paired['units']})"
    mc = paired["mcnemar"]
    lines = [
        pairing,
        f"macro-F1 on the paired paragraphs: A {paired['macro_f1_a']:.3f}, B {paired['macro_f1_b']:.3f}, "
        f"change {paired['difference']:+.3f}",
    ]
    if "ci" in paired:
        lines.append(
            f"{round(paired['confidence'] * 100)}% CI of the change: {paired['ci'][0]:+.3f} to {paired['ci'][1]:+.3f} "
            f"(paired bootstrap, {paired['resamples']} resamples of {unit}, seed {paired['seed']})"
        )
    lines.append(
        f"accuracy A {paired['accuracy_a']:.3f}, B {paired['accuracy_b']:.3f}; only A right: {mc['a_only_correct']}, "
        f"only B right: {mc['b_only_correct']}, both right: {mc['both_correct']}, both wrong: {mc['both_wrong']}; "
        f"McNemar exact p {_p(mc['p'])}"
    )
    report.append(Lines(lines))

    tabled = [p for p in data["params"] if p["in_table"]]
    if tabled:
        report.append(Table("parameters that differ", ["parameter", "A", "B"], [
            [p["key"], _show(p["a"]) if p["in_a"] else "—", _show(p["b"]) if p["in_b"] else "—"] for p in tabled
        ]))
    hidden = len(data["params"]) - len(tabled)
    if not data["params"]:
        report.append(Lines(["parameters: identical"]))
    elif hidden:
        report.append(Lines([f"{hidden} pipeline parameter{'s' if hidden != 1 else ''} also differ "
                             f"(long values, or the settings above under scikit-learn's names; --format json lists them)"]))

    overall = [m for m in data["metrics"] if ".per_class." not in m["metric"]]
    if overall:
        report.append(Table("metrics (from each run's metrics.json)", ["metric", "A", "B", "change"], [
            [m["metric"], _fig(m["a"]), _fig(m["b"]),
             _change(m["change"], isinstance(m["a"], int) and isinstance(m["b"], int))]
            for m in overall
        ], numeric={1, 2, 3}))
    if data["per_class"]:
        rows = []
        for c in data["per_class"]:
            rows.append([c["label"]] + [
                cell for measure in ("precision", "recall", "f1")
                for cell in (_fig(c[measure]["a"]), _fig(c[measure]["b"]), _change(c[measure]["change"]))
            ] + [f"{_fig(c['support']['a'])} → {_fig(c['support']['b'])}"
                 if c["support"]["a"] != c["support"]["b"] else _fig(c["support"]["a"])])
        report.append(Table("per class", ["label", "precision A", "B", "Δ", "recall A", "B", "Δ", "F1 A", "B", "Δ",
                                          "support"], rows, numeric=set(range(1, 11))))
    conf = data["confusion"]
    if conf and any(v for row in conf["change"] for v in row):
        report.append(Table("confusion change B − A (rows: coded, columns: predicted)", ["coded"] + conf["labels"], [
            [label] + [_change(v, integer=True) for v in conf["change"][i]] for i, label in enumerate(conf["labels"])
        ], numeric=set(range(1, len(conf["labels"]) + 1))))
    return report


def to_markdown(report: Report) -> str:
    """GitHub-flavoured markdown, for pasting into an issue, a README or a lab notebook."""

    def cell(text: str) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    out: list[str] = []
    for block in report:
        if isinstance(block, Heading):
            out += [f"## {block.text}", ""]
        elif isinstance(block, Lines):
            out += [f"- {cell(line)}" for line in block.lines] + [""]
        elif isinstance(block, Table):
            out += [f"**{cell(block.title)}**", ""]
            out.append("| " + " | ".join(cell(c) or " " for c in block.columns) + " |")
            out.append("|" + "|".join("---:" if i in block.numeric else "---" for i in range(len(block.columns))) + "|")
            out += ["| " + " | ".join(cell(v) for v in row) + " |" for row in block.rows]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def print_report(report: Report, console=None) -> None:
    """Rich tables on the terminal; every cell is plain text (a value like ``[1, 3]`` is not markup)."""
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    if console is None:
        console = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 200)
    for block in report:
        if isinstance(block, Heading):
            console.print(Text(block.text, style="bold"))
        elif isinstance(block, Lines):
            for line in block.lines:
                console.print(Text(line), soft_wrap=True)  # one line in a pipe; the terminal wraps it
        elif isinstance(block, Table):
            console.print(Text(block.title, style="bold"))  # a rich title would wrap to the table's width
            table = RichTable()
            for i, column in enumerate(block.columns):
                # ids are copied into the next command, so their column is never cut short
                keep = column in ("id", "coded", "label", "metric", "parameter")
                table.add_column(Text(column), justify="right" if i in block.numeric else "left", no_wrap=keep,
                                 min_width=max((len(str(r[i])) for r in block.rows), default=0) if keep else None)
            for row in block.rows:
                table.add_row(*(Text(str(v)) for v in row))
            console.print(table)
