"""toolkit.batch: serial, process-pool and Dask runs give the same results in input order; the
Dask test starts a real scheduler and two workers on 127.0.0.1."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit import batch
from toolkit.cli import app

runner = CliRunner()


def corpus(seed_paths, folder: Path, copies: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(copies):
        for seed in seed_paths:
            (folder / f"{i:03d}_{seed.name}").write_bytes(seed.read_bytes())
    (folder / "999_empty.txt").write_bytes(b"")  # an error, in its place in the order
    return folder


def first_line(source: str) -> str:
    from toolkit.text.reading import read_text

    return read_text(source)[0].split("\n", 1)[0]


def test_processes_give_the_serial_results_and_errors_in_input_order(seed_paths, tmp_path):
    folder = corpus(seed_paths, tmp_path / "c", 6)
    sources, problems = batch.expand_sources([str(folder), str(tmp_path / "nothing*.txt")])
    assert len(sources) == 31 and problems == [f"{tmp_path / 'nothing*.txt'}: no .txt or .md files found"]
    serial = list(batch.run(first_line, sources))
    pooled = list(batch.run(first_line, sources, jobs=2, chunk_bytes=20_000, min_pool_bytes=0))
    assert [(o.source, o.value, o.error) for o in pooled] == [(o.source, o.value, o.error) for o in serial]
    assert serial[-1].error.endswith("empty file") and serial[0].value


def test_small_batches_run_without_a_pool(seed_paths, tmp_path, monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started for a small batch")

    monkeypatch.setattr(batch, "_in_processes", no_pool)
    sources = [str(p) for p in seed_paths]
    assert [o.value for o in batch.run(first_line, sources, jobs=2)] == [first_line(s) for s in sources]


def test_cli_jobs_output_is_the_serial_output(seed_paths, tmp_path, monkeypatch):
    folder = corpus(seed_paths, tmp_path / "c", 4)
    monkeypatch.setattr(batch, "MIN_POOL_BYTES", 0)
    monkeypatch.setattr(batch, "CHUNK_BYTES", 30_000)
    outs = {}
    for fmt in ("jsonl", "csv"):
        for jobs in ("1", "2"):
            out = tmp_path / f"out{jobs}.{fmt}"
            result = runner.invoke(app, ["classify", str(folder), "--jobs", jobs, "-o", str(out)])
            assert result.exit_code == 1 and "empty file" in result.output  # the empty file, reported
            outs[fmt, jobs] = out.read_bytes()
        assert outs[fmt, "1"] == outs[fmt, "2"]
    assert len(outs["jsonl", "1"].splitlines()) > 20 * 10


@pytest.fixture
def dask_cluster(tmp_path):
    """A real scheduler and two single-thread workers on 127.0.0.1, stopped after the test."""
    import distributed  # noqa: F401  (the test extra installs dask[distributed]: never skipped)
    info = tmp_path / "scheduler.json"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    procs = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                               "--port", "0", "--no-dashboard", "--scheduler-file", str(info)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)]
    try:
        deadline = time.monotonic() + 60
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(info.read_text())["address"]
        for _ in range(2):
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1", "--nworkers", "1",
                 "--host", "127.0.0.1", "--no-dashboard", "--local-directory", str(tmp_path / "w")],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env))
        from distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=90)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_dask_run_equals_the_local_run_byte_for_byte(dask_cluster, seed_paths, tmp_path, monkeypatch):
    folder = corpus(seed_paths, tmp_path / "c", 3)
    monkeypatch.setattr(batch, "CHUNK_BYTES", 20_000)  # several chunks, so order is really tested
    local, remote = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    assert runner.invoke(app, ["classify", str(folder), "-o", str(local)]).exit_code == 1
    result = runner.invoke(app, ["classify", str(folder), "--scheduler", dask_cluster, "-o", str(remote)])
    assert result.exit_code == 1 and "empty file" in result.output
    assert remote.read_bytes() == local.read_bytes()
    # Parquet, the format for big corpora, from the cluster too.
    import pyarrow.parquet as pq

    table = tmp_path / "dask.parquet"
    assert runner.invoke(app, ["classify", str(folder), "--scheduler", dask_cluster, "-o", str(table)]).exit_code == 1
    assert pq.read_table(table).num_rows == len(local.read_text(encoding="utf-8").splitlines())
    # The library directly: outcomes in input order.
    sources, _ = batch.expand_sources([str(folder)])
    outcomes = list(batch.run(functools.partial(first_line), sources, scheduler=dask_cluster, chunk_bytes=20_000))
    assert [o.source for o in outcomes] == sources
