"""Byte-identity check: the CLI's outputs on the seeds, saved once and compared after a change.

Runs, in a fresh process each, from the repository root:

- ``toolkit classify seeds/ --format jsonl``
- ``toolkit classify seeds/ --level document --format csv``
- ``toolkit summarize seeds/ --format jsonl``
- ``toolkit report seeds/ --format json -o TMP`` (the file written, then stdout/stderr)
- ``toolkit evaluate --test labels.csv --format json``
- ``toolkit model show --format json``

and either saves stdout, stderr and exit code of each (``--save DIR``) or compares them with a saved
set (``--check DIR``), exiting 1 on any byte difference. Only what changes from run to run is
masked: the temporary folder's path (``TMP``) and the report's ``"created"`` timestamp.

    python bench/same_outputs.py --save /tmp/baseline
    python bench/same_outputs.py --check /tmp/baseline
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CREATED = re.compile(rb'"created": "[^"]*"')

COMMANDS: dict[str, list[str]] = {
    "classify_paragraph_jsonl": ["classify", "seeds/", "--format", "jsonl"],
    "classify_document_csv": ["classify", "seeds/", "--level", "document", "--format", "csv"],
    "summarize_jsonl": ["summarize", "seeds/", "--format", "jsonl"],
    "report_json": ["report", "seeds/", "--format", "json", "-o", "{tmp}/report.json"],
    "evaluate_json": ["evaluate", "--test", "labels.csv", "--format", "json"],
    "model_show_json": ["model", "show", "--format", "json"],
}


def run_all() -> dict[str, bytes]:
    """Every command's outputs, as ``{name.part: bytes}``."""
    outputs: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in COMMANDS.items():
            argv = [a.replace("{tmp}", tmp) for a in args]
            proc = subprocess.run(
                [sys.executable, "-m", "toolkit", *argv], cwd=REPO, capture_output=True
            )
            mask = tmp.encode()
            outputs[f"{name}.stdout"] = proc.stdout.replace(mask, b"TMP")
            outputs[f"{name}.stderr"] = proc.stderr.replace(mask, b"TMP")
            outputs[f"{name}.rc"] = str(proc.returncode).encode()
            written = Path(tmp) / "report.json"
            if name == "report_json":
                data = written.read_bytes() if written.exists() else b"<missing>"
                outputs[f"{name}.file"] = CREATED.sub(b'"created": "MASKED"', data.replace(mask, b"TMP"))
    return outputs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path, metavar="DIR", help="write the outputs into DIR")
    group.add_argument("--check", type=Path, metavar="DIR", help="compare the outputs with DIR")
    args = parser.parse_args(argv)
    outputs = run_all()
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        for name, data in outputs.items():
            (args.save / name).write_bytes(data)
        print(f"saved {len(outputs)} outputs to {args.save}")
        return 0
    differ = []
    for name, data in outputs.items():
        saved = args.check / name
        if not saved.exists() or saved.read_bytes() != data:
            differ.append(name)
    extra = sorted(p.name for p in args.check.iterdir() if p.name not in outputs)
    for name in differ:
        print(f"DIFFERS: {name}")
    for name in extra:
        print(f"MISSING now: {name}")
    if differ or extra:
        return 1
    print(f"identical: {len(outputs)} outputs match {args.check}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
