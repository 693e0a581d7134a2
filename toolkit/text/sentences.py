"""Sentence boundaries for Chinese prose as news sites write it.

A sentence ends at 。！？；… (and their ASCII forms, which scrapers produce), and the closing quotes
and brackets after the mark stay with it, so a quoted sentence is quoted whole. A full stop in a
number (2.1万元, 5.54%) is never a boundary because ASCII ``.`` is not a terminal here.
"""

from __future__ import annotations

import re

_ENDS = "。！？!?；;…"
_CLOSERS = "”’」』）)】》\"'"
_TERMINAL = re.compile(rf"(?:[{_ENDS}]|\.{{3,}})+[{_CLOSERS}]*")


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends at a sentence boundary (closing quotes and brackets aside)."""
    return text.rstrip(_CLOSERS)[-1:] in _ENDS
_CONTENT = re.compile(r"[\w\u3400-\u9fff]")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of the sentences of ``text``, white space trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _TERMINAL.finditer(text):
        _add(text, start, match.end(), spans)
        start = match.end()
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and _CONTENT.search(text, start, end):
        spans.append((start, end))
