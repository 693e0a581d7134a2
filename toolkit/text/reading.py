"""Turning what the user points at (files, folders, globs, stdin) into decoded articles.

Articles arrive as UTF-8 (with or without BOM), GB18030/GBK or UTF-16 from web scrapes and
Windows tools. Exact checks (BOMs, strict UTF-8, UTF-16's NUL pattern) come first because they
cannot be wrong; charset-normalizer decides the rest. A file that is empty, binary or undecodable
raises :class:`InputError` naming it, so that a batch can report it and go on.
"""

from __future__ import annotations

import codecs
import glob
import os
import sys
from pathlib import Path
from typing import Iterable, Iterator

from toolkit.errors import InputError

STDIN = "-"
ARTICLE_SUFFIXES = (".txt", ".md")

# Chinese single-byte-looking encodings all decode as GB18030, their superset.
_GB_FAMILY = {"gb2312", "gbk", "cp936", "gb18030", "hz", "euc_cn"}


def iter_sources(specs: Iterable[str], on_problem=None) -> Iterator[str]:
    """Expand files, folders (recursively, *.txt and *.md), globs and ``-`` into readable sources.

    A spec that matches nothing is yielded as is, so that reading it produces the error that
    names it instead of it vanishing from the batch. Inside folders, a subfolder that cannot be
    listed and a link that leads nowhere are passed to ``on_problem(path, problem)`` (when given)
    rather than skipped without a word.
    """
    seen: set[str] = set()
    report = on_problem or (lambda path, problem: None)
    for spec in specs:
        if spec == STDIN:
            yield STDIN
            continue
        path = Path(spec)
        if path.is_dir():
            found = _walk(path, report)
        elif path.exists():
            found = [path]
        elif glob.has_magic(spec):
            found = sorted(Path(p) for p in glob.glob(spec, recursive=True) if Path(p).is_file())
        else:
            found = [path]
        if not found:
            raise InputError(spec, "no .txt or .md files found")
        for p in found:
            key = os.path.normpath(str(p))
            if key not in seen:
                seen.add(key)
                yield str(p)


def _walk(folder: Path, report) -> list[Path]:
    found = []

    def unlistable(exc: OSError) -> None:
        report(exc.filename or str(folder), f"cannot list this folder ({exc.strerror or exc}); skipped")

    for root, dirs, files in os.walk(folder, onerror=unlistable, followlinks=False):
        dirs.sort()
        for name in sorted(files) + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            path = Path(root, name)
            if path.suffix.lower() not in ARTICLE_SUFFIXES:
                continue
            if path.is_symlink() and not path.exists():
                report(str(path), "broken link (leads nowhere); skipped")
            elif path.is_file():
                found.append(path)
    return sorted(found)


def read_bytes(source: str) -> bytes:
    if source == STDIN:
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except IsADirectoryError:
        raise InputError(source, "is a directory") from None
    except OSError as exc:
        raise InputError(source, f"cannot read ({exc.strerror or exc})") from None


#: How many undecodable bytes a file may have and still be read (with each replaced by U+FFFD and
#: a warning counting them): a few in a thousand is a cut-off last character or stray bytes; more
#: is the wrong encoding, or not text.
MAX_REPLACED_SHARE = 0.002
MAX_REPLACED_MIN = 8


def decode(data: bytes, source: str = "<bytes>") -> tuple[str, str]:
    """Return ``(text, encoding)``; raise InputError when the bytes are not text."""
    text, encoding, _ = decode_counted(data, source)
    return text, encoding


def decode_counted(data: bytes, source: str = "<bytes>") -> tuple[str, str, int]:
    """``(text, encoding, replaced)``: like :func:`decode`, and how many undecodable bytes were
    replaced by U+FFFD (a few are tolerated, see :data:`MAX_REPLACED_SHARE`)."""
    if not data.strip():
        raise InputError(source, "empty file")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return (*_tolerant(data, encoding, source), )
    try:
        return data.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(data)
    if utf16:
        return (*_tolerant(data, utf16, source), )
    if b"\x00" in data:
        raise InputError(source, "binary file, not text")
    almost = _nearly(data, "utf-8")
    if almost is not None:
        return almost
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        # charset-normalizer gives up on a GB18030 file with a few bad bytes; GB18030 decodes
        # nearly every byte pair, so a handful of replacements says it is the encoding.
        almost = _nearly(data, "gb18030")
        if almost is not None and _control_ratio(almost[0]) <= 0.05:
            return almost
        raise InputError(source, "cannot detect the text encoding (not UTF-8, GB18030 or UTF-16)")
    encoding = best.encoding.lower()
    if encoding in _GB_FAMILY:
        encoding = "gb18030"
    text, encoding, replaced = _tolerant(data, encoding, source)
    if _control_ratio(text) > 0.05:
        raise InputError(source, "binary file, not text")
    return text, encoding, replaced


def _allowed_replacements(data: bytes) -> int:
    return max(MAX_REPLACED_MIN, int(len(data) * MAX_REPLACED_SHARE))


def _nearly(data: bytes, encoding: str) -> tuple[str, str, int] | None:
    """``data`` decoded with replacements when only a few bytes fail, else None."""
    text = data.decode(encoding, errors="replace")
    replaced = text.count("\ufffd") - data.decode(encoding, errors="ignore").count("\ufffd")
    # Mostly good multi-byte text: a file in another encoding read as UTF-8 has almost none.
    decoded = sum(1 for ch in text[:100_000] if ord(ch) > 127 and ch != "\ufffd")
    if 0 < replaced <= _allowed_replacements(data) and decoded >= 20 * min(replaced, 5_000):
        return text, encoding, replaced
    return None


def _tolerant(data: bytes, encoding: str, source: str) -> tuple[str, str, int]:
    try:
        return data.decode(encoding), encoding, 0
    except LookupError:
        raise InputError(source, f"cannot decode as {encoding}") from None
    except UnicodeDecodeError:
        pass
    almost = _nearly(data, encoding)
    if almost is None:
        raise InputError(source, f"cannot decode as {encoding}")
    return almost


def read_text(source: str) -> tuple[str, str]:
    """Read and decode one source; the text has no BOM and ``\\n`` line ends."""
    text, encoding, _ = read_text_counted(source)
    return text, encoding


def read_text_counted(source: str) -> tuple[str, str, int]:
    """:func:`read_text`, and how many undecodable bytes became U+FFFD."""
    text, encoding, replaced = decode_counted(read_bytes(source), source)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(source, "empty file")
    return text, encoding, replaced


def read_document(source: str):
    """Read, clean and segment one article: the unit every command works on."""
    from toolkit.text.document import Document

    text, encoding, replaced = read_text_counted(source)
    name = "<stdin>" if source == STDIN else Path(source).name
    return Document.from_text(text, name=name, path=None if source == STDIN else source, encoding=encoding,
                              replaced=replaced)


def document_from_text(text: str, name: str = "<text>"):
    """Segment a string already in memory, as :func:`read_document` does a file
    (:meth:`~toolkit.text.document.Document.from_text`)."""
    from toolkit.text.document import Document

    return Document.from_text(text, name=name)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: the byte order whose decoding reads as Chinese or ASCII text.

    Chinese text in UTF-16 has few NULs (only its ASCII digits and commas make them), so the NUL
    count alone cannot tell; a decoding that is almost all CJK, ASCII and punctuation can.
    """
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:
        return None
    best, best_score = None, 0.0
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data[:8000].decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _text_likeness(text)
        if score > best_score:
            best, best_score = encoding, score
    return best if best_score > 0.97 else None


def _text_likeness(text: str) -> float:
    if not text:
        return 0.0
    good = 0
    for ch in text:
        code = ord(ch)
        if (
            32 <= code < 127
            or ch in "\n\r\t"
            or 0x3000 <= code <= 0x303F
            or 0x3400 <= code <= 0x9FFF
            or 0xFF00 <= code <= 0xFFEF
            or 0x2000 <= code <= 0x206F
            or 0x00A0 <= code <= 0x024F
        ):
            good += 1
    return good / len(text)


def _control_ratio(text: str) -> float:
    sample = text[:4000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / len(sample)
