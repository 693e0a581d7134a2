"""What an editor would never quote, a length budget, and NewsRank's lead prior and where it is
dropped (a lead far from central, a transcript, a judgment), on small texts."""

from __future__ import annotations

import numpy as np
import pytest

from toolkit.summaries import NewsRankSummarizer, TextRankSummarizer, summarize_text
from toolkit.summaries.graph import SentenceGraph, pagerank, term_matrix
from toolkit.summaries.newsrank import position_free
from toolkit.summaries.units import analyse, summary_units
from toolkit.text.reading import document_from_text

ALL = 1000


def _candidates(text: str) -> list[str]:
    return [u.text for u in analyse(document_from_text(text)).candidates]


def test_a_semicolon_ends_a_clause_not_a_unit():
    assert summary_units(["一是完善村规民约；", "二是建立积分制度；", "三是推行网格管理。", "村民满意度明显提升。"]) == [
        (0, 2, True),
        (3, 3, True),
    ]
    units = _candidates("县里一是完善村规民约，规范红白喜事；二是建立积分超市制度，激励村民参与。村民满意度明显提升了不少。")
    assert units[0] == "县里一是完善村规民约，规范红白喜事；二是建立积分超市制度，激励村民参与。"


def test_list_items_are_not_candidates():
    text = "\n".join(["红烧肉的做法很简单，家家户户都能学会。", "4、锅里加入冰糖小火慢慢炒出糖色。",
                      "3、五花肉切块后冷水下锅焯水去腥。", "2．准备好葱姜蒜和八角桂皮香叶。", "（三）火候掌握是关键的一步环节。"])
    assert _candidates(text) == ["红烧肉的做法很简单，家家户户都能学会。"]


def test_a_heading_fused_to_its_list_is_not_a_candidate():
    text = "常见跌落危险因素及预防办法：1.窗户要安装防护栏，家长不要离开。\n幼儿园组织老师学习安全知识，提高防范意识。"
    assert _candidates(text) == ["幼儿园组织老师学习安全知识，提高防范意识。"]


def test_editorial_notes_and_meta_sentences_are_not_candidates():
    text = ("合作社今年销售额突破百万元，带动三十户增收。\n本文重点研究乡村治理中的积分制度及其效果。\n"
            "村两委班子带头入户宣传政策。\n（原题为《小小合作社带富一个村》）")
    assert _candidates(text) == ["合作社今年销售额突破百万元，带动三十户增收。", "村两委班子带头入户宣传政策。"]


def test_a_short_refrain_is_not_quoted_but_a_repeated_statement_is_once():
    refrain = "爸爸妈妈，你们知道吗？"
    text = "\n".join([refrain, "孩子在家里最容易发生跌落和烫伤事故。", refrain, "家长要把热水瓶放在孩子够不着的地方。"])
    texts = [s.text for s in summarize_text(text, sentences=ALL, keywords=0).sentences]
    assert refrain not in texts and len(texts) == 2


def test_a_character_budget_limits_the_quoted_text():
    text = "\n".join(["村里发展集体经济，合作社带动农户增收致富。", "镇党委推行网格管理，群众诉求当天受理办结。",
                      "县里选派年轻干部到村任职，开展集中培训。", "牧民种植梭梭防沙治沙，生态环境明显改善。",
                      "村里修建冷库和道路，农产品销路打开了。"])
    doc = document_from_text(text)
    unit = max(len(u.text) for u in analyse(doc).candidates)
    for method in (NewsRankSummarizer, TextRankSummarizer):
        summary = method().summarize(doc, chars=2 * unit + 1, keywords=0)
        assert len(summary.sentences) >= 2 and sum(len(s.text) for s in summary.sentences) <= 2 * unit + 1
        # The best unit is taken even when it alone is over the budget.
        assert len(method().summarize(doc, chars=5, keywords=0).sentences) == 1
    with pytest.raises(ValueError):
        summarize_text(text, chars=0)


def test_personalised_pagerank_restarts_at_the_prior():
    terms = [["党建", "产业"], ["产业", "合作社"], ["合作社", "党建"], ["党建", "产业", "合作社"]]
    graph = SentenceGraph(term_matrix(terms))
    plain = pagerank(graph)
    biased = pagerank(graph, personalization=[1.0, 0.0, 0.0, 0.0])
    assert biased[0] > plain[0] and biased.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(pagerank(graph, personalization=[1, 1, 1, 1]), plain)
    with pytest.raises(ValueError):
        pagerank(graph, personalization=[0, 0, 0, 0])


def test_newsrank_prefers_the_lead_and_falls_back_where_the_lead_is_furniture():
    lead = "县委书记宣布全县三十个贫困村全部脱贫摘帽，农民人均收入增长一成。"
    body = ["贫困村通过发展合作社和特色产业实现增收，合作社带动农户脱贫。",
            "合作社发展特色产业，贫困村农户在合作社务工增收。",
            "特色产业让贫困村合作社壮大，农户增收脱贫有了保障。"]
    doc = document_from_text("\n".join([lead, *body]))
    assert lead in [s.text for s in NewsRankSummarizer().summarize(doc, sentences=1, keywords=0).sentences]
    assert lead not in [s.text for s in TextRankSummarizer().summarize(doc, sentences=1, keywords=0).sentences]
    # A lead that shares nothing with the rest (a judgment's court and case number) is not central:
    # NewsRank then ranks exactly as TextRank.
    furniture = ["某某市中级人民法院审理原告与被告买卖合同纠纷一案。", "案号记载于卷宗首页，审判长签名后归档备查。",
                 "书记员负责记录庭审经过并核对当事人身份信息。"]
    doc = document_from_text("\n".join([*furniture, *body * 2]))
    ranker = NewsRankSummarizer()
    news = [s.text for s in ranker.summarize(doc, sentences=2, keywords=0).sentences]
    assert ranker.fell_back
    assert news == [s.text for s in TextRankSummarizer().summarize(doc, sentences=2, keywords=0).sentences]


# A short news item whose lead states the point, and its body.
_LEAD = "县委书记宣布全县三十个贫困村全部脱贫摘帽，农民人均收入增长一成。"
_BODY = ["贫困村通过发展合作社和特色产业实现增收，合作社带动农户脱贫。",
         "合作社发展特色产业，贫困村农户在合作社务工增收。",
         "特色产业让贫困村合作社壮大，农户增收脱贫有了保障。"]


def _same_as_textrank(text: str, sentences: int = 2):
    doc = document_from_text(text)
    ranker = NewsRankSummarizer()
    ours = [s.text for s in ranker.summarize(doc, sentences=sentences, keywords=0).sentences]
    plain = [s.text for s in TextRankSummarizer().summarize(doc, sentences=sentences, keywords=0).sentences]
    return ranker, ours == plain


def test_newsrank_drops_the_lead_prior_on_a_transcript():
    # A chair opens the segment; the speakers' turns carry the marks of speech (然后, 对吧, 那么, 我觉得).
    turns = ["好，感谢各位嘉宾的到来，下面有请第一位嘉宾发言。",
             "然后我们合作社这几年发展特色产业，对吧，贫困村农户增收很明显。",
             "那么特色产业让合作社壮大，我觉得农户脱贫就有了保障。",
             "然后贫困村通过合作社务工增收，这个是实实在在的。",
             "谢谢，那么我们请下一位嘉宾。"]
    ranker, same = _same_as_textrank("\n".join(turns))
    assert ranker.fell_back and ranker.fallback_reason == "transcript" and same


def test_newsrank_drops_the_lead_prior_on_a_judgment():
    lines = ["原告张某与被告李某买卖合同纠纷一案，本院于2017年5月立案后，依法适用简易程序公开开庭进行了审理。",
             "原告向本院提出诉讼请求：判令被告支付货款五万元。",
             "被告未到庭参加诉讼，亦未提交答辩意见。",
             "本院认为，原告与被告之间的买卖合同合法有效，被告应当按照约定支付货款。",
             "依照《中华人民共和国合同法》第一百零七条之规定，判决如下：被告于本判决生效之日起十日内支付原告货款五万元。"]
    ranker, same = _same_as_textrank("\n".join(lines))
    assert ranker.fell_back and ranker.fallback_reason == "judgment" and same


def test_newsrank_keeps_the_lead_prior_on_news_that_quotes_speech():
    # Two quoted remarks with 我觉得 and 然后 do not make an article a transcript: three units are needed.
    quotes = ["“我觉得合作社让贫困村农户增收脱贫有了保障。”农户王力说。",
              "“然后特色产业发展起来，合作社也壮大了。”村支书李明说。"]
    doc = document_from_text("\n".join([_LEAD, *_BODY, *quotes]))
    ranker = NewsRankSummarizer()
    chosen = [s.text for s in ranker.summarize(doc, sentences=1, keywords=0).sentences]
    assert not ranker.fell_back and ranker.fallback_reason is None and chosen == [_LEAD]


def test_position_free_needs_enough_speech_and_a_deciding_court():
    speech = ["然后我们说一下。", "对吧，是这样。", "那么就这样。"]
    written = ["合作社发展特色产业。"] * 27
    assert position_free(speech + written) == "transcript"            # 3 of 30 units: the share reached
    assert position_free(speech + written + written) is None          # 3 of 57: under a tenth
    assert position_free(speech[:2] + ["合作社发展。"]) is None         # two units are never enough
    court = ["本院认为，合同有效。", "本院查明，货已交付。", "原告向本院起诉。"]
    assert position_free(court + ["判决如下：被告支付货款。"]) == "judgment"
    assert position_free(court) is None                               # a court's voice, but no decision
    assert position_free(court[:2] + ["判决如下：被告支付货款。"]) is None
