"""Keywords and keyphrases: TextRank over word co-occurrence within a sentence."""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from toolkit.summaries.graph import pagerank
from toolkit.summaries.types import Keyword
from toolkit.summaries.units import _KEYWORD, Words

DEFAULT_KEYWORDS = 10


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


