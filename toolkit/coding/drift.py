"""Does a corpus look unlike the model's training data? One warning per run, with the way forward.

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


def model_bigrams(model) -> frozenset[str] | None:
    """The character bigrams the model's character vectorizer knows; None if it has none."""
    scorer = getattr(model, "scorer", None)
    if scorer is not None:  # from the scorer's arrays: no scikit-learn pipeline is loaded for this
        return scorer.char_bigrams()
    pipeline = getattr(model, "pipeline", None)
    features = getattr(getattr(pipeline, "named_steps", {}), "get", lambda _: None)("features")
    for name, vectorizer, _ in getattr(features, "transformers_", []):
        if getattr(vectorizer, "analyzer", None) == "char" and hasattr(vectorizer, "vocabulary_"):
            return frozenset(t for t in vectorizer.vocabulary_ if len(t) == 2)
    return None


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


@dataclass
class DriftMonitor:
    """Counts over a run's documents (``update``), then :meth:`message`; the thresholds are fields."""

    bigrams: frozenset[str] | None = None
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
        """Count one coded document (a :class:`~toolkit.classifier.DocumentResult`)."""
        from toolkit.cleaning import analysis_form

        for p in result.paragraphs:
            if p.boilerplate is not None:
                continue
            letters = [ch for ch in p.text if ch.isalpha()]
            han = sum(map(_is_han, letters))
            self.letters_ += len(letters)
            self.foreign_letters_ += len(letters) - han
            if han < 0.5 * len(letters) or not letters:
                continue
            self.paragraphs_ += 1
            if p.confidence < self.low:
                self.low_confidence_ += 1
            if self.bigrams is not None and self.sampled_ < self.vocabulary_sample:
                self.sampled_ += 1
                text = analysis_form(p.text)
                pairs = [text[i:i + 2] for i in range(len(text) - 1) if _is_han(text[i]) and _is_han(text[i + 1])]
                self.bigrams_seen_ += len(pairs)
                self.bigrams_unknown_ += sum(pair not in self.bigrams for pair in pairs)
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
                "trustworthy here. Code a sample of it and retrain: toolkit labels suggest PATHS -n 100 -o to_code.csv")
