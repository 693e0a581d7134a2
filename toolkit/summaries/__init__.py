"""Extractive abstracts and keywords: summarisers behind one small interface, as sumy does it.

A summary quotes the article: every unit it offers is made of spans of a body paragraph, in the
characters the file wrote (full-width letters and digits, ％ and Traditional script kept; pinyin
glosses dropped, as an editor quoting would drop them), returned in document order, so a
researcher can cite it. A unit is one span unless a long quotation was cut to its core sentence
and attribution or a bracketed definition was left out (see :mod:`toolkit.summaries.trim`). Headings, captions, bylines, navigation,
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
textrank4zh builds it with ``edge_source='all_filters'`` (see :func:`keyword_graph`), with words
that most news articles use (建设, 发展, 项目) damped by their IDF in public news
(toolkit/data/idf.txt) and place names never damped; keyphrases are keywords that stand together,
with nothing between them, at least twice, near-duplicates merged. They are reported in the
document's own script too.
"""

from __future__ import annotations

from toolkit.text.document import Document
from toolkit.summaries.base import DEFAULT_KEYWORDS, DEFAULT_SENTENCES, Summarizer
from toolkit.summaries.lead import LeadSummarizer
from toolkit.summaries.newsrank import NewsRankSummarizer
from toolkit.summaries.textrank import TextRankSummarizer
from toolkit.summaries.types import Keyword, ScoredSentence, Summary

__all__ = ["summarize_document", "summarize_text", "summarize_file", "Summary", "ScoredSentence", "Keyword",
           "Summarizer", "NewsRankSummarizer", "TextRankSummarizer", "LeadSummarizer", "SUMMARIZERS", "DEFAULT_SENTENCES", "DEFAULT_KEYWORDS"]

SUMMARIZERS = {"newsrank": NewsRankSummarizer, "textrank": TextRankSummarizer, "lead": LeadSummarizer}
DEFAULT_METHOD = "newsrank"


def summarize_document(
    document: Document,
    sentences: int | None = None,
    ratio: float | None = None,
    keywords: int = DEFAULT_KEYWORDS,
    method: str | None = None,
    chars: int | None = None,
) -> Summary:
    """Summary of an already read :class:`~toolkit.text.document.Document` (3 sentences, 10 keywords)."""
    try:
        summarizer = SUMMARIZERS[method or DEFAULT_METHOD]()
    except KeyError:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(SUMMARIZERS)}") from None
    return summarizer.summarize(document, sentences=sentences, ratio=ratio, keywords=keywords, chars=chars)


def summarize_text(
    text: str,
    sentences: int | None = None,
    ratio: float | None = None,
    keywords: int = DEFAULT_KEYWORDS,
    name: str = "<text>",
    method: str | None = None,
    chars: int | None = None,
) -> Summary:
    """Summary of an article held in a string, segmented as a file would be."""
    from toolkit.text.reading import document_from_text

    return summarize_document(document_from_text(text, name=name), sentences, ratio, keywords, method, chars)


def summarize_file(source: str, **options) -> Summary:
    """Read one file (any supported encoding, or ``-``) and summarise it; InputError if unreadable."""
    from toolkit.text.reading import read_document

    return summarize_document(read_document(source), **options)
