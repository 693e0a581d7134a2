"""Keywords and keyphrases: TextRank over word co-occurrence within a sentence."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Sequence

from toolkit.summaries.graph import pagerank
from toolkit.summaries.types import Keyword
from toolkit.summaries.units import _KEYWORD, Words

DEFAULT_KEYWORDS = 10
#: A word is generic when more than about 3% of news articles use it (IDF below ln 33 ≈ 3.5):
#: its TextRank score is multiplied by ``(idf / GENERIC_IDF) ** GENERIC_POWER``, so 发展 (IDF
#: 0.67) needs 27 times the centrality of a specific word to stay, 建设 (1.08) ten times, 工程
#: (2.1) almost three times: in the keywords only when the article is about it. Rarer words and
#: place names are left as TextRank ranks them.
GENERIC_IDF = 3.5
GENERIC_POWER = 2.0


@lru_cache(maxsize=1)
def idf_table() -> tuple[dict[str, float], float]:
    """toolkit/data/idf.txt (``word idf``, built by bench/knowledge/build_idf.py), and the IDF a
    word not in it gets: the table's largest, since the table holds the most common words."""
    from importlib import resources

    table: dict[str, float] = {}
    text = resources.files("toolkit").joinpath("data", "idf.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            word, _, value = line.rpartition(" ")
            table[word] = float(value)
    return table, max(table.values(), default=GENERIC_IDF)


def generic_damping(word: str, place: bool = False) -> float:
    """How much of its TextRank score a keyword keeps: 1 for specific words and place names,
    ``(idf / GENERIC_IDF) ** GENERIC_POWER`` for words many news articles use (建设, 发展, 项目)."""
    if place:
        return 1.0
    table, unseen = idf_table()
    return min(1.0, table.get(word, unseen) / GENERIC_IDF) ** GENERIC_POWER


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
    import numpy as np

    if k <= 0:
        return [], []
    words, graph = keyword_graph(sentences, window)
    m = len(words)
    if not m:
        return [], []
    displays: dict[str, Counter] = {}
    counts: Counter = Counter()
    places: set[str] = set()
    for sentence in sentences:
        counts.update(sentence.words)
        for word, kind, shown, place in zip(sentence.words, sentence.kinds, sentence.display, sentence.places):
            if kind == _KEYWORD:
                displays.setdefault(word, Counter())[shown] += 1
                if place:
                    places.add(word)
    damping = np.array([generic_damping(w, w in places) for w in words])
    scores = pagerank(graph) * m * damping
    order = sorted(range(m), key=lambda i: (-scores[i], i))
    keywords = [
        Keyword(displays[words[i]].most_common(1)[0][0], round(float(scores[i]), 4), counts[words[i]]) for i in order[:k]
    ]
    weight = {words[i]: float(scores[i]) for i in order[: max(12, k)]}
    return keywords, _keyphrases(sentences, weight, k)


def _keyphrases(sentences: Sequence[Words], weight: dict[str, float], k: int) -> list[Keyword]:
    """Runs of top keywords that stand together at least twice and form a phrase of their own.

    Words join a run only when nothing stands between them in the sentence (no space, no
    punctuation: 第一书记 脱贫攻坚 on two sides of a gap is not a phrase), and a run counts as a
    phrase only if at least once it is not followed by another noun: 第一书记脱贫攻坚 in
    发挥第一书记脱贫攻坚先锋作用 is the start of a longer noun group, not a name for anything.
    Near-duplicates are merged into the better one (see :func:`_merge_phrases`).
    """
    found: dict[str, tuple[float, str, tuple[str, ...]]] = {}
    counts: Counter = Counter()
    closed: set[str] = set()
    for sentence in sentences:
        words, kinds = sentence.words, sentence.kinds
        run: list[int] = []
        for i in range(len(words) + 1):
            if i < len(words) and words[i] in weight and (not run or sentence.joined[i]):
                run.append(i)
                continue
            if len(run) > 1:
                phrase = "".join(words[j] for j in run)
                counts[phrase] += 1
                if not (i < len(words) and kinds[i] == _KEYWORD and sentence.joined[i]):
                    closed.add(phrase)
                if phrase not in found:
                    found[phrase] = (sum(weight[words[j]] for j in run), "".join(sentence.display[j] for j in run),
                                     tuple(words[j] for j in run))
            run = [i] if i < len(words) and words[i] in weight else []
    phrases = [(w, shown, first, counts[p], parts) for first, (p, (w, shown, parts)) in enumerate(found.items())
               if counts[p] >= 2 and p in closed]
    phrases.sort(key=lambda p: (-p[0], p[2]))
    return [Keyword(shown, round(w, 4), c) for w, shown, _, c, _ in _merge_phrases(phrases)[:k]]


def _merge_phrases(phrases: list[tuple]) -> list[tuple]:
    """Drop a phrase whose words are all in a better phrase, or that a better one's words all
    stand in (产业发展 / 发展产业; 嘎查村党组织 / 嘎查村党组织书记): one entry per idea."""
    kept: list[tuple] = []
    for phrase in phrases:
        words = set(phrase[4])
        if any(words <= set(better[4]) or set(better[4]) <= words for better in kept):
            continue
        kept.append(phrase)
    return kept
