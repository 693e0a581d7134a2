"""``toolkit labels`` outputs: the check's tables, the sheet to code, the suspects of an audit, and
the agreement of two coders."""

from __future__ import annotations

from toolkit.cli.render.blocks import Report, Table, plural


def check_report(data: dict) -> Report:
    """``labels check`` (data from :meth:`toolkit.themes.labels.LabelReport.to_dict`): rows per label,
    then per document, the team-written documents (``written-*``) pooled into one row."""
    total = data["rows"]
    labels = Table(f"{data['path']}: {plural(total, 'row')}", ["label", "rows", "share"],
                   [[label, str(n), f"{n / total:.0%}"] for label, n in data["labels"].items()], numeric={1, 2})
    docs = Table("by document", ["doc", "rows", "labels"], [], numeric={1})
    written: dict[str, int] = {}
    count = 0
    for doc in data["documents"]:
        if doc["seed"]:
            docs.rows.append([doc["doc"], str(doc["rows"]), _counts(doc["labels"])])
            continue
        count += 1
        for label, n in doc["labels"].items():
            written[label] = written.get(label, 0) + n
    if written:
        docs.rows.append([f"written-* ({plural(count, 'doc')})", str(sum(written.values())),
                          _counts(dict(sorted(written.items())))])
    return [labels, docs]


def sheet_note(output, suggestions) -> str:
    """``labels suggest -o SHEET``'s line on standard output: what the sheet holds."""
    docs = len({s.doc for s in suggestions})
    return f"{output}: {len(suggestions)} paragraphs from {plural(docs, 'document')} to code"


def _counts(counts: dict) -> str:
    return ", ".join(f"{label} {n}" for label, n in counts.items())


#: The sheet ``labels suggest`` writes for a coder: ``label`` is left empty to fill in.
SHEET_COLUMNS = (("doc", "str"), ("paragraph", "int"), ("text", "str"), ("label", "str"),
                 ("suggested", "str"), ("confidence", "float"))
#: ``labels audit``: the most suspicious rows first.
AUDIT_COLUMNS = (("row", "int"), ("doc", "str"), ("text", "str"), ("label", "str"),
                 ("suggested", "str"), ("score", "float"), ("flagged", "bool"))


def write_suggestions(suggestions, stream) -> None:
    """The suggestions as a readable list: document, paragraph, suggested theme, confidence, text."""
    for s in suggestions:
        stream.write(f"{s.doc} #{s.paragraph}  {s.suggested} {s.confidence:.2f}  {s.text[:60]}\n")


def write_suspects(suspects, stream) -> None:
    """One line per row: row, given label -> suggested, score, doc, the start of the text."""
    stream.write("  row  label -> suggested       score  doc / text   (* flagged by confident learning)\n")
    for s in suspects:
        change = f"{s.label} -> {s.suggested}"
        stream.write(f"{s.row:>5}  {change:<24}{s.score:.3f}{'*' if s.flagged else ' '} {s.doc}: {s.text[:60]}\n")


def agreement_text(result: dict) -> str:
    """:func:`toolkit.coding.agreement.compare_coders`'s figures as plain text lines, for a terminal,
    a log or a methods section."""

    def fig(value):
        return "-" if value is None else f"{value:.3f}"

    def ci(name):
        bounds = result["ci"][name]
        return "" if bounds is None else f"  ({result['ci']['level']:.0%} CI {bounds[0]:.3f} to {bounds[1]:.3f})"

    lines = [f"coder A: {result['coders']['a']}", f"coder B: {result['coders']['b']}",
             f"{result['n']} paragraphs coded by both; bootstrap over {result['ci']['resampled']}s, "
             f"{result['ci']['n_boot']} resamples", "",
             f"percent agreement   {result['agreement']:.1%}{ci('agreement')}",
             f"Cohen's kappa       {fig(result['kappa'])}{ci('kappa')}",
             f"Krippendorff alpha  {fig(result['alpha'])}{ci('alpha')}  (nominal)", ""]
    width = max(len(label) for label in result["per_label"]) + 2
    lines.append(f"{'label':<{width}}{'A':>6}{'B':>6}{'both':>6}  agreement")
    for label, s in result["per_label"].items():
        lines.append(f"{label:<{width}}{s['coder_a']:>6}{s['coder_b']:>6}{s['both']:>6}  {s['agreement']:.3f}")
    conf = result["confusion"]
    cell = max(max(len(label) for label in conf["labels"]), 4)
    lines += ["", "confusion (rows: coder A, columns: coder B)",
              " " * width + " ".join(f"{label:>{cell}}" for label in conf["labels"])]
    for label, row in zip(conf["labels"], conf["matrix"]):
        lines.append(f"{label:<{width}}" + " ".join(f"{v:>{cell}d}" for v in row))
    return "\n".join(lines)
