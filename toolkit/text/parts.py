"""The parts of a document: paragraphs of a kind (body, heading, page furniture) and sentences.

Paragraphs keep their display text (what the article wrote) and its analysis form (Simplified,
one punctuation form). Segmentation already computes the analysis form to recognise page furniture
in either script, so it hands it over instead of features converting the text a second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.text.garbled import GarbledRun

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
        cleaning left them (see :func:`toolkit.text.cleaning.quote_form`)."""
        return self.text if self.quote is None else self.quote

    @property
    def is_boilerplate(self) -> bool:
        return self.kind in BOILERPLATE_KINDS

    @property
    def analysis_text(self) -> str:
        if self.analysis is None:
            from toolkit.text.cleaning import analysis_form

            self.analysis = analysis_form(self.text)
        return self.analysis

    def sentences(self) -> list["Sentence"]:
        from toolkit.text.sentences import split_sentences

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
