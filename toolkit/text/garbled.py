"""Repair of text that a scraper decoded from GBK one byte off, starting at a quote boundary.

When the page's decoder loses one byte (always the lead byte of a ``。“``/``。”`` pair in our
corpus) every following two-byte character is read as (trail of one, lead of the next), which
yields a run of rare characters, kana and symbols such as ``⒗``. The shift persists until a
byte in ASCII range (``h``, ``d``) realigns the decoder, or until the decoder gives up and
writes ``?`` (sometimes swallowing the next ASCII byte). Because the garbled characters still encode the shifted bytes,
re-encoding them and pairing the bytes the other way round restores the original characters.

This module runs *before* the pinyin-gloss remover in :mod:`toolkit.text.cleaning`: a run can swallow
the ``(`` of the gloss that follows it (``?jīng)``), and we put it back so the remover sees it.
A lost byte can also sit *before* such an orphaned gloss tail, with the shift after it:
``當?shù)剞r(nóng)`` is 當(dāng)地(dì)農(nóng) with 地's lead byte lost; 剞r is D8|DE 72, the trail of 地 and
then 農. The tail belongs to no character that survives, so it is dropped with the run.

Plausibility ("is this Chinese prose?") uses the codecs of the standard library rather than
jieba's dictionary: a character is common when it is in GB2312 level 1 (Simplified, lead byte
0xB0-0xD7) or Big5 level 1 (Traditional, 0xA440-0xC67E). The seeds are Traditional, which
GB2312 alone would reject (總, 們, 樣), and jieba's dict.txt is mostly Simplified (no 樣, 黨)
and costs a multi-megabyte read; the codec test is exact, free and needs no data file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby

from toolkit.text.patterns import PINYIN_SYLLABLE

# A gloss whose "(" the run swallowed: jīng) right where the run stops.
_TAIL = rf"{PINYIN_SYLLABLE}\)"
_GLOSS_TAIL = re.compile(_TAIL)
# A gloss with its "(" still there: (jīng).
_OPEN_GLOSS = re.compile(rf"\({_TAIL}")
# An orphaned tail right after a lost byte, with the shifted run after it: ?shù)剞r.
_ORPHAN = re.compile(rf"{_TAIL}(?=[^\x00-\x7f])")
# Cheap prefilter: a lost byte shows as ? or U+FFFD, followed by !/！, a non-ASCII character or an
# orphaned gloss tail (a tone mark is required, so why?so) and Q?A) do not fire).
_TRIGGER = re.compile(rf"[?\ufffd](?=[!！]|[^\x00-\x7f]|{_TAIL}[^\x00-\x7f])")
_SHORT = 6  # an orphan-tail run is a character or two; longer ones are not this damage
# The character before a run, past its gloss: 當 in 當(dāng)?shù)剞r. Context for filling a lost one.
_BEFORE = re.compile(rf"([^\x00-\x7f])(?:\({_TAIL})?\Z")
_PUNCT = frozenset("，。、；：？！“”‘’（）《》〈〉「」『』【】—…·％")
_LOST = "\ufffd"
_MAX_RUN = 64  # the shift never survived more than a sentence; longer "runs" are coincidences


@dataclass(frozen=True)
class GarbledRun:
    start: int
    end: int
    original: str


@lru_cache(maxsize=16384)
def _common(ch: str) -> bool:
    for codec, lo, hi in (("gb2312", 0xB0A1, 0xD7FE), ("big5", 0xA440, 0xC67E)):
        try:
            if lo <= int.from_bytes(ch.encode(codec), "big") <= hi:
                return True
        except UnicodeEncodeError:
            pass
    return ch in _PUNCT


def _han(ch: str) -> bool:
    return ch != "" and _common(ch) and ch not in _PUNCT


def _implausible(ch: str) -> bool:
    return ord(ch) > 0x7F and ch != _LOST and not _common(ch)


@lru_cache(maxsize=16384)  # pure, and runs re-pair the same few characters over and over
def _enc(ch: str) -> bytes | None:
    # gb18030 knows a few pairs gbk lacks (and the reverse), so a char may round-trip in only one.
    for codec in ("gbk", "gb18030"):
        try:
            b = ch.encode(codec)
        except UnicodeEncodeError:
            continue
        if len(b) == 2:
            return b
    return None


@lru_cache(maxsize=16384)
def _dec(pair: bytes) -> str | None:
    # Pairs a decoder cannot map (or maps to private use) are the ones it silently drops.
    for codec in ("gbk", "gb18030"):
        try:
            s = pair.decode(codec)
        except UnicodeDecodeError:
            continue
        if len(s) == 1 and not 0xE000 <= ord(s) <= 0xF8FF:
            return s
    return None


# A walk state entry is (char, doubtful, lead, trail): the bytes are kept so that a character lost
# or swallowed by the decoder can later be filled in from context under the same byte constraints.
def _walk(text: str, j: int, pending: int, out: tuple):
    """Yield (entries, end, restore_paren) for every reading of the run from text[j] on.

    A real run ends only where the decoder realigned (an ASCII byte taken as trail: 黨 = FC 68
    shows as 禳h) or gave up on the dangling lead byte and wrote ``?``. Readings that end any
    other way (a comma, an unpairable byte, the end of the line) are shifted *ordinary* text,
    which pairs into common characters surprisingly often, so they are not yielded at all.
    """
    while j < len(text) and len(out) <= _MAX_RUN:
        c = text[j]
        if c in "?\ufffd":
            paren = bool(_GLOSS_TAIL.match(text, j + 1))
            yield out + ((_LOST, True, pending, None),), j + 1, paren
            return
        if c.isascii():
            if 0x40 <= ord(c) <= 0x7E and (ch := _dec(bytes([pending, ord(c)]))):
                yield out + ((ch, False, pending, ord(c)),), j + 1, False
            if not (c.isalnum() or c == "!"):
                return
            c = chr(ord(c) + 0xFEE0)  # or a full-width letter someone normalised to ASCII
        b = _enc(c)
        ch = _dec(bytes([pending, b[0]])) if b else None
        if ch is None:
            return
        out, pending, j = out + ((ch, False, pending, b[0]),), b[1], j + 1


def _guess(text: str, left: str, right: str, n: int, fits) -> str | None:
    """The unique n characters between left and right elsewhere in text that fit the bytes."""
    if not right or not (left or right[0] == "(") or _LOST in left + right:
        return None  # a gloss pins a character down on its own; plain neighbours need both sides
    if right not in text or left not in text:  # both stand in the pattern as they are: no match
        return None
    gloss = rf"(?:\({_TAIL})?"  # elsewhere the neighbours may carry their glosses: 當(dāng)地(dì)農
    inner = "(" + "." * n + ")" + (gloss if right[0] != "(" else "")
    pattern = re.escape(left) + (gloss if left else "") + inner + re.escape(right)
    found = {m.group(1) for m in re.finditer(pattern, text) if fits(m.group(1))}
    return found.pop() if len(found) == 1 else None


def _fill(text: str, entries: list, after: str, before: str = "") -> list:
    """Recover characters the decoder lost or dropped, from other occurrences in the same text.

    The bytes only pin down half of such a character, so any fill stays doubtful."""
    out = list(entries)
    for k in range(len(out) - 1, -1, -1):
        ch, doubt, lead, trail = out[k]
        left = out[k - 1][0] if k else before
        right = out[k + 1][0] if k + 1 < len(out) else after
        if ch == _LOST and (lead, trail) != (None, None):  # one of its two bytes is known
            left = "" if right[:1] == "(" else left

            def fits(s, lead=lead, trail=trail):
                e = _enc(s)
                return e is not None and lead in (None, e[0]) and trail in (None, e[1])

            if got := _guess(text, left, right, 1, fits):
                out[k] = (got, True, lead, trail)
        elif trail is not None and 0 < k < len(out) - 1 and left + ch + right not in text:
            # A whole pair may have vanished between two garbled characters (拉善 -> ⒗|谱 -> 榔).
            def fits(s, lead=lead, trail=trail):
                a, b = _enc(s[0]), _enc(s[1])
                return bool(a and b and a[0] == lead and b[1] == trail and _dec(a[1:] + b[:1]) is None)

            if got := _guess(text, left, right, 2, fits):
                out[k : k + 1] = [(got[0], True, None, None), (got[1], True, None, None)]
    return out


def _repair_at(text: str, i: int):
    """Best accepted reading of the run starting at the ? at text[i], or None."""
    orphan = _ORPHAN.match(text, i + 1)  # ?shù)剞r: the shifted run starts after the tail
    j = orphan.end() if orphan else i + 1
    if text[j] in "!！" and not orphan:  # ！ is A3 A1; the lost byte before A3 is the A1 of 。
        pending, first = 0xA1, ("。", False, 0xA1, 0xA3)
    elif (b := _enc(text[j])) is not None:
        pending, first = b[1], (_LOST, True, None, b[0])
    else:
        return None
    best = None
    for entries, end, paren in _walk(text, j + 1, pending, (first,)):
        if orphan and not (paren or _OPEN_GLOSS.match(text, end) or _han(text[end : end + 1])):
            continue  # the decoder must be back in step: a gloss or ordinary Han text follows
        chars = [e[0] for e in entries if e[0] != _LOST]
        key = (sum(map(_implausible, chars)), len(entries) - len(chars), end)
        if best is None or key < best[0]:
            best = (key, entries, end, paren)
    if best is None:
        return None
    (bad_out, _, _), entries, end, paren = best
    wide = [c for c in text[j:end] if not c.isascii()]
    bad = sum(map(_implausible, wide))
    quoted = entries[0][0] == "。" and entries[1][0] in "“”"
    if entries[0][0] == "。" and not quoted:  # 。 is only sure before a quote
        entries = ((_LOST, True, None, 0xA3),) + entries[1:]
    # Shifted ordinary prose often pairs into common characters too, so the garbled side must look
    # wrong: the quote-boundary signature (?! re-pairing into 。“ or 。”) and one odd character,
    # or else many odd ones. Short runs of common-looking characters are left alone on purpose.
    # After an orphaned tail the signature is the tail itself, so one odd character (剞) is enough
    # as long as the run is short and mostly odd; it may even end in a ? with nothing decoded.
    good = sum(1 for e in entries if e[0] != _LOST)
    if orphan:
        plausible = bad >= 1 and 2 * bad >= len(wide) and len(wide) <= _SHORT
    else:
        plausible = good >= 3 and (bad >= 1 if quoted else bad >= 2 and 3 * bad >= len(wide))
    if bad_out or not plausible:
        return None
    if paren:
        after = "(" + _GLOSS_TAIL.match(text, end).group()
    else:
        after = g.group() if (g := _OPEN_GLOSS.match(text, end)) else text[end : end + 1]
    before = m.group(1) if (m := _BEFORE.search(text, max(0, i - 16), i)) else ""
    return _fill(text, entries, after, before), end, paren


def repair_garbled(text: str) -> tuple[str, list[GarbledRun]]:
    """Repair GBK-off-by-one runs; return the text and the spans of it that remain doubtful.

    Doubtful means: a character whose bytes were lost (U+FFFD), or one filled in from context
    rather than from its bytes. Text is only changed when the run held an implausible character
    and the repair consists of common ones, so ordinary ?, !, URLs and rare names stay untouched.
    """
    pieces: list[str] = []
    runs: list[GarbledRun] = []
    pos = 0
    for m in _TRIGGER.finditer(text):
        i = m.start()
        if i < pos or not (found := _repair_at(text, i)):
            continue
        entries, end, paren = found
        pieces.append(text[pos:i])
        at = sum(map(len, pieces))
        for doubt, group in groupby(enumerate(entries), key=lambda ke: ke[1][1]):
            if doubt:
                ks = [k for k, _ in group]
                runs.append(GarbledRun(at + ks[0], at + ks[-1] + 1, text[i:end]))
        pieces.append("".join(e[0] for e in entries) + ("(" if paren else ""))
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces), runs
