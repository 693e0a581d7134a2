"""TextRank (Mihalcea and Tarau 2004) as textrank4zh computes it, in linear time."""

from __future__ import annotations

from typing import Sequence

from toolkit.summaries.base import Summarizer
from toolkit.summaries.graph import SentenceGraph, TermMatrix, pagerank
from toolkit.summaries.units import Unit


# --------------------------------------------------------------------------------------------
# TextRank


class TextRankSummarizer(Summarizer):
    """TextRank with textrank4zh's sentence similarity and networkx's PageRank, in linear time.

    ``self_loops`` keeps textrank4zh's diagonal (a sentence's similarity with itself), which its
    networkx graph passes to PageRank; with it, the same words give the reference's scores.
    """

    name = "textrank"

    def __init__(
        self,
        engine: str = "rjieba",
        damping: float = 0.85,
        tol: float = 1e-6,
        max_iter: int = 100,
        self_loops: bool = True,
        keyword_window: int = 2,
    ):
        super().__init__(engine=engine, keyword_window=keyword_window)
        self.damping = damping
        self.tol = tol
        self.max_iter = max_iter
        self.self_loops = self_loops

    def rate_sentences(self, candidates: Sequence[Unit], matrix: "TermMatrix"):
        graph = SentenceGraph(matrix, self_loops=self.self_loops)
        return pagerank(graph, damping=self.damping, tol=self.tol, max_iter=self.max_iter)


