"""Repairs applied to every line before it is segmented, and the Simplified form used for features.

Three forms of the text exist on purpose. The *display* text is what the article wrote, minus
scraping damage (pinyin glosses, escaped quotes, full-width digits and letters, stray white space,
garbled byte runs). The *quote* form (:func:`quote_form`) is the display text with every
character that width normalisation changed put back as the file wrote it (ｎｅｗｓ, ２０％, ３．５):
summaries quote it, so Traditional stays Traditional and full-width stays full-width; it has the
display text's length, so offsets into one are offsets into the other. The *analysis* text is the
display text in Simplified script (OpenCC), so that 黨建 and 党建 are the same feature.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from toolkit.text.garbled import GarbledRun, repair_garbled
from toolkit.text.patterns import GLOSS as _GLOSS

# Scrapers escape quotes for JSON or SQL and never unescape them: 开战\’, \"最强\".
_ESCAPED_QUOTE = re.compile(r"\\+(['\"‘’“”])")
_SPACE = r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]"
_INLINE_SPACE = re.compile(rf"{_SPACE}+")
# The runs of _INLINE_SPACE that its substitution by " " changes: all but a lone " ", the commonest
# by far. Substituting only these gives the same text with a fraction of the replacements.
_CHANGED_SPACE = re.compile(rf"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]{_SPACE}*| {_SPACE}+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
# Full-width digits and Latin letters (U+FF10–FF19, FF21–FF3A, FF41–FF5A) to ASCII; Chinese
# punctuation stays full-width because it carries sentence boundaries.
_WIDTH = {code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}


def remove_glosses(text: str) -> str:
    return _GLOSS.sub("", text)


_WIDE_DECIMAL = re.compile(r"(?<=\d)．(?=\d)")


_WIDE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a％]")


def normalize_width(text: str) -> str:
    """ASCII digits and letters; a full-width point between digits and ％ follow, so 5.5% is one form."""
    if not _WIDE.search(text):  # most lines have none: one scan instead of a translate and two passes
        return text
    return _WIDE_DECIMAL.sub(".", text.translate(_WIDTH)).replace("％", "%")


def unescape_quotes(text: str) -> str:
    if "\\" not in text:  # one fast scan for the backslash every escape starts with
        return text
    return _ESCAPED_QUOTE.sub(r"\1", text)


def collapse_space(text: str) -> str:
    """Each run of inline white space as one ASCII space (``_INLINE_SPACE.sub(" ", text)``)."""
    return _CHANGED_SPACE.sub(" ", text)


def normalize_space(text: str) -> str:
    return collapse_space(_INVISIBLE.sub("", text)).strip()


def clean_line(line: str) -> tuple[str, list[GarbledRun]]:
    """Display form of one line, and the spans of it that stayed garbled.

    Garbled runs are repaired before glosses are removed because a run can swallow the ``(`` of
    the gloss that follows it; the repair restores it so the gloss remover can see it.
    """
    return _repair(normalize_space(normalize_width(unescape_quotes(line))))


def clean_lines(text: str) -> list[tuple[str, list[GarbledRun]]]:
    """:func:`clean_line` of every line of ``text`` (split at ``\n``), in fewer steps.

    The quote, width and space repairs never see or make a line break, so they run once over the
    whole text; each line is then only stripped, and only a line holding a ``?``/U+FFFD (a
    possible garbled run) or a bracket (a possible gloss) goes through the rest. A test checks
    the result against :func:`clean_line` line by line.
    """
    whole = collapse_space(_INVISIBLE.sub("", normalize_width(unescape_quotes(text))))
    out = []
    for line in whole.split("\n"):
        line = line.strip()
        if "?" in line or "\ufffd" in line:
            out.append(_repair(line))
        elif "(" in line or "（" in line:
            out.append((remove_glosses(line), []))
        else:
            out.append((line, []))
    return out


def _repair(text: str) -> tuple[str, list[GarbledRun]]:
    """Garbled runs repaired, then glosses removed (the runs' offsets shifted to match)."""
    text, runs = repair_garbled(text)
    if not runs:
        return remove_glosses(text), []
    # Remove glosses over the whole line (a gloss may follow a run's placeholder) and shift the
    # runs by what was removed before them, so their offsets stay exact.
    removed: list[tuple[int, int]] = [m.span() for m in _GLOSS.finditer(text)]
    if not removed:
        return text, runs

    def shift(offset: int) -> int:
        return offset - sum(min(end, offset) - start for start, end in removed if start < offset)

    kept = [GarbledRun(shift(r.start), shift(r.end), r.original) for r in runs]
    return remove_glosses(text), kept


def quote_form(line: str, text: str) -> str | None:
    """``text``, the display form of ``line``, with the characters width normalisation changed
    put back as ``line`` wrote them (full-width letters and digits, ％, ．); None if none were.

    Everything else clean_line does stays done: removed pinyin glosses, escape backslashes,
    invisible characters and collapsed white space are not put back (an editor quoting the line
    drops them too), and a repaired garbled run stays repaired. Width normalisation maps one
    character to one, so the line and its width-normalised twin share offsets; the other repairs
    are replayed on the twin keeping each character's offset, which is exact unless a garbled run
    was repaired (then the two are aligned by difflib). Either way a display character only ever
    takes back its own full-width twin.
    """
    if not _WIDE.search(line):
        return None
    twin = normalize_width(line)
    if twin == text:
        return line
    kept, origin = _replay(twin)
    if kept != text:  # a garbled run was repaired: align what is left
        aligned = [-1] * len(text)
        for a, b, size in SequenceMatcher(None, kept, text).get_matching_blocks():
            aligned[b : b + size] = origin[a : a + size]
        origin = aligned
    chars = [line[o] if o >= 0 and line[o] != twin[o] else c for c, o in zip(text, origin)]
    quoted = "".join(chars)
    return None if quoted == text else quoted


def quote_forms(text: str, cleaned: list[tuple[str, list[GarbledRun]]]) -> list[str | None]:
    """:func:`quote_form` of every line of ``text`` (split at ``\n``), given the lines' display
    forms (``cleaned``, as :func:`clean_lines` returns them). A text without a full-width character,
    as most are, needs one scan: every quote form is None."""
    if not _WIDE.search(text):
        return [None] * len(cleaned)
    return [quote_form(raw, line) for raw, (line, _) in zip(text.split("\n"), cleaned)]


def _replay(text: str) -> tuple[str, list[int]]:
    """clean_line's repairs other than garbled runs, on ``text``, and each kept character's offset."""
    origin = list(range(len(text)))
    for pattern, keep in ((_ESCAPED_QUOTE, 1), (_INVISIBLE, None), (_INLINE_SPACE, " "), (_GLOSS, None)):
        text, origin = _sub_traced(pattern, keep, text, origin)
    left = len(text) - len(text.lstrip())
    right = len(text.rstrip())
    return text[left:right], origin[left:right]


def _sub_traced(pattern: re.Pattern, keep, text: str, origin: list[int]) -> tuple[str, list[int]]:
    """``pattern.sub`` that keeps offsets: a match becomes nothing (None), its group ``keep`` (an
    int) or the string ``keep``, whose characters take the offset of the match's first one."""
    if not pattern.search(text):
        return text, origin
    parts, offsets, pos = [], [], 0
    for m in pattern.finditer(text):
        parts.append(text[pos : m.start()])
        offsets.extend(origin[pos : m.start()])
        if isinstance(keep, int):
            parts.append(m.group(keep))
            offsets.extend(origin[m.start(keep) : m.end(keep)])
        elif keep:
            parts.append(keep)
            offsets.extend([origin[m.start()]] * len(keep))
        pos = m.end()
    parts.append(text[pos:])
    offsets.extend(origin[pos:])
    return "".join(parts), offsets


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Simplified script; a no-op on text that is already Simplified."""
    return _converter().convert(text)


# Scrapers turn ，；：！？（） into ASCII and Taiwanese/HK reposts use 「」『』: the same text must
# give the same features whichever an outlet used, or the model learns the outlet, not the theme.
_PUNCT_FORMS = str.maketrans({",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）",
                              "「": "“", "」": "”", "『": "‘", "』": "’"})


_PUNCT_FORM_CHARS = re.compile("[,;:!?()「」『』]")
_PUNCT_PAIRS = tuple((chr(k), v) for k, v in _PUNCT_FORMS.items())


def analysis_form(text: str) -> str:
    """The form features are computed on: Simplified script, one form of each punctuation mark."""
    text = to_simplified(text)
    if not _PUNCT_FORM_CHARS.search(text):
        return text
    # One str.replace per mark present: each maps one character to one that is never a source,
    # so this is str.translate(_PUNCT_FORMS), without its dictionary lookup per character.
    for old, new in _PUNCT_PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text


def analysis_forms(texts: list[str]) -> list[str]:
    """:func:`analysis_form` of each text (none holding a line break), with one OpenCC call.

    OpenCC matches phrases of its dictionaries, none of which holds a line break, so the joined
    text converts line by line exactly as the lines would alone (a test checks it)."""
    if not texts:
        return []
    forms = analysis_form("\n".join(texts)).split("\n")
    if len(forms) != len(texts):  # a text held a line break after all: one call each
        return [analysis_form(t) for t in texts]
    return forms
