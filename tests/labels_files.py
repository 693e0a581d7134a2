"""Writing a labels file from rows, for tests (the toolkit itself never writes labels.csv)."""

from __future__ import annotations

import csv
from pathlib import Path


def write_labels(path: str | Path, rows: list) -> None:
    """Write UTF-8 with BOM (so Excel shows Chinese) and CRLF-free rows, atomically."""
    from toolkit.files import atomic_path

    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["doc", "text", "label", "source"])
            for r in rows:
                if isinstance(r, dict):
                    writer.writerow([r["doc"], r["text"], r["label"], r.get("source", "")])
                else:
                    writer.writerow([r.doc, r.text, r.label, r.source])
