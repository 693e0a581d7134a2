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


_ANALYZER_NAMES = {"word": "words", "char": "characters", "both": "words + characters"}


def describe_text(d: dict) -> str:
    """:func:`describe_model` for a terminal."""
    from toolkit.themes.evaluation import headline

    short = (d.get("model_sha256") or "")[:12]
    run = f", run {d['run']}" if d.get("run") else ""
    t = d.get("training_data", {})
    f = d.get("config", {}).get("features", {})
    m = d.get("config", {}).get("model", {})
    v = d.get("versions", {})
    lines = [
        f"model       {d['model']} (sha256 {short}…), trained {d.get('created')}{run}",
        "labels      " + ", ".join(f"{k} {n}" for k, n in d["labels"].items()),
        f"training    {t.get('path')} (sha256 {str(t.get('sha256', ''))[:12]}…): {t.get('rows')} rows in "
        f"{t.get('docs')} docs, {t.get('seed_rows')} from real articles, {t.get('written_rows')} written by the team",
        f"features    {_ANALYZER_NAMES.get(f.get('analyzer'), f.get('analyzer'))}; tokenizer {d.get('tokenizer') or 'none (characters only)'}; "
        f"word n-grams {f.get('word_ngram_range')}, character n-grams {f.get('char_ngram_range')}, "
        f"min_df {f.get('min_df')}, sublinear tf {f.get('sublinear_tf')}",
        f"classifier  {m.get('classifier')}, C {m.get('C')}, class_weight {m.get('class_weight')}",
        "versions    " + ", ".join(f"{k} {v[k]}" for k in ("scikit-learn", "numpy", "scipy", "skops", "rjieba") if k in v),
    ]
    e = d.get("evaluation")
    if e:
        cv = e.get("cv") or {}
        lines.append(f"evaluation  {headline(e)}")
        lines.append(
            f"            {cv.get('folds')} folds x {cv.get('repeats')} repeats; F1 per label: "
            + ", ".join(f"{k} {s['f1']:.3f}" for k, s in e["per_class"].items())
        )
    lines += ["", "heaviest terms per theme (c: = character n-gram)"]
    width = max(len(k) for k in d["top_terms"])
    for label, pairs in d["top_terms"].items():
        lines.append(f"  {label:<{width}}  " + "  ".join(f"{term} {weight:.2f}" for term, weight in pairs))
    return "\n".join(lines)
