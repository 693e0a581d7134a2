"""What a trained theme model is and what drives its codes, for ``toolkit model show``.

Researchers must be able to say what a code means before they report it: the card tells what the
model was trained on and how well it did, and the heaviest terms per theme show whether it
learned the theme or the outlets' habits (a byline, a place name) that happen to go with it.
"""

from __future__ import annotations

from toolkit.themes.classifier import ThemeModel
from toolkit.errors import ToolkitError


def top_terms(model: ThemeModel, n: int = 15) -> dict[str, list[tuple[str, float]]]:
    """The ``n`` features with the largest weight for each theme, as ``(term, weight)``.

    Character n-grams carry a ``c:`` prefix (a space shows as ␣), word n-grams are plain words, so
    a reader can tell 合作 the character pair from 合作 the word.
    """
    import numpy as np

    features = model.pipeline.named_steps["features"]
    names = features.get_feature_names_out()
    coef = _coefficients(model.pipeline.named_steps["classifier"])
    classes = model.classes
    if coef.shape[0] == 1 and len(classes) == 2:
        coef = np.vstack([-coef[0], coef[0]])
    out: dict[str, list[tuple[str, float]]] = {}
    for i, label in enumerate(classes):
        order = np.argsort(-coef[i])[:n]
        out[label] = [(_term(names[j]), float(coef[i, j])) for j in order]
    return out


def _term(feature_name: str) -> str:
    kind, _, term = feature_name.partition("__")
    return "c:" + term.replace(" ", "␣") if kind == "chars" else term


def _coefficients(classifier):
    import numpy as np

    if hasattr(classifier, "coef_"):
        return np.asarray(classifier.coef_)
    calibrated = getattr(classifier, "calibrated_classifiers_", None)
    if calibrated:
        return np.mean([np.asarray(c.estimator.coef_) for c in calibrated], axis=0)
    raise ToolkitError("this classifier has no per-feature weights to show")


def describe_model(model: ThemeModel, terms: int = 15) -> dict:
    """The card's facts and the heaviest terms per theme, as one JSON-ready dict."""
    card = model.card
    return {
        "model": str(model.path) if model.path else None,
        "model_sha256": card.get("model_sha256"),
        "created": card.get("created"),
        "run": card.get("run"),
        "labels": card.get("labels", {}),
        "training_data": card.get("training_data", {}),
        "tokenizer": card.get("tokenizer"),
        "config": card.get("config", {}),
        "versions": card.get("versions", {}),
        "evaluation": card.get("evaluation"),
        "top_terms": {label: [[t, round(w, 3)] for t, w in pairs] for label, pairs in top_terms(model, terms).items()},
    }
