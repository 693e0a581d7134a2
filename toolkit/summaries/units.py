"""Candidate units: a document analysed once (words in both scripts) and the spans a summary may quote.

See the package docstring for the rules."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from toolkit.text.document import BODY, HEADING, Document, Paragraph, Sentence
from toolkit.text.patterns import ALL_HAN as _ALL_HAN
from toolkit.text.patterns import CLOSING_QUOTES as _CLOSING
from toolkit.text.patterns import CONTENT_CHAR as _CONTENT_CHAR
from toolkit.text.patterns import HAN as _HAN
from toolkit.text.patterns import LATIN_WORD as _LATIN_WORD
from toolkit.text.patterns import OPENING_QUOTES as _OPENING
from toolkit.text.patterns import EDITORIAL_NOTE, INLINE_HEADING, LIST_ITEM, META_SENTENCE
from toolkit.text.patterns import QUOTE_MARKS as _QUOTE_MARKS

#: Fewer Han/alphanumeric characters than this is a fragment (好。, 管理从“紧”。), not a sentence.
MIN_SENTENCE_CHARS = 8
#: An attribution longer than this is a sentence of its own, not a tag on a quote.
MAX_ATTRIBUTION_CHARS = 40
#: A short sentence repeated word for word in one article is a refrain, never quoted.
MAX_REFRAIN_CHARS = 24


def quotable_text(text: str) -> bool:
    """False for what no editor would quote: list items (4、锅里加入…), a heading fused to its
    list (…预防办法：1.窗户…), editorial notes (（原题为《…》）) and sentences about the text
    itself (本文重点研究…)."""
    text = text.strip()
    return not (LIST_ITEM.match(text) or INLINE_HEADING.match(text) or EDITORIAL_NOTE.match(text)
                or META_SENTENCE.match(text))
#: A sentence that only says who spoke: it ends in a speech verb (说, 介绍, 透露, 告诉记者 …).
_ATTRIBUTION = re.compile(
    r"(?:(?:说|說|讲|講|介绍|介紹|透露|表示|指出|坦言|强调|強調|感慨|感叹|感嘆|回忆|回憶|称|稱|表态|表態)(?:说|說|道)?"
    r"|(?:笑|问|問|答|叹|嘆)道|(?:告诉|告訴)[^，,。！？!?]{0,12}?(?:记者|記者))[。！!]?$"
)

#: Tags that never carry content for similarity: punctuation, numerals, measure words.
_NON_TERM_TAGS = frozenset({"x", "m", "mq", "q", "w"})
#: What a keyword may be: nouns, place and organisation names, other proper nouns, verbal and
#: adjectival nouns, set phrases and abbreviations. Person names (nr*) are left out: jieba tags
#: fragments of transliterated place names as names (巴彦/nr 乌拉/nrt), which is the "split place
#: word" junk users complain about, and people are rarely what an abstract is about.
KEYWORD_TAGS = frozenset({"n", "ns", "nt", "nz", "nw", "vn", "an", "l", "j"})
_PROPER_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nz"})
#: Administrative suffixes a tokenizer splits off an unknown place name (吉兰泰 + 镇).
_PLACE_SUFFIXES = frozenset({"镇", "乡", "村", "旗", "县", "区", "市", "盟", "州", "嘎查", "苏木", "社区", "街道"})

# --------------------------------------------------------------------------------------------
# The analysed document shared by every summariser

_NOT_TERM, _TERM, _KEYWORD = 0, 1, 2


@dataclass
class Words:
    """A readable sentence's words: analysis (Simplified) form, display form, and what each may be."""

    sentence: Sentence
    words: list[str]  # white space dropped
    display: list[str]  # the same words as the document wrote them
    kinds: list[int]  # per word: not a term, a term, a term that may be a keyword
    #: per word: True when it follows the word before it with nothing between (no space, no
    #: character the tokenizer dropped); keyphrases join only such words.
    joined: list[bool] = None  # type: ignore[assignment]
    #: per word: its place-name flag (POS ns, or a name ending in 县/市/镇/乡/村/旗 …).
    places: list[bool] = None  # type: ignore[assignment]

    @property
    def terms(self) -> list[str]:
        """Words that count for similarity, duplicates kept (textrank4zh's |s|)."""
        return [w for w, k in zip(self.words, self.kinds) if k]


@dataclass
class Unit:
    """What a summary may quote: a span of one body paragraph, from sentence ``first`` to ``last``."""

    paragraph: int
    first: int
    last: int
    start: int
    end: int
    text: str
    candidate: bool
    terms: list[str]  # of all its sentences, duplicates kept; empty for a non-candidate
    #: The paragraph spans ``text`` is made of, in order: one, ``(start, end)``, unless a long
    #: quotation was cut to its core or a bracketed definition left out (see trim.py).
    spans: tuple[tuple[int, int], ...] = ()


@dataclass
class Analysis:
    """A document's readable sentences (body and headings) tokenised once, and its summary units.

    Headings feed keywords (they are the article's own words) but are never quoted.
    """

    document: Document
    sentences: list[Words]
    units: list[Unit]
    paragraphs: int
    body_paragraphs: int

    @property
    def candidates(self) -> list[Unit]:
        return [u for u in self.units if u.candidate]


def analyse(document: Document, engine: str = "rjieba") -> Analysis:
    from toolkit.text.cleaning import to_simplified
    from toolkit.text.tokens import tag

    readable: list[Sentence] = []
    spans: list[tuple[Paragraph, list[Sentence], list[tuple[int, int, bool]]]] = []
    body = 0
    for paragraph in document.paragraphs:
        if paragraph.kind not in (BODY, HEADING):
            continue
        sentences = paragraph.sentences()
        readable.extend(s for s in sentences if not s.garbled)
        if paragraph.kind == BODY:
            body += 1
            spans.append((paragraph, sentences, summary_units([s.text for s in sentences])))
    # One OpenCC call for the whole document; sentences hold no line breaks, so they split back.
    simplified = to_simplified("\n".join(s.text for s in readable)).split("\n") if readable else []
    if len(simplified) != len(readable):  # pragma: no cover - OpenCC never adds or drops a line
        simplified = [to_simplified(s.text) for s in readable]
    tokenised = []
    for sentence, analysis_text in zip(readable, simplified):
        tagged = _merge_place_names(tag(analysis_text, engine=engine))
        words = [w for w, _ in tagged]
        kinds = [_word_kind(w, t) for w, t in tagged]
        display = words if sentence.text == analysis_text else _display_words(sentence.text, analysis_text, words)
        tokenised.append(Words(sentence, words, display, kinds, _joined(analysis_text, words),
                               [is_place_name(w, t) for w, t in tagged]))
    by_position = {(w.sentence.paragraph, w.sentence.start): w for w in tokenised}
    units = []
    for paragraph, sentences, groups in spans:
        index, text, quote = paragraph.index, paragraph.text, paragraph.quote_text
        for first, last, quotable in groups:
            members = sentences[first : last + 1]
            start, end = members[0].start, members[-1].end
            candidate = (quotable and not any(s.garbled for s in members)
                         and _content_chars(text[start:end]) >= MIN_SENTENCE_CHARS and quotable_text(text[start:end]))
            terms = [t for s in members for t in by_position[(index, s.start)].terms] if candidate else []
            units.append(Unit(index, first, last, start, end, quote[start:end], candidate, terms))
    # A refrain (爸爸妈妈，你们知道吗？ closing every section) is rhetoric, not content.
    repeated = Counter(u.text for u in units)
    for u in units:
        u.spans = ((u.start, u.end),)
        if u.candidate and repeated[u.text] > 1 and _content_chars(u.text) <= MAX_REFRAIN_CHARS:
            u.candidate, u.terms = False, []
    _trim(document, units, by_position, engine)
    return Analysis(document, tokenised, units, len(document.paragraphs), body)


def _trim(document: Document, units: list[Unit], by_position: dict, engine: str) -> None:
    """Cut long quotations to their core sentence and leave out bracketed definitions (trim.py).

    A cut unit is ranked on the words it still quotes, so what is shown is what was ranked.
    """
    from toolkit.text.cleaning import to_simplified
    from toolkit.summaries.trim import definition_spans, quotation_core
    from toolkit.text.tokens import tag

    candidates = [u for u in units if u.candidate]
    paragraphs = {p.index: p for p in document.paragraphs}
    for u in candidates:
        paragraph = paragraphs[u.paragraph]
        text, quote = paragraph.text, paragraph.quote_text
        members = paragraph.sentences()[u.first : u.last + 1] if u.last > u.first else []
        spans = None
        if members:
            others = [o.terms for o in candidates if o is not u]
            spans = quotation_core(text, u.start, [(s.start, s.end) for s in members],
                                   [by_position[(u.paragraph, s.start)].terms for s in members], others)
        spans = spans or definition_spans(text, u.start, u.end)
        if len(spans) == 1:
            continue
        shown = "".join(text[a:b] for a, b in spans)
        if _content_chars(shown) < MIN_SENTENCE_CHARS:
            continue
        u.spans, u.text = tuple(spans), "".join(quote[a:b] for a, b in spans)
        tagged = _merge_place_names(tag(to_simplified(shown), engine=engine))
        u.terms = [w for w, t in tagged if _word_kind(w, t)]


def summary_units(sentences: Sequence[str]) -> list[tuple[int, int, bool]]:
    """Group a paragraph's sentences into quotable units: ``(first, last, quotable)``, in order.

    The sentence splitter ends a sentence inside a quotation, so a three-sentence quote arrives
    in three pieces, the middle one without quotation marks and the last one ending in ”.
    Offered alone, such a piece misquotes the speaker, and the attribution after it (王力说。)
    says nothing without its quote. So the sentences from an opening mark to its closing mark
    form one unit, a short attribution that follows a closing mark joins the unit before it, and
    a unit is quotable only if its marks balance and it is more than a bare attribution. Every
    sentence belongs to exactly one unit, so units tile the paragraph in order.
    """
    units: list[tuple[int, int, bool]] = []
    n = len(sentences)
    i = 0
    while i < n:
        j, depth, balanced = i, 0, True
        while True:
            depth, ok = _quote_depth(sentences[j], depth)
            balanced = balanced and ok
            if depth <= 0 or not balanced or j + 1 == n:
                break
            j += 1
        balanced = balanced and depth == 0
        # ； ends a clause, not a statement: the clauses after it belong to the same unit.
        while balanced and j + 1 < n and sentences[j].rstrip().endswith(("；", ";")):
            j += 1
            depth, ok = _quote_depth(sentences[j], 0)
            balanced = ok and depth == 0
        if balanced and sentences[j].rstrip().endswith(tuple(_CLOSING)) and j + 1 < n and _is_attribution(sentences[j + 1]):
            j += 1
        quotable = balanced and not (i == j and _is_attribution(sentences[i]))
        units.append((i, j, quotable))
        i = j + 1
    return units


def _quote_depth(text: str, depth: int) -> tuple[int, bool]:
    """The quotation depth after ``text``, starting at ``depth``; False if a mark closes nothing."""
    for mark in _QUOTE_MARKS.findall(text):
        depth += 1 if mark in _OPENING else -1
        if depth < 0:
            return depth, False
    return depth, True


def _is_attribution(text: str) -> bool:
    """王力说。 / …党支部书记陈国彬告诉记者。: who spoke, and nothing else worth quoting."""
    text = text.strip()
    return (
        not _QUOTE_MARKS.search(text)
        and _content_chars(text) <= MAX_ATTRIBUTION_CHARS
        and _ATTRIBUTION.search(text) is not None
    )


def _content_chars(text: str) -> int:
    return len(_CONTENT_CHAR.findall(text))


@lru_cache(maxsize=200_000)
def _word_kind(word: str, tag: str) -> int:
    """Whether a word counts for similarity, and whether it may be a keyword.

    Similarity counts content words in any script (numbers, measure words and punctuation do
    not); a keyword must also be a noun-like word of two or more Han characters, which keeps
    out single characters, pinyin left-overs and Latin junk (``and`` in seed 001).
    """
    from toolkit.text.tokens import stopwords

    if tag in _NON_TERM_TAGS or word in stopwords():
        return _NOT_TERM
    if not (_HAN.search(word) or _LATIN_WORD.match(word)):
        return _NOT_TERM
    if tag in KEYWORD_TAGS and len(word) >= 2 and _ALL_HAN.match(word):
        return _KEYWORD
    return _TERM


def _merge_place_names(tagged: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Rejoin a proper noun and the administrative suffix jieba split off it (吉兰泰 + 镇).

    Only proper-noun pieces are joined, at most two of them, and never one that is a complete
    place name already (阿拉善左旗 吉兰泰镇 stays two words).
    """
    out: list[tuple[str, str]] = []
    for word, tag in tagged:
        if word in _PLACE_SUFFIXES and out:
            k = len(out)
            while k > 0 and len(out) - k < 2 and out[k - 1][1] in _PROPER_TAGS and not _is_place(out[k - 1][0]):
                k -= 1
            if k < len(out):
                name = "".join(w for w, _ in out[k:]) + word
                del out[k:]
                out.append((name, "ns"))
                continue
        out.append((word, tag))
    return out


#: Where a place name's suffix starts a common noun instead (新农村, 美丽乡村, 大城市).
_COMMON_TAILS = ("农村", "乡村", "城市", "城乡", "都市", "超市", "夜市", "股市", "楼市", "省市", "县市", "集市")


def is_place_name(word: str, tag: str) -> bool:
    """A place name: jieba's ``ns``, or a name of three or more characters ending in 县, 市, 镇,
    乡, 村 or 旗 (甘洛县, 大林村, 阿拉善左旗) that is not a common noun (新农村, 大城市)."""
    if tag == "ns":
        return True
    return len(word) >= 3 and word[-1] in "县市镇乡村旗" and not word.endswith(_COMMON_TAILS) and bool(_ALL_HAN.match(word))


def _joined(text: str, words: list[str]) -> list[bool]:
    """Whether each word starts where the one before it ended in ``text``."""
    out, pos = [], 0
    for i, word in enumerate(words):
        found = text.find(word, pos)
        out.append(i > 0 and found == pos)
        if found >= 0:
            pos = found + len(word)
    return out


def _is_place(word: str) -> bool:
    return len(word) > 1 and any(word.endswith(s) for s in _PLACE_SUFFIXES)


def _display_words(display: str, analysis: str, words: list[str]) -> list[str]:
    """Each analysis word as the document wrote it (黨建 for 党建), by aligning the two forms.

    OpenCC's t2s maps character for character on this kind of text; when it did not (the lengths
    differ) the Simplified word is the best we have.
    """
    if len(display) != len(analysis):
        return list(words)
    out, pos = [], 0
    for word in words:
        found = analysis.find(word, pos)
        if found < 0:
            out.append(word)
            continue
        out.append(display[found : found + len(word)])
        pos = found + len(word)
    return out


