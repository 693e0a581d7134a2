"""Character classes and patterns shared by the modules that read Chinese text."""

from __future__ import annotations

import re

#: Han characters (CJK unified ideographs, extension A, compatibility ideographs).
HAN_CLASS = r"\u3400-\u9fff\uf900-\ufaff"
HAN = re.compile(rf"[{HAN_CLASS}]")
ALL_HAN = re.compile(rf"^[{HAN_CLASS}]+$")
#: What counts as content in a sentence: Han characters, ASCII and full-width letters and digits.
CONTENT_CHAR = re.compile(rf"[0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a{HAN_CLASS}]")
LATIN_WORD = re.compile(r"^[A-Za-z][A-Za-z\-]+$")
#: Quotation marks that open and close a quotation; 「」 is how Traditional reposts write “”.
OPENING_QUOTES, CLOSING_QUOTES = "“「", "”」"
QUOTE_MARKS = re.compile(r"[“”「」]")
