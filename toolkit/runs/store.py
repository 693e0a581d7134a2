"""Experiment runs: every training recorded under ``experiments/``, and runs compared honestly.

This module records runs and reads them back; :mod:`toolkit.runs.statistics` holds the paired
tests, :mod:`toolkit.runs.comparison` turns runs into data (JSON-ready dicts) for ``toolkit
experiments list|show|compare``, :mod:`toolkit.runs.verdict` decides a comparison; configuration
files are :mod:`toolkit.themes.config`, and the terminal and markdown rendering of that data is
:mod:`toolkit.cli.render.experiments`.

Why it is built this way:

- A run is a directory ``experiments/<UTC time>-<name>/`` of plain files a reader can open
  without the toolkit (``run.json``, ``params.json``, ``metrics.json``, ``predictions.csv``).
  It is built under a temporary name and renamed into place, so an interrupted training leaves
  nothing that :func:`list_runs` would show, and a rename that fails because another training
  took the same id is retried under a new suffix: two trainings started at once are both kept.
- Researchers retrain after editing labels.csv and ask "did that help?". A difference of one or
  two points of macro-F1 on a few hundred paragraphs is often noise, so :func:`compare_runs`
  pairs the two runs' out-of-fold predictions paragraph by paragraph and reports a bootstrap
  confidence interval of the macro-F1 change and McNemar's exact test, with a verdict.
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
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

from toolkit.errors import ToolkitError
from toolkit.files import atomic_directory, sha256_file
from toolkit.provenance import json_safe, library_versions
from toolkit.runs.statistics import as_number

def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


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
