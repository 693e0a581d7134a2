"""Extractive abstracts and keywords: summarisers behind one small interface, as sumy does it.

A summary quotes the article: every unit it offers is a span of a body paragraph's display text,
returned in document order, so a researcher can cite it. Headings, captions, bylines, navigation,
copyright lines and link lists are never candidates (their paragraph kind says so), nor is a unit
that still holds a garbled run, nor a fragment too short to stand alone.

A unit is a sentence, except around quotations, because a quote cut in pieces misquotes: the
sentences of one “…” quotation form one unit, a short attribution after the closing mark
(…王力说。) belongs to its quote, and a bare attribution or a unit whose quotation marks do not
balance is never offered (see :func:`summary_units`).

Ranking works on the *analysis* form (Simplified script, jieba words with the domain dictionary,
stop words out), so that a Traditional article ranks exactly like its Simplified twin while its
summary stays Traditional.

TextRank follows textrank4zh, the reference the design names: similarity of two units is the
number of distinct words they share divided by ``log|s1| + log|s2|`` (its diagonal included), and
networkx's PageRank runs on that graph; given the same units and words, the scores here equal
its scores. textrank4zh fills a dense n×n matrix with a Python double loop, O(n²); here the graph
is never written out (see :class:`SentenceGraph`), so the cost grows linearly with the length of
the document, measured in bench/summarize.py.

Keywords are TextRank over the co-occurrence of POS-filtered words within a sentence, as
textrank4zh builds it with ``edge_source='all_filters'`` (see :func:`keyword_graph`), with
keyphrases made of keywords that stand together at least twice. They are reported in the
document's own script too.
"""

from __future__ import annotations

import math
import re
from abc import ABC, abstractmethod
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Sequence

from toolkit.document import BODY, HEADING, Document, Paragraph, Sentence

DEFAULT_SENTENCES = 3
DEFAULT_KEYWORDS = 10
#: Fewer Han/alphanumeric characters than this is a fragment (好。, 管理从“紧”。), not a sentence.
MIN_SENTENCE_CHARS = 8
#: An attribution longer than this is a sentence of its own, not a tag on a quote.
MAX_ATTRIBUTION_CHARS = 40

_CONTENT_CHAR = re.compile(r"[0-9A-Za-z\u3400-\u9fff\uf900-\ufaff]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ALL_HAN = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")
_LATIN_WORD = re.compile(r"^[A-Za-z][A-Za-z\-]+$")
#: Quotation marks that open and close a quotation; 「」 is how Traditional reposts write “”.
_OPENING, _CLOSING = "“「", "”」"
_QUOTE_MARKS = re.compile(r"[“”「」]")
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


@dataclass(frozen=True)
class ScoredSentence:
    """One chosen unit, quoted verbatim, and where it stands in the document.

    A unit is one sentence (``sentence == last_sentence``) or a quotation of several sentences
    with its attribution; ``sentence`` and ``last_sentence`` index the paragraph's sentences,
    ``start`` and ``end`` its text. ``score`` is the unit's PageRank relative to the average
    candidate (1.0 = average), so scores read the same in short and long articles; ``rank`` is 1
    for the most central one.
    """

    paragraph: int
    sentence: int
    last_sentence: int
    start: int
    end: int
    text: str
    score: float
    rank: int


@dataclass(frozen=True)
class Keyword:
    """A keyword or keyphrase in the document's own script, its weight and how often it occurs.

    ``weight`` is the word's PageRank relative to the average word of the graph (a phrase sums
    its words), the same scale as :attr:`ScoredSentence.score`.
    """

    word: str
    weight: float
    count: int


@dataclass
class Summary:
    doc: str
    method: str
    candidates: int
    sentences: list[ScoredSentence] = field(default_factory=list)
    keywords: list[Keyword] = field(default_factory=list)
    keyphrases: list[Keyword] = field(default_factory=list)
    #: Why there is no summary (empty or all-boilerplate document); None when there is one.
    message: str | None = None
    path: str | None = None
    #: Problems worth a warning line (replaced bytes, not Chinese) from reading the document.
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.sentences

    def to_dict(self) -> dict:
        return asdict(self)


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
    from toolkit.cleaning import to_simplified
    from toolkit.tokens import tag

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
        tokenised.append(Words(sentence, words, display, kinds))
    by_position = {(w.sentence.paragraph, w.sentence.start): w for w in tokenised}
    units = []
    for paragraph, sentences, groups in spans:
        index, text = paragraph.index, paragraph.text
        for first, last, quotable in groups:
            members = sentences[first : last + 1]
            start, end = members[0].start, members[-1].end
            candidate = quotable and not any(s.garbled for s in members) and _content_chars(text[start:end]) >= MIN_SENTENCE_CHARS
            terms = [t for s in members for t in by_position[(index, s.start)].terms] if candidate else []
            units.append(Unit(index, first, last, start, end, text[start:end], candidate, terms))
    return Analysis(document, tokenised, units, len(document.paragraphs), body)


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
    from toolkit.tokens import stopwords

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


# --------------------------------------------------------------------------------------------
# The interface


class Summarizer(ABC):
    """Choose a document's most central units and its keywords.

    Subclasses only rate candidate units; choosing how many, dropping near duplicates, putting
    the choice back in document order and extracting keywords is shared, so every summariser
    obeys the same rules about what may be quoted.
    """

    name = "summarizer"
    #: Word-set overlap at which two units say the same thing. Jaccard counts once they share
    #: enough words (parallel items such as 实施“党建+学习”工程 / 实施“党建+产业”工程 share a
    #: template, not a fact); containment (the share of the shorter one's words found in the
    #: other) once the shorter has enough words and the longer is at most three times as long,
    #: so that "二是开展志愿服务。" or a short list item is not swallowed by a long sentence that
    #: happens to use its common words. Identical word sets always count.
    duplicate_jaccard = 0.5
    duplicate_containment = 0.8
    duplicate_min_words = 6

    def __init__(self, engine: str = "rjieba", keyword_window: int = 2):
        self.engine = engine
        self.keyword_window = keyword_window

    @abstractmethod
    def rate_sentences(self, candidates: Sequence[Unit], matrix: "TermMatrix") -> "np.ndarray":  # noqa: F821
        """One non-negative score per candidate unit; higher is more central.

        ``matrix`` holds the candidates' terms, built once per summary and shared with the
        near-duplicate check.
        """

    def summarize(
        self,
        document: Document,
        sentences: int | None = None,
        ratio: float | None = None,
        keywords: int = DEFAULT_KEYWORDS,
    ) -> Summary:
        """Summarise ``document``: ``sentences`` units, or ``ceil(ratio * candidates)``.

        Asking for more than there are gives every candidate that is not a near duplicate of a
        better one.
        """
        count = _requested(sentences, ratio)
        if keywords < 0:
            raise ValueError("keywords must be 0 or more")
        analysis = analyse(document, engine=self.engine)
        candidates = analysis.candidates
        summary = Summary(doc=document.name, method=self.name, candidates=len(candidates), path=document.path,
                          notes=list(getattr(document, "notes", [])))
        if not candidates:
            summary.message = _why_empty(analysis)
            return summary
        if keywords:
            summary.keywords, summary.keyphrases = textrank_keywords(analysis.sentences, keywords, window=self.keyword_window)
        import numpy as np

        matrix = term_matrix([u.terms for u in candidates])
        scores = np.asarray(self.rate_sentences(candidates, matrix), dtype=float)
        relative = scores * len(candidates) / scores.sum() if scores.sum() > 0 else np.ones(len(candidates))
        wanted = count(len(candidates))
        chosen = self._select(candidates, scores, wanted, matrix)
        ranks = {i: r for r, i in enumerate(chosen, 1)}
        summary.sentences = [
            ScoredSentence(
                paragraph=candidates[i].paragraph,
                sentence=candidates[i].first,
                last_sentence=candidates[i].last,
                start=candidates[i].start,
                end=candidates[i].end,
                text=candidates[i].text,
                score=round(float(relative[i]), 4),
                rank=ranks[i],
            )
            for i in sorted(chosen)
        ]
        return summary

    def _select(self, candidates: Sequence[Unit], scores, wanted: int, matrix: "TermMatrix") -> list[int]:
        """Best first, ties to the earlier unit; skip one that repeats a chosen unit.

        Overlaps are looked up through the words' unit lists (one sparse column of ``B @ B.T``
        per candidate looked at), so asking for every unit stays affordable.
        """
        import numpy as np

        n = len(candidates)
        order = np.lexsort((np.arange(n), -np.asarray(scores)))
        is_chosen = np.zeros(n, dtype=bool)
        chosen: list[int] = []
        texts: set[str] = set()
        for i in order:
            if len(chosen) >= wanted:
                break
            text = candidates[i].text
            if text in texts or (chosen and self._repeats(matrix, is_chosen, i)):
                continue
            chosen.append(int(i))
            is_chosen[i] = True
            texts.add(text)
        return chosen

    def _repeats(self, matrix: "TermMatrix", is_chosen, i: int) -> bool:
        import numpy as np

        sizes = matrix.distinct
        if not sizes[i]:
            return False
        column = (matrix.B @ matrix.B[[i]].T).tocoo()
        mine = is_chosen[column.row]
        if not mine.any():
            return False
        others, common = sizes[column.row[mine]], column.data[mine]
        jaccard = common / (sizes[i] + others - common)
        smaller = np.minimum(sizes[i], others)
        enough = self.duplicate_min_words
        same = (jaccard >= 1.0) | ((jaccard >= self.duplicate_jaccard) & (common >= enough))
        larger = np.maximum(sizes[i], others)
        contained = (common / smaller >= self.duplicate_containment) & (smaller >= enough) & (larger <= 3 * smaller)
        return bool((same | contained).any())


def _requested(sentences: int | None, ratio: float | None):
    if sentences is not None and ratio is not None:
        raise ValueError("give either sentences or ratio, not both")
    if ratio is not None:
        if not 0 < ratio <= 1:
            raise ValueError("ratio must be in (0, 1]")
        return lambda n: max(1, math.ceil(ratio * n - 1e-9))
    n_wanted = DEFAULT_SENTENCES if sentences is None else sentences
    if n_wanted < 1:
        raise ValueError("sentences must be 1 or more")
    return lambda n: n_wanted


def _why_empty(analysis: Analysis) -> str:
    if analysis.paragraphs == 0:
        return "nothing to summarise: the document has no text"
    if analysis.body_paragraphs == 0:
        which = "the only paragraph is a heading" if analysis.paragraphs == 1 else f"all {analysis.paragraphs} paragraphs are headings"
        return f"nothing to summarise: {which} or page furniture (navigation, bylines, captions, copyright, links)"
    which = "the body paragraph holds" if analysis.body_paragraphs == 1 else f"the {analysis.body_paragraphs} body paragraphs hold"
    return f"nothing to summarise: {which} no complete, readable sentence"


# --------------------------------------------------------------------------------------------
# TextRank


class TextRankSummarizer(Summarizer):
    """TextRank with textrank4zh's sentence similarity and networkx's PageRank, in linear time.

    ``self_loops`` keeps textrank4zh's diagonal (a sentence's similarity with itself), which its
    networkx graph passes to PageRank; with it, the same words give the reference's scores.
    """

    name = "textrank"

    def __init__(
        self,
        engine: str = "rjieba",
        damping: float = 0.85,
        tol: float = 1e-6,
        max_iter: int = 100,
        self_loops: bool = True,
        keyword_window: int = 2,
    ):
        super().__init__(engine=engine, keyword_window=keyword_window)
        self.damping = damping
        self.tol = tol
        self.max_iter = max_iter
        self.self_loops = self_loops

    def rate_sentences(self, candidates: Sequence[Unit], matrix: "TermMatrix"):
        graph = SentenceGraph(matrix, self_loops=self.self_loops)
        return pagerank(graph, damping=self.damping, tol=self.tol, max_iter=self.max_iter)


@dataclass
class TermMatrix:
    """Which distinct terms each unit holds: binary unit × term matrix ``B`` (CSR), its
    transpose ``Bt`` (CSR), each unit's term count with repeats (textrank4zh's ``|s|``) and
    without (``distinct``)."""

    B: object
    Bt: object
    lengths: object
    distinct: object


def term_matrix(terms: Sequence[Sequence[str]]) -> TermMatrix:
    import numpy as np
    from scipy import sparse

    vocabulary: dict[str, int] = {}
    indices: list[int] = []
    indptr = [0]
    for words in terms:
        ids = {vocabulary.setdefault(w, len(vocabulary)) for w in words}
        indices.extend(sorted(ids))
        indptr.append(len(indices))
    B = sparse.csr_matrix(
        (np.ones(len(indices)), np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)),
        shape=(len(terms), max(len(vocabulary), 1)),
    )
    lengths = np.array([len(t) for t in terms], dtype=np.int64)
    return TermMatrix(B, B.T.tocsr(), lengths, np.diff(B.indptr))


class SentenceGraph:
    """textrank4zh's similarity graph ``S[i, j] = |s_i ∩ s_j| / (log|s_i| + log|s_j|)``, implicit.

    Written out, ``S`` has an edge for every pair of units sharing a word: for a long document
    on one subject that is most pairs, O(n²) memory and time. But the numerator is ``B @ B.T``
    for the binary unit-term matrix ``B``, and the denominator depends only on the two units'
    lengths. On the few distinct lengths, ``K[a, b] = 1 / (log a + log b)`` is a Cauchy matrix,
    whose eigenvalues fall off so fast that a dozen of them reproduce it to machine precision:
    ``K ≈ Σ_k λ_k u_k u_kᵀ``. So ``S @ x = Σ_k λ_k U_k ∘ (B @ (B.T @ (U_k ∘ x)))``: two sparse
    products with ``B`` per PageRank step, linear in the number of words, and no pair of units
    is ever visited. Pairs textrank4zh scores 0 (no shared word; both units one word long) stay 0.
    """

    def __init__(self, matrix: TermMatrix, self_loops: bool = True):
        import numpy as np

        self.B, self.Bt = matrix.B, matrix.Bt
        self.shape = (matrix.B.shape[0], matrix.B.shape[0])
        distinct, self.length_class = np.unique(np.maximum(matrix.lengths, 1), return_inverse=True)
        self.kernel = _length_kernel(distinct)
        eigenvalues, eigenvectors = np.linalg.eigh(self.kernel)
        keep = np.abs(eigenvalues) > 1e-15 * max(np.abs(eigenvalues).max(), 1e-300)
        self.eigenvalues = eigenvalues[keep]
        self.factors = eigenvectors[self.length_class][:, keep]
        self.diagonal = matrix.distinct * self.kernel[self.length_class, self.length_class]
        self.self_loops = self_loops

    def __matmul__(self, x):
        scaled = self.factors * x[:, None]
        shared = self.B @ (self.Bt @ scaled)
        y = (shared * self.factors) @ self.eigenvalues
        if not self.self_loops:
            y = y - self.diagonal * x
        return y

    def toarray(self):
        """The explicit matrix, for checking against the textrank4zh formula on small inputs."""
        import numpy as np

        shared = (self.B @ self.Bt).toarray()
        dense = shared * self.kernel[self.length_class][:, self.length_class]
        if not self.self_loops:
            np.fill_diagonal(dense, 0.0)
        return dense


def _length_kernel(lengths):
    import numpy as np

    logs = np.log(lengths.astype(float))
    denominator = logs[:, None] + logs[None, :]
    kernel = np.zeros_like(denominator)
    np.divide(1.0, denominator, out=kernel, where=denominator > 1e-12)
    return kernel


def pagerank(graph, damping: float = 0.85, tol: float = 1e-6, max_iter: int = 100):
    """PageRank of a symmetric weighted graph by power iteration, as networkx computes it.

    ``graph`` is anything with ``shape`` and ``graph @ vector`` (a scipy sparse matrix, a
    :class:`SentenceGraph`). Rows are normalised by their weight; a node without edges spreads
    its rank evenly; iteration stops when the L1 change is below ``n * tol`` (networkx's test,
    so the scores match textrank4zh's). Deterministic: no randomness, fixed summation order.
    """
    import numpy as np

    n = graph.shape[0]
    if n == 0:
        return np.zeros(0)
    degree = np.asarray(graph @ np.ones(n)).ravel()
    dangling = degree <= 1e-12
    inverse = np.zeros(n)
    inverse[~dangling] = 1.0 / degree[~dangling]
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        previous = x
        spread = np.asarray(graph @ (previous * inverse)).ravel()
        x = damping * (spread + previous[dangling].sum() / n) + (1.0 - damping) / n
        if np.abs(x - previous).sum() < n * tol:
            break
    return x


# --------------------------------------------------------------------------------------------
# Keywords


def keyword_graph(sentences: Sequence[Words], window: int = 2) -> tuple[list[str], "sparse.csr_matrix"]:  # noqa: F821
    """The keyword candidates (Simplified, in order of first use) and their co-occurrence graph.

    Each sentence is reduced to its keyword candidates first, and two of them are linked when
    they stand within ``window`` positions of each other in that reduced sequence; an edge
    weighs how often that happens. This is textrank4zh with ``edge_source='all_filters'``.
    Linking on the unreduced sequence instead (its default, ``no_stop_words``) leaves every verb,
    adjective and name between two nouns as a gap, and with our noun-only filter a sixth of the
    keyword nodes of a seed then had no edge at all and could only score the PageRank floor.
    Now a node is isolated only if no sentence holds it together with another keyword.
    """
    import numpy as np
    from scipy import sparse

    vocabulary: dict[str, int] = {}
    ids: list[int] = []
    sentence_of: list[int] = []
    for s, sentence in enumerate(sentences):
        for word, kind in zip(sentence.words, sentence.kinds):
            if kind == _KEYWORD:
                ids.append(vocabulary.setdefault(word, len(vocabulary)))
                sentence_of.append(s)
    m = len(vocabulary)
    seq = np.array(ids, dtype=np.int64)
    sent = np.array(sentence_of, dtype=np.int64)
    rows, cols = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for d in range(1, max(window, 2)):
        a, b = seq[:-d], seq[d:]
        linked = (sent[:-d] == sent[d:]) & (a != b)
        rows.append(a[linked])
        cols.append(b[linked])
    r, c = np.concatenate(rows), np.concatenate(cols)
    graph = sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(m, m))
    return list(vocabulary), (graph + graph.T).tocsr()


def textrank_keywords(sentences: Sequence[Words], k: int = DEFAULT_KEYWORDS, window: int = 2) -> tuple[list[Keyword], list[Keyword]]:
    """Keywords by TextRank over :func:`keyword_graph`, and keyphrases built from them.

    A keyphrase is a run of top keywords that stand next to each other in the text at least
    twice (textrank4zh's ``get_keyphrases``).
    """
    if k <= 0:
        return [], []
    words, graph = keyword_graph(sentences, window)
    m = len(words)
    if not m:
        return [], []
    displays: dict[str, Counter] = {}
    counts: Counter = Counter()
    for sentence in sentences:
        counts.update(sentence.words)
        for word, kind, shown in zip(sentence.words, sentence.kinds, sentence.display):
            if kind == _KEYWORD:
                displays.setdefault(word, Counter())[shown] += 1
    scores = pagerank(graph) * m
    order = sorted(range(m), key=lambda i: (-scores[i], i))
    keywords = [
        Keyword(displays[words[i]].most_common(1)[0][0], round(float(scores[i]), 4), counts[words[i]]) for i in order[:k]
    ]
    weight = {words[i]: float(scores[i]) for i in order[: max(12, k)]}
    return keywords, _keyphrases(sentences, weight, k)


def _keyphrases(sentences: Sequence[Words], weight: dict[str, float], k: int) -> list[Keyword]:
    found: dict[str, tuple[float, str]] = {}
    counts: Counter = Counter()
    for sentence in sentences:
        words = sentence.words
        run: list[int] = []
        for i in range(len(words) + 1):
            if i < len(words) and words[i] in weight:
                run.append(i)
                continue
            if len(run) > 1:
                phrase = "".join(words[j] for j in run)
                counts[phrase] += 1
                if phrase not in found:
                    found[phrase] = (sum(weight[words[j]] for j in run), "".join(sentence.display[j] for j in run))
            run = []
    phrases = [(w, shown, first, counts[p]) for first, (p, (w, shown)) in enumerate(found.items()) if counts[p] >= 2]
    phrases.sort(key=lambda p: (-p[0], p[2]))
    return [Keyword(shown, round(w, 4), c) for w, shown, _, c in phrases[:k]]


# --------------------------------------------------------------------------------------------
# A baseline behind the same interface


class LeadSummarizer(Summarizer):
    """The first units of the article: news puts the most important first (Lead-N).

    It ranks the same candidate units as TextRank, so a comparison measures the ranking only.
    """

    name = "lead"

    def rate_sentences(self, candidates: Sequence[Unit], matrix: TermMatrix):
        import numpy as np

        return 1.0 / np.arange(1, len(candidates) + 1)


SUMMARIZERS = {"textrank": TextRankSummarizer, "lead": LeadSummarizer}


def summarize_document(
    document: Document,
    sentences: int | None = None,
    ratio: float | None = None,
    keywords: int = DEFAULT_KEYWORDS,
    method: str = "textrank",
) -> Summary:
    """Summary of an already read :class:`~toolkit.document.Document` (3 sentences, 10 keywords)."""
    try:
        summarizer = SUMMARIZERS[method]()
    except KeyError:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(SUMMARIZERS)}") from None
    return summarizer.summarize(document, sentences=sentences, ratio=ratio, keywords=keywords)


def summarize_text(
    text: str,
    sentences: int | None = None,
    ratio: float | None = None,
    keywords: int = DEFAULT_KEYWORDS,
    name: str = "<text>",
    method: str = "textrank",
) -> Summary:
    """Summary of an article held in a string, segmented as a file would be."""
    from toolkit.reading import document_from_text

    return summarize_document(document_from_text(text, name=name), sentences, ratio, keywords, method)


def summarize_file(source: str, **options) -> Summary:
    """Read one file (any supported encoding, or ``-``) and summarise it; InputError if unreadable."""
    from toolkit.reading import read_document

    return summarize_document(read_document(source), **options)
