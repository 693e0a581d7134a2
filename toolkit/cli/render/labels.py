"""``toolkit labels`` outputs: the check's tables, the sheet to code, the suspects of an audit."""

from __future__ import annotations

from toolkit.cli.render.blocks import Report, Table


def check_report(data: dict) -> Report:
    """``labels check`` (data from :meth:`toolkit.themes.labels.LabelReport.to_dict`): rows per label,
    then per document, the team-written documents (``written-*``) pooled into one row."""
    total = data["rows"]
    labels = Table(f"{data['path']}: {total} row{'s' if total != 1 else ''}", ["label", "rows", "share"],
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
        docs.rows.append([f"written-* ({count} doc{'s' if count != 1 else ''})", str(sum(written.values())),
                          _counts(dict(sorted(written.items())))])
    return [labels, docs]


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
