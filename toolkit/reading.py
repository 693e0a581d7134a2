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


def iter_sources(specs: Iterable[str]) -> Iterator[str]:
    """Expand files, folders (recursively, *.txt and *.md), globs and ``-`` into readable sources.

    A spec that matches nothing is yielded as is, so that reading it produces the error that
    names it instead of it vanishing from the batch.
    """
    seen: set[str] = set()
    for spec in specs:
        if spec == STDIN:
            yield STDIN
            continue
        path = Path(spec)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
            )
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


def decode(data: bytes, source: str = "<bytes>") -> tuple[str, str]:
    """Return ``(text, encoding)``; raise InputError when the bytes are not text."""
    if not data.strip():
        raise InputError(source, "empty file")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _strict(data, encoding, source), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16, source), utf16
    if b"\x00" in data:
        raise InputError(source, "binary file, not text")

    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(source, "cannot detect the text encoding (not UTF-8, GB18030 or UTF-16)")
    encoding = best.encoding.lower()
    if encoding in _GB_FAMILY:
        encoding = "gb18030"
    text = _strict(data, encoding, source)
    if _control_ratio(text) > 0.05:
        raise InputError(source, "binary file, not text")
    return text, encoding


def read_text(source: str) -> tuple[str, str]:
    """Read and decode one source; the text has no BOM and ``\\n`` line ends."""
    text, encoding = decode(read_bytes(source), source)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(source, "empty file")
    return text, encoding


def read_document(source: str):
    """Read, clean and segment one article: the unit every command works on."""
    from toolkit.document import Document

    text, encoding = read_text(source)
    name = "<stdin>" if source == STDIN else Path(source).name
    doc = Document.from_text(text, name=name, path=None if source == STDIN else source)
    doc.encoding = encoding
    return doc


def document_from_text(text: str, name: str = "<text>"):
    """Segment a string already in memory, as :func:`read_document` does a file."""
    from toolkit.document import Document

    return Document.from_text(text, name=name)


def _strict(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise InputError(source, f"cannot decode as {encoding}") from None


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
