"""Peak memory of ``toolkit classify`` on one 50 MB article of unique paragraphs (target: <= 600 MB).

Builds the article in a temporary folder from the seeds' body paragraphs, each made unique by a
number, runs ``toolkit classify ARTICLE -f jsonl -o OUT`` in a subprocess and prints its peak
resident set size (``ru_maxrss`` of the child) and the ratio to the target.

    python bench/memory.py [--mb 50] [--level paragraph|document]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_MB = 600


def build(path: Path, megabytes: float) -> int:
    paragraphs = [line.strip() for seed in sorted((REPO / "seeds").glob("*.txt"))
                  for line in seed.read_text(encoding="utf-8").splitlines() if len(line.strip()) > 40]
    size, n = 0, 0
    with open(path, "w", encoding="utf-8") as out:
        while size < megabytes * 1e6:
            text = f"{paragraphs[n % len(paragraphs)]}第{n}段。\n\n"
            out.write(text)
            size += len(text.encode("utf-8"))
            n += 1
    return n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=50)
    parser.add_argument("--level", default="paragraph")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp) / "huge.txt"
        n = build(article, args.mb)
        command = [sys.executable, "-m", "toolkit", "classify", str(article), "--level", args.level,
                   "-f", "jsonl", "-o", str(Path(tmp) / "out.jsonl")]
        started = time.perf_counter()
        run = subprocess.run(command, capture_output=True, text=True)
        took = time.perf_counter() - started
        if run.returncode:
            sys.exit(run.stderr)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    print(f"{args.mb:.0f} MB article, {n} unique paragraphs, --level {args.level}: peak RSS {peak_mb:.0f} MB "
          f"in {took:.0f} s; {peak_mb / TARGET_MB:.2f} of the {TARGET_MB} MB target")


if __name__ == "__main__":
    main()
