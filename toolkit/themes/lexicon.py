"""The domain lexicon: what an expert knows about each theme, as features for the linear model.

Why it exists: character n-grams learn only what the training rows show, and a researcher's
outlet uses terms no row contains (a new crop, a new policy slogan, a court or an airline in a
news roundup). ``toolkit/data/lexicon.csv`` lists several hundred terms per theme, curated by hand
from the codebook's definitions, plus terms that mark news outside the domain (``offdomain``) and
page furniture (``furniture``). Each match in a paragraph becomes a *tag token* naming the term's
group (``lex_industry``, ``lex_offdomain_weak``...), so the model learns one weight per group from
the training rows and that weight then carries over to every term of the group, including terms
the rows never contain.

The tags are computed outside the persisted pipeline, as the word tokens are (see
:func:`toolkit.themes.scoring.prepare`), so the saved model still holds only scikit-learn types; the
card records the lexicon's SHA-256 so a model is never fed tags from a different lexicon.

Matching is Aho-Corasick (pyahocorasick) over the Simplified analysis form: every occurrence of
every term in one pass, overlapping matches included (村集体经济 also counts 集体经济), at about
10 MB/s, far faster than the tokenizer.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from toolkit.errors import ToolkitError

LEXICON_FILE = "lexicon.csv"
#: Terms a large public news corpus associates with a group (``bench/knowledge/build_lexicon_auto.py``):
#: their own tags (``lexauto_<group>``), so the model weighs them apart from the curated terms.
AUTO_FILE = "lexicon_auto.csv"
#: Weights at or above this are strong signals (tag ``lex_<group>``); below, ``lex_<group>_weak``.
STRONG = 0.75


@dataclass(frozen=True)
class Lexicon:
    """Terms and their tag tokens, with an automaton that finds them all in one pass."""

    tags: dict[str, str]  # term -> tag token
    sha256: str
    automaton: object

    def tag_text(self, text: str) -> str:
        """The tag tokens of every term occurrence in ``text`` (Simplified), space-joined."""
        if not text:
            return ""
        return " ".join(tag for _, tag in self.automaton.iter_long(text))

    @property
    def groups(self) -> list[str]:
        return sorted({tag for tag in self.tags.values()})


def parse_lexicon(text: str, source: str = LEXICON_FILE, prefix: str = "lex_") -> dict[str, str]:
    """term -> tag token from CSV text with columns ``term,theme,weight``; errors name the row."""
    tags: dict[str, str] = {}
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"term", "theme"} <= set(reader.fieldnames):
        raise ToolkitError(f"{source}: a lexicon needs the columns term,theme[,weight]")
    for number, row in enumerate(reader, start=2):
        term, theme = (row.get("term") or "").strip(), (row.get("theme") or "").strip().lower()
        if not term or not theme:
            raise ToolkitError(f"{source}: row {number}: empty term or theme")
        try:
            weight = float(row.get("weight") or 1.0)
        except ValueError:
            raise ToolkitError(f"{source}: row {number}: weight {row.get('weight')!r} is not a number") from None
        tag = f"{prefix}{theme}" if weight >= STRONG or prefix != "lex_" else f"{prefix}{theme}_weak"
        if tags.setdefault(term, tag) != tag:
            raise ToolkitError(f"{source}: row {number}: term {term!r} is listed under two groups")
    return tags


def _build(tags: dict[str, str], sha256: str) -> Lexicon:
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for term, tag in tags.items():
        automaton.add_word(term, tag)
    automaton.make_automaton()
    return Lexicon(tags, sha256, automaton)


def curated_lexicon() -> Lexicon:
    """The hand-curated terms alone: what ``bench/knowledge/build_lexicon_auto.py`` starts from."""
    data = resources.files("toolkit").joinpath("data", LEXICON_FILE).read_bytes()
    return _build(parse_lexicon(data.decode("utf-8-sig")), hashlib.sha256(data).hexdigest())


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped lexicon (curated and corpus-found terms), built once per process."""
    files = resources.files("toolkit").joinpath("data")
    data = files.joinpath(LEXICON_FILE).read_bytes()
    auto = files.joinpath(AUTO_FILE).read_bytes()
    tags = parse_lexicon(auto.decode("utf-8-sig"), AUTO_FILE, prefix="lexauto_")
    tags.update(parse_lexicon(data.decode("utf-8-sig")))  # a curated term wins over a found one
    return _build(tags, hashlib.sha256(data + b"\0" + auto).hexdigest())


def lexicon_sha256() -> str:
    """The shipped lexicon's fingerprint, as model cards record it."""
    return lexicon().sha256
