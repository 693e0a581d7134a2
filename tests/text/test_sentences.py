"""Sentence boundaries on real seed prose."""

from __future__ import annotations

from toolkit.text.sentences import split_sentences


def sentence_texts(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_closing_quotes_stay_with_their_sentence():
    text = "“路灯更换后,开车光线变好了,居民出行也更安全了。”刘学英很满意地说。"
    assert sentence_texts(text) == ["“路灯更换后,开车光线变好了,居民出行也更安全了。”", "刘学英很满意地说。"]


def test_decimals_and_percentages_are_never_split():
    text = "森林覆盖率由过去的5.54%提高到现在的14.5%。去年嘎查人均年纯收入达2.1万元。"
    assert sentence_texts(text) == ["森林覆盖率由过去的5.54%提高到现在的14.5%。", "去年嘎查人均年纯收入达2.1万元。"]


def test_all_terminals_split_and_no_empty_sentences():
    text = "真的吗？当然！他说;我们走；…… 好。。 "
    assert sentence_texts(text) == ["真的吗？", "当然！", "他说;", "我们走；……", "好。。"]
    assert sentence_texts("。。。  ") == []


def test_text_without_terminal_is_one_sentence():
    assert sentence_texts("党建引领强产业") == ["党建引领强产业"]


def test_seed_sentences_cover_the_text_and_are_verbatim(seed_docs):
    for doc in seed_docs.values():
        for p in doc.body:
            spans = split_sentences(p.text)
            assert spans, p.text
            joined = "".join(p.text[a:b] for a, b in spans)
            assert joined.replace(" ", "") == p.text.replace(" ", "")
            for a, b in spans:
                assert p.text[a:b].strip() == p.text[a:b]
