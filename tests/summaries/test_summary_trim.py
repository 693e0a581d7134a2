"""Long quotations cut to their core sentence with their attribution; bracketed definitions left
out only where no other character changes. Every span is quoted exactly."""

from __future__ import annotations

from toolkit.text.reading import document_from_text
from toolkit.summaries import summarize_text
from toolkit.summaries.trim import LONG_QUOTATION, definition_spans

ALL = 1000

LEAD = "今年以来，全县大力发展花椒产业，带动农户增收致富，花椒种植面积达到五万亩。"
AFTER = ("“我们村祖祖辈辈都在山上放羊，日子过得很苦。花椒是我们村的致富产业，全村种植花椒三千亩，花椒种植户的收入翻了一番。"
         "去年冬天下了一场大雪，好在损失不大，村里的路也修好了。”村党支部书记王力说。")
BEFORE = ("县农业农村局局长张明说：“我们在花椒基地建设中做了大量工作，每年都派人下乡。全县花椒产业带动三千户农户增收，"
          "花椒种植户的收入逐年提高。接下来还要继续努力，把各项工作做得更好一些。”")
TAIL = "县农业农村局为花椒种植户提供技术服务，全县花椒产业发展势头良好。"


def _quoted(lines):
    text = "\n".join(lines)
    document = document_from_text(text)
    summary = summarize_text(text, sentences=ALL)
    return document, {s.paragraph: s for s in summary.sentences}


def _check_spans(document, s):
    """The quoted text is its spans, each exactly as the paragraph has it, in order."""
    quote = document.paragraphs[s.paragraph].quote_text
    assert s.text == "".join(quote[a:b] for a, b in s.spans)
    assert all(a < b <= c for (a, b), (c, _) in zip(s.spans, s.spans[1:]))
    assert (s.spans[0][0], s.spans[-1][1]) == (s.start, s.end)


def test_a_long_quotation_is_cut_to_its_core_sentence_with_its_attribution():
    assert len(AFTER) > LONG_QUOTATION and len(BEFORE) > LONG_QUOTATION
    document, chosen = _quoted([LEAD, AFTER, BEFORE, TAIL])
    after, before = chosen[1], chosen[2]
    assert after.text == "“花椒是我们村的致富产业，全村种植花椒三千亩，花椒种植户的收入翻了一番。”村党支部书记王力说。"
    assert before.text == "县农业农村局局长张明说：“全县花椒产业带动三千户农户增收，花椒种植户的收入逐年提高。”"
    for s in (after, before):
        assert len(s.spans) == 3
        _check_spans(document, s)
    # whole units stay whole
    assert chosen[0].text == LEAD and chosen[0].spans == ((0, len(LEAD)),)


def test_short_or_unattributed_quotations_stay_whole():
    short = "“花椒是致富产业。去年收入翻了一番。”王力说。"
    bare = AFTER[: AFTER.index("村党支部")]  # the quotation without who said it
    _, chosen = _quoted([LEAD, short, bare, TAIL])
    assert chosen[1].text == short and len(chosen[1].spans) == 1
    assert chosen[2].text == bare and len(chosen[2].spans) == 1


def test_the_cut_keeps_full_width_characters():
    wide = AFTER.replace("三千亩", "３０００亩")
    document, chosen = _quoted([LEAD, wide, TAIL])
    assert "３０００亩" in chosen[1].text and chosen[1].text.endswith("”村党支部书记王力说。")
    _check_spans(document, chosen[1])


def test_a_bracketed_definition_is_left_out_when_nothing_else_changes():
    lines = [
        LEAD,
        "全县花椒产业合作社（以下简称合作社）已经发展到二十家，带动花椒种植户三千户。",
        "县里成立了花椒产业发展中心（简称“椒业中心”），专门负责花椒品牌推广和市场销售。",
        "全县成立了花椒产业协会（以下简称协会），协会负责统一收购，花椒价格稳定。",
        "（即将上市的）新品种花椒由县农业农村局统一推广，农户反映很好。",
        "花椒种植技术培训已经开展了十期，（即每月一期）培训农户五千人次。",
        "花椒产业带动了全县农户增收（2023年数据），成为县里的支柱产业。",
        TAIL,
    ]
    document, chosen = _quoted(lines)
    assert chosen[1].text == "全县花椒产业合作社已经发展到二十家，带动花椒种植户三千户。"
    assert chosen[2].text == "县里成立了花椒产业发展中心，专门负责花椒品牌推广和市场销售。"
    for i in (1, 2):
        assert len(chosen[i].spans) == 2
        _check_spans(document, chosen[i])
    # the short name is used later in the unit: the definition stays
    assert chosen[3].text == lines[3]
    # at the start of the unit, after punctuation, or not a definition: nothing is left out
    assert [chosen[i].text for i in (4, 5, 6)] == lines[4:7]


def test_definition_spans_on_its_own():
    text = "农村集体经济组织（英文Rural Collective）负责经营管理。"
    assert definition_spans(text, 0, len(text)) == [(0, 8), (text.index("负责"), len(text))]
    text = "农村集体经济组织（是一种组织。也叫合作社）负责经营管理。"
    assert definition_spans(text, 0, len(text)) == [(0, len(text))]
