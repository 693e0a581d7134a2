"""How a paragraph's theme is decided inside its article, not in isolation.

Why: coders read a paragraph in its article. A one-line quote (“还不如手摸得准。”段傲笛抱怨。), a
scene-setting opening or a transition carries no theme of its own, and a coder gives it the theme
of the story around it; a paragraph classifier alone calls it ``other``. On the real-text set
(``bench/transfer.py``) that was the commonest error, a theme paragraph coded ``other``.

So the model's probabilities for each body paragraph are combined with

- its neighbours' (the body paragraphs before and after it), weighted more for short paragraphs:
  ``neighbours * short_chars / (short_chars + length)``, so a long paragraph keeps its own point;
- the whole article's (the body paragraphs' probabilities weighted by length), times ``document``;

and ``other`` is scaled by ``other_scale`` before the argmax: in a body paragraph of an article in
the domain, ``other`` has to win clearly (structure, which the codebook also codes ``other``, is
recognised by the reader: headings and boilerplate get ``other`` by rule when ``headings_other``).

The four numbers are part of the run configuration (``[context]``) and were chosen on the
real-text set by leave-one-outlet-out, like every other setting. This is plain arithmetic on
probabilities: the model itself stays a TF-IDF + linear pipeline.
"""

from __future__ import annotations

from typing import Sequence

#: No smoothing at all: each paragraph on its own, as the model scores it.
NONE = {"neighbours": 0.0, "document": 0.0, "short_chars": 100, "other_scale": 1.0, "headings_other": False}


def in_context(proba, lengths: Sequence[int], classes: Sequence[str], settings: dict):
    """Each row of ``proba`` (body paragraphs in article order) combined with its context, renormalised."""
    import numpy as np

    proba = np.asarray(proba, dtype=float)
    n = len(proba)
    if n == 0:
        return proba
    lengths = np.asarray(lengths, dtype=float)
    neighbours, document = float(settings["neighbours"]), float(settings["document"])
    out = proba.copy()
    if n > 1 and neighbours:
        around = np.zeros_like(proba)
        around[1:] += proba[:-1]
        around[:-1] += proba[1:]
        count = np.full(n, 2.0)
        count[0] = count[-1] = 1.0
        weight = neighbours * float(settings["short_chars"]) / (float(settings["short_chars"]) + lengths)
        out += weight[:, None] * around / count[:, None]
    if document:
        total = lengths.sum()
        mean = (proba * lengths[:, None]).sum(axis=0) / total if total else proba.mean(axis=0)
        out += document * mean
    scale = float(settings["other_scale"])
    if scale != 1.0 and "other" in classes:
        out[:, list(classes).index("other")] *= scale
    out /= out.sum(axis=1, keepdims=True)
    return out
