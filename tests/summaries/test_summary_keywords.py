"""Keywords a researcher would keep: generic words damped by an IDF table from public news, place
names kept, keyphrases only from words that stand together, near-duplicate phrases merged."""

from __future__ import annotations

from importlib import resources

import pytest

from toolkit.text.reading import document_from_text
from toolkit.summaries import summarize_document, summarize_text
from toolkit.summaries.keywords import GENERIC_IDF, _keyphrases, _merge_phrases, generic_damping, idf_table
from toolkit.summaries.units import analyse, is_place_name

GENERIC = ("建设", "发展", "项目", "服务", "工程")


def _doc(seed_docs, prefix):
    return next(doc for name, doc in seed_docs.items() if name.startswith(prefix))


def test_the_idf_table_is_numbers_from_a_large_corpus_and_small():
    path = resources.files("toolkit").joinpath("data", "idf.txt")
    text = path.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= 1_500_000
    header, *rows = text.splitlines()
    assert header.startswith("# IDF = ln(N/df)") and "build_idf.py" in header
    assert 45_000 <= len(rows) <= 50_000
    table, unseen = idf_table()
    assert len(table) == len(rows)
    # generic news words are common, names of things are rare
    assert all(table[w] < GENERIC_IDF for w in GENERIC)
    assert table["嘎查村"] > 2 * GENERIC_IDF > table["发展"] * 5
    assert unseen == max(table.values())
    assert generic_damping("一个从未见过的词") == 1.0
    assert generic_damping("发展") < 0.05 and generic_damping("北京", place=True) == 1.0


def test_generic_words_leave_the_seed_keywords_and_place_names_stay(seed_docs):
    for name, doc in seed_docs.items():
        words = [k.word for k in summarize_document(doc).keywords]
        assert not set(words) & set(GENERIC), (name, words)
    seed_004 = [k.word for k in summarize_document(_doc(seed_docs, "004")).keywords]
    assert "甘洛县" in seed_004
    assert {"党建", "第一书记", "脱贫攻坚"} <= set(seed_004)


def test_a_generic_word_stays_when_the_article_is_about_it():
    text = "\n".join([
        "引水工程是全县今年最大的民生工程，工程总投资三亿元。",
        "工程建成后，十万群众将喝上放心水，工程质量由第三方监理。",
        "工程指挥部设在县城，工程技术人员日夜坚守在工地一线。",
        "目前工程主体已经完工，工程管线铺设进入收尾阶段。",
        "县水务局表示，工程验收合格后将尽快通水，工程运行维护由专业公司负责。",
    ])
    assert summarize_text(text).keywords[0].word == "工程"


def test_place_names_are_found_and_never_damped():
    assert is_place_name("北京", "ns") and is_place_name("甘洛县", "nz") and is_place_name("大林村", "n")
    assert not any(is_place_name(w, "n") for w in ("新农村", "美丽乡村", "大城市", "农村", "县"))
    text = "\n".join([
        "甘洛县新茶乡大林村今年种下了五百亩花椒，大林村的花椒长势喜人。",
        "大林村党支部书记介绍，花椒基地带动全村八十户农户增收。",
        "新茶乡还把大林村的花椒种植经验推广到其他村，花椒成了甘洛县的致富产业。",
    ])
    words = [k.word for k in summarize_text(text).keywords]
    assert {"大林村", "甘洛县", "新茶乡"} <= set(words)


def test_keyphrases_join_only_words_that_stand_together():
    seed_phrases = ["第一书记脱贫攻坚" in k.word for k in []]
    assert not any(seed_phrases)
    text = "\n".join([
        "第一书记 脱贫攻坚 工作推进会在县里召开。",
        "会上，第一书记 脱贫攻坚 经验得到推广，香菇产业合作社模式受到好评。",
        "香菇产业合作社带动农户增收，香菇产业合作社成为致富带头人。",
    ])
    phrases = [k.word for k in summarize_text(text).keyphrases]
    assert phrases == ["香菇产业合作社"]


def test_a_run_that_only_ever_starts_a_longer_noun_group_is_no_phrase(seed_docs):
    # 发挥第一书记脱贫攻坚先锋作用, twice in seed 004: 第一书记 and 脱贫攻坚 stand together, but
    # every time as the start of a longer noun group, never as a phrase of their own.
    phrases = [k.word for k in summarize_document(_doc(seed_docs, "004")).keyphrases]
    assert "第一书记脱贫攻坚" not in phrases
    assert "基层党建" in phrases


def test_near_duplicate_keyphrases_are_merged():
    phrases = [(9.0, "嘎查村党组织书记", 0, 2, ("嘎查村", "党组织", "书记")),
               (8.0, "嘎查村党组织", 1, 3, ("嘎查村", "党组织")),
               (7.0, "产业发展", 2, 2, ("产业", "发展")),
               (6.0, "发展产业", 3, 2, ("发展", "产业")),
               (5.0, "基层党组织", 4, 2, ("基层", "党组织"))]
    assert [p[1] for p in _merge_phrases(phrases)] == ["嘎查村党组织书记", "产业发展", "基层党组织"]
    text = "\n".join(["农村集体经济组织带动农户增收，农村集体经济不断壮大。"] * 2
                     + ["集体经济组织成员大会召开，集体经济收入达到百万元。", "村集体经济组织负责人介绍了集体经济发展情况。"])
    phrases = [k.word for k in summarize_text(text, keywords=20).keyphrases]
    words = [set(analyse(document_from_text(p)).sentences[0].words) for p in phrases]
    assert all(not (a <= b or b <= a) for i, a in enumerate(words) for b in words[i + 1 :]), phrases


def test_keyphrases_of_the_seeds_are_distinct(seed_docs):
    for name, doc in seed_docs.items():
        phrases = summarize_document(doc).keyphrases
        assert len({k.word for k in phrases}) == len(phrases)
        assert len(phrases) <= 10, name
