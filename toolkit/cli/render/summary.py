"""``toolkit summarize`` as text, and as flat rows for tables."""

from __future__ import annotations

from typing import IO

COLUMNS = [("path", "str"), ("doc", "str"), ("candidates", "int"), ("sentences", "int"), ("summary", "str"),
           ("positions", "str"), ("keywords", "str"), ("keyphrases", "str")]


def _where(s) -> str:
    return f"p{s.paragraph} s{s.sentence}" + (f"-{s.last_sentence}" if s.last_sentence != s.sentence else "")


def write_text(summary, stream: IO[str]) -> None:
    if summary.empty:
        return
    n = len(summary.sentences)
    lines = [f"{summary.path or summary.doc}: {n} of {summary.candidates} "
             f"{'passage' if summary.candidates == 1 else 'passages'} (a quotation counts as one)"]
    for s in summary.sentences:
        lines.append(f"  {_where(s)}  {s.score:.2f}  {s.text}")
    if summary.keywords:
        lines.append("  keywords: " + ", ".join(f"{k.word} {k.weight:.2f}" for k in summary.keywords))
    if summary.keyphrases:
        lines.append("  keyphrases: " + ", ".join(f"{k.word} {k.weight:.2f}" for k in summary.keyphrases))
    stream.write("\n".join(lines) + "\n\n")


def rows(summary) -> list[dict]:
    """One row per article: its summary sentences joined, their positions, keywords and keyphrases."""
    path = summary.path or ("-" if summary.doc == "<stdin>" else summary.doc)
    return [{
        "path": path, "doc": summary.doc, "candidates": summary.candidates, "sentences": len(summary.sentences),
        "summary": "".join(s.text for s in summary.sentences),
        "positions": " ".join(_where(s) for s in summary.sentences),
        "keywords": " ".join(k.word for k in summary.keywords),
        "keyphrases": " ".join(k.word for k in summary.keyphrases),
    }]


def records(summary) -> list[dict]:
    return [summary.to_dict()]
