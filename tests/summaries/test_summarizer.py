"""TextRank summaries and keywords on the seed articles: what may be quoted, and how it is ranked."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from toolkit.text.cleaning import to_simplified
from toolkit.text.document import BODY, Document, Paragraph
from toolkit.text.garbled import GarbledRun
from toolkit.text.reading import document_from_text
from toolkit.summaries import LeadSummarizer, TextRankSummarizer, summarize_document, summarize_text
from toolkit.summaries.graph import SentenceGraph, pagerank, term_matrix
from toolkit.summaries.keywords import keyword_graph
from toolkit.summaries.units import _KEYWORD, _merge_place_names, analyse, summary_units
from toolkit.text.tokens import stopwords

ALL = 1000  # more sentences than any seed has


@pytest.fixture(scope="module")
def full_summaries(seed_docs):
    """Every seed summarised with all its sentences; shared because analysing is not free."""
    return {name: summarize_document(doc, sentences=ALL) for name, doc in seed_docs.items()}


def _doc(seed_docs, prefix: str) -> Document:
    return next(doc for name, doc in seed_docs.items() if name.startswith(prefix))


def _sentences_of(doc: Document, s):
    """The paragraph sentences a chosen unit spans."""
    return doc.paragraphs[s.paragraph].sentences()[s.sentence : s.last_sentence + 1]


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch in "“「") - (ch in "”」")
        if depth < 0:
            return False
    return depth == 0


# -- what may be quoted -----------------------------------------------------------------------


def test_summary_sentences_are_verbatim_body_sentences_in_document_order(seed_docs):
    for doc in seed_docs.values():
        summary = summarize_document(doc, sentences=5)
        assert len(summary.sentences) == 5, doc.name
        positions = [(s.paragraph, s.sentence) for s in summary.sentences]
        assert positions == sorted(positions), doc.name
        assert sorted(s.rank for s in summary.sentences) == [1, 2, 3, 4, 5]
        for s in summary.sentences:
            paragraph = doc.paragraphs[s.paragraph]
            assert paragraph.kind == BODY
            assert "".join(paragraph.quote_text[a:b] for a, b in s.spans) == s.text
            assert (s.spans[0][0], s.spans[-1][1]) == (s.start, s.end)
            spanned = _sentences_of(doc, s)
            assert spanned and (spanned[0].start, spanned[-1].end) == (s.start, s.end)


def test_never_quotes_headings_captions_bylines_navigation_copyright_or_links(seed_docs, full_summaries):
    furniture = {"heading", "caption", "byline", "navigation", "copyright", "links", "qr"}
    for name, summary in full_summaries.items():
        doc = seed_docs[name]
        assert {doc.paragraphs[s.paragraph].kind for s in summary.sentences} == {BODY}
        furniture_text = [p.text for p in doc.paragraphs if p.kind in furniture]
        for s in summary.sentences:
            assert not any(s.text in text for text in furniture_text), (name, s.text)
    # The seeds do hold such lines, long enough to be sentences, so the check above had work to do.
    seed_004 = _doc(seed_docs, "004")
    assert any(p.kind == "links" and "本报讯" in p.text for p in seed_004.paragraphs)
    seed_002 = _doc(seed_docs, "002")
    assert any(p.kind == "copyright" for p in seed_002.paragraphs)


def test_fragments_too_short_to_stand_alone_are_not_candidates(seed_docs, full_summaries):
    # 004 has "管理从“紧”。"
    texts = {s.text for summary in full_summaries.values() for s in summary.sentences}
    assert "管理从“紧”。" not in texts
    all_texts = {s.text for doc in seed_docs.values() for s in doc.sentences()}
    assert "管理从“紧”。" in all_texts


# -- quotations --------------------------------------------------------------------------------


def test_a_quotation_is_one_unit_with_the_attribution_after_its_closing_mark():
    sentences = [
        "这两天,肉苁蓉采挖刚刚结束。",
        "“我们嘎查先后种植梭梭20余万亩。",
        "每年两季采挖的收入能达到四五万元。”",
        "嘎查党支部书记潘多云告诉中国城市报记者。",
        "“路灯更换后,居民出行也更安全了。”",
        "刘学英很满意地说。",
        "王力说。",
        "牧民马西达来说:“上世纪70年代,狂沙扑面而来。",
        "2015年合作社种了梭梭,沙尘暴也少了。”",
        "“这句引语没有结束。",
        "后面也没有。",
    ]
    assert summary_units(sentences) == [
        (0, 0, True),
        (1, 3, True),  # three sentences: the quote's two and who said it
        (4, 5, True),
        (6, 6, False),  # a bare attribution: nothing before it to attach to
        (7, 8, True),  # the speaker before the colon is part of the sentence already
        (9, 10, False),  # the marks never balance
    ]
    # A mark that closes nothing, and an attribution after a sentence that is not a quote.
    assert summary_units(["他们说得好。”", "张三说。"]) == [(0, 0, False), (1, 1, False)]
    assert summary_units(["村里修了路。", "张三说。"]) == [(0, 0, True), (1, 1, False)]


def test_seed_quotations_are_quoted_whole_and_attributions_never_alone(seed_docs, full_summaries):
    doc = _doc(seed_docs, "002")
    wang_li = next(p for p in doc.paragraphs if p.text.endswith("党支部书记王力说。"))
    pieces = [s.text for s in wang_li.sentences()]
    assert len(pieces) == 3 and pieces[1].startswith("党组织作用发挥好了") and not _balanced(pieces[1])
    texts = [s.text for s in full_summaries[doc.name].sentences]
    # The two quoted sentences and 王力说 are one unit; being long, it is cut to its core
    # sentence with its marks and its attribution (trim.py), never to a piece of it.
    cut = pieces[0] + "”" + pieces[2]
    assert pieces[0].startswith("“") and pieces[1].endswith("!”") and cut in texts
    assert not {pieces[1], pieces[2]} & set(texts)
    # Lead-3 ranks the same units, so it quotes the same quotation.
    lead = [s.text for s in LeadSummarizer().summarize(doc, sentences=3, keywords=0).sentences]
    assert lead[-1] == cut
    told = [s.text for s in full_summaries[_doc(seed_docs, "001").name].sentences if "告诉中国城市报记者" in s.text]
    assert len(told) == 1 and told[0].startswith("“截至今年")
    for name, doc in seed_docs.items():
        analysis = analyse(doc)
        for paragraph in {u.paragraph for u in analysis.units}:
            units = [u for u in analysis.units if u.paragraph == paragraph]
            # Units tile the paragraph's sentences in order and quote its text verbatim.
            assert [u.first for u in units] == [0] + [u.last + 1 for u in units[:-1]]
            assert units[-1].last == len(doc.paragraphs[paragraph].sentences()) - 1
            assert all("".join(doc.paragraphs[paragraph].quote_text[a:b] for a, b in u.spans) == u.text for u in units)
        for s in full_summaries[name].sentences:
            assert _balanced(s.text), (name, s.text)
            assert not re.fullmatch(r"[^“”「」,，]{2,40}(说|說|介绍|介紹|透露|告诉记者|告訴記者)。", s.text), (name, s.text)


def test_garbled_sentences_are_never_quoted():
    text = "第一句话讲的是嘎查村集体经济发展壮大。第二句话里有乱码但是也很长很长。第三句话讲党组织带领牧民致富增收。"
    start = text.index("第二句")
    end = text.index("第三句")
    paragraph = Paragraph(0, text, BODY, [GarbledRun(start + 5, start + 7, "?!翱偣")])
    doc = Document("made-up", [paragraph])
    summary = summarize_document(doc, sentences=ALL)
    assert [s.text for s in summary.sentences] == ["第一句话讲的是嘎查村集体经济发展壮大。", "第三句话讲党组织带领牧民致富增收。"]


def test_units_quote_their_own_paragraph_when_indices_are_not_list_positions():
    # The bench drops seed 002's editor's summary this way: the other paragraphs keep their index.
    first = "“嘎查村发展集体经济。牧民增收了。”王力说。"
    second = "党支部领办合作社,带动群众就业。"
    doc = Document("gaps", [Paragraph(3, first, BODY), Paragraph(7, second, BODY)])
    summary = summarize_document(doc, sentences=ALL, keywords=0)
    assert [(s.paragraph, s.sentence, s.last_sentence, s.text) for s in summary.sentences] == [
        (3, 0, 2, first),
        (7, 0, 0, second),
    ]


def test_seed_000_summary_holds_no_garbled_run_or_gloss(seed_docs, full_summaries):
    name = next(n for n in full_summaries if n.startswith("000"))
    doc = seed_docs[name]
    for s in full_summaries[name].sentences:
        assert not any(sentence.garbled for sentence in _sentences_of(doc, s))
        assert "\ufffd" not in s.text and "(j" not in s.text and "?!" not in s.text


# -- how many -----------------------------------------------------------------------------------


def test_asking_for_more_sentences_than_there_are_gives_all_of_them(seed_docs, full_summaries):
    # Seeds 001 and 003 repeat no sentence, so "all" is every candidate, in document order.
    for prefix in ("001", "003"):
        doc = _doc(seed_docs, prefix)
        candidates = [(u.paragraph, u.first) for u in analyse(doc).candidates]
        summary = full_summaries[doc.name]
        assert summary.candidates == len(candidates) > 35
        assert [(s.paragraph, s.sentence) for s in summary.sentences] == candidates
    tiny = summarize_text("嘎查村发展集体经济。党支部领办合作社。牧民种植梭梭增收。", sentences=10)
    assert [s.text for s in tiny.sentences] == ["嘎查村发展集体经济。", "党支部领办合作社。", "牧民种植梭梭增收。"]


def test_ratio_picks_the_rounded_up_share_of_candidates(seed_docs):
    doc = _doc(seed_docs, "004")
    n = len(analyse(doc).candidates)
    for ratio in (0.01, 0.1, 0.25):
        assert len(summarize_document(doc, ratio=ratio, keywords=0).sentences) == math.ceil(ratio * n)
    with pytest.raises(ValueError):
        summarize_document(doc, sentences=3, ratio=0.5)
    for bad in (0, 1.5, -0.1):
        with pytest.raises(ValueError):
            summarize_document(doc, ratio=bad)


def test_near_duplicate_sentences_never_appear_together(seed_docs, full_summaries):
    # Seed 002's editor's summary and its third paragraph state the same thing in nearly the same words.
    doc = _doc(seed_docs, "002")
    texts = [s.text for s in full_summaries[doc.name].sentences]
    twins = [t for t in texts if "深入贯彻“一切工作到支部”思想" in t]
    assert len(twins) == 1
    assert sum("深入贯彻“一切工作到支部”思想" in s.text for s in doc.sentences()) == 2
    # A body sentence repeated word for word later in the article is quoted once.
    repeated = "整顿1782个软弱涣散党组织,让组织体系强起来,覆盖农村、社区、企业等多个领域。"
    text = f"{repeated}嘎查村发展集体经济,牧民增收。\n党支部领办合作社,带动群众就业。{repeated}"
    summary = summarize_text(text, sentences=ALL)
    assert [s.text for s in summary.sentences].count(repeated) == 1
    assert len(summary.sentences) == 3


def test_parallel_list_items_are_not_mistaken_for_duplicates(seed_docs, full_summaries):
    # 004 lists six "实施“党建+…”工程,着力打造“…党建”" items: same template, different content.
    texts = [s.text for s in full_summaries[_doc(seed_docs, "004").name].sentences]
    assert sum(t.startswith("实施“党建+") for t in texts) == 5


def test_empty_and_all_boilerplate_documents_get_a_message_not_a_crash(seed_paths):
    empty = summarize_text("")
    assert empty.empty and empty.candidates == 0 and "no text" in empty.message
    # Seed 003's page top: a town menu, QR-code blurbs, a breadcrumb, bylines.
    page_top = "\n".join(seed_paths[3].read_text(encoding="utf-8").splitlines()[:31])
    furniture = summarize_text(page_top, name="menu.txt")
    assert furniture.empty and furniture.sentences == [] == furniture.keywords
    assert "headings or page furniture" in furniture.message
    # Only fragments: body paragraphs but nothing long enough to quote.
    fragments = summarize_text("好。\n走吧。")
    assert fragments.empty and "no complete, readable sentence" in fragments.message


def test_same_input_same_output(seed_docs):
    for doc in seed_docs.values():
        first = TextRankSummarizer().summarize(doc, sentences=5).to_dict()
        second = TextRankSummarizer().summarize(doc, sentences=5).to_dict()
        assert first == second


def test_lead_baseline_takes_the_first_candidates():
    text = "嘎查村发展集体经济,牧民增收。\n党支部领办合作社,带动群众就业。\n牧民种植梭梭,防沙治沙见成效。"
    summary = LeadSummarizer().summarize(document_from_text(text), sentences=2)
    assert [s.text for s in summary.sentences] == ["嘎查村发展集体经济,牧民增收。", "党支部领办合作社,带动群众就业。"]
    assert [s.rank for s in summary.sentences] == [1, 2]


# -- scripts ---------------------------------------------------------------------------------------


def test_traditional_seed_is_quoted_in_traditional_and_ranked_like_its_simplified_twin(seed_docs):
    doc = _doc(seed_docs, "000")
    twin_paragraphs = []
    for p in doc.paragraphs:
        simplified = to_simplified(p.text)
        assert len(simplified) == len(p.text)
        twin_paragraphs.append(Paragraph(p.index, simplified, p.kind, list(p.garbled)))
    twin = Document("twin", twin_paragraphs)
    original = summarize_document(doc, sentences=4)
    simplified = summarize_document(twin, sentences=4)
    assert [(s.paragraph, s.sentence, s.score) for s in original.sentences] == [
        (s.paragraph, s.sentence, s.score) for s in simplified.sentences
    ]
    assert any("黨" in s.text for s in original.sentences)  # 黨, not 党: the article's own script
    assert all(to_simplified(a.text) == b.text for a, b in zip(original.sentences, simplified.sentences))
    assert [to_simplified(k.word) for k in original.keywords] == [k.word for k in simplified.keywords]
    assert "黨組織" in [k.word for k in original.keywords]


# -- keywords ------------------------------------------------------------------------------------


def test_keywords_are_clean_words_with_descending_weights(seed_docs):
    stop = stopwords()
    for doc in seed_docs.values():
        summary = summarize_document(doc, keywords=15)
        words = [k.word for k in summary.keywords]
        assert len(words) == 15 == len(set(words)), doc.name
        for k in summary.keywords:
            assert len(k.word) >= 2, k
            assert all("\u4e00" <= ch <= "\u9fff" for ch in k.word), k  # no ASCII, pinyin or digits
            assert to_simplified(k.word) not in stop, k
            assert k.count >= 1 and k.weight > 0
        weights = [k.weight for k in summary.keywords]
        assert weights == sorted(weights, reverse=True)


def test_keywords_name_what_the_article_is_about(seed_docs):
    # Seed 001 is about herders' gacha (嘎查) around 阿拉善左旗: 嘎查 occurs far more often in its
    # body than any other domain term, and jieba without the user dictionary splits it (嘎 / 查).
    doc = _doc(seed_docs, "001")
    body = "".join(p.text for p in doc.body)
    assert body.count("嘎查") >= 20 and body.count("嘎查") > body.count("合作社")
    words = [k.word for k in summarize_document(doc).keywords]
    assert "嘎查" in words[:5]
    assert "阿拉善左旗" in words  # a place name kept whole
    # Seed 003 is a work report on gacha-village collective economies (嘎查村, 38 times).
    doc = _doc(seed_docs, "003")
    assert summarize_document(doc).keywords[0].word == "嘎查村"


def test_keyphrases_are_adjacent_keywords_that_occur_at_least_twice(seed_docs):
    found = 0
    for doc in seed_docs.values():
        text = to_simplified("".join(p.text for p in doc.paragraphs if p.kind in (BODY, "heading")))
        for phrase in summarize_document(doc).keyphrases:
            assert phrase.count >= 2 and text.count(to_simplified(phrase.word)) >= 2, phrase
            found += 1
    assert found >= 5


def test_place_names_split_by_jieba_are_joined_again():
    assert _merge_place_names([("吉兰泰", "nz"), ("镇", "n")]) == [("吉兰泰镇", "ns")]
    assert _merge_place_names([("阿拉善左旗", "ns"), ("吉兰泰", "nz"), ("镇", "n")]) == [
        ("阿拉善左旗", "ns"),
        ("吉兰泰镇", "ns"),
    ]
    # A common noun before 村 is not a name: 新村 stays, 发展 + 村 is not merged.
    assert _merge_place_names([("发展", "vn"), ("村", "n")]) == [("发展", "vn"), ("村", "n")]
    words = analyse(document_from_text("在阿拉善左旗吉兰泰镇巴彦乌拉嘎查,牧民种植梭梭。")).sentences[0].words
    assert "吉兰泰镇" in words and "乌拉" not in words


# -- the algorithm -------------------------------------------------------------------------------


def test_sentence_graph_is_textrank4zh_similarity(seed_docs):
    """S[i, j] = shared distinct words / (log|s_i| + log|s_j|), diagonal included, as in textrank4zh."""
    terms = [u.terms for u in analyse(_doc(seed_docs, "004")).candidates]
    n = len(terms)
    expected = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            shared = len(set(terms[i]) & set(terms[j]))
            denominator = math.log(max(len(terms[i]), 1)) + math.log(max(len(terms[j]), 1))
            expected[i, j] = shared / denominator if shared and denominator > 1e-12 else 0.0
    graph = SentenceGraph(term_matrix(terms))
    np.testing.assert_allclose(graph.toarray(), expected, atol=1e-12)
    x = np.random.default_rng(0).random(n)
    np.testing.assert_allclose(graph @ x, expected @ x, rtol=1e-10)
    no_loops = SentenceGraph(term_matrix(terms), self_loops=False)
    np.fill_diagonal(expected, 0.0)
    np.testing.assert_allclose(no_loops @ x, expected @ x, rtol=1e-10)


def test_pagerank_is_the_stationary_distribution(seed_docs):
    terms = [u.terms for u in analyse(_doc(seed_docs, "002")).candidates] + [[]]  # one isolated node
    dense = SentenceGraph(term_matrix(terms)).toarray()
    n = len(dense)
    damping = 0.85
    out = dense.sum(axis=1)
    transition = np.where(out[:, None] > 0, dense / np.where(out > 0, out, 1)[:, None], 1.0 / n)
    google = damping * transition + (1 - damping) / n
    values, vectors = np.linalg.eig(google.T)
    stationary = np.real(vectors[:, np.argmax(np.real(values))])
    stationary /= stationary.sum()
    scores = pagerank(SentenceGraph(term_matrix(terms)), damping=damping, tol=1e-12, max_iter=1000)
    np.testing.assert_allclose(scores, stationary, atol=1e-9)
    assert scores.sum() == pytest.approx(1.0)


def test_keyword_graph_links_keywords_that_share_a_sentence_whatever_stands_between(seed_docs):
    """Each sentence is reduced to its keyword candidates before the window applies."""
    for prefix in ("001", "004"):
        sentences = analyse(_doc(seed_docs, prefix)).sentences
        words, graph = keyword_graph(sentences, window=2)
        index = {w: i for i, w in enumerate(words)}
        graph = graph.tolil()
        company = set()
        for sentence in sentences:
            sequence = [w for w, k in zip(sentence.words, sentence.kinds) if k == _KEYWORD]
            for a, b in zip(sequence, sequence[1:]):
                if a != b:
                    assert graph[index[a], index[b]] > 0 and graph[index[b], index[a]] > 0, (a, b)
            if len(set(sequence)) > 1:
                company |= set(sequence)
        degree = np.asarray(graph.tocsr().sum(axis=1)).ravel()
        isolated = {w for w in words if degree[index[w]] == 0}
        assert isolated == set(words) - company  # isolated only when alone in every sentence
        assert len(isolated) < 0.02 * len(words)


def test_the_term_matrix_is_built_once_per_summary(seed_docs, monkeypatch):
    import toolkit.summaries.base as base

    calls = []
    real = base.term_matrix
    monkeypatch.setattr(base, "term_matrix", lambda terms: calls.append(len(terms)) or real(terms))
    summary = summarize_document(_doc(seed_docs, "002"), sentences=3)
    assert calls == [summary.candidates]


# -- the benchmark's ROUGE --------------------------------------------------------------------


def test_bench_rouge_on_a_hand_checked_example():
    from bench.summarize import rouge

    # 党建引领发展 / 党建促进发展: 4 of 6 characters shared (党 建 发 展), 2 of 5 bigrams (党建, 发展),
    # longest common subsequence 党建发展 (4); punctuation is not counted.
    scores = rouge("党建引领发展。", "“党建促进发展”")
    assert scores["1"] == pytest.approx({"p": 4 / 6, "r": 4 / 6, "f": 4 / 6})
    assert scores["2"] == pytest.approx({"p": 2 / 5, "r": 2 / 5, "f": 2 / 5})
    assert scores["L"] == pytest.approx({"p": 4 / 6, "r": 4 / 6, "f": 4 / 6})
    # Clipped counts: 党 matches once however often the hypothesis repeats it.
    clipped = rouge("党党党", "党建")["1"]
    assert clipped == pytest.approx({"p": 1 / 3, "r": 1 / 2, "f": 0.4})
    assert rouge("", "党建")["L"] == {"p": 0.0, "r": 0.0, "f": 0.0}


def test_bench_lcs_is_the_textbook_table():
    import random

    from bench.summarize import _lcs

    def table(a, b):
        previous = [0] * (len(b) + 1)
        for x in a:
            current = [0]
            for j, y in enumerate(b, 1):
                current.append(previous[j - 1] + 1 if x == y else max(previous[j], current[j - 1]))
            previous = current
        return previous[-1]

    rng = random.Random(0)
    for _ in range(500):
        a = [rng.choice("党建引领发展abc") for _ in range(rng.randint(0, 70))]
        b = [rng.choice("党建引领发展abc") for _ in range(rng.randint(0, 70))]
        assert _lcs(a, b) == table(a, b)
