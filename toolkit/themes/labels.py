"""labels.csv: the coded paragraphs the classifier learns from, and the checks that keep it sound.

The label set is whatever labels.csv holds: a researcher who adds a theme there and retrains gets
it. The file is edited by hand in Excel as often as by scripts, so it is read forgivingly (BOM,
CRLF, GB18030 from Chinese Excel, stray spaces and case in labels) and checked strictly: every
problem is reported with the row number a spreadsheet shows (header = row 1).
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import ToolkitError

#: Paragraphs the team wrote carry doc ids ``written-<theme>-NNN`` or ``written-article-…``; every
#: other doc is a real article. One rule, used by evaluation, model cards and experiment reports.
WRITTEN_DOC_PREFIX = "written-"
REQUIRED_COLUMNS = ("doc", "text", "label")
OPTIONAL_COLUMNS = ("source", "note")
#: The extra columns of a sheet written by ``toolkit labels suggest``: known, so not warned about;
#: ``paragraph`` ties a row to its place in the corpus (:mod:`toolkit.coding.sheets` checks it).
SHEET_COLUMNS = ("paragraph", "suggested", "confidence")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS + SHEET_COLUMNS


@dataclass(frozen=True)
class LabelRow:
    row: int
    doc: str
    text: str
    label: str
    source: str = ""
    #: the paragraph's index in its document, for sheets written by ``labels suggest``
    paragraph: int | None = None

    @property
    def is_seed(self) -> bool:
        return is_seed_doc(self.doc)


def is_seed_doc(doc: str) -> bool:
    """A paragraph from a real article rather than one the team wrote (honest figures use these)."""
    return not doc.startswith(WRITTEN_DOC_PREFIX)


@dataclass
class LabelReport:
    path: str
    rows: list[LabelRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sha256: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    def label_counts(self) -> Counter:
        return Counter(r.label for r in self.rows)

    def to_dict(self) -> dict:
        """The check as JSON-ready data (``toolkit labels check --format json``): rows per label,
        most first, and per document in file order, each with its rows per label."""
        per_doc: dict[str, Counter] = {}
        for r in self.rows:
            per_doc.setdefault(r.doc, Counter())[r.label] += 1
        return {
            "path": self.path, "sha256": self.sha256, "ok": self.ok, "rows": len(self.rows),
            "errors": list(self.errors), "warnings": list(self.warnings),
            "labels": dict(sorted(self.label_counts().items(), key=lambda kv: (-kv[1], kv[0]))),
            "documents": [{"doc": doc, "seed": is_seed_doc(doc), "rows": sum(counts.values()),
                           "labels": dict(sorted(counts.items()))} for doc, counts in per_doc.items()],
        }


@dataclass(frozen=True)
class LabelSource:
    """One file of a :class:`LabelSet` read from several: where its rows sit and how much they count."""

    path: str
    sha256: str
    weight: float
    rows: int
    first_row: int  # its first row's number in the combined set (rows numbered as if concatenated)
    last_row: int

    def to_dict(self) -> dict:
        return {"path": self.path, "sha256": self.sha256, "weight": self.weight, "rows": self.rows,
                "combined_rows": [self.first_row, self.last_row]}


@dataclass(frozen=True)
class LabelSet:
    """A validated labels file, or several read together: what training and evaluation consume.

    Several files (``toolkit train --labels A --labels B``) are numbered as if concatenated
    without their headers, so every row keeps a unique number; ``sources`` maps them back to each
    file, and ``row_weights`` (None: all 1) lets a few rows of the user's own outlet count more.
    """

    path: str
    rows: tuple[LabelRow, ...]
    sha256: str
    sources: tuple[LabelSource, ...] = ()
    row_weights: tuple[float, ...] | None = None

    @property
    def weights(self) -> list[float] | None:
        return None if self.row_weights is None else list(self.row_weights)

    @property
    def texts(self) -> list[str]:
        return [r.text for r in self.rows]

    @property
    def labels(self) -> list[str]:
        return [r.label for r in self.rows]

    @property
    def docs(self) -> list[str]:
        return [r.doc for r in self.rows]

    @property
    def classes(self) -> list[str]:
        return sorted(set(self.labels))


def check_labels(path: str | Path, min_per_label: int = 2, duplicates: str = "warn", min_labels: int = 2) -> LabelReport:
    """Read and check a labels file; problems are collected, not raised, so all are shown at once.

    ``duplicates="error"`` makes a repeated paragraph an error rather than a warning (a coded
    sheet joining labels.csv must not count a paragraph twice); such a sheet may hold a single
    label (``min_labels=1``).
    """
    from toolkit.text.reading import decode

    path = str(path)
    report = LabelReport(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        report.errors.append("no such file")
        return report
    except OSError as exc:
        report.errors.append(f"cannot read ({exc.strerror or exc})")
        return report
    report.sha256 = hashlib.sha256(data).hexdigest()
    try:
        text, _ = decode(data, path)
    except ToolkitError as exc:
        report.errors.append(getattr(exc, "problem", str(exc)))
        return report
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        report.errors.append("empty file")
        return report
    except csv.Error as exc:
        report.errors.append(f"not a CSV file ({exc})")
        return report
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        report.errors.append(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(header is: {', '.join(header) or 'empty'}; needed: {', '.join(REQUIRED_COLUMNS)})"
        )
        return report
    for name in names:
        if name not in COLUMNS:
            report.warnings.append(f"column {name!r} is not used (known: {', '.join(COLUMNS)})")
    index = {name: names.index(name) for name in COLUMNS if name in names}

    seen: dict[str, tuple[int, str]] = {}
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            get = lambda col: cells[index[col]].strip() if col in index and index[col] < len(cells) else ""
            doc, body, raw_label = get("doc"), get("text"), get("label")
            label = raw_label.lower()
            if len(cells) > len(header):
                report.errors.append(f"row {number}: {len(cells)} cells but the header has {len(header)} (unquoted comma?)")
                continue
            if not body:
                report.errors.append(f"row {number}: empty text")
                continue
            if not label:
                report.errors.append(f"row {number}: empty label")
                continue
            if not doc:
                report.errors.append(f"row {number}: empty doc (it keeps an article's paragraphs together in evaluation)")
                continue
            written_source = get("source").lower() == "written"
            if written_source != doc.startswith(WRITTEN_DOC_PREFIX) and "source" in index:
                report.warnings.append(
                    f"row {number}: source {get('source') or 'empty'!r} but doc {doc!r}; team-written rows are "
                    f"told from real ones by a doc id starting {WRITTEN_DOC_PREFIX!r}"
                )
            if raw_label != label:
                report.warnings.append(f"row {number}: label {raw_label!r} read as {label!r}")
            key = " ".join(body.split())
            if key in seen:
                first_row, first_label = seen[key]
                if first_label != label:
                    report.errors.append(
                        f"row {number}: same text as row {first_row} but labelled {label!r}, not {first_label!r}"
                    )
                elif duplicates == "error":
                    report.errors.append(f"row {number}: duplicate of row {first_row} (delete one of them)")
                else:
                    report.warnings.append(f"row {number}: duplicate of row {first_row}")
                continue
            paragraph = None
            if "paragraph" in index and get("paragraph"):
                try:
                    paragraph = int(float(get("paragraph")))  # Excel may write 12 as 12.0
                except ValueError:
                    report.errors.append(f"row {number}: paragraph {get('paragraph')!r} is not a whole number")
                    continue
            seen[key] = (number, label)
            report.rows.append(LabelRow(number, doc, body, label, get("source"), paragraph))
    except csv.Error as exc:
        report.errors.append(f"row {reader.line_num}: broken CSV ({exc})")
        return report

    if not report.rows:
        report.errors.append("no labelled rows")
        return report
    counts = Counter(r.label for r in report.rows)
    for label, n in sorted(counts.items()):
        if n >= min_per_label:
            continue
        rows = ", ".join(str(r.row) for r in report.rows if r.label == label)
        common = [l for l, c in counts.items() if c >= min_per_label and l != label]
        near = difflib.get_close_matches(label, common, n=1, cutoff=0.6)
        if near:
            report.errors.append(f"row {rows}: unknown label {label!r} (did you mean {near[0]!r}?)")
        else:
            report.errors.append(
                f"row {rows}: label {label!r} has {n} example{'s' if n != 1 else ''}; "
                f"a theme needs at least {min_per_label} to be learned and evaluated"
            )
    if len(counts) < min_labels:
        report.errors.append(f"only one label ({next(iter(counts))!r}); a classifier needs at least two")
    return report


def read_labels(path: str | Path) -> LabelSet:
    """The validated rows, or a ToolkitError that names the file and its first problems."""
    report = check_labels(path)
    if not report.ok:
        more = f" (and {len(report.errors) - 3} more; run 'toolkit labels check')" if len(report.errors) > 3 else ""
        raise ToolkitError(f"{path}: " + "; ".join(report.errors[:3]) + more)
    return LabelSet(str(path), tuple(report.rows), report.sha256)
