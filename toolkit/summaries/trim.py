"""Shorter quotations without changing a character: a long quotation cut to its core sentence, a
bracketed definition left out.

An editor quoting a long statement keeps its point and who said it: “甲。乙。丙。”王力说。 becomes
“乙。”王力说。, the most central of the quoted sentences with its marks and its attribution. A
bracketed definition (…农村集体经济组织（以下简称“集体组织”）…) interrupts the sentence it sits
in and is left out when that leaves every other character as it was. Either way the quoted text
is made of spans of the paragraph, each quoted exactly; :attr:`Unit.spans` lists them, so a reader
can see where something was left out.
"""

from __future__ import annotations

import math
import re
from typing import Sequence

from toolkit.text.patterns import CLOSING_QUOTES, OPENING_QUOTES, QUOTE_MARKS

#: A quotation of two or more sentences longer than this (characters of the unit, attribution
#: included) is cut to its core sentence.
LONG_QUOTATION = 80
#: The core sentence must be a sentence: at least this many Han or alphanumeric characters.
MIN_CORE_CHARS = 8

_TERMINALS = re.compile(r"[。！？!?；;]")
_BRACKET = re.compile(r"[（(]([^（）()]{1,60})[)）]")
#: What a bracket that defines or glosses a term opens with.
_DEFINITION = re.compile(r"^(?:以下简称|以下稱|下称|下稱|简称|簡稱|又称|又稱|亦称|亦稱|俗称|俗稱|全称|全稱|英文|英语|英語|即|是指|指)")
_SHORT_NAME = re.compile(r"[“「]([^”」]{1,20})[”」]|(?:简称|簡稱|下称|下稱)([\u3400-\u9fff]{2,12})$")
_PUNCT_BEFORE = re.compile(r"[，。！？；：、,.!?;:“”「」‘’《》（）()\s]")


def quotation_core(text: str, start: int, sentences: Sequence[tuple[int, int]], terms: Sequence[list[str]],
                   others: Sequence[list[str]]) -> list[tuple[int, int]] | None:
    """Spans of a long quotation cut to its most central sentence, and that sentence's index.

    ``text`` is the paragraph, the unit its sentences ``sentences`` (paragraph offsets, the
    unit's own, in order) starting at ``start``; ``terms`` are each sentence's terms and
    ``others`` the terms of the document's other candidate units. None when the unit is not a
    long quotation of two or more sentences with its attribution before or after it.
    """
    end = sentences[-1][1]
    if end - start <= LONG_QUOTATION:
        return None
    unit = text[start:end]
    marks = [(m.start() + start, m.group()) for m in QUOTE_MARKS.finditer(unit)]
    if not marks or marks[0][1] not in OPENING_QUOTES or marks[-1][1] not in CLOSING_QUOTES:
        return None
    opening, closing = marks[0][0], marks[-1][0]
    if _depth_returns_to_zero_before(marks):
        return None  # two quotations, not one
    before, after = text[start:opening], text[closing + 1 : end]
    if not (_content(before) >= 2 or _content(after) >= 2):
        return None  # a quotation with no attribution: cutting it would lose who said it
    inner = []
    for index, (a, b) in enumerate(sentences):
        a, b = max(a, opening + 1), min(b, closing)
        while b > a and text[b - 1] in CLOSING_QUOTES:
            b -= 1
        if b > a and _content(text[a:b]) > 0:
            inner.append((index, a, b))
    if len(inner) < 2:
        return None
    best, best_score = None, -1.0
    other_sets = [(set(o), len(o)) for o in others]
    for index, a, b in inner:
        core = text[a:b]
        if _content(core) < MIN_CORE_CHARS or not _balanced(core) or not _TERMINALS.search(core[-1:] or ""):
            continue
        score = _centrality(terms[index], other_sets)
        if score > best_score + 1e-12:
            best, best_score = (index, a, b), score
    if best is None:
        return None
    index, a, b = best
    spans = [(start, opening + 1), (a, b), (closing, end)]
    return [(x, y) for x, y in spans if y > x]


def definition_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The unit ``text[start:end]`` as spans with its bracketed definitions left out.

    A bracket is left out only when nothing else changes: it defines or glosses the term right
    before it (以下简称…, 简称…, 即…, 英文…, 是指…), holds no sentence end and balanced quotation
    marks, stands after a character rather than punctuation, and the short name it defines is not
    used later in the unit (else the rest would use a name the quotation never introduced).
    """
    spans, pos = [], start
    for m in _BRACKET.finditer(text, start, end):
        inside = m.group(1).strip()
        if not _DEFINITION.match(inside) or _TERMINALS.search(inside) or not _balanced(inside):
            continue
        if m.start() <= start or _PUNCT_BEFORE.match(text[m.start() - 1]):
            continue
        short = _SHORT_NAME.search(inside)
        name = short and (short.group(1) or short.group(2))
        if name and name in text[m.end() : end]:
            continue
        spans.append((pos, m.start()))
        pos = m.end()
    if not spans:
        return [(start, end)]
    spans.append((pos, end))
    return [(a, b) for a, b in spans if b > a]


def _centrality(terms: list[str], others: Sequence[tuple[set[str], int]]) -> float:
    """The sentence's summed TextRank similarity with the other units (textrank4zh's formula)."""
    mine = set(terms)
    total = 0.0
    for other, size in others:
        shared = len(mine & other)
        denominator = math.log(max(len(terms), 1)) + math.log(max(size, 1))
        if shared and denominator > 1e-12:
            total += shared / denominator
    return total


def _depth_returns_to_zero_before(marks: list[tuple[int, str]]) -> bool:
    depth = 0
    for i, (_, mark) in enumerate(marks):
        depth += 1 if mark in OPENING_QUOTES else -1
        if depth == 0 and i < len(marks) - 1:
            return True
    return False


def _balanced(text: str) -> bool:
    depth = 0
    for mark in QUOTE_MARKS.findall(text):
        depth += 1 if mark in OPENING_QUOTES else -1
        if depth < 0:
            return False
    return depth == 0


def _content(text: str) -> int:
    from toolkit.text.patterns import CONTENT_CHAR

    return len(CONTENT_CHAR.findall(text))
