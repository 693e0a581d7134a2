"""Extractive abstracts and keywords: summarisers behind one small interface, as sumy does it.

A summary quotes the article: every sentence is a span of a body paragraph's display text,
returned in document order, so a researcher can cite it. Headings, captions, bylines, navigation,
copyright lines and link lists are never candidates (their paragraph kind says so), nor is a
sentence that still holds a garbled run, nor a fragment too short to stand alone.

Ranking works on the *analysis* form (Simplified script, jieba words with the domain dictionary,
stop words out), so that a Traditional article ranks exactly like its Simplified twin while its
summary stays Traditional.

TextRank follows textrank4zh, the reference the design names: sentence similarity is the number
of distinct words two sentences share divided by ``log|s1| + log|s2|``, and PageRank runs on that
graph. textrank4zh fills a dense matrix with a Python double loop and hands it to networkx, which
costs O(n²) Python calls; here the shared-word counts are one sparse product ``B @ B.T`` of the
binary sentence-term matrix, and PageRank is a power iteration on a CSR matrix. The product's cost
is the sum over words of (sentences containing the word)², which grows with the square of the
length for words that appear everywhere; words in more than ``max_df`` of the sentences (at least
``min_df_cap``) are therefore left out of the graph, and each sentence keeps its ``max_neighbours``
strongest edges. Both bounds leave articles of ordinary length untouched (see bench/summarize.py).
"""

from __future__ import annotations

import math
import re
from abc import ABC, abstractmethod
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Sequence

from toolkit.document import BODY, HEADING, Document, Sentence

DEFAULT_SENTENCES = 3
DEFAULT_KEYWORDS = 10
#: Fewer Han/alphanumeric characters than this is a fragment (王力说。, 管理从“紧”。), not a sentence.
MIN_SENTENCE_CHARS = 8

_CONTENT_CHAR = re.compile(r"[0-9A-Za-z\u3400-\u9fff\uf900-\ufaff]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ALL_HAN = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")
_LATIN_WORD = re.compile(r"^[A-Za-z][A-Za-z\-]+$")

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
    """One chosen sentence, quoted verbatim, and where it stands in the document.

    ``score`` is the sentence's PageRank relative to the average candidate (1.0 = average), so
    scores read the same in short and long articles; ``rank`` is 1 for the most central one.
    """

    paragraph: int
    sentence: int
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
    document: str
    method: str
    candidates: int
    sentences: list[ScoredSentence] = field(default_factory=list)
    keywords: list[Keyword] = field(default_factory=list)
    keyphrases: list[Keyword] = field(default_factory=list)
    #: Why there is no summary (empty or all-boilerplate document); None when there is one.
    message: str | None = None
    path: str | None = None

    @property
    def empty(self) -> bool:
        return not self.sentences

    def to_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------------------------
# The analysed document shared by every summariser


@dataclass
class Unit:
    """A sentence the summariser may read: its display form, analysis words and tags."""

    sentence: Sentence
    index: int  # position within its paragraph's sentences
    candidate: bool
    words: list[str]  # analysis (Simplified) words, white space dropped
    tags: list[str]
    display: list[str]  # the same words as the document wrote them

    @property
    def terms(self) -> list[str]:
        """Words that count for similarity, duplicates kept (textrank4zh's ``|s|``)."""
        return [w for w, t in zip(self.words, self.tags) if _is_term(w, t)]


@dataclass
class Analysis:
    """All readable sentences of a document (body and headings), in order, tokenised once.

    Headings feed keywords (they are the article's own words) but are never quoted.
    """

    document: Document
    units: list[Unit]
    paragraphs: int
    body_paragraphs: int

    @property
    def candidates(self) -> list[Unit]:
        return [u for u in self.units if u.candidate]


def analyse(document: Document, engine: str = "rjieba") -> Analysis:
    from toolkit.cleaning import to_simplified
    from toolkit.tokens import tag

    picked: list[tuple[Sentence, int, bool]] = []
    body = 0
    for paragraph in document.paragraphs:
        if paragraph.kind not in (BODY, HEADING):
            continue
        body += paragraph.kind == BODY
        for index, sentence in enumerate(paragraph.sentences()):
            if sentence.garbled:
                continue
            candidate = paragraph.kind == BODY and _content_chars(sentence.text) >= MIN_SENTENCE_CHARS
            picked.append((sentence, index, candidate))
    # One OpenCC call for the whole document; sentences hold no line breaks, so they split back.
    simplified = to_simplified("\n".join(s.text for s, _, _ in picked)).split("\n") if picked else []
    if len(simplified) != len(picked):  # pragma: no cover - OpenCC never adds or drops a line
        simplified = [to_simplified(s.text) for s, _, _ in picked]
    units = []
    for (sentence, index, candidate), analysis_text in zip(picked, simplified):
        tagged = _merge_place_names(tag(analysis_text, engine=engine))
        words = [w for w, _ in tagged]
        units.append(
            Unit(sentence, index, candidate, words, [t for _, t in tagged], _display_words(sentence.text, analysis_text, words))
        )
    return Analysis(document, units, len(document.paragraphs), body)


def _content_chars(text: str) -> int:
    return len(_CONTENT_CHAR.findall(text))


def _is_term(word: str, tag: str) -> bool:
    from toolkit.tokens import stopwords

    if tag in _NON_TERM_TAGS or word in stopwords():
        return False
    return bool(_HAN.search(word)) or bool(_LATIN_WORD.match(word))


def _is_keyword(word: str, tag: str) -> bool:
    from toolkit.tokens import stopwords

    return tag in KEYWORD_TAGS and len(word) >= 2 and bool(_ALL_HAN.match(word)) and word not in stopwords()


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
    return any(word.endswith(s) for s in _PLACE_SUFFIXES) and len(word) > 1


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
    """Choose a document's most central sentences and its keywords.

    Subclasses only rate candidate sentences; choosing how many, dropping near duplicates,
    putting the choice back in document order and extracting keywords is shared, so every
    summariser obeys the same rules about what may be quoted.
    """

    name = "summarizer"
    #: Token-set overlap above which two sentences say the same thing (Jaccard, containment).
    duplicate_jaccard = 0.5
    duplicate_containment = 0.8

    def __init__(self, engine: str = "rjieba", keyword_window: int = 2):
        self.engine = engine
        self.keyword_window = keyword_window

    @abstractmethod
    def rate_sentences(self, candidates: Sequence[Unit]) -> "np.ndarray":  # noqa: F821
        """One non-negative score per candidate; higher is more central."""

    def summarize(
        self,
        document: Document,
        sentences: int | None = None,
        ratio: float | None = None,
        keywords: int = DEFAULT_KEYWORDS,
    ) -> Summary:
        """Summarise ``document``: ``sentences`` sentences, or ``ceil(ratio * candidates)``.

        Asking for more sentences than there are gives every candidate that is not a near
        duplicate of a better one.
        """
        count = _requested(sentences, ratio)
        if keywords < 0:
            raise ValueError("keywords must be 0 or more")
        analysis = analyse(document, engine=self.engine)
        candidates = analysis.candidates
        summary = Summary(document=document.name, method=self.name, candidates=len(candidates), path=document.path)
        if keywords:
            summary.keywords, summary.keyphrases = textrank_keywords(analysis.units, keywords, window=self.keyword_window)
        if not candidates:
            summary.message = _why_empty(analysis)
            return summary
        import numpy as np

        scores = np.asarray(self.rate_sentences(candidates), dtype=float)
        relative = scores * len(candidates) / scores.sum() if scores.sum() > 0 else np.ones(len(candidates))
        wanted = count(len(candidates))
        chosen = self._select(candidates, scores, wanted)
        ranks = {i: r for r, i in enumerate(chosen, 1)}
        summary.sentences = [
            ScoredSentence(
                paragraph=candidates[i].sentence.paragraph,
                sentence=candidates[i].index,
                start=candidates[i].sentence.start,
                end=candidates[i].sentence.end,
                text=candidates[i].sentence.text,
                score=round(float(relative[i]), 4),
                rank=ranks[i],
            )
            for i in sorted(chosen)
        ]
        return summary

    def _select(self, candidates: Sequence[Unit], scores, wanted: int) -> list[int]:
        """Best first, ties to the earlier sentence; skip one that repeats a chosen sentence."""
        order = sorted(range(len(candidates)), key=lambda i: (-scores[i], i))
        chosen: list[int] = []
        chosen_sets: list[set[str]] = []
        for i in order:
            if len(chosen) >= wanted:
                break
            terms = set(candidates[i].terms) or set(candidates[i].words)
            if any(self._near_duplicate(terms, other) for other in chosen_sets):
                continue
            chosen.append(i)
            chosen_sets.append(terms)
        return chosen

    def _near_duplicate(self, a: set[str], b: set[str]) -> bool:
        common = len(a & b)
        if not common:
            return False
        return common / len(a | b) >= self.duplicate_jaccard or common / min(len(a), len(b)) >= self.duplicate_containment


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
        return f"nothing to summarise: all {analysis.paragraphs} paragraphs are headings or page furniture (navigation, bylines, captions, copyright, links)"
    return f"nothing to summarise: the {analysis.body_paragraphs} body paragraphs hold no complete, readable sentence"


# --------------------------------------------------------------------------------------------
# TextRank


class TextRankSummarizer(Summarizer):
    """TextRank with textrank4zh's sentence similarity, computed on sparse matrices.

    ``self_loops`` keeps textrank4zh's diagonal (a sentence's similarity with itself), which its
    networkx graph passes to PageRank; it makes the ranking agree with the reference's.
    """

    name = "textrank"

    def __init__(
        self,
        engine: str = "rjieba",
        damping: float = 0.85,
        tol: float = 1e-6,
        max_iter: int = 100,
        self_loops: bool = True,
        max_df: float = 0.25,
        min_df_cap: int = 60,
        max_neighbours: int = 100,
        keyword_window: int = 2,
    ):
        super().__init__(engine=engine, keyword_window=keyword_window)
        self.damping = damping
        self.tol = tol
        self.max_iter = max_iter
        self.self_loops = self_loops
        self.max_df = max_df
        self.min_df_cap = min_df_cap
        self.max_neighbours = max_neighbours

    def rate_sentences(self, candidates: Sequence[Unit]):
        graph = self.similarity_graph([u.terms for u in candidates])
        return pagerank(graph, damping=self.damping, tol=self.tol, max_iter=self.max_iter)

    def similarity_graph(self, terms: Sequence[Sequence[str]]):
        """textrank4zh's similarity for every pair that shares a word, as a CSR matrix."""
        import numpy as np
        from scipy import sparse

        n = len(terms)
        B = _binary_term_matrix(terms)
        df = np.asarray(B.sum(axis=0)).ravel()
        cap = max(self.min_df_cap, int(self.max_df * n))
        if (df > cap).any():
            # A word in most sentences links everything to everything: O(n²) edges that carry
            # no preference. Dropping it is what keeps long documents near-linear.
            B = B[:, np.flatnonzero(df <= cap)]
        shared = (B @ B.T).tocoo()
        lengths = np.array([len(t) for t in terms], dtype=float)
        logs = np.log(np.maximum(lengths, 1.0))
        rows, cols = shared.row, shared.col
        denominator = logs[rows] + logs[cols]
        keep = denominator > 1e-12
        if not self.self_loops:
            keep &= rows != cols
        rows, cols = rows[keep], cols[keep]
        weights = shared.data[keep].astype(float) / denominator[keep]
        graph = sparse.csr_matrix((weights, (rows, cols)), shape=(n, n))
        if self.max_neighbours and graph.nnz > self.max_neighbours * n:
            graph = _strongest_edges(graph, self.max_neighbours)
        return graph


def _binary_term_matrix(terms: Sequence[Sequence[str]]):
    import numpy as np
    from scipy import sparse

    vocabulary: dict[str, int] = {}
    indices: list[int] = []
    indptr = [0]
    for words in terms:
        ids = {vocabulary.setdefault(w, len(vocabulary)) for w in words}
        indices.extend(sorted(ids))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    return sparse.csr_matrix((data, np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)), shape=(len(terms), max(len(vocabulary), 1)))


def _strongest_edges(graph, k: int):
    """Keep each node's ``k`` heaviest edges (ties to the lower index), then symmetrise."""
    import numpy as np
    from scipy import sparse

    coo = graph.tocoo()
    order = np.lexsort((coo.col, -coo.data, coo.row))
    rows, cols, data = coo.row[order], coo.col[order], coo.data[order]
    starts = np.searchsorted(rows, np.arange(graph.shape[0]))
    rank = np.arange(len(rows)) - starts[rows]
    keep = rank < k
    kept = sparse.csr_matrix((data[keep], (rows[keep], cols[keep])), shape=graph.shape)
    return kept.maximum(kept.T).tocsr()


def pagerank(graph, damping: float = 0.85, tol: float = 1e-6, max_iter: int = 100):
    """PageRank by power iteration, with networkx's conventions (used by textrank4zh).

    Rows are normalised by their weight; a node without edges spreads its rank evenly; the
    iteration stops when the L1 change is below ``n * tol``. Deterministic: no randomness, and
    sparse products sum in a fixed order.
    """
    import numpy as np
    from scipy import sparse

    n = graph.shape[0]
    if n == 0:
        return np.zeros(0)
    out = np.asarray(graph.sum(axis=1)).ravel()
    dangling = out == 0
    inverse = np.zeros(n)
    inverse[~dangling] = 1.0 / out[~dangling]
    transition_t = (sparse.diags(inverse) @ graph).T.tocsr()
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        previous = x
        x = damping * (transition_t @ previous + previous[dangling].sum() / n) + (1.0 - damping) / n
        if np.abs(x - previous).sum() < n * tol:
            break
    return x


# --------------------------------------------------------------------------------------------
# Keywords


def textrank_keywords(units: Sequence[Unit], k: int = DEFAULT_KEYWORDS, window: int = 2) -> tuple[list[Keyword], list[Keyword]]:
    """Keywords by TextRank over word co-occurrence, and keyphrases built from them.

    As in textrank4zh, the graph's nodes are POS-filtered words and two of them are linked when
    they stand within ``window`` positions of each other once stop words are removed; here an
    edge weighs how often that happens (jieba's TextRank does the same). A keyphrase is a run
    of top keywords that stand next to each other in the text at least twice
    (textrank4zh's ``get_keyphrases``).
    """
    import numpy as np
    from scipy import sparse

    vocabulary: dict[str, int] = {}
    ids: list[int] = []
    sentence_of: list[int] = []
    is_vertex: list[bool] = []
    displays: dict[str, Counter] = {}
    for s, unit in enumerate(units):
        for word, tag, shown in zip(unit.words, unit.tags, unit.display):
            if not _is_term(word, tag):
                continue
            index = vocabulary.get(word)
            if index is None:
                index = vocabulary[word] = len(vocabulary)
                is_vertex.append(False)
            if _is_keyword(word, tag):
                is_vertex[index] = True
                displays.setdefault(word, Counter())[shown] += 1
            ids.append(index)
            sentence_of.append(s)
    vertices = np.flatnonzero(np.array(is_vertex, dtype=bool))
    if not len(vertices) or k <= 0:
        return [], []
    node_of = np.full(len(vocabulary), -1)
    node_of[vertices] = np.arange(len(vertices))
    seq = node_of[np.array(ids, dtype=np.int64)]
    sent = np.array(sentence_of, dtype=np.int64)
    rows, cols = [], []
    for d in range(1, max(window, 2)):
        a, b = seq[:-d], seq[d:]
        ok = (sent[:-d] == sent[d:]) & (a >= 0) & (b >= 0) & (a != b)
        rows.append(a[ok])
        cols.append(b[ok])
    rows_a, cols_a = np.concatenate(rows), np.concatenate(cols)
    m = len(vertices)
    graph = sparse.csr_matrix((np.ones(len(rows_a)), (rows_a, cols_a)), shape=(m, m))
    graph = (graph + graph.T).tocsr()
    scores = pagerank(graph) * m
    words = [w for w, i in sorted(vocabulary.items(), key=lambda kv: kv[1]) if is_vertex[i]]
    order = sorted(range(m), key=lambda i: (-scores[i], i))

    def shown(word: str) -> str:
        return displays[word].most_common(1)[0][0]

    counts = Counter(w for unit in units for w in unit.words)
    keywords = [Keyword(shown(words[i]), round(float(scores[i]), 4), counts[words[i]]) for i in order[:k]]
    weight = {words[i]: float(scores[i]) for i in order[: max(12, k)]}
    return keywords, _keyphrases(units, weight, k)


def _keyphrases(units: Sequence[Unit], weight: dict[str, float], k: int) -> list[Keyword]:
    found: dict[str, tuple[float, str, int]] = {}
    counts: Counter = Counter()
    for unit in units:
        run: list[int] = []
        for i in range(len(unit.words) + 1):
            if i < len(unit.words) and unit.words[i] in weight:
                run.append(i)
                continue
            if len(run) > 1:
                phrase = "".join(unit.words[j] for j in run)
                counts[phrase] += 1
                if phrase not in found:
                    found[phrase] = (sum(weight[unit.words[j]] for j in run), "".join(unit.display[j] for j in run), len(found))
            run = []
    phrases = [(w, shown, order, counts[p]) for p, (w, shown, order) in found.items() if counts[p] >= 2]
    phrases.sort(key=lambda p: (-p[0], p[2]))
    return [Keyword(shown, round(w, 4), c) for w, shown, _, c in phrases[:k]]


# --------------------------------------------------------------------------------------------
# A baseline behind the same interface


class LeadSummarizer(Summarizer):
    """The first sentences of the article: news puts the most important first (Lead-N)."""

    name = "lead"

    def rate_sentences(self, candidates: Sequence[Unit]):
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
