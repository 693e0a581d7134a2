"""The data model every command shares: a document is a list of repaired, typed paragraphs
(:mod:`toolkit.text.parts`), built one way, :meth:`Document.from_text`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from toolkit.text.parts import (  # noqa: F401 (the data model, importable from here)
    BODY,
    BOILERPLATE_KINDS,
    BYLINE,
    CAPTION,
    COPYRIGHT,
    HEADING,
    LINKS,
    NAVIGATION,
    QR,
    Paragraph,
    Sentence,
)
from toolkit.text.patterns import chinese_share

#: Below this share of Chinese characters among a document's letters it is flagged as not Chinese.
MIN_CHINESE_SHARE = 0.5


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
    def from_text(cls, text: str, name: str = "<text>", path: str | None = None, encoding: str = "utf-8",
                  replaced: int = 0) -> "Document":
        """The one way to build a document: segment ``text`` (already decoded) into typed
        paragraphs, and note the ``replaced`` undecodable bytes and a text that is not Chinese."""
        from toolkit.text.paragraphs import segment

        doc = cls(name=name, paragraphs=segment(text), path=path, encoding=encoding, replaced=replaced)
        if replaced:
            doc.notes.append(f"{replaced} undecodable byte{'s' if replaced != 1 else ''} in {encoding} "
                             f"replaced with U+FFFD")
        share = chinese_share(text)
        if share < MIN_CHINESE_SHARE:
            doc.notes.append(f"not Chinese text ({share:.0%} of its letters are Chinese characters); "
                             f"its themes and summary are unreliable")
        return doc

    @property
    def body(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.kind == BODY]

    def sentences(self, body_only: bool = True) -> Iterator[Sentence]:
        """Sentences in document order; by default only from body paragraphs."""
        for paragraph in self.body if body_only else self.paragraphs:
            yield from paragraph.sentences()
