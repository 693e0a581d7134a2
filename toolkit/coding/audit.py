"""Which coded rows are most likely mislabelled: confident learning on out-of-fold probabilities.

Every row is scored by a model that never saw it (the grouped cross-validation of
:func:`toolkit.themes.evaluation.cross_validate`, so an article's other paragraphs do not vouch for
it). cleanlab's confident learning (Northcutt et al. 2021) then estimates, from per-label
confidence thresholds, which rows' given label disagrees with what the rest of the data teaches;
those rows come first, each ranked by its self-confidence (the out-of-fold probability of the
label it was given: low means suspicious), then every other row by the same score. ``score`` is
1 − self-confidence, so higher is more suspicious, and ``flagged`` says whether confident
learning counted the row as a likely error.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Suspect:
    row: int  # as ``toolkit labels check`` counts rows: the header is row 1
    doc: str
    text: str
    label: str
    suggested: str
    score: float
    flagged: bool

    def to_dict(self) -> dict:
        return {"row": self.row, "doc": self.doc, "text": self.text, "label": self.label,
                "suggested": self.suggested, "score": round(self.score, 4), "flagged": self.flagged}


def rank_suspects(labels, proba, classes) -> list[Suspect]:
    """Every row of ``labels`` (a LabelSet), most suspicious first, from out-of-fold ``proba``."""
    import numpy as np
    from cleanlab.filter import find_label_issues
    from cleanlab.rank import get_label_quality_scores

    index = {c: i for i, c in enumerate(classes)}
    given = np.array([index[label] for label in labels.labels])
    proba = np.asarray(proba, dtype=float)
    proba = proba / proba.sum(axis=1, keepdims=True)
    quality = get_label_quality_scores(given, proba, method="self_confidence")
    flagged = find_label_issues(given, proba, filter_by="prune_by_noise_rate")
    order = sorted(range(len(given)), key=lambda i: (not flagged[i], quality[i], i))
    return [
        Suspect(labels.rows[i].row, labels.rows[i].doc, labels.rows[i].text, labels.rows[i].label,
                classes[int(proba[i].argmax())], 1.0 - float(quality[i]), bool(flagged[i]))
        for i in order
    ]


def audit_labels(labels, config: dict, *, jobs: int = 1) -> list[Suspect]:
    """Cross-validate ``config`` on ``labels`` and rank every row by how likely its label is wrong."""
    from toolkit.themes.evaluation import cross_validate

    evaluation = cross_validate(labels, config, jobs=jobs)
    return rank_suspects(labels, evaluation.proba, evaluation.classes)


