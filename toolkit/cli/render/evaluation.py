"""``toolkit evaluate`` and ``toolkit train`` as text: the evaluation's figures (the data of
:mod:`toolkit.themes.evaluation`) in columns, and on one line; what a training run did."""

from __future__ import annotations


def _fmt(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def headline(metrics: dict) -> str:
    """The figures that say whether a model is worth using, on one line (``toolkit train``, ``model show``)."""
    f1 = f"macro-F1 {_fmt(metrics['macro_f1'])}"
    cv = metrics.get("cv")
    if cv:
        f1 = f"grouped CV {f1} (std {_fmt(cv['macro_f1_std'])})"
    baselines = metrics["baselines"]
    return (
        f"{f1}, accuracy {_fmt(metrics['accuracy'])}; seed rows macro-F1 {_fmt(metrics.get('seed_macro_f1'))}; "
        f"baselines: majority {_fmt(baselines['majority']['macro_f1'])}, cue words {_fmt(baselines['cue_words']['macro_f1'])}"
    )


def training_text(result, model_path, shipped: bool = False) -> str:
    """What ``toolkit train`` did (a :class:`toolkit.themes.training.TrainResult`): the rows per
    label and per file, the headline figures, where the run and the replaced model are, and how
    to use the model (unless it is the shipped one, which every command uses already)."""
    card = result.model.card
    lines = [f"trained {model_path} on {card['training_data']['rows']} rows "
             f"({', '.join(f'{k} {v}' for k, v in card['labels'].items())}) in {result.duration_s:.1f}s"]
    for source in card["training_data"].get("files", []):
        lines.append(f"  {source['path']}: {source['rows']} rows, weight {source['weight']:g}, "
                     f"sha256 {source['sha256'][:12]}")
    lines.append(headline(result.metrics))
    if result.run_dir is not None:
        lines.append(f"run recorded in {result.run_dir}")
    if result.previous is not None:
        lines.append(f"the model it replaced is kept as {result.previous}")
    if not shipped:
        lines.append(f"use it with: toolkit classify --model {model_path} FILES (without --model, commands use "
                     f"the shipped model)")
    return "\n".join(lines)


def report_text(metrics: dict) -> str:
    """The figures as plain text columns: readable in a terminal, a log or an e-mail."""
    lines: list[str] = []
    classes = list(metrics["per_class"])
    width = max([len(c) for c in classes] + [9])
    cv = metrics.get("cv")
    if cv:
        lines.append(
            f"grouped cross-validation by doc: {cv['folds']} folds x {cv['repeats']} repeats (seed {cv['seed']}), "
            f"{metrics.get('rows', '?')} rows"
        )
    elif metrics.get("test"):
        lines.append(f"model {metrics['test']['model']} on {metrics['test']['path']}, {metrics.get('rows', '?')} rows")
    lines.append("")
    lines.append(f"{'label':<{width}}  precision  recall     f1  support")
    for label, s in metrics["per_class"].items():
        lines.append(f"{label:<{width}}  {s['precision']:>9.3f}  {s['recall']:>6.3f}  {s['f1']:>5.3f}  {s['support']:>7d}")
    lines.append("")
    std = f" (std over repeats {cv['macro_f1_std']:.3f})" if cv else ""
    ci = metrics.get("macro_f1_ci")
    ci_text = f" (95% CI {ci[0]:.3f} to {ci[1]:.3f}, bootstrap over {metrics['test']['docs']} documents)" if ci else ""
    lines.append(f"macro-F1  {_fmt(metrics['macro_f1'])}{std}{ci_text}")
    lines.append(f"accuracy  {_fmt(metrics['accuracy'])}")
    lines.append(f"seed rows only ({metrics.get('seed_rows', 0)} rows): macro-F1 {_fmt(metrics.get('seed_macro_f1'))}, "
                 f"accuracy {_fmt(metrics.get('seed_accuracy'))}")
    lines.append("")
    lines.append("baselines       macro-F1  accuracy")
    for name, b in metrics["baselines"].items():
        b_ci = b.get("macro_f1_ci")
        lines.append(f"{name:<14}  {_fmt(b['macro_f1']):>8}  {_fmt(b['accuracy']):>8}"
                     + (f"  (95% CI {b_ci[0]:.3f} to {b_ci[1]:.3f})" if b_ci else ""))
    lines.append("")
    conf = metrics["confusion"]
    labels = conf["labels"]
    cell = max(max(len(l) for l in labels), 5)
    lines.append("confusion (rows: true label, columns: predicted)")
    lines.append(" " * (width + 2) + " ".join(f"{l:>{cell}}" for l in labels))
    for label, row in zip(labels, conf["matrix"]):
        lines.append(f"{label:<{width}}  " + " ".join(f"{v:>{cell}d}" for v in row))
    test = metrics.get("test")
    if test and test.get("labels_unknown_to_model"):
        lines.append("")
        lines.append("labels the model does not know (never predicted): " + ", ".join(test["labels_unknown_to_model"]))
    return "\n".join(lines)
