"""The data of a corpus report: every document coded and summarised once, then corpus figures.

:func:`report_document` reads nothing twice: the one segmented :class:`~toolkit.text.document.Document`
goes to :func:`toolkit.classify_document` and :func:`toolkit.summarize_document`, and its dated
byline (:func:`toolkit.text.paragraphs.published_date`) gives its date. :func:`assemble` then adds the
corpus totals and the shares per folder (outlet) and per date. Nothing here prints or lays out:
``toolkit report`` renders the result as one HTML page (:mod:`toolkit.cli.render.html`), and
:meth:`CorpusReport.to_dict` is the same data as JSON.

Shares are shares of body characters, as in :attr:`toolkit.themes.classifier.DocumentResult.shares`; a
folder's or a period's share is the share of all its documents' characters, so long articles
weigh more than short ones, as they do within a document.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Iterable, Iterator, Sequence

#: Below this confidence a paragraph's theme is marked as uncertain (the drift warning's threshold).
LOW_CONFIDENCE = 0.5
#: Sentences and keywords of each document's abstract.
SENTENCES = 3
KEYWORDS = 8
#: Dates are grouped by month while they span at most this many months, else by year.
MAX_MONTHS = 24
GROUPINGS = ("folder", "date")


@dataclass
class ReportParagraph:
    index: int
    label: str
    confidence: float
    #: The paragraph's kind (``body``, ``heading``, or a boilerplate kind such as ``byline``).
    kind: str
    boilerplate: bool
    text: str
    #: Whether a sentence of this paragraph is in the document's abstract.
    in_abstract: bool = False

    @property
    def low(self) -> bool:
        return not self.boilerplate and self.confidence < LOW_CONFIDENCE


@dataclass
class AbstractSentence:
    paragraph: int
    text: str


@dataclass
class ReportDocument:
    doc: str
    path: str | None
    #: The folder the file is in ("" for standard input), relative to the corpus by :func:`assemble`.
    folder: str
    #: Publication date (ISO ``YYYY-MM-DD``) from a dated byline, or None.
    date: str | None
    chars: int
    label: str | None
    shares: dict[str, float]
    paragraphs: list[ReportParagraph]
    abstract: list[AbstractSentence] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    chinese: bool = True
    replaced: int = 0
    notes: list[str] = field(default_factory=list)
    #: A short stable key for links (``d1``, ``d2``… in corpus order), set by :func:`assemble`.
    key: str = ""

    @property
    def low_confidence(self) -> int:
        return sum(p.low for p in self.paragraphs)


@dataclass
class Group:
    """Documents sharing a folder or a period, and their theme shares."""

    name: str
    documents: int
    chars: int
    shares: dict[str, float]


@dataclass
class CorpusReport:
    labels: list[str]
    documents: list[ReportDocument]
    shares: dict[str, float]
    chars: int
    by_folder: list[Group]
    by_date: list[Group]
    #: ``month`` or ``year``: how :attr:`by_date` is cut.
    date_unit: str
    #: How the document list is ordered and sectioned: ``folder`` or ``date``.
    group_by: str = "folder"
    model: str = ""
    created: str = ""
    low_confidence: float = LOW_CONFIDENCE
    #: Inputs that could not be read (one line each), when :func:`build_report` read them.
    problems: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> int:
        return sum(len(d.paragraphs) for d in self.documents)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["paragraphs"] = self.paragraphs
        return data


def report_document(document, model=None, sentences: int = SENTENCES, keywords: int = KEYWORDS) -> ReportDocument:
    """Code and summarise one read :class:`~toolkit.text.document.Document` (one segmentation, one pass)."""
    import toolkit
    from toolkit.text.paragraphs import published_date

    coded = toolkit.classify_document(document, model)
    summary = toolkit.summarize_document(document, sentences=sentences, keywords=keywords)
    chosen = {s.paragraph for s in summary.sentences}
    kinds = {p.index: p.kind for p in document.paragraphs}
    paragraphs = [
        ReportParagraph(p.paragraph, p.label, round(p.confidence, 4), kinds.get(p.paragraph, "body"),
                        p.boilerplate is not None, p.text, p.paragraph in chosen)
        for p in coded.paragraphs
    ]
    when = published_date(document.paragraphs)
    folder = os.path.dirname(document.path) if document.path and document.path != "-" else ""
    return ReportDocument(
        doc=document.name, path=document.path, folder=folder, date=when.isoformat() if when else None,
        chars=coded.chars, label=coded.main_label, shares={k: round(v, 4) for k, v in coded.shares.items()},
        paragraphs=paragraphs, abstract=[AbstractSentence(s.paragraph, s.text) for s in summary.sentences],
        keywords=[k.word for k in summary.keywords], chinese=coded.chinese, replaced=coded.replaced,
        notes=list(coded.notes),
    )


def report_file(source: str, model=None, sentences: int = SENTENCES, keywords: int = KEYWORDS) -> ReportDocument:
    """Read one file (any supported encoding, or ``-``) and report it; InputError if unreadable.

    ``model`` may be a loaded model, a portable predictor, or a model path (``--jobs`` workers).
    """
    import warnings
    from pathlib import Path

    from toolkit.themes.classifier import ModelVersionWarning, cached_model
    from toolkit.text.reading import read_document

    if isinstance(model, (str, Path)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ModelVersionWarning)
            model = cached_model(model)
    return report_document(read_document(source), model, sentences, keywords)


def assemble(documents: Iterable[ReportDocument], labels: Sequence[str], group_by: str = "folder",
             model: str = "", problems: Sequence[str] = ()) -> CorpusReport:
    """Corpus totals and groups over reported documents, which keep their input order and get keys."""
    if group_by not in GROUPINGS:
        from toolkit.errors import ToolkitError

        raise ToolkitError(f"group by must be one of {', '.join(GROUPINGS)}, not {group_by!r}")
    docs = list(documents)
    _relative_folders(docs)
    for i, d in enumerate(docs, 1):
        d.key = f"d{i}"
    labels = list(labels)
    shares, chars = _pooled(docs, labels)
    by_folder = _groups(docs, labels, lambda d: d.folder or "-")
    months = {d.date[:7] for d in docs if d.date}
    unit = "month" if len(months) <= MAX_MONTHS else "year"
    width = 7 if unit == "month" else 4
    by_date = _groups([d for d in docs if d.date], labels, lambda d: d.date[:width])
    return CorpusReport(
        labels=labels, documents=docs, shares=shares, chars=chars, by_folder=by_folder, by_date=by_date,
        date_unit=unit, group_by=group_by, model=model,
        created=datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"), problems=list(problems),
    )


def build_report(paths: Sequence[str], model=None, group_by: str = "folder", sentences: int = SENTENCES,
                 keywords: int = KEYWORDS) -> CorpusReport:
    """A report of files, folders or globs from Python; unreadable inputs land in ``problems``."""
    from toolkit.themes.classifier import cached_model
    from toolkit.errors import InputError
    from toolkit.text.reading import iter_sources

    if model is None or isinstance(model, (str, os.PathLike)):
        model = cached_model(model)
    problems: list[str] = []

    def reported() -> Iterator[ReportDocument]:
        for spec in paths:
            try:
                sources = list(iter_sources([spec], on_problem=lambda p, why: problems.append(f"{p}: {why}")))
            except InputError as exc:
                problems.append(str(exc))
                continue
            for source in sources:
                try:
                    yield report_file(source, model, sentences, keywords)
                except InputError as exc:
                    problems.append(str(exc))

    docs = list(reported())
    return assemble(docs, model.classes, group_by, model=str(getattr(model, "path", "") or ""), problems=problems)


def _pooled(docs: Sequence[ReportDocument], labels: Sequence[str]) -> tuple[dict[str, float], int]:
    chars = sum(d.chars for d in docs)
    totals = {label: sum(d.shares.get(label, 0.0) * d.chars for d in docs) for label in labels}
    return {k: (round(v / chars, 4) if chars else 0.0) for k, v in totals.items()}, chars


def _groups(docs: Sequence[ReportDocument], labels: Sequence[str], key) -> list[Group]:
    members: dict[str, list[ReportDocument]] = defaultdict(list)
    for d in docs:
        members[key(d)].append(d)
    groups = []
    for name in sorted(members):
        shares, chars = _pooled(members[name], labels)
        groups.append(Group(name, len(members[name]), chars, shares))
    return groups


def _relative_folders(docs: Sequence[ReportDocument]) -> None:
    """Folders relative to the corpus' common folder: ``people-daily``, not ``/data/corpus/people-daily``.

    When every document is in one folder, that folder's own name is kept.
    """
    folders = [os.path.abspath(d.folder) for d in docs if d.path and d.path != "-"]
    if not folders:
        return
    common = os.path.commonpath(folders)
    base = os.path.dirname(common) if len(set(folders)) == 1 else common
    for d in docs:
        if d.path and d.path != "-":
            rel = os.path.relpath(os.path.abspath(d.folder), base)
            d.folder = "." if rel == "." else rel.replace(os.sep, "/")
