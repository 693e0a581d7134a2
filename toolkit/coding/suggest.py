"""Which paragraphs of a researcher's corpus to code next: those whose codes would teach the model most.

A model meeting a new outlet is unsure where the outlet differs from its training data, and a
random sample spends most codes on paragraphs it already gets right. The selection here:

- candidates are body paragraphs with enough Chinese text to code: page furniture (bylines,
  captions, menus, copyright lines), headings, very short or non-Chinese paragraphs are skipped,
  as are paragraphs already coded (``exclude``) and their near-duplicates;
- each candidate is scored by uncertainty (1 − the margin between the model's two most probable
  themes) times its density (mean similarity of its character bigrams to the other candidates):
  the uncertainty finds what the model cannot yet tell apart, the density keeps the choice on
  paragraphs typical of the corpus rather than one-off oddities that would teach little;
- the highest-scoring candidates are taken greedily, skipping any whose similarity to one already
  taken is ``near_duplicate`` or more (reprinted paragraphs, boilerplate variants), and at most a
  fair share per document and per suggested theme, so the codes are spread over the corpus and
  themes; if those shares leave places free, they are filled without them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

#: A paragraph needs this many Chinese characters to be worth coding.
MIN_HAN = 15


@dataclass(frozen=True)
class Suggestion:
    doc: str
    paragraph: int
    text: str
    suggested: str
    confidence: float
    score: float

    def to_row(self) -> dict:
        return {"doc": self.doc, "paragraph": self.paragraph, "text": self.text, "label": "",
                "suggested": self.suggested, "confidence": round(self.confidence, 3)}


def han_count(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")


def _vectors(texts: Sequence[str]):
    """Character 1–2-gram TF-IDF rows (l2-normalised): cosine similarity is their dot product."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char", ngram_range=(2, 2), sublinear_tf=True).fit(texts)


def select(
    texts: Sequence[str],
    proba,
    docs: Sequence[str],
    n: int,
    *,
    exclude: Sequence[str] = (),
    near_duplicate: float = 0.8,
    density_power: float = 1.0,
    sample: int = 2000,
    seed: int = 0,
) -> list[int]:
    """Indices of the ``n`` candidates to code, best first (see the module's docstring).

    ``texts`` are analysis texts, ``proba`` the model's probabilities for them (rows: texts),
    ``docs`` each text's document, ``exclude`` texts already coded.
    """
    import numpy as np

    if n <= 0 or not len(texts):
        return []
    proba = np.asarray(proba, dtype=float)
    top2 = np.sort(proba, axis=1)[:, -2:] if proba.shape[1] > 1 else np.column_stack([np.zeros(len(proba)), proba[:, 0]])
    uncertainty = 1.0 - (top2[:, 1] - top2[:, 0])
    vectorizer = _vectors(list(texts) + list(exclude))
    V = vectorizer.transform(texts)
    rng = np.random.default_rng(seed)
    reference = rng.choice(len(texts), size=min(sample, len(texts)), replace=False)
    density = np.asarray((V @ V[reference].T).mean(axis=1)).ravel()
    density = density / density.max() if density.max() > 0 else np.ones(len(texts))
    score = uncertainty * density**density_power
    order = np.argsort(-score, kind="stable")

    taken: list[int] = []
    predicted = proba.argmax(axis=1)
    n_docs = len(set(docs))
    doc_cap = max(1, math.ceil(2 * n / n_docs))
    label_cap = max(1, math.ceil(1.5 * n / proba.shape[1]))
    if len(exclude):
        to_excluded = (V @ vectorizer.transform(list(exclude)).T).max(axis=1).toarray().ravel()
    else:
        to_excluded = np.zeros(len(texts))

    def near(i: int) -> bool:
        if to_excluded[i] >= near_duplicate:
            return True
        return bool(taken) and (V[i] @ V[taken].T).max() >= near_duplicate

    for capped in (True, False):
        per_doc: dict[str, int] = {}
        per_label: dict[int, int] = {}
        for i in taken:
            per_doc[docs[i]] = per_doc.get(docs[i], 0) + 1
            per_label[predicted[i]] = per_label.get(predicted[i], 0) + 1
        chosen = set(taken)
        for i in order:
            if len(taken) >= n:
                break
            i = int(i)
            if i in chosen:
                continue
            if capped and (per_doc.get(docs[i], 0) >= doc_cap or per_label.get(predicted[i], 0) >= label_cap):
                continue
            if near(i):
                chosen.add(i)  # never again, in either pass
                continue
            taken.append(i)
            chosen.add(i)
            per_doc[docs[i]] = per_doc.get(docs[i], 0) + 1
            per_label[predicted[i]] = per_label.get(predicted[i], 0) + 1
    return taken


def suggest_paragraphs(documents, model, n: int, *, exclude: Sequence[str] = (), seed: int = 0) -> list[Suggestion]:
    """The ``n`` paragraphs of ``documents`` (:class:`~toolkit.text.document.Document`) to code next,
    in document order; ``exclude`` holds texts already coded (any script or spacing)."""
    from toolkit.text.cleaning import analysis_form
    from toolkit.text.document import BODY

    excluded = {analysis_form(" ".join(t.split())) for t in exclude}
    candidates, seen = [], set()
    for document in documents:
        doc = document.path or document.name
        for p in document.paragraphs:
            if p.kind != BODY or han_count(p.analysis_text) < MIN_HAN:
                continue
            key = " ".join(p.analysis_text.split())
            if key in excluded or key in seen:
                continue
            seen.add(key)
            candidates.append((doc, p))
    if not candidates:
        return []
    texts = [p.analysis_text for _, p in candidates]
    proba = model.predict_proba(texts)
    chosen = select(texts, proba, [doc for doc, _ in candidates], n, exclude=sorted(excluded), seed=seed)
    out = []
    for rank, i in enumerate(chosen):
        doc, p = candidates[i]
        j = int(proba[i].argmax())
        out.append(Suggestion(doc, p.index, p.text, model.classes[j], float(proba[i][j]), float(len(chosen) - rank)))
    position = {(d.path or d.name): k for k, d in enumerate(documents)}
    return sorted(out, key=lambda s: (position[s.doc], s.paragraph))


#: The columns of a sheet to code, in order: ``label`` is left empty for the coder.
