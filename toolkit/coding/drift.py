"""Does a corpus look unlike the model's training data? One warning per run.

``toolkit classify`` feeds every coded document to a :class:`DriftMonitor`; at the end of the run
:meth:`DriftMonitor.message` names what looks unfamiliar, or returns None. Three signs, each
measured on body paragraphs (page furniture is coded without the model), and only over enough
text that one short article never triggers it:

- many low-confidence paragraphs: more than ``low_share`` of the Chinese body paragraphs (at
  least ``min_paragraphs``) with confidence below ``low`` (on held-out real articles the
  model's mean confidence is about 0.75);
- unfamiliar vocabulary: more than ``unseen_share`` of the character bigrams of Chinese text
  are not in the model's vocabulary (up to ``vocabulary_sample`` paragraphs; the seeds: 27%,
  the blind-coded articles 23%, news on sport, finance and phones 65%);
- text that is not Chinese: more than ``foreign_share`` of the letters (of at least
  ``min_letters``) are not Chinese characters.

The thresholds are set from the seeds and team-written rows (well inside them) and from text
in other languages and on other subjects (well outside); they warn, they decide nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from toolkit.text.patterns import is_alpha

if TYPE_CHECKING:
    import numpy as np


def bigram_codes(bigrams) -> np.ndarray:
    """Character bigrams as the sorted codes the monitor looks pairs up in: ``ord(first) << 21 |
    ord(second)`` (a code point has 21 bits), so a document's pairs are found all at once (through
    the :class:`_HanPairs` built from them) instead of by a set lookup per pair."""
    import numpy as np

    return np.sort(np.fromiter(((ord(b[0]) << 21) | ord(b[1]) for b in bigrams), dtype=np.int64))


def model_bigrams(model) -> np.ndarray | None:
    """The character bigrams the model's character vectorizer knows, as :func:`bigram_codes`;
    None if it has none. Computed once per loaded model and kept on it (batch workers code many
    files with it; :class:`DriftMonitor` then builds its lookup once, for that one array)."""
    scorer = getattr(model, "scorer", None)
    holder = scorer if hasattr(scorer, "char_bigrams") else model
    if not hasattr(holder, "_bigram_codes"):
        holder._bigram_codes = _vocabulary_bigrams(model, scorer)
    return holder._bigram_codes


def _vocabulary_bigrams(model, scorer) -> np.ndarray | None:
    if hasattr(scorer, "char_bigrams"):  # from the scorer's arrays: no scikit-learn pipeline is loaded
        bigrams = scorer.char_bigrams()
        return None if bigrams is None else bigram_codes(bigrams)
    pipeline = getattr(model, "pipeline", None)
    features = getattr(getattr(pipeline, "named_steps", {}), "get", lambda _: None)("features")
    for name, vectorizer, _ in getattr(features, "transformers_", []):
        if getattr(vectorizer, "analyzer", None) == "char" and hasattr(vectorizer, "vocabulary_"):
            return bigram_codes(t for t in vectorizer.vocabulary_ if len(t) == 2)
    return None


#: The last array of codes a monitor looked pairs up in, and its :class:`_HanPairs`: one model per
#: run (or per worker), so one slot; a second model's monitor replaces it rather than piling up.
_PAIRS: list[tuple] = []
_HAN_START, _HAN_END = 0x3400, 0xA000  # the code points _is_han_code can accept lie in between
_LOW21 = (1 << 21) - 1


class _HanPairs:
    """Which pairs of Han characters a vocabulary knows, as a bit matrix over the Han characters
    its pairs use (a few thousand: the matrix takes well under a megabyte), reached through a
    table from code point to row. A pair is then one lookup in a table that stays in cache,
    instead of a binary search (or a probe of a hash table several times larger) per pair. A
    vocabulary of so many characters that the matrix would pass :data:`MAX_BITS` is searched."""

    MAX_BITS = 1 << 27  # 16 MB: pairs over more than 11,585 characters

    def __init__(self, codes):
        import numpy as np

        first, second = codes >> 21, codes & _LOW21
        han = _is_han_code(first) & _is_han_code(second)
        first, second = first[han], second[han]
        chars = np.unique(np.concatenate([first, second]))
        self.size = len(chars)
        self.codes = codes if self.size * self.size > self.MAX_BITS else None
        self.row = np.full(_HAN_END - _HAN_START, -1, dtype=np.int64)
        self.row[chars - _HAN_START] = np.arange(self.size)
        k = self.row[first - _HAN_START] * self.size + self.row[second - _HAN_START]
        self.bits = np.zeros(0 if self.codes is not None else (self.size * self.size + 7) // 8, dtype=np.uint8)
        if len(self.bits):
            np.bitwise_or.at(self.bits, k >> 3, (1 << (k & 7)).astype(np.uint8))

    def known(self, pairs):
        """For pairs ``first << 21 | second`` of Han code points: True where the vocabulary has it."""
        import numpy as np

        if self.codes is not None:
            return np.isin(pairs, self.codes)
        a = self.row[(pairs >> 21) - _HAN_START]
        b = self.row[(pairs & _LOW21) - _HAN_START]
        both = (a >= 0) & (b >= 0)
        if not self.size:
            return both
        k = np.where(both, a * self.size + b, 0)
        return both & ((self.bits[k >> 3] >> (k & 7).astype(np.uint8)) & 1).astype(bool)


def _code_points(texts: list[str], separator: str = ""):
    """The code points of ``texts`` joined by ``separator``, and the text each belongs to."""
    import numpy as np

    joined = separator.join(texts)
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + len(separator)
    segment = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)[: len(points)]
    return points, segment


def _is_han_code(points):
    return ((points >= 0x4E00) & (points <= 0x9FFF)) | ((points >= 0x3400) & (points <= 0x4DBF))


def _pair_counts(forms: list[str], known: _HanPairs) -> list[tuple[int, int]]:
    """Per text: its pairs of adjacent Han characters, and how many of them ``known`` lacks."""
    import numpy as np

    points, segment = _code_points(forms, "\n")  # a line break is not Han: no pair spans two texts
    is_han = _is_han_code(points)
    both = is_han[:-1] & is_han[1:]
    pairs = (points[:-1][both] << 21) | points[1:][both]
    owner = segment[:-1][both]
    found = known.known(pairs)
    seen = np.bincount(owner, minlength=len(forms))
    hits = np.bincount(owner[found], minlength=len(forms))
    return list(zip(seen.tolist(), (seen - hits).tolist()))


@dataclass
class PairBudget:
    """How many more paragraphs' character pairs a run's :class:`DriftMonitor` adds (its
    ``vocabulary_sample`` at the start), for :meth:`DriftMonitor.count` in the parent's process
    when documents are coded there one after another in input order (a serial run): once it is
    spent, the rest of the corpus's pairs are never computed. Parallel workers get none."""

    left: int = 3000


@dataclass
class DriftMonitor:
    """Counts over a run's documents (``update``), then :meth:`message`; the thresholds are fields.

    ``bigrams``: the model's character bigrams as :func:`bigram_codes` (:func:`model_bigrams`);
    None when the model has no character vocabulary (then vocabulary is not checked)."""

    bigrams: np.ndarray | None = None
    low: float = 0.5
    low_share: float = 0.4
    unseen_share: float = 0.4
    foreign_share: float = 0.3
    min_paragraphs: int = 20
    min_letters: int = 500
    vocabulary_sample: int = 3000
    paragraphs_: int = field(default=0, init=False)
    low_confidence_: int = field(default=0, init=False)
    letters_: int = field(default=0, init=False)
    foreign_letters_: int = field(default=0, init=False)
    bigrams_seen_: int = field(default=0, init=False)
    bigrams_unknown_: int = field(default=0, init=False)
    sampled_: int = field(default=0, init=False)

    @classmethod
    def for_model(cls, model, **settings) -> "DriftMonitor":
        return cls(model_bigrams(model), **settings)

    def update(self, result) -> "DriftMonitor":
        """Count one coded document (a :class:`~toolkit.themes.classifier.DocumentResult`)."""
        return self.add(self.count(result))

    def count(self, result, analysis: list[str] | None = None, budget: "PairBudget | None" = None) -> tuple:
        """One document's counts, for :meth:`add`: a batch worker counts, the parent adds, in
        input order, so a parallel run warns exactly as a serial one. ``analysis``: the
        paragraphs' analysis forms when the caller has them (else converted again here).
        ``budget``: how many paragraphs' pairs the run's monitor will still add (a serial run's
        documents, counted in input order); pairs past it, which :meth:`add` would drop, are
        not computed, and the budget is lowered by the paragraphs whose pairs are.

        All paragraphs of the document are counted at once on their code points (numpy), not one
        paragraph at a time; ``tests/coding/test_coding_drift.py`` checks it against the plain loop."""
        import numpy as np

        from toolkit.text.cleaning import analysis_form

        kept = [i for i, p in enumerate(result.paragraphs) if p.boilerplate is None]
        if not kept:
            return 0, 0, 0, 0, []
        texts = [result.paragraphs[i].text for i in kept]
        points, segment = _code_points(texts)
        letters = np.bincount(segment[is_alpha(points)], minlength=len(texts))
        han = np.bincount(segment[_is_han_code(points)], minlength=len(texts))
        chinese = (letters > 0) & ~(han < 0.5 * letters)
        chosen = np.flatnonzero(chinese)
        confidence = np.array([result.paragraphs[kept[k]].confidence for k in chosen.tolist()], dtype=float)
        low = int(np.count_nonzero(confidence < self.low))
        pairs_per_paragraph: list[tuple[int, int]] = []
        known = self._han_pairs()
        wanted = self.vocabulary_sample if budget is None else min(self.vocabulary_sample, budget.left)
        if known is not None and len(chosen) and wanted > 0:
            sampled = [kept[k] for k in chosen[:wanted].tolist()]
            forms = [analysis[i] if analysis is not None else analysis_form(result.paragraphs[i].text) for i in sampled]
            pairs_per_paragraph = _pair_counts(forms, known)
            if budget is not None:
                budget.left -= len(pairs_per_paragraph)
        letters_total = int(letters.sum())
        return letters_total, letters_total - int(han.sum()), len(chosen), low, pairs_per_paragraph

    def _han_pairs(self) -> _HanPairs | None:
        """:attr:`bigrams` as :class:`_HanPairs`, built once per array of codes (per loaded model)."""
        if self.bigrams is None:
            return None
        if not _PAIRS or _PAIRS[0][0] is not self.bigrams:
            _PAIRS[:] = [(self.bigrams, _HanPairs(self.bigrams))]
        return _PAIRS[0][1]

    def add(self, counts: tuple) -> "DriftMonitor":
        """Add one document's :meth:`count`."""
        letters, foreign, paragraphs, low, pairs = counts
        self.letters_ += letters
        self.foreign_letters_ += foreign
        self.paragraphs_ += paragraphs
        self.low_confidence_ += low
        for seen, unknown in pairs[: max(0, self.vocabulary_sample - self.sampled_)]:
            self.sampled_ += 1
            self.bigrams_seen_ += seen
            self.bigrams_unknown_ += unknown
        return self

    def signs(self) -> list[str]:
        """What looks unfamiliar, in words; empty when nothing does or there is too little text to tell."""
        out = []
        if self.letters_ >= self.min_letters and self.foreign_letters_ > self.foreign_share * self.letters_:
            out.append(f"{self.foreign_letters_ / self.letters_:.0%} of the text is not Chinese")
        n = self.paragraphs_
        if n >= self.min_paragraphs and self.low_confidence_ > self.low_share * n:
            out.append(f"{self.low_confidence_ / n:.0%} of paragraphs coded with confidence below {self.low:g}")
        if self.bigrams_seen_ >= self.min_letters and self.bigrams_unknown_ > self.unseen_share * self.bigrams_seen_:
            out.append(f"{self.bigrams_unknown_ / self.bigrams_seen_:.0%} of its character pairs are new to the model")
        return out

    def message(self) -> str | None:
        signs = self.signs()
        if not signs:
            return None
        return ("this corpus looks unlike the model's training data (" + "; ".join(signs) + "); its codes are less "
                "trustworthy here")
