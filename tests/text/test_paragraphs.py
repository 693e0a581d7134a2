"""Paragraph repair and boilerplate flags on the seeds, where each kind of damage really occurs."""

from __future__ import annotations

import pytest

from toolkit.text.document import Document
from toolkit.text.paragraphs import published_date, segment


def kinds(doc):
    return [(p.kind, p.text) for p in doc.paragraphs]


def find(doc, needle, whole=False):
    hits = [p for p in doc.paragraphs if (needle == p.text if whole else needle in p.text)]
    assert len(hits) == 1, f"{needle!r} found in {len(hits)} paragraphs"
    return hits[0]


@pytest.fixture(scope="module")
def d001(seed_docs):
    return seed_docs["001_689aa2d6b375cf32.txt"]


def test_block_broken_mid_sentence_is_joined(seed_paths, d001):
    raw = seed_paths[1].read_text(encoding="utf-8")
    assert "活力转\n\n化为" in raw
    p = find(d001, "活力转化为生态保护的内生动力")
    assert p.kind == "body"
    assert p.text.startswith("近年来,阿拉善左旗牢固树立") and p.text.endswith("提高到现在的14.5%。")


def test_caption_dropped_inside_a_sentence_is_lifted_out(seed_paths, d001):
    raw = seed_paths[1].read_text(encoding="utf-8")
    assert "刘学英很满\n\n阿拉善左旗依托" in raw and "\n\n意地说。" in raw
    sentence = find(d001, "刘学英很满意地说。")
    caption = find(d001, "积极探索“党建+旅游”的发展模式")
    assert sentence.kind == "body" and caption.kind == "caption"
    assert caption.index == sentence.index + 1  # the caption follows the paragraph it interrupted
    assert "意地说" not in caption.text


def test_break_without_a_shared_word_still_joins_prose(d001):
    p = find(d001, "帮扶23个建档立卡贫困嘎查(村);深入推行富民党建工程")
    assert p.kind == "body"


def test_short_headings_stay_separate(seed_docs, d001):
    assert find(d001, "执笔大漠绘丹青").kind == "heading"
    d002 = seed_docs["002_645df434c5bcfa1a.txt"]
    assert find(d002, "核心阅读").kind == "heading"
    assert find(d002, "党支部联手发展、党员联户致富,推动资源共享").kind == "heading"
    # a heading is never glued to the paragraph after it
    assert all(len(p.text) < 40 for p in d002.paragraphs if p.kind == "heading")


def test_navigation_menus_are_flagged(seed_docs):
    d003 = seed_docs["003_c57ee54164801b7a.txt"]
    for town in ("中和西镇", "恩格贝镇", "吉格斯太镇", "全国党建网站联盟", "今日天气"):
        assert find(d003, town, whole=True).kind == "navigation", town
    assert find(d003, "首页 >业务工作").kind == "navigation"
    d004 = seed_docs["004_54588f1784913c82.txt"]
    assert d004.paragraphs[0].kind == "navigation" and "西昌新闻" in d004.paragraphs[0].text
    assert find(d004, "地方网 > 四川").kind == "navigation"


def test_bylines_dates_sources_and_qr_lines_are_flagged(seed_docs, d001):
    assert find(d001, "中国城市报记者 叶中华").kind == "byline"
    d003 = seed_docs["003_c57ee54164801b7a.txt"]
    assert find(d003, "发布时间:2022-05-27").kind == "byline"
    assert find(d003, "共产党员微信订阅号二维码").kind == "qr"
    d002 = seed_docs["002_645df434c5bcfa1a.txt"]
    assert find(d002, "《 人民日报 》").kind == "byline"
    d004 = seed_docs["004_54588f1784913c82.txt"]
    assert find(d004, "来源:凉山日报").kind == "byline"
    assert find(d004, "宋恩 摄").kind == "caption"


def test_copyright_notice_is_flagged(seed_docs):
    d002 = seed_docs["002_645df434c5bcfa1a.txt"]
    assert find(d002, "版权声明").kind == "copyright"
    assert d002.paragraphs[-1].kind == "copyright"


def test_link_lists_and_everything_after_them_are_flagged(seed_docs):
    d004 = seed_docs["004_54588f1784913c82.txt"]
    for header in ("新闻推荐", "相关新闻", "猜你喜欢", "频道推荐", "热点阅读"):
        assert find(d004, header).kind == "links", header
    start = find(d004, "新闻推荐").index
    assert all(p.kind == "links" for p in d004.paragraphs[start:])
    assert find(d004, "集中销毁过期炸药2820公斤").kind == "links"  # an unrelated teaser
    # and nothing of the article itself before it
    assert all(p.kind != "links" for p in d004.paragraphs[:start])


def test_photo_credit_is_split_from_the_last_sentence(d001):
    last_body = find(d001, "不断收获着富裕和幸福之果。")
    assert last_body.text.endswith("幸福之果。") and last_body.kind == "body"
    assert find(d001, "(图片由阿拉善左旗委组织部提供)").kind == "caption"
    # the caption after the credit, at the end of the page
    assert d001.paragraphs[-1].kind == "caption" and "额鲁特街道" in d001.paragraphs[-1].text


def test_article_body_survives(seed_docs):
    for doc in seed_docs.values():
        body = doc.body
        assert len(body) >= 5, doc.name
        assert sum(len(p.text) for p in body) > 0.6 * sum(len(p.text) for p in doc.paragraphs if p.kind != "links")


def test_small_written_article():
    text = (
        "首页 > 新闻 > 正文\n来源:某某日报 2023-05-01\n\n村里的合作社成立于2019年,社员从最初的12户发展到现在的160户,种植面积扩大到800亩,今年\n\n图为村民在采摘。\n\n"
        "销售额突破百万元。\n版权所有 未经授权不得转载\n"
    )
    doc = Document.from_text(text)
    assert [(p.kind, p.text) for p in doc.paragraphs] == [
        ("navigation", "首页 > 新闻 > 正文"),
        ("byline", "来源:某某日报 2023-05-01"),
        ("body", "村里的合作社成立于2019年,社员从最初的12户发展到现在的160户,种植面积扩大到800亩,今年销售额突破百万元。"),
        ("caption", "图为村民在采摘。"),
        ("copyright", "版权所有 未经授权不得转载"),
    ]


def test_page_furniture_of_other_outlets_in_either_script():
    text = "\n".join(
        [
            "簡體 | 繁體 | 無障礙 | 長者模式",
            "首頁 > 工作動態 > 基層黨建",
            "天泉市紮實推進村黨組織整頓提升",
            "來源：天泉市委組織部組織科",
            "發佈時間：2023-06-08 11:20",
            "2023-10-16 09:41:27 来源：新华网",
            "点击上方蓝字“沂阳发布”关注我们",
            "村黨支部今年整頓提升了3個軟弱渙散黨組織，效果明顯。",
            "在云岙茶厂，工人正在对鲜叶进行摊青。",
            "（徐晨阳 摄）",
            "圖為紅柳灘村黨員在黨群服務中心開展主題黨日活動。",
            "记者：网格具体是怎么划分的？由谁来担任网格员？",
            "【纠错】 【责任编辑:杜晓宁】",
            "（编辑：王璐 审核：郑浩然）",
            "[ 责编：刘畅 ]",
            "（作者：韩立明，系江淮农业大学研究员）",
            "【打印本頁】 【關閉窗口】",
            "相關新聞：西藏農牧民人均收入保持較快增長｜藏北草原",
            "主办单位：丰阳县人民政府办公室 网站标识码：6107990012 备案号：陕ICP备0000000号-1",
            "技術支持：天泉市大數據中心 新ICP備17003518號-1 建議使用1920×1080分辨率瀏覽",
        ]
    )
    got = [p.kind for p in Document.from_text(text).paragraphs]
    assert got == [
        "navigation", "navigation", "heading", "byline", "byline", "byline", "qr", "body",
        "caption", "caption", "caption", "body", "byline", "byline", "byline", "byline",
        "navigation", "links", "copyright", "copyright",
    ]


def test_section_title_glued_to_its_first_point_is_split(seed_paths, seed_docs):
    raw = seed_paths[3].read_text(encoding="utf-8")
    assert "筑强先锋堡垒点燃乡村振兴“红引擎”一是建强组织。" in raw
    d003 = seed_docs["003_c57ee54164801b7a.txt"]
    heading = find(d003, "筑强先锋堡垒点燃乡村振兴“红引擎”", whole=True)
    assert heading.kind == "heading"
    body = d003.paragraphs[heading.index + 1]
    assert body.kind == "body" and body.text.startswith("一是建强组织。")
    for title in ("健全产业链条夯实乡村振兴“奠基石”", "集聚人才高地激活乡村振兴“新动能”", "提升服务水平铺就乡村振兴“善治路”"):
        assert find(d003, title, whole=True).kind == "heading"
    # a sentence that merely contains 一是 later on is not split
    assert Document.from_text("今年重点抓好三件事，一是修路，二是建厂。").paragraphs[0].kind == "body"


def test_published_date_from_bylines_only():
    paras = segment("发布时间:2022-05-27 17:03\n\n2019年3月1日，村里召开大会。\n")
    assert published_date(paras).isoformat() == "2022-05-27"
    assert published_date(segment("《 人民日报 》( 2020年12月14日 10 版)\n正文。")).isoformat() == "2020-12-14"
    # a date in the body is what the article is about, not when it appeared
    assert published_date(segment("2019年3月1日，村里召开大会，部署春耕生产工作。")) is None
    assert published_date(segment("发布时间:2022-13-45 17:03")) is None  # not a date


def test_seed_dates(seed_docs):
    dates = {name: published_date(doc.paragraphs) for name, doc in seed_docs.items()}
    assert {k[:3]: (v.isoformat() if v else None) for k, v in dates.items()} == {
        "000": None, "001": None, "002": "2020-12-14", "003": "2022-05-27", "004": "2017-08-11"}


def test_news_digest_items_stay_one_a_paragraph():
    # A daily digest writes one item a line, with no final punctuation: read as prose, the lines
    # were glued together as broken sentences and the short ones taken for headings.
    items = [
        "统计局：10月全国居民消费价格同比上涨0.2%，核心CPI涨幅连续六个月扩大",
        "新能源汽车购置税将从明年1月1日起全额免税调整为减半征收",
        "农业农村部：今年秋粮收获过半，大豆玉米单产提高",
        "我国科学家首次在蕨类植物中发现稀土成矿现象，为稀土资源利用提供新路径",
        "外媒：巴西巴拉那州遭龙卷风袭击，超强台风将登陆菲律宾，570万人面临威胁",
    ]
    paragraphs = segment("每天60秒读懂世界 2025-11-10\n" + "\n".join(items))
    assert [(p.kind, p.text) for p in paragraphs[1:]] == [("body", item) for item in items]
    assert paragraphs[0].kind == "heading"


def test_text_hard_wrapped_at_a_fixed_width_is_still_joined():
    sentence = ("村里的合作社今年把种植面积扩大到三千亩，带动周边四个村的农户一起种植高山蔬菜，"
                "每亩增收两千多元，村集体经济收入第一次突破百万元大关，群众的日子越过越红火；"
                "合作社还请来农技专家手把手教大家育苗、施肥和防治病虫害，又和城里的三家超市签下"
                "长期供货合同，蔬菜从地头直接进了城，再也不愁卖不出去，乡亲们干劲更足了，"
                "不少在外打工的年轻人也陆续回到村里，有的跑运输，有的开网店，有的当起了合作社的技术员，"
                "还有的在自家门口办起了农家乐。")
    lines = [sentence[i:i + 42] for i in range(0, len(sentence), 42)]
    assert len(lines) == 5 and all(len(line) == 42 for line in lines)
    paragraphs = segment("合作社里的新气象\n" + "\n".join(lines))
    assert [p.text for p in paragraphs] == ["合作社里的新气象", sentence]


def test_a_few_unterminated_lines_are_not_a_digest():
    # Three lines are a heading and a sentence broken by the page, not a list of items.
    broken = "村里把闲置多年的厂房改造成食品加工车间，引进两家企业入驻，吸纳了六十多名村民在家门口"
    text = f"产业兴旺的新路子\n{broken}\n就业，人均月收入三千元。"
    paragraphs = segment(text)
    assert [(p.kind, p.text) for p in paragraphs] == [
        ("heading", "产业兴旺的新路子"),
        ("body", broken + "就业，人均月收入三千元。"),
    ]
