"""Tables for the terminal (rich), kept apart from the commands that decide what to show."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from toolkit.labels import is_seed_doc


def console() -> Console:
    return Console(soft_wrap=False)


def print_label_report(report) -> None:
    out = console()
    table = Table(title=f"{report.path}: {len(report.rows)} rows", title_justify="left")
    table.add_column("label")
    table.add_column("rows", justify="right")
    table.add_column("share", justify="right")
    for label, n in sorted(report.label_counts().items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row(label, str(n), f"{n / len(report.rows):.0%}")
    out.print(table)
    docs = Table(title="by document", title_justify="left")
    docs.add_column("doc")
    docs.add_column("rows", justify="right")
    docs.add_column("labels")
    per_doc: dict[str, dict[str, int]] = {}
    for r in report.rows:
        per_doc.setdefault(r.doc, {}).setdefault(r.label, 0)
        per_doc[r.doc][r.label] += 1
    written = {d: c for d, c in per_doc.items() if not is_seed_doc(d)}
    for doc, counts in per_doc.items():
        if doc in written:
            continue
        docs.add_row(doc, str(sum(counts.values())), ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if written:
        totals: dict[str, int] = {}
        for counts in written.values():
            for k, v in counts.items():
                totals[k] = totals.get(k, 0) + v
        docs.add_row(f"written-* ({len(written)} docs)", str(sum(totals.values())),
                     ", ".join(f"{k} {v}" for k, v in sorted(totals.items())))
    out.print(docs)


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
