"""``toolkit experiments`` reports: the same content as rich tables on the terminal or GitHub markdown.

The library (:mod:`toolkit.runs.store`) returns JSON-ready data; this module only lays it out as
blocks (:mod:`toolkit.cli.render.blocks`), so ``--format json`` and the tables can never disagree.
"""

from __future__ import annotations

from typing import Any

from toolkit.cli.render.blocks import Heading, Lines, Report, Table, plural, print_report, to_markdown  # noqa: F401
from toolkit.runs.comparison import value_text
from toolkit.runs.statistics import as_number, cv_spread
from toolkit.runs.verdict import evidence
from toolkit.themes.labels import WRITTEN_DOC_PREFIX as WRITTEN_PREFIX

#: Below this many documents a bootstrap over documents has few distinct resamples and is known to
#: give intervals narrower than they should be; the report says so beside the interval.
FEW_DOCUMENTS = 10


def _show(value: Any) -> str:
    return value_text(value)


def _fig(value: Any, digits: int = 3) -> str:
    number = as_number(value)
    if number is None:
        return "—"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return f"{number:.{digits}f}"


def _change(value: Any, integer: bool = False) -> str:
    number = as_number(value)
    if number is None:
        return "—"
    if integer:
        return f"{int(round(number)):+d}" if round(number) else "0"
    return f"{number:+.3f}" if abs(number) >= 0.0005 else "0"


def _when(created: str) -> str:
    return created.replace("T", " ")[:16] if created else "—"


def overview_report(data: dict) -> Report:
    runs = data["runs"]
    if not runs:
        return [Lines([f"no runs in {data.get('root') or 'this directory'} yet; 'toolkit train' records one"])]
    # A run's id ends with its name (20261123T204050Z-default): a name column would say it twice.
    named = any(not r["id"].endswith(f"-{r['name']}") for r in runs)
    columns = ["id"] + (["name"] if named else []) + ["created", "rows", "macro-F1", "accuracy"]
    has_seed = any(r["seed_macro_f1"] is not None for r in runs)
    if has_seed:
        columns.append("seed macro-F1")
    if not data["same_labels"]:
        columns.append("labels")
    columns += data["differing_params"]
    rows = []
    for r in runs:
        f1 = _fig(r["macro_f1"])
        if r["macro_f1_std"] is not None and r["macro_f1"] is not None:
            f1 += f" ± {r['macro_f1_std']:.3f}"
        row = [r["id"]] + ([r["name"]] if named else []) + [_when(r["created"]), _fig(r["rows"]), f1, _fig(r["accuracy"])]
        if has_seed:
            row.append(_fig(r["seed_macro_f1"]))
        if not data["same_labels"]:
            row.append((r["labels_sha256"] or "?")[:8])
        row += [_show(r["params"].get(k)) if k in r["params"] else "—" for k in data["differing_params"]]
        rows.append(row)
    numeric = {i for i, c in enumerate(columns) if c in ("rows", "macro-F1", "accuracy", "seed macro-F1")}
    report: Report = [Table(f"{plural(len(runs), 'run')}, best macro-F1 first",
                            columns, rows, numeric=numeric)]
    notes = []
    if not data["same_labels"]:
        notes.append("runs were trained on different labels files (see the labels column): "
                     "their figures are not directly comparable")
    if len(runs) > 1 and not data["differing_params"]:
        notes.append("all runs share the same parameters")
    if notes:
        report.append(Lines(notes))
    return report


def details_report(data: dict) -> Report:
    info, metrics, params = data["run"], data["metrics"], data["params"]
    labels = info.get("labels") or {}
    model = info.get("model") or {}
    versions = info.get("versions") or {}
    git = info.get("git") or {}
    facts = [
        f"name: {info.get('name', '—')}",
        f"created: {info.get('created', '—')}, took {_fig(info.get('duration_s'), 1)} s",
        f"labels: {labels.get('path', '—')} ({labels.get('rows', '—')} rows, {labels.get('docs', '—')} docs, "
        f"sha256 {str(labels.get('sha256', ''))[:12]}): "
        + ", ".join(f"{k} {v}" for k, v in (labels.get("counts") or {}).items()),
        f"model: {model.get('path', '—')} (sha256 {str(model.get('sha256', ''))[:12]})" if model else "model: not saved",
        "versions: " + ", ".join(f"{k} {v}" for k, v in versions.items() if v),
    ]
    if git:
        facts.append(f"git: {git.get('commit', '')[:12]}{' with uncommitted changes' if git.get('dirty') else ''}")
    if info.get("command"):
        facts.append("command: " + " ".join(info["command"]))
    facts.append(f"directory: {data['path']}")
    report: Report = [Heading(f"run {data['id']}"), Lines(facts)]

    cv = metrics.get("cv") if isinstance(metrics.get("cv"), dict) else {}
    spread = cv_spread(metrics)
    figures = [["model", _fig(metrics.get("macro_f1")), _fig(spread),
                _fig(metrics.get("accuracy")), _fig(metrics.get("seed_macro_f1"))]]
    for name, base in (metrics.get("baselines") or {}).items():
        if isinstance(base, dict):
            figures.append([f"baseline: {name}", _fig(base.get("macro_f1")), "—", _fig(base.get("accuracy")),
                            _fig(base.get("seed_macro_f1"))])
    title = "cross-validated figures"
    if cv:
        title += " (" + ", ".join(f"{k} {_show(v)}" for k, v in cv.items()
                                  if k != "macro_f1_std" and not isinstance(v, (list, dict))) + ")"
    report.append(Table(title, ["", "macro-F1", "sd", "accuracy", "seed macro-F1"], figures, numeric={1, 2, 3, 4}))

    per_class = metrics.get("per_class") or {}
    if per_class:
        report.append(Table("per class", ["label", "precision", "recall", "F1", "support"], [
            [label, _fig(m.get("precision")), _fig(m.get("recall")), _fig(m.get("f1")), _fig(m.get("support"))]
            for label, m in per_class.items()
        ], numeric={1, 2, 3, 4}))
    conf = metrics.get("confusion")
    if isinstance(conf, dict) and conf.get("labels"):
        report.append(Table("confusion (rows: coded, columns: predicted)", ["coded"] + list(conf["labels"]), [
            [label] + [str(v) for v in conf["matrix"][i]] for i, label in enumerate(conf["labels"])
        ], numeric=set(range(1, len(conf["labels"]) + 1))))
    flat = {k: v for k, v in params.items() if k != "pipeline"}
    if flat:
        report.append(Table("parameters", ["parameter", "value"], [[k, _show(v)] for k, v in flat.items()]))
    return report


def _pairing(labels: dict, paired: dict) -> str:
    left_out = ""
    if labels.get("left_out_a") or labels.get("left_out_b"):
        left_out = (f"; left out: {labels['left_out_a']} of A's {labels['rows_a']} rows and "
                    f"{labels['left_out_b']} of B's {labels['rows_b']}")
    if labels["same_file"]:
        return (f"paired over {paired['paragraphs']} paragraphs of the same labels file "
                f"(sha256 {labels['sha256_a'][:12]}), row by row{left_out}")
    return (f"different labels files (sha256 {labels['sha256_a'][:12]} vs {labels['sha256_b'][:12]}): "
            f"paired over the {paired['paragraphs']} paragraphs coded the same way in both "
            f"(A has {labels['rows_a']}, B has {labels['rows_b']}){left_out}; the metrics below are each run "
            f"on its own file")


def _test_lines(subject: str, paired: dict) -> list[str]:
    """The macro-F1 change and its interval, for all paired paragraphs (no subject) or for a subset."""
    documents = paired["resample"] != "paragraph"
    unit = f"documents ({paired['units']})" if documents else "paragraphs"
    change = f"A {paired['macro_f1_a']:.3f}, B {paired['macro_f1_b']:.3f}, change {paired['difference']:+.3f}"
    interval = ""
    if "ci" in paired:
        interval = (f"{round(paired['confidence'] * 100)}% CI of the change: {paired['ci'][0]:+.3f} to "
                    f"{paired['ci'][1]:+.3f} (paired bootstrap, {paired['resamples']} resamples of {unit}, "
                    f"seed {paired['seed']})")
        if documents and paired["units"] < FEW_DOCUMENTS:
            interval += f"; from only {paired['units']} documents the interval is rough"
    if subject:
        return [f"{subject}: macro-F1 {change}" + (f"; {interval}" if interval else "")]
    return [f"macro-F1 on the paired paragraphs: {change}"] + ([interval] if interval else [])


def format_p(p: float) -> str:
    """A p-value as it reads in a sentence: ``= 0.032``, ``< 0.001``."""
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def _moved_most(per_class: dict, top: int = 2) -> str:
    """``"; F1 moved most in talent (+0.500), ecology (+0.167)"``, or nothing when no class moved."""
    moved = sorted(((label, c["change"]) for label, c in per_class.items() if abs(c["change"]) >= 0.0005),
                   key=lambda item: (-abs(item[1]), item[0]))
    if not moved:
        return ""
    return "; F1 moved most in " + ", ".join(f"{label} ({change:+.3f})" for label, change in moved[:top])


def verdict_summary(boot: dict) -> str:
    """The verdict (:func:`toolkit.runs.verdict.verdict`) as one line a researcher can act on.

    Every reason given is computed: the classes whose F1 moved most on the paired paragraphs,
    and, when whole documents are resampled, how many documents hold the paragraphs that changed.
    """
    boot_sign, mc_sign = evidence(boot)
    mc = boot["mcnemar"]
    fixed, broken, p = mc["b_only_correct"], mc["a_only_correct"], mc["p"]
    level = round(boot["confidence"] * 100)
    diff = boot["difference"]
    counts = f"B fixes {plural(fixed, 'paragraph')} A got wrong and breaks {broken}"
    moved = _moved_most(boot.get("per_class_f1") or {})
    if boot_sign and boot_sign == mc_sign:
        word = "better" if boot_sign > 0 else "worse"
        return (f"B is {word} than A beyond noise: macro-F1 {diff:+.3f} ({level}% CI excludes 0), "
                f"{counts} (McNemar p {format_p(p)}){moved}")
    if not boot_sign and not mc_sign:
        what = "no change in any prediction" if fixed == broken == 0 else (
            f"the macro-F1 change ({diff:+.3f}) is within noise and {counts} (McNemar p {format_p(p)})"
        )
        return f"no detectable difference: {what}"
    if boot_sign and not mc_sign:
        side = "higher" if boot_sign > 0 else "lower"
        return (f"mixed evidence: B's macro-F1 is {side} beyond noise ({diff:+.3f}), but {counts}, a split "
                f"chance could give (McNemar p {format_p(p)}){moved}; treat it as a lead, not a result")
    if mc_sign and not boot_sign:
        side = "more" if mc_sign > 0 else "fewer"
        where = ""
        if boot.get("resample") == "doc" and "docs_changed" in boot:
            where = (f" when whole documents are resampled: the paragraphs B fixes or breaks lie in "
                     f"{boot['docs_changed']} of {plural(boot['docs'], 'document')}")
        return (f"mixed evidence: B gets {side} paragraphs right beyond noise ({counts}, McNemar p {format_p(p)}), "
                f"but its macro-F1 change ({diff:+.3f}) is within noise{where}{moved}")
    return (f"mixed evidence: B's macro-F1 moves {diff:+.3f} beyond noise while {counts} (McNemar p {format_p(p)})"
            f"{moved}")


def with_summary(data: dict) -> dict:
    """:func:`toolkit.runs.comparison.compare_runs`'s data with ``summary``, the verdict in words,
    which every format of ``experiments compare`` shows (json too)."""
    return {**data, "summary": verdict_summary(data["paired"])}


def comparison_report(data: dict) -> Report:
    a, b, labels, paired = data["a"], data["b"], data["labels"], data["paired"]
    mc = paired["mcnemar"]
    report: Report = [
        Heading(f"A {a['id']}  vs  B {b['id']}"),
        Lines([f"verdict: {verdict_summary(paired)}"]),
    ]
    lines = [_pairing(labels, paired), *_test_lines("", paired)]
    lines.append(
        f"accuracy A {paired['accuracy_a']:.3f}, B {paired['accuracy_b']:.3f}; only A right: {mc['a_only_correct']}, "
        f"only B right: {mc['b_only_correct']}, both right: {mc['both_correct']}, both wrong: {mc['both_wrong']}; "
        f"McNemar exact p {format_p(mc['p'])}"
    )
    seed = data.get("paired_seed")
    if seed:
        lines += _test_lines(f"seed rows ({seed['paragraphs']} paragraphs from real articles, docs not named "
                             f"{WRITTEN_PREFIX}*)", seed)
    else:
        lines.append(f"seed rows: none among the paired paragraphs (every doc is named {WRITTEN_PREFIX}*)")
    report.append(Lines(lines))

    tabled = [p for p in data["params"] if p["in_table"]]
    if tabled:
        report.append(Table("parameters that differ", ["parameter", "A", "B"], [
            [p["key"], _show(p["a"]) if p["in_a"] else "—", _show(p["b"]) if p["in_b"] else "—"] for p in tabled
        ]))
    hidden = len(data["params"]) - len(tabled)
    if not data["params"]:
        report.append(Lines(["parameters: identical"]))
    elif hidden:
        report.append(Lines([f"{plural(hidden, 'pipeline parameter')} also differ "
                             f"(long values, or the settings above under scikit-learn's names; --format json lists them)"]))

    overall = [m for m in data["metrics"] if ".per_class." not in m["metric"]]
    if overall:
        report.append(Table("metrics (from each run's metrics.json)", ["metric", "A", "B", "change"], [
            [m["metric"], _fig(m["a"]), _fig(m["b"]),
             _change(m["change"], isinstance(m["a"], int) and isinstance(m["b"], int))]
            for m in overall
        ], numeric={1, 2, 3}))
    if data["per_class"]:
        rows = []
        for c in data["per_class"]:
            rows.append([c["label"]] + [
                cell for measure in ("precision", "recall", "f1")
                for cell in (_fig(c[measure]["a"]), _fig(c[measure]["b"]), _change(c[measure]["change"]))
            ] + [f"{_fig(c['support']['a'])} → {_fig(c['support']['b'])}"
                 if c["support"]["a"] != c["support"]["b"] else _fig(c["support"]["a"])])
        report.append(Table("per class", ["label", "precision A", "B", "Δ", "recall A", "B", "Δ", "F1 A", "B", "Δ",
                                          "support"], rows, numeric=set(range(1, 11))))
    conf = data["confusion"]
    if conf and any(v for row in conf["change"] for v in row):
        report.append(Table("confusion change B − A (rows: coded, columns: predicted)", ["coded"] + conf["labels"], [
            [label] + [_change(v, integer=True) for v in conf["change"][i]] for i, label in enumerate(conf["labels"])
        ], numeric=set(range(1, len(conf["labels"]) + 1))))
    return report
