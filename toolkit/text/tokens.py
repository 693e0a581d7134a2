"""Word tokens for Chinese text, shared by the classifier and the summariser.

Plain jieba splits the region's administrative words (嘎查 → 嘎 / 查, 苏木, 两委) and plants
(梭梭, 肉苁蓉), which then show up as junk features and keywords, so both engines load the same
domain user dictionary. ``rjieba`` (jieba-rs, the same dictionary and algorithm in Rust) is the
default because it is many times faster; ``jieba`` stays available as the reference. The
dictionaries load on first use, never at import, so that ``toolkit --help`` stays instant.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from importlib import resources

ENGINES = ("rjieba", "jieba")
DEFAULT_ENGINE = "rjieba"

_lock = threading.Lock()


def _data_lines(name: str) -> list[str]:
    text = resources.files("toolkit").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def user_dictionary() -> tuple[tuple[str, int, str], ...]:
    entries = []
    for line in _data_lines("userdict.txt"):
        word, freq, tag = (line.split() + ["", ""])[:3]
        entries.append((word, int(freq or 1000), tag or "n"))
    return tuple(entries)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(_data_lines("stopwords.txt"))


@lru_cache(maxsize=None)
def _engine(name: str):
    with _lock:
        if name == "rjieba":
            # Importing rjieba already builds its default tokenizer (about a quarter of a second),
            # so that one gets the domain words, as jieba.add_word does for jieba's, instead of a
            # second one being built: the module's cut and tag are that tokenizer's.
            import rjieba

            for word, freq, tag in user_dictionary():
                rjieba.add_word(word, freq, tag)
            return rjieba
        if name == "jieba":
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            engine = jieba.Tokenizer()
            for word, freq, tag in user_dictionary():
                engine.add_word(word, freq, tag)
            engine.initialize()
            return engine
    raise ValueError(f"unknown tokenizer {name!r}; choose one of {', '.join(ENGINES)}")


def cut(text: str, engine: str = DEFAULT_ENGINE) -> list[str]:
    """Words of ``text`` in order, white space dropped."""
    tok = _engine(engine)
    words = tok.cut(text) if engine == "rjieba" else tok.lcut(text)
    return [w for w in words if not w.isspace()]


def tag(text: str, engine: str = DEFAULT_ENGINE) -> list[tuple[str, str]]:
    """``(word, part of speech)`` pairs, jieba's ICTCLAS-style tags (n, ns, v, vn, …)."""
    if engine == "rjieba":
        # jieba-rs keeps its own tag for a word already in its dictionary (梭梭 stays nrt,
        # 合作社 l); the user dictionary's tag wins, as it does in jieba.
        user_tags = _user_tags()
        return [(w, user_tags.get(w, t)) for w, t in _engine("rjieba").tag(text) if not w.isspace()]
    tagger = _posseg_tagger()
    return [(p.word, p.flag) for p in tagger.cut(text) if not p.word.isspace()]


@lru_cache(maxsize=1)
def _user_tags() -> dict[str, str]:
    return {word: tag for word, _, tag in user_dictionary()}


@lru_cache(maxsize=1)
def _posseg_tagger():
    import jieba.posseg

    return jieba.posseg.POSTokenizer(_engine("jieba"))
