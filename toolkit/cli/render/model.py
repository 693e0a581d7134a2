"""``toolkit model show`` as text: :func:`toolkit.themes.inspection.describe_model`'s data for a terminal."""

from __future__ import annotations

from toolkit.cli.render.evaluation import headline

ANALYZER_NAMES = {"word": "words", "char": "characters", "both": "words + characters"}


def describe_text(d: dict) -> str:
    """:func:`~toolkit.themes.inspection.describe_model` for a terminal."""
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
        f"features    {ANALYZER_NAMES.get(f.get('analyzer'), f.get('analyzer'))}; tokenizer {d.get('tokenizer') or 'none (characters only)'}; "
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
