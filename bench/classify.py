"""Benchmark: ``toolkit classify`` against references measured in the same run; prints ratios.

The corpus is the five seed articles copied into a temporary folder until it holds ``--mb`` MB.

- start-up: a fresh ``toolkit classify`` process on one small article (the smallest seed), against
  a process that only imports numpy, scipy.sparse and opencc. Target: <= 2.5x.
- whole process: ``toolkit classify CORPUS --format jsonl -o FILE`` (``--mb``, default 5), against
  plain single-process ``jieba.lcut`` over the same texts (dictionary loaded first). Target >= 3x.
- warm, one core: the library (:func:`toolkit.batch.run` over :func:`toolkit.themes.results.code_file`,
  JSONL lines written to a file) with the model loaded, in MB/s. Target >= 6 MB/s. The floor
  printed beside it is the same reading, OpenCC and scoring in the fewest steps (whole files,
  no cleaning, no paragraphs, no output).
- ``--jobs 2`` against ``--jobs 1``, whole processes, on ``--mb-jobs`` MB (default 20), with the
  parent's peak memory on half and all of it (flat memory: about the same). Target >= 1.5x.

Every rate is MB of input file per second; the ratios hold on any machine, but a machine busy with
other work (check ``uptime``) slows the parallel run most.

    python bench/classify.py [--mb 5] [--mb-jobs 20] [--model models/theme.skops]
"""

from __future__ import annotations

import argparse
import functools
import logging
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PEAK = ("import resource, sys\nfrom toolkit.cli import main\ntry:\n    main()\nfinally:\n"
        "    print('peak_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n")


def build_corpus(folder: Path, megabytes: float) -> tuple[list[Path], int]:
    folder.mkdir(parents=True, exist_ok=True)
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    files, total, copy = [], 0, 0
    while total < megabytes * 1_000_000:
        for seed in seeds:
            target = folder / f"{copy:05d}_{seed.name}"
            shutil.copyfile(seed, target)
            files.append(target)
            total += target.stat().st_size
        copy += 1
    return files, total


def process(args: list[str]) -> tuple[float, int]:
    """Seconds of a fresh ``toolkit`` process, and its peak memory in KB."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, *args], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"error: toolkit {' '.join(args)} failed:\n{done.stderr}")
    peak = [int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("peak_kb")]
    return seconds, peak[-1] if peak else 0


def best(times: int, run) -> float:
    return min(run() for _ in range(times))


def time_imports() -> float:
    def once() -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import numpy, scipy.sparse, opencc"], check=True)
        return time.perf_counter() - started

    return best(3, once)


def time_jieba(files: list[Path]) -> float:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.lcut("预热词典")
    texts = [f.read_text(encoding="utf-8") for f in files]
    started = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    return time.perf_counter() - started


def jsonl_lines(result) -> str:
    """What ``toolkit classify --format jsonl`` writes for one document (from its columns, as the CLI)."""
    from toolkit.records import json_table

    return json_table(*result.table("paragraph"))


def time_warm(files: list[Path], model: Path, out: Path) -> float:
    from toolkit import batch
    from toolkit.coding.drift import PairBudget
    from toolkit.themes.model import cached_model
    from toolkit.themes.results import code_file

    loaded = cached_model(model)
    sources = [str(f) for f in files]

    def once() -> float:
        # as a serial ``toolkit classify`` run: one drift budget for the run's documents
        work = functools.partial(code_file, model=loaded, serialize=jsonl_lines, budget=PairBudget())
        started = time.perf_counter()
        with out.open("w", encoding="utf-8") as stream:
            for outcome in batch.run(work, sources):
                stream.write(outcome.value.output)
        return time.perf_counter() - started

    once()
    return once()


def time_floor(files: list[Path], model: Path) -> float:
    """Read, OpenCC and score each whole file: the same work in the fewest steps."""
    from toolkit.text.cleaning import to_simplified
    from toolkit.themes.model import cached_model

    loaded = cached_model(model)
    started = time.perf_counter()
    texts = [to_simplified(f.read_text(encoding="utf-8")) for f in files]
    for start in range(0, len(texts), 200):
        loaded.predict_proba(texts[start:start + 200])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0, help="corpus for the whole-process run (default 5)")
    parser.add_argument("--mb-jobs", type=float, default=20.0, help="corpus for --jobs 2 vs 1 (default 20)")
    parser.add_argument("--model", type=Path, default=REPO / "models" / "theme.skops")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="toolkit-bench-") as tmp:
        scratch = Path(tmp)
        out = scratch / "out.jsonl"
        small = min((REPO / "seeds").glob("*.txt"), key=lambda p: p.stat().st_size)
        imports = time_imports()
        startup = best(3, lambda: process(["classify", str(small), "--model", str(args.model),
                                           "--format", "jsonl", "-o", str(out), "--force"])[0])
        files, size = build_corpus(scratch / "corpus", args.mb)
        mb = size / 1e6
        jieba_s = time_jieba(files)
        whole, _ = process(["classify", str(scratch / "corpus"), "--model", str(args.model), "-o", str(out), "--force"])
        warm = time_warm(files, args.model, out)
        floor = time_floor(files, args.model)

        big, big_size = build_corpus(scratch / "big", args.mb_jobs)
        half, half_size = build_corpus(scratch / "half", args.mb_jobs / 2)
        big_mb = big_size / 1e6
        runs = {}
        for jobs in (1, 2):
            runs[jobs] = process(["classify", str(scratch / "big"), "--model", str(args.model), "--jobs", str(jobs),
                                  "-o", str(out), "--force"])
        _, half_peak = process(["classify", str(scratch / "half"), "--model", str(args.model), "-o", str(out), "--force"])

        print(f"start-up: one article ({small.stat().st_size / 1000:.1f} kB) {startup:.2f} s; "
              f"import numpy+scipy.sparse+opencc {imports:.2f} s; ratio {startup / imports:.2f}x (target <= 2.5x)")
        print(f"whole process, {len(files)} files, {mb:.1f} MB: toolkit classify {whole:.2f} s ({mb / whole:.2f} MB/s); "
              f"jieba.lcut {jieba_s:.2f} s ({mb / jieba_s:.2f} MB/s); ratio {jieba_s / whole:.2f}x (target >= 3x)")
        print(f"warm, one core: {mb / warm:.2f} MB/s (target >= 6); floor (read+OpenCC+score whole files) "
              f"{mb / floor:.2f} MB/s; {warm / floor:.2f}x the floor's time")
        (t1, peak1), (t2, peak2) = runs[1], runs[2]
        print(f"--jobs on {big_mb:.1f} MB: --jobs 1 {t1:.2f} s, --jobs 2 {t2:.2f} s; ratio {t1 / t2:.2f}x (target >= 1.5x)")
        print(f"parent peak memory: {half_size / 1e6:.1f} MB corpus {half_peak / 1024:.0f} MB, "
              f"{big_mb:.1f} MB corpus {peak1 / 1024:.0f} MB (--jobs 2: {peak2 / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
