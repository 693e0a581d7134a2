"""Benchmark: end-to-end ``toolkit classify`` against plain ``jieba.lcut`` over the same text.

The corpus is the five seed articles copied into a temporary folder as many files until it holds
at least ``--mb`` megabytes. The reference is single-process ``jieba.lcut`` (dictionary loaded
before timing) over each file's text. ``toolkit classify`` runs as a user runs it, in a fresh
process: start-up, model load, reading, cleaning, segmenting, features, prediction and writing
JSONL to a file are all inside the timing. Both rates are MB of input file per second, measured
in the same run, so the ratio holds on any machine. Target: ratio >= 2 with ``--jobs 2``.

    python bench/classify.py [--mb 5] [--jobs 2] [--model models/theme.skops]
"""

from __future__ import annotations

import argparse
import logging
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def build_corpus(folder: Path, megabytes: float) -> tuple[list[Path], int]:
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    files: list[Path] = []
    total = 0
    copy = 0
    while total < megabytes * 1_000_000:
        for seed in seeds:
            target = folder / f"{copy:05d}_{seed.name}"
            shutil.copyfile(seed, target)
            files.append(target)
            total += target.stat().st_size
        copy += 1
    return files, total


def time_jieba(files: list[Path]) -> float:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.lcut("预热词典")  # load the dictionary outside the timing
    texts = [f.read_text(encoding="utf-8") for f in files]
    started = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    return time.perf_counter() - started


def time_classify(corpus: Path, model: Path, out: Path, jobs: int) -> float:
    command = [sys.executable, "-m", "toolkit", "classify", str(corpus), "--model", str(model),
               "--format", "jsonl", "--output", str(out), "--jobs", str(jobs)]
    started = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - started


def ensure_model(model: Path, labels: Path, scratch: Path) -> Path:
    if model.exists():
        return model
    print(f"{model} not found: training one from {labels} for the benchmark", file=sys.stderr)
    target = scratch / "theme.skops"
    subprocess.run([sys.executable, "-m", "toolkit", "train", "--labels", str(labels), "--model", str(target),
                    "--no-record"], check=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0, help="corpus size in MB (default 5)")
    parser.add_argument("--jobs", type=int, default=2, help="processes for toolkit classify (default 2)")
    parser.add_argument("--model", type=Path, default=REPO / "models" / "theme.skops")
    parser.add_argument("--labels", type=Path, default=REPO / "labels.csv")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="toolkit-bench-") as tmp:
        scratch = Path(tmp)
        corpus = scratch / "corpus"
        corpus.mkdir()
        files, size = build_corpus(corpus, args.mb)
        mb = size / 1_000_000
        model = ensure_model(args.model, args.labels, scratch)
        out = scratch / "out.jsonl"

        jieba_s = time_jieba(files)
        runs = [(1, time_classify(corpus, model, out, 1))]
        if args.jobs != 1:
            runs.append((args.jobs, time_classify(corpus, model, out, args.jobs)))
        documents = sum(1 for line in out.open(encoding="utf-8") if line.startswith('{"record": "document"'))
        if documents != len(files):
            sys.exit(f"error: {documents} documents in the output for {len(files)} files")

        jieba_rate = mb / jieba_s
        print(f"corpus: {len(files)} files, {mb:.2f} MB (the seeds repeated)")
        print(f"{'':<32}{'seconds':>9}{'MB/s':>9}{'ratio':>8}")
        print(f"{'jieba.lcut (1 process)':<32}{jieba_s:>9.2f}{jieba_rate:>9.2f}{1.0:>8.2f}")
        for jobs, seconds in runs:
            rate = mb / seconds
            print(f"{f'toolkit classify --jobs {jobs}':<32}{seconds:>9.2f}{rate:>9.2f}{rate / jieba_rate:>8.2f}")
        best = max(mb / s for _, s in runs) / jieba_rate
        print(f"target: end-to-end classify >= 2x jieba.lcut: {'met' if best >= 2 else 'NOT met'} ({best:.2f}x)")


if __name__ == "__main__":
    main()
