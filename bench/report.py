"""``toolkit report`` on a corpus of 300 articles: time and file size (targets: <= 60 s, <= 15 MB).

Builds the corpus in a temporary folder: six outlets (folders) of 50 articles each, every article
a seed article (menus, bylines and captions included) followed by ten written paragraphs of
labels.csv, with a publication line (``发布时间:YYYY-MM-DD HH:MM``) over two years, each paragraph
made unique by a number. Then runs ``toolkit report CORPUS -o report.html`` in a fresh process
(imports and model loading included) and prints the time, the page's size and both ratios to
their targets; ``--jobs 2`` adds a run with two processes.

    python bench/report.py [--articles 300] [--jobs 2]
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_S, TARGET_MB = 60, 15
OUTLETS = 6


def build(corpus: Path, articles: int) -> tuple[int, int]:
    rng = random.Random(14)
    seeds = [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]
    with open(REPO / "labels.csv", encoding="utf-8-sig", newline="") as fh:
        written = [row["text"] for row in csv.DictReader(fh) if row.get("source") == "written"]
    size = 0
    for i in range(articles):
        folder = corpus / f"outlet-{i % OUTLETS + 1}"
        folder.mkdir(parents=True, exist_ok=True)
        month, day = 1 + i % 24, 1 + i % 28
        lines = [f"发布时间:{2021 + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}-{day:02d} 09:30", ""]
        for n, line in enumerate(seeds[i % len(seeds)].splitlines()):
            lines.append(f"{line}（{i}-{n}）" if len(line.strip()) > 40 else line)
        lines += [f"{text}（{i}）" for text in rng.sample(written, 10)]
        text = "\n\n".join(lines) + "\n"
        (folder / f"article-{i:03d}.txt").write_text(text, encoding="utf-8")
        size += len(text.encode("utf-8"))
    return articles, size


def run(corpus: Path, out: Path, jobs: int) -> float:
    command = [sys.executable, "-m", "toolkit", "report", str(corpus), "-o", str(out), "--force", "--jobs", str(jobs)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    took = time.perf_counter() - started
    if done.returncode:
        sys.exit(done.stderr)
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=2, help="also time a run with this many processes (1: skip)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus, out = Path(tmp) / "corpus", Path(tmp) / "report.html"
        n, size = build(corpus, args.articles)
        print(f"corpus: {n} articles in {OUTLETS} folders, {size / 1e6:.1f} MB of text")
        for jobs in sorted({1, args.jobs}):
            took = run(corpus, out, jobs)
            mb = out.stat().st_size / 1e6
            print(f"toolkit report --jobs {jobs}: {took:.1f} s ({took / n * 1000:.0f} ms per article), "
                  f"{mb:.1f} MB ({mb / (size / 1e6):.2f}× the text); "
                  f"{took / TARGET_S:.2f} of the {TARGET_S} s target, {mb / TARGET_MB:.2f} of the {TARGET_MB} MB target")


if __name__ == "__main__":
    main()
