"""Benchmark: end-to-end ``toolkit classify`` against plain ``jieba.lcut`` over the same text.

The corpus is the five seed articles copied into a temporary folder as many files until it holds
at least ``--mb`` megabytes. The reference is single-process ``jieba.lcut`` over each file's text,
its dictionary loaded before timing. ``toolkit classify`` is timed the same way: the command's own
function runs in this process with the model loaded (and, for ``--jobs 2``, the workers started)
by a first pass, then a second pass is timed: reading, decoding, cleaning, segmenting, features,
prediction and writing JSONL to a file. The cold start of a fresh ``toolkit classify`` process
(interpreter, imports, model load, workers) is timed too and printed apart. Both rates are MB of
input file per second, measured in the same run, so the ratio holds on any machine.
Target: the warm ``--jobs 2`` rate >= 2x the jieba.lcut rate.

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
    """The ``toolkit classify`` command function in this process; a warm-up pass, then the timed one."""
    from toolkit.cli.classify import classify

    def run() -> None:
        classify(paths=[str(corpus)], model=model, format_="jsonl", output=out, jobs=jobs)

    run()
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def time_cold(corpus: Path, model: Path, out: Path, jobs: int) -> float:
    """A fresh ``toolkit classify`` process, as a user runs it: start-up and model load included."""
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
        warm = [(1, time_classify(corpus, model, out, 1))]
        if args.jobs != 1:
            warm.append((args.jobs, time_classify(corpus, model, out, args.jobs)))
        documents = sum(1 for line in out.open(encoding="utf-8") if line.startswith('{"record": "document"'))
        if documents != len(files):
            sys.exit(f"error: {documents} documents in the output for {len(files)} files")
        cold = time_cold(corpus, model, out, args.jobs)

        jieba_rate = mb / jieba_s
        rows = [("jieba.lcut, 1 process", jieba_s)]
        rows += [(f"toolkit classify --jobs {jobs}", seconds) for jobs, seconds in warm]
        rows.append((f"  cold process, --jobs {args.jobs}", cold))
        print(f"corpus: {len(files)} files, {mb:.2f} MB (the seeds repeated)")
        print(f"{'':<34}{'seconds':>9}{'MB/s':>9}{'ratio':>8}")
        for label, seconds in rows:
            print(f"{label:<34}{seconds:>9.2f}{mb / seconds:>9.2f}{mb / seconds / jieba_rate:>8.2f}")
        ratio = mb / warm[-1][1] / jieba_rate
        print(f"target: classify --jobs {warm[-1][0]} >= 2x jieba.lcut: {'met' if ratio >= 2 else 'NOT met'} ({ratio:.2f}x)")


if __name__ == "__main__":
    main()
