"""Batches of documents: expand sources, run a function over each, serially, in processes or on a
Dask cluster, and get the results (and the errors) back in input order.

Why it is built this way:

- Work goes out in *chunks* of about :data:`CHUNK_BYTES` of input, so a worker's round trip
  (pickling the function, the results) is paid per megabyte, not per file.
- Workers should return what the caller will write (serialised lines), not result objects: the
  parent then only copies strings, instead of spending its time unpickling objects.
- No pool for small batches: below :data:`MIN_POOL_BYTES` of input, or with one chunk, starting
  workers costs more than it saves, so the batch runs in this process.
- Processes are *forked* where the platform allows (Linux): a worker starts with everything the
  parent has imported and loaded, in milliseconds, instead of importing it all again.
- A bounded number of chunks is in flight at a time (:data:`WINDOW` per worker), and results are
  yielded as soon as the next one in order is ready, so memory stays flat however big the corpus.
- Dask (``pip install 'toolkit[dask]'``): ``scheduler="tcp://HOST:PORT"`` sends the chunks to a
  running cluster, ``"local"`` starts a LocalCluster of ``jobs`` workers. Sources must be paths
  the workers can read (a shared file system); functions that need a model should take its path
  and load it with :func:`toolkit.themes.model.cached_model`, once per worker process.

The library never prints: a source that cannot be read comes back as an :class:`Outcome` with
its ``error``; the caller reports it. Any other exception ends the batch where it happened.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Sequence

from toolkit.errors import InputError, SettingError, ToolkitError

#: Input bytes per chunk of work sent to a worker.
CHUNK_BYTES = 1_000_000
#: Below this much input, a batch runs in this process whatever ``jobs`` says.
MIN_POOL_BYTES = 2_000_000
#: Chunks in flight per worker.
WINDOW = 3


@dataclass
class Outcome:
    """One source's result, or the one-line reason it could not be read (``error``)."""

    source: str
    value: Any = None
    error: str | None = None


def expand_sources(paths: Iterable[str]) -> tuple[list[str], list[str]]:
    """Sources to read, and the problems already found (a spec matching nothing, a folder that
    cannot be listed, a broken link), each a one-line message naming the path."""
    from toolkit.text.reading import iter_sources

    sources: list[str] = []
    problems: list[str] = []
    for spec in paths:
        try:
            sources.extend(iter_sources([spec], on_problem=lambda path, problem: problems.append(f"{path}: {problem}")))
        except InputError as exc:
            problems.append(str(exc))
    return sources, problems


def run(func: Callable[[str], Any], sources: Sequence[str], jobs: int = 1, scheduler: str | None = None,
        chunk_bytes: int = CHUNK_BYTES, min_pool_bytes: int = MIN_POOL_BYTES) -> Iterator[Outcome]:
    """``func(source)`` for every source, yielded as :class:`Outcome` in input order.

    ``jobs`` processes on this machine, or with ``scheduler`` a Dask cluster (its address, or
    ``"local"``). ``func`` must be picklable for either (a module-level function or a
    :func:`functools.partial` of one).
    """
    sources = list(sources)
    chunks = _chunks(sources, chunk_bytes)
    if scheduler is None and (jobs <= 1 or len(chunks) <= 1 or _size(sources) < min_pool_bytes) or "-" in sources:
        for source in sources:
            yield _outcome(func, source)
        return
    if scheduler is not None:
        yield from _on_dask(func, chunks, scheduler, jobs)
        return
    yield from _in_processes(func, chunks, jobs)


def run_chunk(func: Callable[[str], Any], chunk: Sequence[str]) -> list[Outcome]:
    """What a worker runs: ``func`` over one chunk of sources."""
    return [_outcome(func, source) for source in chunk]


def _outcome(func: Callable[[str], Any], source: str) -> Outcome:
    try:
        return Outcome(source, func(source))
    except InputError as exc:
        return Outcome(source, error=str(exc))


def _bytes(source: str) -> int:
    """A source's size on disk; 0 for standard input or a file that vanished (it fails later, in order)."""
    try:
        return os.stat(source).st_size
    except OSError:
        return 0


def _size(sources: Sequence[str]) -> int:
    return sum(_bytes(source) for source in sources)


def _chunks(sources: Sequence[str], chunk_bytes: int) -> list[list[str]]:
    chunks: list[list[str]] = []
    current: list[str] = []
    size = 0
    for source in sources:
        size += _bytes(source)
        current.append(source)
        if size >= chunk_bytes:
            chunks.append(current)
            current, size = [], 0
    if current:
        chunks.append(current)
    return chunks


def _in_order(submit: Callable[[list[str]], Any], result: Callable[[Any], list[Outcome]],
              chunks: list[list[str]], window: int) -> Iterator[Outcome]:
    """Submit up to ``window`` chunks ahead and yield their outcomes in input order."""
    pending: deque = deque()
    queue = iter(chunks)
    for chunk in queue:
        pending.append(submit(chunk))
        if len(pending) >= window:
            break
    while pending:
        outcomes = result(pending.popleft())
        for chunk in queue:
            pending.append(submit(chunk))
            break
        yield from outcomes


def _in_processes(func, chunks: list[list[str]], jobs: int) -> Iterator[Outcome]:
    import multiprocessing
    import warnings
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if sys.platform.startswith("linux") else None
    context = multiprocessing.get_context(method)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork with threads (numpy's own)
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
    try:
        yield from _in_order(lambda chunk: pool.submit(run_chunk, func, chunk), lambda f: f.result(),
                             chunks, WINDOW * jobs)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _on_dask(func, chunks: list[list[str]], scheduler: str, jobs: int) -> Iterator[Outcome]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ToolkitError("a Dask cluster needs distributed: pip install 'toolkit[dask]'") from None
    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=max(jobs, 1), threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout="30s")
        except (OSError, TimeoutError) as exc:
            raise SettingError("scheduler", scheduler, f"cannot reach the Dask scheduler ({exc})") from None
    try:
        workers = max(1, sum(client.nthreads().values()))
        yield from _in_order(lambda chunk: client.submit(run_chunk, func, chunk, pure=False),
                             lambda future: future.result(), chunks, WINDOW * workers)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
