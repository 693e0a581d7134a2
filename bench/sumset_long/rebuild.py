"""Rebuild the long non-news summary evaluation set from local copies of its public sources.

Two kinds of long document with a summary written by people, not taken from the text:

* **meeting** — segments of Chinese meeting and talk transcripts from VCSum (Wu et al., ACL
  Findings 2023; ``hahahawu/VCSum``, ``vcsum_data/short_dev.txt`` and ``short_test.txt``): one
  topic segment of a transcript, one speaker turn a paragraph, and the annotators' summary of
  that segment (``discussion``). Speech has no lead: nobody opens a segment with its point.
* **judgment** — first-instance civil judgments from CAIL2020 司法摘要 (the 20 training examples
  ``bojone/SPACES`` ships in ``datasets/train.json``), one line of the judgment a line, and the
  summary written for the competition by the China Justice Big Data Institute. A judgment opens
  with its title, court, case number and parties, not with its point.

Only documents of 40 or more sentences (source lines for judgments, transcript sentences for
meetings) and 1,000 or more characters are kept. The summaries are not part of the text the
summarisers see.

``sources.jsonl`` holds, per pair: its id and kind, the repository, commit, file and line (0-based
line of the JSON-lines file) with the record's own id, and the SHA-256 of the document text and of
the summary. No text is committed; this script extracts both with ``git show``, checks the hashes
and writes

    bench/out/sumset_long/<id>.txt          the document, one paragraph (or judgment line) a line
    bench/out/sumset_long/<id>.summary.txt  the reference summary

    python bench/sumset_long/rebuild.py --sources /work/.mirror     # bare mirrors or clones
    python bench/sumset_long/rebuild.py --sources DIR --select      # maintainers: choose anew

``--sources DIR`` holds each repository as ``DIR/owner+name/repo``, ``DIR/owner+name``,
``DIR/owner/name`` or ``DIR/name`` (as for bench/sumset). The code of those repositories is never
run: only their JSON-lines files are read.
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

def _news_set_helpers():
    """The news set's rebuild module (bench/sumset/rebuild.py): one style, one copy of its helpers."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("sumset_rebuild", HERE.parent / "sumset" / "rebuild.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_news = _news_set_helpers()
git_base, sha = _news.git_base, _news.sha

OUT = ROOT / "bench" / "out" / "sumset_long"
SOURCES = HERE / "sources.jsonl"
MIN_SENTENCES, MIN_CHARS = 40, 1000
#: (kind, repository, files) of every source, in the order the ids are given.
FILES = [
    ("meeting", "hahahawu/VCSum", ("vcsum_data/short_dev.txt", "vcsum_data/short_test.txt")),
    ("judgment", "bojone/SPACES", ("datasets/train.json",)),
]


def pair(kind: str, record: dict) -> tuple[str, str, int]:
    """(document, summary, sentences) of one record."""
    if kind == "meeting":
        turns = record["context"]
        document = "\n".join("".join(s.strip() for s in turn) for turn in turns)
        return document, record["discussion"].strip(), sum(len(turn) for turn in turns)
    lines = [s["sentence"].strip() for s in record["text"] if s["sentence"].strip()]
    return "\n".join(lines), record["summary"].strip(), len(lines)


def records(base: list[str], commit: str, path: str):
    text = subprocess.check_output(base + ["show", f"{commit}:{path}"]).decode("utf-8")
    for line, raw in enumerate(text.splitlines()):
        if raw.strip():
            yield line, json.loads(raw)


def select(root: Path) -> list[dict]:
    rows = []
    for kind, repo, paths in FILES:
        base = git_base(root, repo)
        commit = subprocess.check_output(base + ["rev-parse", "HEAD"], text=True).strip()
        for path in paths:
            for line, record in records(base, commit, path):
                document, summary, sentences = pair(kind, record)
                if sentences < MIN_SENTENCES or len(document) < MIN_CHARS or not summary:
                    continue
                rows.append({"kind": kind, "repo": repo, "commit": commit, "path": path, "line": line,
                             "record": str(record["id"]), "sentences": sentences,
                             "document_sha256": sha(document), "summary_sha256": sha(summary)})
    counters: dict[str, int] = {}
    for row in rows:
        number = counters[row["kind"]] = counters.get(row["kind"], -1) + 1
        row["id"] = f"{row['kind']}-{number:03d}"
    return rows


def rebuild(root: Path, rows: list[dict]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    bases: dict[str, list[str]] = {}
    files: dict[tuple[str, str], dict[int, dict]] = {}
    bad = 0
    for row in rows:
        if row["repo"] not in bases:
            bases[row["repo"]] = git_base(root, row["repo"])
        key = (row["commit"], row["path"])
        if key not in files:
            files[key] = dict(records(bases[row["repo"]], row["commit"], row["path"]))
        record = files[key].get(row["line"], {})
        document, summary, _ = pair(row["kind"], record) if str(record.get("id")) == row["record"] else ("", "", 0)
        bad += not _news.write_pair(OUT, row["id"], document, summary, row["document_sha256"], row["summary_sha256"])
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=Path, required=True, help="folder holding copies of the source repositories")
    parser.add_argument("--select", action="store_true", help="maintainers: choose the pairs anew into sources.jsonl")
    args = parser.parse_args()
    if args.select:
        rows = select(args.sources)
        SOURCES.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    rows = [json.loads(line) for line in SOURCES.read_text(encoding="utf-8").splitlines() if line.strip()]
    bad = rebuild(args.sources, rows)
    kinds = {k: sum(r["kind"] == k for r in rows) for k, _, _ in FILES}
    print(f"{len(rows) - bad} of {len(rows)} pairs written to {OUT} ({', '.join(f'{n} {k}' for k, n in kinds.items())})")
    if bad:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
