"""What a summary returns: the chosen units, keywords, and the summary that holds them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class ScoredSentence:
    """One chosen unit, quoted verbatim, and where it stands in the document.

    A unit is one sentence (``sentence == last_sentence``) or a quotation of several sentences
    with its attribution; ``sentence`` and ``last_sentence`` index the paragraph's sentences,
    ``start`` and ``end`` its text. ``score`` is the unit's PageRank relative to the average
    candidate (1.0 = average), so scores read the same in short and long articles; ``rank`` is 1
    for the most central one.
    """

    paragraph: int
    sentence: int
    last_sentence: int
    start: int
    end: int
    text: str
    score: float
    rank: int
    #: The paragraph spans ``text`` is made of: ``((start, end),)`` for a whole unit; more when a
    #: long quotation was cut to its core sentence or a bracketed definition was left out, each
    #: span quoted exactly, so the gaps between them are what was left out.
    spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Keyword:
    """A keyword or keyphrase in the document's own script, its weight and how often it occurs.

    ``weight`` is the word's PageRank relative to the average word of the graph (a phrase sums
    its words), the same scale as :attr:`ScoredSentence.score`.
    """

    word: str
    weight: float
    count: int


@dataclass
class Summary:
    doc: str
    method: str
    candidates: int
    sentences: list[ScoredSentence] = field(default_factory=list)
    keywords: list[Keyword] = field(default_factory=list)
    keyphrases: list[Keyword] = field(default_factory=list)
    #: Why there is no summary (empty or all-boilerplate document); None when there is one.
    message: str | None = None
    path: str | None = None
    #: Problems worth a warning line (replaced bytes, not Chinese) from reading the document.
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.sentences

    def to_dict(self) -> dict:
        return asdict(self)

