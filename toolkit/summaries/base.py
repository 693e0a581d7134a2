"""The interface every summariser implements, and the choosing they share."""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import Sequence

from toolkit.text.document import Document
from toolkit.summaries.graph import TermMatrix, term_matrix
from toolkit.summaries.keywords import textrank_keywords
from toolkit.summaries.types import ScoredSentence, Summary
from toolkit.summaries.units import Analysis, Unit, analyse

DEFAULT_SENTENCES = 3
DEFAULT_KEYWORDS = 10

# --------------------------------------------------------------------------------------------
# The interface


class Summarizer(ABC):
    """Choose a document's most central units and its keywords.

    Subclasses only rate candidate units; choosing how many, dropping near duplicates, putting
    the choice back in document order and extracting keywords is shared, so every summariser
    obeys the same rules about what may be quoted.
    """

    name = "summarizer"
    #: Word-set overlap at which two units say the same thing. Jaccard counts once they share
    #: enough words (parallel items such as 实施“党建+学习”工程 / 实施“党建+产业”工程 share a
    #: template, not a fact); containment (the share of the shorter one's words found in the
    #: other) once the shorter has enough words and the longer is at most three times as long,
    #: so that "二是开展志愿服务。" or a short list item is not swallowed by a long sentence that
    #: happens to use its common words. Identical word sets always count.
    duplicate_jaccard = 0.5
    duplicate_containment = 0.8
    duplicate_min_words = 6

    def __init__(self, engine: str = "rjieba", keyword_window: int = 2):
        self.engine = engine
        self.keyword_window = keyword_window

    @abstractmethod
    def rate_sentences(self, candidates: Sequence[Unit], matrix: "TermMatrix") -> "np.ndarray":  # noqa: F821
        """One non-negative score per candidate unit; higher is more central.

        ``matrix`` holds the candidates' terms, built once per summary and shared with the
        near-duplicate check.
        """

    def summarize(
        self,
        document: Document,
        sentences: int | None = None,
        ratio: float | None = None,
        keywords: int = DEFAULT_KEYWORDS,
        chars: int | None = None,
    ) -> Summary:
        """Summarise ``document``: ``sentences`` units, or ``ceil(ratio * candidates)``.

        ``chars`` is a length budget in characters of quoted text: units are taken best first as
        long as they fit (one that does not is passed over for a shorter one further down), and
        the best unit is always taken even when it alone is longer. With ``chars`` and no
        ``sentences`` or ``ratio`` the budget alone decides how many. Asking for more than there
        are gives every candidate that is not a near duplicate of a better one.
        """
        if chars is not None and chars < 1:
            raise ValueError("chars must be 1 or more")
        count = _requested(sentences, ratio, budget=chars is not None)
        if keywords < 0:
            raise ValueError("keywords must be 0 or more")
        analysis = analyse(document, engine=self.engine)
        candidates = analysis.candidates
        summary = Summary(doc=document.name, method=self.name, candidates=len(candidates), path=document.path,
                          notes=list(getattr(document, "notes", [])))
        if not candidates:
            summary.message = _why_empty(analysis)
            return summary
        if keywords:
            summary.keywords, summary.keyphrases = textrank_keywords(analysis.sentences, keywords, window=self.keyword_window)
        import numpy as np

        matrix = term_matrix([u.terms for u in candidates])
        scores = np.asarray(self.rate_sentences(candidates, matrix), dtype=float)
        relative = scores * len(candidates) / scores.sum() if scores.sum() > 0 else np.ones(len(candidates))
        wanted = count(len(candidates))
        chosen = self._select(candidates, scores, wanted, matrix, chars)
        ranks = {i: r for r, i in enumerate(chosen, 1)}
        summary.sentences = [
            ScoredSentence(
                paragraph=candidates[i].paragraph,
                sentence=candidates[i].first,
                last_sentence=candidates[i].last,
                start=candidates[i].start,
                end=candidates[i].end,
                text=candidates[i].text,
                score=round(float(relative[i]), 4),
                rank=ranks[i],
                spans=candidates[i].spans,
            )
            for i in sorted(chosen)
        ]
        return summary

    def _select(self, candidates: Sequence[Unit], scores, wanted: int, matrix: "TermMatrix", chars: int | None = None) -> list[int]:
        """Best first, ties to the earlier unit; skip one that repeats a chosen unit.

        Overlaps are looked up through the words' unit lists (one sparse column of ``B @ B.T``
        per candidate looked at), so asking for every unit stays affordable.
        """
        import numpy as np

        n = len(candidates)
        order = np.lexsort((np.arange(n), -np.asarray(scores)))
        is_chosen = np.zeros(n, dtype=bool)
        chosen: list[int] = []
        texts: set[str] = set()
        left = chars if chars is not None else math.inf
        for i in order:
            if len(chosen) >= wanted or left <= 0:
                break
            text = candidates[i].text
            if chosen and len(text) > left:
                continue
            if text in texts or (chosen and self._repeats(matrix, is_chosen, i)):
                continue
            chosen.append(int(i))
            is_chosen[i] = True
            texts.add(text)
            left -= len(text)
        return chosen

    def _repeats(self, matrix: "TermMatrix", is_chosen, i: int) -> bool:
        import numpy as np

        sizes = matrix.distinct
        if not sizes[i]:
            return False
        column = (matrix.B @ matrix.B[[i]].T).tocoo()
        mine = is_chosen[column.row]
        if not mine.any():
            return False
        others, common = sizes[column.row[mine]], column.data[mine]
        jaccard = common / (sizes[i] + others - common)
        smaller = np.minimum(sizes[i], others)
        enough = self.duplicate_min_words
        same = (jaccard >= 1.0) | ((jaccard >= self.duplicate_jaccard) & (common >= enough))
        larger = np.maximum(sizes[i], others)
        contained = (common / smaller >= self.duplicate_containment) & (smaller >= enough) & (larger <= 3 * smaller)
        return bool((same | contained).any())


def _requested(sentences: int | None, ratio: float | None, budget: bool = False):
    if sentences is not None and ratio is not None:
        raise ValueError("give either sentences or ratio, not both")
    if budget and sentences is None and ratio is None:
        return lambda n: n
    if ratio is not None:
        if not 0 < ratio <= 1:
            raise ValueError("ratio must be in (0, 1]")
        return lambda n: max(1, math.ceil(ratio * n - 1e-9))
    n_wanted = DEFAULT_SENTENCES if sentences is None else sentences
    if n_wanted < 1:
        raise ValueError("sentences must be 1 or more")
    return lambda n: n_wanted


def _why_empty(analysis: Analysis) -> str:
    if analysis.paragraphs == 0:
        return "nothing to summarise: the document has no text"
    if analysis.body_paragraphs == 0:
        which = "the only paragraph is a heading" if analysis.paragraphs == 1 else f"all {analysis.paragraphs} paragraphs are headings"
        return f"nothing to summarise: {which} or page furniture (navigation, bylines, captions, copyright, links)"
    which = "the body paragraph holds" if analysis.body_paragraphs == 1 else f"the {analysis.body_paragraphs} body paragraphs hold"
    return f"nothing to summarise: {which} no complete, readable sentence"


