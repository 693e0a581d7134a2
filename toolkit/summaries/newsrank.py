"""NewsRank: TextRank with the lead as a prior, for news, which puts its point first.

TextRank alone ignores where a sentence stands, and on news the first sentences (Lead-3) beat it.
NewsRank stays TextRank, the same similarity graph and PageRank, with three changes:

* **Position as a prior.** The random surfer restarts at unit ``i`` (0-based, in document order)
  with weight ``1 / (i + 1) ** position_power``, the personalised PageRank of PositionRank
  (Florescu and Caragea 2017): centrality still decides, but the lead's units start ahead and
  the bias fades down the article.
* **Length normalisation.** PageRank on this graph favours long units (they share more words),
  so a unit's score is divided by ``(its length / the mean length) ** length_power``; long
  quotation blocks no longer crowd out the lead's short, dense statements.
* **Redundancy control.** The shared near-duplicate check of :class:`Summarizer`, and a budget.

Where position means nothing, the prior is dropped and the result is plain TextRank: when the
lead is far from central (the first ``lead_units`` units score, under PageRank on the graph
without self-similarity, below
``fallback_below`` times the average unit), the document does not open with its point (a judgment's parties and court, a report's
table of contents), and the prior would only pull the summary towards furniture. The constants
were chosen on the news evaluation set (bench/summarize.py); see README, Summaries.
"""

from __future__ import annotations

from typing import Sequence

from toolkit.summaries.base import Summarizer
from toolkit.summaries.graph import SentenceGraph, TermMatrix, pagerank
from toolkit.summaries.units import Unit


class NewsRankSummarizer(Summarizer):
    name = "newsrank"

    def __init__(
        self,
        engine: str = "rjieba",
        damping: float = 0.85,
        position_power: float = 2.0,
        length_power: float = 1.0,
        fallback_below: float = 0.5,
        lead_units: int = 3,
        keyword_window: int = 2,
    ):
        super().__init__(engine=engine, keyword_window=keyword_window)
        self.damping = damping
        self.position_power = position_power
        self.length_power = length_power
        self.lead_units = lead_units
        self.fallback_below = fallback_below
        #: True when the last document ranked fell back to plain TextRank.
        self.fell_back = False

    def rate_sentences(self, candidates: Sequence[Unit], matrix: TermMatrix):
        import numpy as np

        n = len(candidates)
        graph = SentenceGraph(matrix)
        # Centrality for the fall-back test leaves out a unit's similarity with itself, so that a
        # lead sharing no word with the rest counts as what it is: not central.
        central = pagerank(SentenceGraph(matrix, self_loops=False), damping=self.damping)
        lead = min(self.lead_units, n)
        self.fell_back = bool(n > lead and central[:lead].mean() * n < self.fallback_below)
        if self.fell_back:
            return pagerank(graph, damping=self.damping)
        prior = 1.0 / np.arange(1, n + 1) ** self.position_power
        scores = pagerank(graph, damping=self.damping, personalization=prior)
        lengths = np.array([max(len(u.text), 1) for u in candidates], dtype=float)
        return scores / (lengths / lengths.mean()) ** self.length_power
