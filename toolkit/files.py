"""Safe writes: a crash or Ctrl-C must never leave a half-written model, labels file or record.

A regular file is written to a temporary file in the destination's own directory (same file
system, so the final ``os.replace`` is atomic) and renamed into place only when complete.
Anything else that already exists at the target (a FIFO, a character device such as a terminal,
a socket) is written in place: renaming over it would replace the device or pipe with a regular
file and its reader would get nothing.

Temporary names carry the writing process's id (``.NAME.PID.XXXX.tmp``); a process killed before
it could clean up leaves one behind, and the next write to the same directory removes those whose
process is gone.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from typing import IO, Iterator

from toolkit.errors import ToolkitError

STDOUT = "-"
_TEMP = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def is_special(path: str | os.PathLike) -> bool:
    """True when ``path`` exists and is not a regular file or a directory (FIFO, device, socket)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    except OSError:
        return False
    return True


def clean_stale_temps(directory: str | os.PathLike) -> list[Path]:
    """Remove temporary files and directories left in ``directory`` by writers that were killed."""
    removed = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP.match(entry.name)
        if not match or _alive(int(match.group(1))):
            continue
        path = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
        except OSError:
            pass
    return removed


def _temp_prefix(target: Path) -> str:
    return f".{target.name}.{os.getpid()}."


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a path to write ``path``'s new content to.

    For a regular (or new) file this is a temporary file beside it, renamed over ``path`` only if
    the block succeeds. For an existing FIFO or device it is ``path`` itself: written in place,
    never renamed over.
    """
    target = Path(path)
    if target.is_dir():
        raise ToolkitError(f"{target}: is a directory; give a file name to write to")
    if is_special(target):
        yield target
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_temps(target.parent)
        fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(target), suffix=".tmp", dir=target.parent)
    except OSError as exc:
        blocking = next((p for p in target.parents if p.is_file()), None)
        reason = f"{blocking} is a file, not a directory" if blocking else (exc.strerror or str(exc))
        raise ToolkitError(f"{target}: cannot write here ({reason})") from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp makes the file owner-only; give it the permissions an ordinary write would
        os.chmod(tmp_path, 0o666 & ~_umask())
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


@contextlib.contextmanager
def open_output(path: str | os.PathLike | None, binary: bool = False, encoding: str = "utf-8") -> Iterator[IO]:
    """A stream to write one output to: standard output for ``None`` or ``-`` (left open),
    otherwise ``path`` through :func:`atomic_path` (complete when the block ends normally; an
    error inside leaves an existing file as it was)."""
    if path is None or str(path) == STDOUT:
        if binary:
            yield sys.stdout.buffer
            sys.stdout.buffer.flush()
        else:
            yield sys.stdout
            sys.stdout.flush()
        return
    with atomic_path(path) as tmp:
        with open(tmp, "wb") if binary else open(tmp, "w", encoding=encoding, newline="") as stream:
            yield stream


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def atomic_write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> None:
    atomic_write_bytes(path, text.encode(encoding))


@contextlib.contextmanager
def atomic_directory(path: str | os.PathLike) -> Iterator[Path]:
    """Build a directory under a temporary name and rename it into place when complete.

    ``os.rename`` of a directory fails if the target exists, so two writers never merge records.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_temps(target.parent)
        tmp = Path(tempfile.mkdtemp(prefix=_temp_prefix(target), suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise ToolkitError(f"{target.parent}: cannot create a directory here ({exc.strerror or exc})") from None
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())
        os.rename(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """True when both paths name one existing file (through links, ``..`` or case)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def sha256_file(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
