"""Several labels files read as one training set, and coded sheets checked before anything is fitted.

A researcher codes the sheet ``toolkit labels suggest`` wrote and trains on it beside labels.csv
without editing that file (``toolkit train --labels labels.csv --labels coded.csv``). Everything
that would make the training data wrong is collected first, one line per problem with the file
and the row number a spreadsheet shows, and nothing is fitted when there is any:

- problems :func:`toolkit.themes.labels.check_labels` finds in each file (empty text or label, broken
  rows, a label with too few rows);
- in any file after the first: a label the first file does not have (a typo, or a theme the
  model could not learn from a handful of rows), a paragraph repeated within it or coded in an
  earlier file;
- in a sheet with a ``paragraph`` column: a row whose document cannot be read, or whose
  paragraph is not in that document (edited text, a row pasted from elsewhere).

Columns are found by their header, so a sheet whose columns were moved reads the same.
"""

from __future__ import annotations

import difflib
import hashlib
from pathlib import Path
from typing import Mapping, Sequence

from toolkit.errors import SettingError, ToolkitError
from toolkit.themes.labels import LabelReport, LabelSet, LabelSource, check_labels


class LabelProblems(ToolkitError):
    """Every problem found in the labels files, each a line naming file and row."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def parse_weights(specs: Sequence[str], paths: Sequence[str | Path]) -> dict[str, float]:
    """``["B.csv=3"]`` -> ``{"B.csv": 3.0}``; each file must be one of ``paths``."""
    weights: dict[str, float] = {}
    known = {str(p): str(p) for p in paths}
    resolved = {Path(p).resolve(): str(p) for p in paths}
    for spec in specs:
        name, sep, value = spec.rpartition("=")
        if not sep or not name:
            raise SettingError("weight", repr(spec), "write FILE=WEIGHT, e.g. coded.csv=3")
        try:
            weight = float(value)
        except ValueError:
            raise SettingError("weight", repr(spec), f"{value!r} is not a number") from None
        if not weight > 0 or weight != weight or weight == float("inf"):
            raise SettingError("weight", repr(spec), "a weight must be a positive number")
        path = known.get(name) or resolved.get(Path(name).resolve())
        if path is None:
            raise SettingError("weight", repr(spec), f"{name} is not one of the labels files ({', '.join(known)})")
        weights[path] = weight
    return weights


def read_label_files(
    paths: Sequence[str | Path],
    weights: Mapping[str, float] | None = None,
    *,
    check_corpus: bool = True,
) -> LabelSet:
    """One :class:`LabelSet` from one or more labels files, or :class:`LabelProblems` listing every problem.

    A single file without weights reads exactly as :func:`toolkit.themes.labels.read_labels` does (same
    path, rows and SHA-256), so runs on labels.csv alone stay comparable with earlier ones.
    """
    if not paths:
        raise ToolkitError("no labels file given")
    paths = [str(p) for p in paths]
    if len(set(paths)) != len(paths):
        raise ToolkitError("the same labels file is given twice")
    weights = dict(weights or {})
    problems: list[str] = []
    reports: list[LabelReport] = []
    for i, path in enumerate(paths):
        first = i == 0
        report = check_labels(path, min_per_label=2 if first else 1, duplicates="warn" if first else "error",
                              min_labels=2 if first else 1)
        problems += [f"{path}: {e}" for e in report.errors]
        reports.append(report)
    if not reports[0].rows:
        raise LabelProblems(problems)
    # the rows each file check kept are checked further, so all problems are named in one go
    base_labels = set(reports[0].label_counts())
    first_seen: dict[str, tuple[str, int]] = {}
    for report in reports:
        for r in report.rows:
            key = " ".join(r.text.split())
            if key in first_seen and first_seen[key][0] != report.path:
                where, row = first_seen[key]
                problems.append(f"{report.path}: row {r.row}: this paragraph is already coded in {where} row {row} "
                                f"(delete it from one file)")
            first_seen.setdefault(key, (report.path, r.row))
    for report in reports[1:]:
        problems += [f"{report.path}: {p}" for p in _unknown_labels(report, base_labels, paths[0])]
        if check_corpus:
            problems += [f"{report.path}: {p}" for p in corpus_problems(report)]
    if problems:
        raise LabelProblems(_in_row_order(problems, paths))

    if len(reports) == 1 and weights.get(paths[0], 1.0) == 1.0:
        r = reports[0]
        return LabelSet(r.path, tuple(r.rows), r.sha256)
    return combine(reports, weights)


def combine(reports: Sequence[LabelReport], weights: Mapping[str, float]) -> LabelSet:
    """Rows numbered as if the files were concatenated without their headers; one SHA-256 for the set."""
    from dataclasses import replace

    rows, row_weights, sources = [], [], []
    offset = 0
    digest = hashlib.sha256()
    for report in reports:
        weight = float(weights.get(report.path, 1.0))
        last = max((r.row for r in report.rows), default=1)
        for r in report.rows:
            rows.append(replace(r, row=r.row + offset))
            row_weights.append(weight)
        sources.append(LabelSource(report.path, report.sha256, weight, len(report.rows), 2 + offset, last + offset))
        digest.update(f"{report.sha256} {weight:g}\n".encode())
        offset += last - 1
    path = " + ".join(report.path for report in reports)
    uniform = all(w == 1.0 for w in row_weights)
    return LabelSet(path, tuple(rows), digest.hexdigest(), tuple(sources), None if uniform else tuple(row_weights))


def _in_row_order(problems: list[str], paths: list[str]) -> list[str]:
    """Problems sorted by file (in the order given), then by first row number, as a reader goes down a sheet."""
    import re

    def key(problem: str):
        path = next((i for i, p in enumerate(paths) if problem.startswith(f"{p}: ")), len(paths))
        row = re.match(r"[^:]*: rows? (\d+)", problem)
        return path, int(row.group(1)) if row else 0

    return sorted(problems, key=key)


def _unknown_labels(report: LabelReport, known: set[str], base: str) -> list[str]:
    out = []
    for label, n in sorted(report.label_counts().items()):
        if label in known:
            continue
        rows = ", ".join(str(r.row) for r in report.rows if r.label == label)
        near = difflib.get_close_matches(label, sorted(known), n=1, cutoff=0.6)
        hint = f"did you mean {near[0]!r}?" if near else f"{base} has {', '.join(sorted(known))}; a new theme goes there"
        out.append(f"row{'s' if n > 1 else ''} {rows}: unknown label {label!r} ({hint})")
    return out


def resolve_doc(doc: str, sheet: str | Path) -> Path | None:
    """The file a sheet's ``doc`` names: as written (from the working directory), else beside the sheet."""
    for candidate in (Path(doc), Path(sheet).parent / doc):
        if candidate.is_file():
            return candidate
    return None


def corpus_problems(report: LabelReport) -> list[str]:
    """Rows of a suggest sheet whose paragraph is not in the document they name (one line per problem)."""
    from toolkit.errors import InputError
    from toolkit.text.reading import read_document

    by_doc: dict[str, list] = {}
    for r in report.rows:
        if r.paragraph is not None:
            by_doc.setdefault(r.doc, []).append(r)
    out = []
    for doc, rows in by_doc.items():
        numbers = ", ".join(str(r.row) for r in rows)
        path = resolve_doc(doc, report.path)
        if path is None:
            out.append(f"row{'s' if len(rows) > 1 else ''} {numbers}: document {doc!r} not found (the sheet's rows "
                       f"must come from the corpus; run from the folder 'labels suggest' ran in)")
            continue
        try:
            paragraphs = {p.index: " ".join(p.text.split()) for p in read_document(str(path)).paragraphs}
        except InputError as exc:
            out.append(f"row{'s' if len(rows) > 1 else ''} {numbers}: {exc}")
            continue
        for r in rows:
            text = " ".join(r.text.split())
            if paragraphs.get(r.paragraph) == text:
                continue
            elsewhere = [i for i, t in paragraphs.items() if t == text]
            if elsewhere:
                out.append(f"row {r.row}: the text is paragraph {elsewhere[0]} of {doc}, not paragraph {r.paragraph}")
            else:
                out.append(f"row {r.row}: not in the corpus: {doc} has no paragraph {r.paragraph} with this text")
    return out


def read_texts(path: str | Path) -> list[str]:
    """The ``text`` column of a CSV (a coded sheet, coded or not yet, or labels.csv): what to exclude."""
    import csv
    import io

    from toolkit.text.reading import decode

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ToolkitError(f"{path}: cannot read ({exc.strerror or exc})") from None
    text, _ = decode(data, str(path))
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = [h.strip().lower() for h in next(reader, [])]
    if "text" not in header:
        raise ToolkitError(f"{path}: no 'text' column (header is: {', '.join(header) or 'empty'})")
    column = header.index("text")
    return [cells[column] for cells in reader if len(cells) > column and cells[column].strip()]


def training_texts(model) -> list[str]:
    """The paragraphs a model was trained on, when its training files are still here unchanged
    (same SHA-256 as its card records); otherwise none."""
    from toolkit.files import sha256_file

    data = model.card.get("training_data", {})
    files = data.get("files") or [{"path": data.get("path"), "sha256": data.get("sha256")}]
    texts: list[str] = []
    for f in files:
        path = Path(str(f.get("path")))
        if f.get("path") and path.is_file() and sha256_file(path) == f.get("sha256"):
            texts += read_texts(path)
    return texts
