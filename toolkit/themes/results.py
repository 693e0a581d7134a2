"""Coding documents with a theme model: each paragraph's theme, and each document's shares.

Boilerplate paragraphs (bylines, captions, menus, copyright lines) are coded ``other`` without
asking the model when ``other`` is a label, but they stay in the output; headings are the
article's own words and go to the model.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from toolkit.errors import ToolkitError
from toolkit.themes.model import ModelVersionWarning, ThemeModel, cached_model
from toolkit.themes.model_files import default_model_path
from toolkit.themes.scoring import Predictor

OTHER = "other"

@dataclass
class ParagraphResult:
    doc: str
    paragraph: int
    label: str
    confidence: float
    probabilities: dict[str, float]
    boilerplate: str | None
    text: str

    def to_dict(self) -> dict:
        return {
            "doc": self.doc,
            "paragraph": self.paragraph,
            "label": self.label,
            "confidence": round(self.confidence, 4),
            "probabilities": {k: round(v, 4) for k, v in self.probabilities.items()},
            "boilerplate": self.boilerplate,
            "text": self.text,
        }


@dataclass
class DocumentResult:
    doc: str
    path: str | None
    paragraphs: list[ParagraphResult]
    labels: list[str]
    shares: dict[str, float] = field(default_factory=dict)
    chars: int = 0
    #: Undecodable bytes replaced when reading, and whether the text is Chinese at all.
    replaced: int = 0
    chinese: bool = True
    #: Problems worth a warning line (see :attr:`toolkit.text.document.Document.notes`).
    notes: list[str] = field(default_factory=list)

    @property
    def main_label(self) -> str | None:
        if not self.chars:
            return None
        return max(self.labels, key=lambda label: self.shares[label])

    def to_dict(self) -> dict:
        return {
            "doc": self.doc,
            "path": self.path,
            "paragraphs": len(self.paragraphs),
            "chars": self.chars,
            "label": self.main_label,
            "shares": {k: round(v, 4) for k, v in self.shares.items()},
            "chinese": self.chinese,
            "replaced": self.replaced,
        }

    @property
    def record_path(self) -> str:
        """The ``path`` column of :meth:`rows`: the file, ``-`` for standard input, else the name."""
        return self.path if self.path is not None else ("-" if self.doc == "<stdin>" else self.doc)

    def rows(self, level: str = "paragraph") -> list[dict]:
        """The result as flat records for a table: one per paragraph (``level="paragraph"``) or one
        for the document (``"document"``), with the columns of :func:`record_columns` in order."""
        path = self.record_path
        if level == "document":
            return [{
                "path": path, "doc": self.doc, "paragraphs": len(self.paragraphs), "chars": self.chars,
                "label": self.main_label, **{f"share_{c}": round(self.shares.get(c, 0.0), 4) for c in self.labels},
                "chinese": self.chinese, "replaced": self.replaced,
            }]
        if level != "paragraph":
            raise ToolkitError(f"level must be 'paragraph' or 'document', not {level!r}")
        names = [(f"p_{c}", c) for c in self.labels]  # once per document, not per paragraph
        return [{
            "path": path, "doc": self.doc, "id": f"{path}#{p.paragraph}", "paragraph": p.paragraph,
            "label": p.label, "confidence": round(p.confidence, 4), "boilerplate": p.boilerplate,
            **{name: round(p.probabilities.get(c, 0.0), 4) for name, c in names}, "text": p.text,
        } for p in self.paragraphs]

    def table(self, level: str = "paragraph") -> tuple[list[str], list[list]]:
        """:meth:`rows` as columns: the keys, and for each key its values in row order, built a
        column at a time (probabilities rounded by :func:`toolkit.records.rounded`) instead of a
        dict per paragraph; ``tests/themes/test_table_outputs.py`` checks it against :meth:`rows`."""
        from toolkit.records import rounded

        if level != "paragraph":
            records = self.rows(level)
            return list(records[0]), [[v] for v in records[0].values()]
        ps = self.paragraphs
        n = len(ps)
        path = self.record_path
        keys = [name for name, _ in record_columns(self.labels)]
        numbers = [p.paragraph for p in ps]
        numeric = [p.confidence for p in ps]  # confidence, then each label's probability: rounded at once
        for c in self.labels:
            numeric.extend([p.probabilities.get(c, 0.0) for p in ps])
        numeric = rounded(numeric)
        probabilities = [numeric[k * n:(k + 1) * n] for k in range(1, len(self.labels) + 1)]
        columns = [[path] * n, [self.doc] * n, [f"{path}#{i}" for i in numbers], numbers, [p.label for p in ps],
                   numeric[:n], [p.boilerplate for p in ps], *probabilities, [p.text for p in ps]]
        return keys, columns


LEVELS = ("paragraph", "document")


def record_columns(classes: Sequence[str], level: str = "paragraph") -> list[tuple[str, str]]:
    """``(name, type)`` of every column of :meth:`DocumentResult.rows`, the same for every document.

    ``id`` (``path#paragraph``) names a paragraph stably across runs; ``p_<theme>`` are its
    probabilities, ``share_<theme>`` a document's character shares.
    """
    if level == "document":
        return [("path", "str"), ("doc", "str"), ("paragraphs", "int"), ("chars", "int"), ("label", "str"),
                *((f"share_{c}", "float") for c in classes), ("chinese", "bool"), ("replaced", "int")]
    return [("path", "str"), ("doc", "str"), ("id", "str"), ("paragraph", "int"), ("label", "str"),
            ("confidence", "float"), ("boilerplate", "str"), *((f"p_{c}", "float") for c in classes),
            ("text", "str")]


def document_shares(paragraphs: Sequence[ParagraphResult], labels: Sequence[str]) -> tuple[dict[str, float], int]:
    """Each theme's share of the document's characters, over paragraphs that are not boilerplate.

    Weighting by characters keeps a one-line heading from counting as much as a long paragraph.
    """
    totals = {label: 0 for label in labels}
    for p in paragraphs:
        if p.boilerplate is None:
            totals[p.label] = totals.get(p.label, 0) + len(p.text)
    chars = sum(totals.values())
    return {k: (v / chars if chars else 0.0) for k, v in totals.items()}, chars


#: Paragraphs scored at a time.
PREDICT_CHUNK = 2000


def classify_document(document, model: "ThemeModel | Predictor | None" = None) -> DocumentResult:
    """Code every paragraph of a :class:`~toolkit.text.document.Document` and the document's shares.

    Structure is ``other`` by rule when ``other`` is a label (the codebook codes headlines, section
    titles, bylines and captions ``other``): boilerplate always, headings when the model's
    ``[context]`` says so. Body paragraphs are scored by the model and decided in their article's
    context (:mod:`toolkit.themes.context`); the probabilities reported are the ones the label comes from.
    """
    import numpy as np

    from toolkit.themes.context import in_context
    from toolkit.text.document import HEADING

    model = model if model is not None else cached_model(default_model_path())
    classes = model.classes
    settings = model.context
    shortcut = OTHER in classes

    def structural(p) -> bool:
        return shortcut and (p.is_boilerplate or (settings["headings_other"] and p.kind == HEADING))

    flags = [not structural(p) for p in document.paragraphs]
    asked = [p for p, is_asked in zip(document.paragraphs, flags) if is_asked]
    rows = []
    # In slices, so a huge document's feature matrix never exists whole (memory stays bounded).
    for start in range(0, len(asked), PREDICT_CHUNK):
        rows.append(model.predict_proba([p.analysis_text for p in asked[start:start + PREDICT_CHUNK]]))
    proba = np.vstack(rows) if rows else np.zeros((0, len(classes)))
    proba = in_context(proba, [len(p.text) for p in asked], classes, settings)
    scored = iter(proba.tolist())  # Python floats, in the order of ``asked``
    structure = {c: (1.0 if c == OTHER else 0.0) for c in classes}
    order = range(len(classes))
    results = []
    for p, is_asked in zip(document.paragraphs, flags):
        if is_asked:
            row = next(scored)
            probabilities = dict(zip(classes, row))
            # the first label of highest probability, as max(classes, key=probabilities.get) picks it
            label = classes[max(order, key=row.__getitem__)]
        else:
            probabilities = dict(structure)
            label = OTHER
        results.append(ParagraphResult(document.name, p.index, label, probabilities[label], probabilities,
                                       p.kind if p.is_boilerplate else None, p.text))
    shares, chars = document_shares(results, classes)
    notes = list(getattr(document, "notes", []))
    return DocumentResult(document.name, document.path, results, classes, shares, chars,
                          replaced=getattr(document, "replaced", 0),
                          chinese=not any(n.startswith("not Chinese") for n in notes), notes=notes)


def classify_text(text: str, model: "ThemeModel | Predictor | None" = None, name: str = "<text>") -> DocumentResult:
    """Segment an article held in a string and code it, as ``toolkit classify`` does a file."""
    from toolkit.text.reading import document_from_text

    if not text.strip():
        raise ToolkitError(f"{name}: empty text")
    return classify_document(document_from_text(text, name), model)


def classify_file(source: str, model: "ThemeModel | Predictor | str | Path") -> DocumentResult:
    """Read and code one file with a model, a :class:`Predictor`, or a model path.

    A path is how ``--jobs`` workers get a model that has no portable predictor: each loads it
    once (cached per process), quietly, since the parent process loaded it first and has already
    shown any :class:`ModelVersionWarning`.
    """
    from toolkit.text.reading import read_document

    return classify_document(read_document(source), _worker_model(model))


def _worker_model(model: "ThemeModel | Predictor | str | Path") -> "ThemeModel | Predictor":
    """A model path loaded once per process, quietly (the parent already warned); else ``model``."""
    if isinstance(model, (str, Path)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ModelVersionWarning)
            return cached_model(model)
    return model


@dataclass
class Coded:
    """A coded document as a batch worker returns it: ``output`` is what will be written (already
    serialised, when the caller gave a ``serialize``), with the notes and drift counts the parent
    reports, so the parent copies strings instead of rebuilding result objects."""

    path: str | None
    doc: str
    notes: list[str]
    output: object
    drift: tuple | None = None


def code_file(source: str, model: "ThemeModel | Predictor | str | Path", serialize=None, budget=None) -> Coded:
    """:func:`classify_file`, then ``serialize(result)`` (when given) and the document's drift
    counts (:meth:`toolkit.coding.drift.DriftMonitor.count`), in the worker. ``budget``: a
    :class:`~toolkit.coding.drift.PairBudget` shared by a serial run's documents, coded in input
    order in this process (never for parallel workers)."""
    from toolkit.coding.drift import DriftMonitor, model_bigrams
    from toolkit.text.reading import read_document

    model = _worker_model(model)

    document = read_document(source)
    result = classify_document(document, model)
    analysis = [p.analysis_text for p in document.paragraphs]
    counts = DriftMonitor(model_bigrams(model)).count(result, analysis, budget)
    return Coded(result.path, result.doc, result.notes, serialize(result) if serialize else result, counts)
