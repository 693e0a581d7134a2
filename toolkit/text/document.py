"""The data model every command shares: a document is a list of repaired, typed paragraphs.

Paragraphs keep their display text (what the article wrote) and its analysis form (Simplified,
one punctuation form). Segmentation already computes the analysis form to recognise page furniture
in either script, so it hands it over instead of features converting the text a second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from toolkit.garbled import GarbledRun

BODY = "body"
HEADING = "heading"
CAPTION = "caption"
NAVIGATION = "navigation"
BYLINE = "byline"
COPYRIGHT = "copyright"
LINKS = "links"
QR = "qr"

#: Kinds that are page furniture rather than the article: flagged, never summarised, and coded
#: ``other`` without asking the model. Headings are not here: they are the article's own words.
BOILERPLATE_KINDS = frozenset({CAPTION, NAVIGATION, BYLINE, COPYRIGHT, LINKS, QR})


@dataclass
class Paragraph:
    index: int
    text: str
    kind: str = BODY
    garbled: list[GarbledRun] = field(default_factory=list)
    analysis: str | None = field(default=None, repr=False, compare=False)
    #: ``text`` with the characters width normalisation changed as the file wrote them (ｎｅｗｓ,
    #: ２０％); same length as ``text``; None when no character changed. See :attr:`quote_text`.
    quote: str | None = field(default=None, repr=False, compare=False)

    @property
    def quote_text(self) -> str:
        """What a summary quotes: the display text, its characters in their original width.

        Offsets into ``text`` are offsets into this; glosses, escapes and white space stay as
        cleaning left them (see :func:`toolkit.cleaning.quote_form`)."""
        return self.text if self.quote is None else self.quote

    @property
    def is_boilerplate(self) -> bool:
        return self.kind in BOILERPLATE_KINDS

    @property
    def analysis_text(self) -> str:
        if self.analysis is None:
            from toolkit.cleaning import analysis_form

            self.analysis = analysis_form(self.text)
        return self.analysis

    def sentences(self) -> list["Sentence"]:
        from toolkit.sentences import split_sentences

        out = []
        for start, end in split_sentences(self.text):
            damaged = any(run.start < end and start < run.end for run in self.garbled)
            out.append(Sentence(self.index, start, end, self.text[start:end], damaged))
        return out


@dataclass(frozen=True)
class Sentence:
    paragraph: int
    start: int
    end: int
    text: str
    garbled: bool = False


@dataclass
class Document:
    name: str
    paragraphs: list[Paragraph]
    path: str | None = None
    encoding: str = "utf-8"
    #: Undecodable bytes that became U+FFFD when the file was read.
    replaced: int = 0
    #: Problems worth a warning line (replaced bytes, not Chinese), for commands to report.
    notes: list[str] = field(default_factory=list)

    @classmethod
    def from_text(cls, text: str, name: str = "<text>", path: str | None = None) -> "Document":
        from toolkit.paragraphs import segment

        return cls(name=name, paragraphs=segment(text), path=path)

    @property
    def body(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.kind == BODY]

    def sentences(self, body_only: bool = True) -> Iterator[Sentence]:
        """Sentences in document order; by default only from body paragraphs."""
        for paragraph in self.body if body_only else self.paragraphs:
            yield from paragraph.sentences()
