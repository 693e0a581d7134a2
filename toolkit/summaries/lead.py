"""Lead-N: the baseline every news summariser is measured against."""

from __future__ import annotations

from typing import Sequence

from toolkit.summaries.base import Summarizer
from toolkit.summaries.graph import TermMatrix
from toolkit.summaries.units import Unit


# --------------------------------------------------------------------------------------------
# A baseline behind the same interface


class LeadSummarizer(Summarizer):
    """The first units of the article: news puts the most important first (Lead-N).

    It ranks the same candidate units as TextRank, so a comparison measures the ranking only.
    """

    name = "lead"

    def rate_sentences(self, candidates: Sequence[Unit], matrix: TermMatrix):
        import numpy as np

        return 1.0 / np.arange(1, len(candidates) + 1)


