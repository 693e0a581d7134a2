"""Character classes and patterns shared by the modules that read Chinese text."""

from __future__ import annotations

import re

#: Han characters (CJK unified ideographs, extension A, compatibility ideographs).
HAN_CLASS = r"\u3400-\u9fff\uf900-\ufaff"
#: The same without the Yijing hexagram symbols between extension A and the unified block (what a
#: pinyin gloss may follow).
HAN_IDEOGRAPH_CLASS = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

#: Pinyin vowels with a tone mark.
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
#: One pinyin syllable carrying a tone mark (jié, nèi): what a gloss holds. The tone mark is what
#: tells a gloss from ordinary brackets such as (1), (app) or (试行).
PINYIN_SYLLABLE = rf"[a-zü{TONED}]{{0,5}}[{TONED}][a-zü{TONED}]{{0,5}}"
#: A pinyin gloss: one toned syllable in half- or full-width brackets, right after a Han character
#: (or a replaced byte): 時節(jié), 內(nèi). (1), (试行), (app) and (图片…) stay intact. The bracket
#: comes first and the character before it is checked behind it, so a search skips to brackets
#: instead of testing every character (the same matches as a lookbehind in front).
GLOSS = re.compile(rf"[(（](?<=[{HAN_IDEOGRAPH_CLASS}\ufffd][(（])\s*{PINYIN_SYLLABLE}\s*[)）]")
HAN = re.compile(rf"[{HAN_CLASS}]")
ALL_HAN = re.compile(rf"^[{HAN_CLASS}]+$")
#: What counts as content in a sentence: Han characters, ASCII and full-width letters and digits.
CONTENT_CHAR = re.compile(rf"[0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a{HAN_CLASS}]")
LATIN_WORD = re.compile(r"^[A-Za-z][A-Za-z\-]+$")
#: Quotation marks that open and close a quotation; 「」 is how Traditional reposts write “”.
OPENING_QUOTES, CLOSING_QUOTES = "“「", "”」"
QUOTE_MARKS = re.compile(r"[“”「」]")

_NUMERAL = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
#: A list item: 4、锅里加入… / 2. 窗户… / （三）… / ①…
LIST_ITEM = re.compile(rf"^\s*(?:{_NUMERAL}\s*[、.．]|[（(]{_NUMERAL}[)）]|[\u2460-\u2473])")
#: A heading fused to its text: 常见跌落危险因素及预防办法：1.窗户…
INLINE_HEADING = re.compile(rf"^[^，。！？；：,!?;:]{{2,24}}[：:]\s*(?:{_NUMERAL}\s*[、.．]|[（(]{_NUMERAL}[)）]|[\u2460-\u2473])")
#: An editorial note in brackets: （原题为《…》） / （本文来源：…） / （记者 张三）
EDITORIAL_NOTE = re.compile(r"^[（(](?:原题|原标题|本文|编者|来源|作者|记者|通讯员|责任编辑|编辑)[^）)]*[)）][。.]?$")
#: A sentence about the text itself rather than its subject: 本文重点研究… / 笔者认为…
META_SENTENCE = re.compile(r"^(?:本文|本研究|本章|本节|本报告|笔者)")


_ALPHA: list = []  # str.isalpha of every code point of the Basic Multilingual Plane, built once


def is_alpha(points):
    """``str.isalpha`` of each code point in the numpy array ``points``: a table for the Basic
    Multilingual Plane (built once per process), ``str.isalpha`` itself for the rare others."""
    import numpy as np

    if not _ALPHA:
        _ALPHA.append(np.fromiter((chr(c).isalpha() for c in range(0x10000)), dtype=bool, count=0x10000))
    out = _ALPHA[0][np.minimum(points, 0xFFFF)]
    astral = np.flatnonzero(points > 0xFFFF)
    if len(astral):
        out[astral] = [chr(c).isalpha() for c in points[astral].tolist()]
    return out


_KINDS: list = []


def _letter_kinds():
    """Per code point of the Basic Multilingual Plane: 1 if a letter (``str.isalpha``), plus 2 if
    a Chinese character as :func:`chinese_share` counts them; built once per process."""
    import numpy as np

    if not _KINDS:
        is_alpha(np.zeros(0, dtype=np.uint32))  # builds the letter table
        kinds = _ALPHA[0].astype(np.uint8)
        kinds[0x3400:0xA000] += 2
        kinds[0xF900:0xFB00] += 2
        _KINDS.append(kinds)
    return _KINDS[0]


def chinese_share(text: str) -> float:
    """Chinese characters among the letters of ``text`` (1.0 when it has no letters at all)."""
    import numpy as np

    points = np.frombuffer(text[:200_000].encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if len(points) and int(points.max()) <= 0xFFFF:  # all in the Basic Multilingual Plane: one table, one count
        counts = np.bincount(_letter_kinds()[points], minlength=4)
        letters, chinese = int(counts[1] + counts[3]), int(counts[2] + counts[3])
        return chinese / letters if letters else 1.0
    letters = int(np.count_nonzero(is_alpha(points)))  # every Chinese character is a letter
    chinese = int(np.count_nonzero(((points >= 0x3400) & (points <= 0x9FFF)) | ((points >= 0xF900) & (points <= 0xFAFF))
                                   | ((points >= 0x20000) & (points <= 0x3134F))))
    return chinese / letters if letters else 1.0
